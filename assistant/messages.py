"""Every fixed text a resident can see, in English and Spanish.

Numbers here come only from the verified directory (a test checks every string).
"""

from __future__ import annotations

FOOTER = {
    "en": (
        "**In danger now? Call 911.** National Human Trafficking Hotline: **1-888-373-7888** "
        "(text 233733), 24/7, free and confidential."
    ),
    "es": (
        "**¿En peligro ahora? Llame al 911.** Línea Nacional contra la Trata de Personas: "
        "**1-888-373-7888** (texto 233733), 24/7, gratis y confidencial, en español."
    ),
}

# Extra footer lines by topic or crisis category (the one or two lines the topic calls for).
EXTRA_LINES = {
    "en": {
        "suicide": "988 Suicide & Crisis Lifeline: call or text 988, 24/7.",
        "violence": "CT Safe Connect (domestic violence): 1-888-774-2900, call or text, 24/7.",
        "sexual_assault": "Sexual assault crisis line: 1-888-999-5545 (English), 1-888-568-8332 (Spanish), call or text, 24/7.",
        "child": "DCF Careline (child abuse and neglect): 1-800-842-2288, 24/7.",
        "overdose": "Addiction treatment and detox: DMHAS Access Line 1-800-563-4086, 24/7.",
        "poisoning": "Poison Control: 1-800-222-1222, 24/7.",
        "basic_needs": "Housing, food and local services: call 2-1-1, 24/7.",
        "legal_aid": "Free civil legal help (not criminal cases): Statewide Legal Services 1-800-453-3320.",
    },
    "es": {
        "suicide": "988 Línea de Prevención del Suicidio y Crisis: llame o envíe texto al 988, 24/7.",
        "violence": "CT Safe Connect (violencia doméstica): 1-888-774-2900, llamada o texto, 24/7.",
        "sexual_assault": "Línea de crisis por agresión sexual: 1-888-568-8332 (español), 1-888-999-5545 (inglés), 24/7.",
        "child": "DCF Careline (abuso y negligencia infantil): 1-800-842-2288, 24/7.",
        "overdose": "Tratamiento de adicciones y desintoxicación: DMHAS Access Line 1-800-563-4086, 24/7.",
        "poisoning": "Control de Envenenamientos (Poison Control): 1-800-222-1222, 24/7.",
        "basic_needs": "Vivienda, comida y servicios locales: llame al 2-1-1, 24/7.",
        "legal_aid": "Ayuda legal civil gratis (no casos criminales): Statewide Legal Services 1-800-453-3320.",
    },
}

# Added to the suicide card when the message is about swallowing pills or poison.
SELF_POISONING_LINE = {
    "en": "If pills or poison were swallowed, also call Poison Control **1-800-222-1222**, 24/7.",
    "es": "Si tragó pastillas o veneno, llame también a Control de Envenenamientos (Poison Control) **1-800-222-1222**, 24/7.",
}

# Topic words of documents -> the extra footer line they call for.
TOPIC_LINES = {
    "domestic-violence": "violence",
    "violence": "violence",
    "sexual-assault": "sexual_assault",
    "child": "child",
    "minors": "child",
    "suicide": "suicide",
    "mental-health": "suicide",
    "overdose": "overdose",
    "treatment": "overdose",
    "addiction": "overdose",
    "poisoning": "poisoning",
    "housing": "basic_needs",
    "basic-needs": "basic_needs",
    "local-needs": "basic_needs",
    "food": "basic_needs",
    "legal-aid": "legal_aid",
}

CRISIS_CARDS = {
    "en": {
        "violence": [
            "🚨 **If you are in danger right now, call 911.**",
            "Domestic or partner violence: CT Safe Connect **1-888-774-2900**, call or text, 24/7, free and confidential.",
            "If someone is forcing you or will not let you leave: National Human Trafficking Hotline **1-888-373-7888** (text 233733).",
        ],
        "sexual_assault": [
            "🚨 **If you are in danger right now or hurt, call 911.**",
            "Sexual assault crisis line, free and confidential, 24/7: **1-888-999-5545** (English) or **1-888-568-8332** (Spanish), call or text.",
        ],
        "overdose": [
            "🚨 **Call 911 now.** Say if someone is not breathing or will not wake up.",
            "Give naloxone (Narcan) if you have it. Connecticut's Good Samaritan law protects the person who calls 911 and the person overdosing from arrest only for drug or paraphernalia possession, not other charges or existing warrants.",
        ],
        "suicide": [
            "🚨 **If you might act on it now, call 911.**",
            "Call or text **988** (Suicide & Crisis Lifeline), 24/7, to talk with someone now. Adults can also call the ACTION line **1-800-467-3135**.",
        ],
        "child": [
            "🚨 **If a child is in danger right now, call 911.**",
            "Report a child being abused or sold for sex to the DCF Careline **1-800-842-2288**, 24/7; you can stay anonymous.",
            "In Connecticut a person under 18 is a victim, not a criminal, and cannot be convicted of prostitution. National Human Trafficking Hotline **1-888-373-7888** (text 233733).",
        ],
        "trafficking": [
            "🚨 **If you are in danger right now, call 911.**",
            "National Human Trafficking Hotline **1-888-373-7888**: call 24/7 in English, Spanish and 200+ languages, or text 233733 (English and Spanish). Confidential; it is not the police or immigration.",
        ],
        "poisoning": [
            "🚨 **If the person is not breathing or cannot be woken up, call 911 now.**",
            "Otherwise call Poison Control **1-800-222-1222**, 24/7, free, with interpreters.",
        ],
    },
    "es": {
        "violence": [
            "🚨 **Si está en peligro ahora mismo, llame al 911.**",
            "Violencia doméstica o de pareja: CT Safe Connect **1-888-774-2900**, llamada o texto, 24/7, gratis y confidencial, con personal bilingüe.",
            "Si alguien le obliga o no le deja irse: Línea Nacional contra la Trata de Personas **1-888-373-7888** (texto 233733).",
        ],
        "sexual_assault": [
            "🚨 **Si está en peligro ahora o está herida/o, llame al 911.**",
            "Línea de crisis por agresión sexual, gratis y confidencial, 24/7: **1-888-568-8332** (español) o **1-888-999-5545** (inglés), llamada o texto.",
        ],
        "overdose": [
            "🚨 **Llame al 911 ahora.** Diga si alguien no respira o no despierta.",
            "Dé naloxona (Narcan) si la tiene. La ley del Buen Samaritano de Connecticut protege a quien llama al 911 y a la persona con sobredosis solamente de ser arrestadas por posesión de drogas o de parafernalia, no de otros cargos ni de órdenes de arresto existentes.",
        ],
        "suicide": [
            "🚨 **Si podría hacerse daño ahora, llame al 911.**",
            "Llame o envíe un texto al **988** (Línea de Prevención del Suicidio y Crisis), 24/7. Los adultos también pueden llamar a la línea ACTION **1-800-467-3135**.",
        ],
        "child": [
            "🚨 **Si un niño o una niña está en peligro ahora, llame al 911.**",
            "Reporte el abuso o la venta de un menor para sexo a DCF Careline **1-800-842-2288**, 24/7; puede hacerlo de forma anónima.",
            "En Connecticut una persona menor de 18 años es una víctima, no una criminal, y no puede ser condenada por prostitución. Línea Nacional contra la Trata **1-888-373-7888** (texto 233733).",
        ],
        "trafficking": [
            "🚨 **Si está en peligro ahora mismo, llame al 911.**",
            "Línea Nacional contra la Trata de Personas **1-888-373-7888**: llame 24/7 en español, inglés y más de 200 idiomas, o envíe un texto al 233733 (español e inglés). Es confidencial; no es la policía ni inmigración.",
        ],
        "poisoning": [
            "🚨 **Si la persona no respira o no despierta, llame al 911 ahora.**",
            "Si no, llame a Control de Envenenamientos (Poison Control) **1-800-222-1222**, 24/7, gratis, con intérpretes.",
        ],
    },
}

TEXT = {
    "en": {
        "empty": "Please type a question. I can help with Connecticut law on sex work and trafficking, where to get help in and around Willimantic (health, addiction, violence, housing), and staying safe.",
        "too_long": "Your message was long, so I shortened it and answered the question in it.",
        "hello": "Hi! I'm a free, private assistant for Willimantic and Windham. I can explain Connecticut law on sex work and trafficking, and help you find health care, addiction treatment, help with violence, shelter, food and legal help. You can write in English or Spanish. What would you like to know?",
        "thanks": "You're welcome. If you have another question about the law, getting help or staying safe, just ask.",
        "bye": "Take care. You can come back any time, and the numbers below are there 24/7.",
        "privacy_short": "This chat is private: what you type is not saved, logged or shared.",
        "privacy": "Yes, this chat is private: what you type is not saved, logged or shared, and nothing is kept after you close the page. You do not have to give your name. To leave fast, press Escape or Quick exit. What would you like to know?",
        "off_topic": "That's outside what I can help with: I answer questions about Connecticut law on sex work and trafficking, and where to get help in and around Willimantic. For other local services, call 2-1-1 (free, 24/7).",
        "check_211": "Call 2-1-1 to check hours and openings.",
        "not_found": "I don't have verified information about that. I can help with Connecticut law on sex work and trafficking, getting help in and around Willimantic (health, addiction, violence, housing, food) and staying safe. For other local services, call 2-1-1 (free, 24/7).",
        "error": "Sorry, something went wrong on our side and I could not answer. Please try again in a moment. For local services, call 2-1-1.",
        "busy": "Sorry, the assistant is busy right now. Please try again in a minute.",
        "fallback": "Sorry, I can't show that answer. For local services, call 2-1-1 (free, 24/7).",
        "legal": "_General information, not legal advice. For your own case, talk to a lawyer or the Public Defender (portal.ct.gov/ocpd), or see the CT Judicial Branch self-help pages (jud.ct.gov)._",
        "sources": "Sources",
        "english_note": "_I don't have this in Spanish yet, so here is the English information._",
        "refuse_buy_sex": "I can't help with finding people to buy sex from or places where sex is sold. I can explain Connecticut law on buying and selling sex, or help you find support.",
        "refuse_drugs": "I can't help with buying drugs. If you want to use more safely or stop, I can tell you where to get naloxone (Narcan) or treatment.",
        "refuse_police": "I can't help with avoiding police or stings. I can explain the law in general terms and where to get legal help.",
        "police_powers": "I don't have verified information on what police may do in a stop, a search or questioning. For your rights in your own situation, talk to a lawyer or the Public Defender (portal.ct.gov/ocpd). For other local services, call 2-1-1 (free, 24/7).",
        "refuse_promote": "I can't help with recruiting, managing or advertising anyone to sell sex. I can explain Connecticut law on promoting prostitution and trafficking, or help someone find support.",
        "refuse_person": "I can't help with identifying, finding or contacting a specific person. If someone is in danger, call 911; to report trafficking, contact the hotline below.",
    },
    "es": {
        "empty": "Escriba una pregunta, por favor. Puedo ayudar con la ley de Connecticut sobre el trabajo sexual y la trata, dónde conseguir ayuda en Willimantic y sus alrededores (salud, adicción, violencia, vivienda) y cómo mantenerse a salvo.",
        "too_long": "Su mensaje era largo, así que lo acorté y contesté la pregunta que trae.",
        "hello": "¡Hola! Soy un asistente gratis y privado para Willimantic y Windham. Puedo explicar la ley de Connecticut sobre el trabajo sexual y la trata, y ayudarle a encontrar atención médica, tratamiento para adicciones, ayuda por violencia, albergue, comida y ayuda legal. Puede escribir en español o en inglés. ¿Qué quiere saber?",
        "thanks": "De nada. Si tiene otra pregunta sobre la ley, cómo conseguir ayuda o cómo mantenerse a salvo, pregunte con confianza.",
        "bye": "Cuídese. Puede volver cuando quiera, y los números de abajo atienden 24/7.",
        "privacy_short": "Este chat es privado: lo que usted escribe no se guarda, no se registra y no se comparte.",
        "privacy": "Sí, este chat es privado: lo que usted escribe no se guarda, no se registra y no se comparte, y no queda nada cuando cierra la página. No tiene que dar su nombre. Para salir rápido, presione Escape o Salida rápida. ¿Qué quiere saber?",
        "off_topic": "Eso está fuera de lo que puedo ayudar: contesto preguntas sobre la ley de Connecticut sobre el trabajo sexual y la trata, y dónde conseguir ayuda en Willimantic y sus alrededores. Para otros servicios locales, llame al 2-1-1 (gratis, 24/7).",
        "check_211": "Llame al 2-1-1 para confirmar horarios y cupos.",
        "not_found": "No tengo información verificada sobre eso. Puedo ayudar con la ley de Connecticut sobre el trabajo sexual y la trata, ayuda en Willimantic y sus alrededores (salud, adicción, violencia, vivienda, comida) y cómo mantenerse a salvo. Para otros servicios locales, llame al 2-1-1 (gratis, 24/7).",
        "error": "Lo sentimos, algo falló de nuestro lado y no pude responder. Intente de nuevo en un momento. Para servicios locales, llame al 2-1-1.",
        "busy": "Lo sentimos, el asistente está ocupado. Intente de nuevo en un minuto.",
        "fallback": "Lo sentimos, no puedo mostrar esa respuesta. Para servicios locales, llame al 2-1-1 (gratis, 24/7).",
        "legal": "_Información general, no es asesoría legal. Para su caso, hable con un abogado o con la Defensoría Pública (portal.ct.gov/ocpd), o vea las páginas de ayuda del Poder Judicial de CT (jud.ct.gov)._",
        "sources": "Fuentes",
        "english_note": "_Todavía no tengo esto en español; aquí está la información en inglés._",
        "refuse_buy_sex": "No puedo ayudar a encontrar personas a quienes comprar sexo ni lugares donde se vende sexo. Puedo explicar la ley de Connecticut o ayudarle a encontrar apoyo.",
        "refuse_drugs": "No puedo ayudar a comprar drogas. Si quiere usar de forma más segura o dejar de usar, puedo decirle dónde conseguir naloxona (Narcan) o tratamiento.",
        "refuse_police": "No puedo ayudar a evitar a la policía ni operativos. Puedo explicar la ley en general y dónde conseguir ayuda legal.",
        "police_powers": "No tengo información verificada sobre lo que la policía puede hacer en una parada, un registro o un interrogatorio. Para sus derechos en su situación, hable con un abogado o con la Defensoría Pública (portal.ct.gov/ocpd). Para otros servicios locales, llame al 2-1-1 (gratis, 24/7).",
        "refuse_promote": "No puedo ayudar a reclutar, manejar ni anunciar a nadie para vender sexo. Puedo explicar la ley de Connecticut sobre la promoción de la prostitución y la trata, o ayudar a alguien a encontrar apoyo.",
        "refuse_person": "No puedo ayudar a identificar, encontrar o contactar a una persona específica. Si alguien está en peligro, llame al 911; para reportar la trata, use la línea de abajo.",
    },
}


def phrase(key: str, language: str) -> str:
    """A fixed text in the language (English when it has no translation)."""
    return TEXT.get(language, TEXT["en"]).get(key) or TEXT["en"][key]
