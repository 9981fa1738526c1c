"""Text of the public page, in English and Spanish (the page's language switch)."""

from __future__ import annotations

from typing import Any

QUICK_EXIT_URL = "https://weather.com/"

PAGE: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Willimantic & Windham Safety and Services Assistant",
        "purpose": "Free, private answers about Connecticut law on sex work and trafficking, where to get help, and staying safe. Answers cite vetted sources.",
        "lifelines": (
            "**Emergency: call 911.** National Human Trafficking Hotline: **1-888-373-7888** "
            "(text 233733), 24/7, confidential."
        ),
        "exit": "Quick exit (Esc)",
        "call_911": "Call 911",
        "call_hotline": "Call the hotline",
        "text_hotline": "Text HELP to 233733",
        "language_label": "Language",
        "question_label": "Your question",
        "chat_label": "Chat",
        "placeholder": "Type your question, for example: Where can I get Narcan?",
        "send": "Ask",
        "examples_label": "Example questions",
        "examples": [
            "Is prostitution illegal in Connecticut?",
            "Where can I get Narcan?",
            "I need help with domestic violence",
            "Can my record be cleared if I was trafficked?",
        ],
        "privacy": (
            "**Your privacy:** this assistant does not keep or log what you type, and nothing is saved in your "
            "browser after you close the tab. It cannot call anyone for you: to reach a number, call it yourself. "
            "Press **Quick exit** or the Esc key to leave at once. To hide your visit, clear your browser history "
            "(most browsers: Ctrl+H, or Settings, Privacy, Clear browsing data) or use a private window."
        ),
    },
    "es": {
        "title": "Asistente de seguridad y servicios de Willimantic y Windham",
        "purpose": "Respuestas gratis y privadas sobre la ley de Connecticut sobre el trabajo sexual y la trata, dónde conseguir ayuda y cómo mantenerse a salvo. Las respuestas citan fuentes verificadas.",
        "lifelines": (
            "**Emergencias: llame al 911.** Línea Nacional contra la Trata de Personas: **1-888-373-7888** "
            "(texto 233733), 24/7, confidencial."
        ),
        "exit": "Salida rápida (Esc)",
        "call_911": "Llamar al 911",
        "call_hotline": "Llamar a la línea",
        "text_hotline": "Texto HELP al 233733",
        "language_label": "Idioma",
        "question_label": "Su pregunta",
        "chat_label": "Chat",
        "placeholder": "Escriba su pregunta, por ejemplo: ¿Dónde consigo Narcan?",
        "send": "Preguntar",
        "examples_label": "Preguntas de ejemplo",
        "examples": [
            "¿Es ilegal la prostitución en Connecticut?",
            "¿Dónde consigo Narcan?",
            "Necesito ayuda por violencia doméstica",
            "¿Pueden borrar mi récord si fui víctima de trata?",
        ],
        "privacy": (
            "**Su privacidad:** este asistente no guarda ni registra lo que usted escribe, y nada queda guardado en "
            "su navegador al cerrar la pestaña. No puede llamar a nadie por usted: para comunicarse, llame usted. "
            "Pulse **Salida rápida** o la tecla Esc para salir de inmediato. Para ocultar su visita, borre el "
            "historial del navegador (Ctrl+H, o Configuración, Privacidad, Borrar datos) o use una ventana privada."
        ),
    },
}


STAFF_GLOSSARY = """
* **Section**: one `##` part of a knowledge document (a heading question and its answer); the unit that is searched and quoted.
* **Score (floor uses)**: how well a section matches the question (0 to about 1): a weighted mix of the three similarities below. Below the **floor**, the assistant says it has no verified answer.
* **Dense cos**: meaning similarity between the question and the whole section (the embedding model; 1 = same meaning).
* **Heading cos**: similarity between the question and the section's heading or one of its example questions (knowledge/questions/).
* **Keyword share (BM25)**: how many of the question's words the section contains, weighted by how rare they are, as a share of the best match.
* **hit@1 / hit@5**: the expected document is the first / among the first five. **MRR**: 1 for a first place, 1/2 for a second, and so on, averaged.
* **facts**: the expected fact appears in the answer. **direct**: it appears in the first two sentences.
* **Classifier**: the crisis model's probability for each label (a crisis category, or info, ordinary, off_topic, idiom, small_talk).
* **dev / test**: dev questions tune the assistant; test questions were written blind and are never tuned on.
"""
