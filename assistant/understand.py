"""Question understanding: the question inside a long message, its parts, what kind of answer
each part asks for, and whether a message is small talk.

Plain patterns, English and Spanish, on folded text (lower case, no accents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.chunking import split_sentences
from assistant.words import content_words, fold

SEARCH_CHARS = 600  # the model reads about 250 word pieces; longer text is condensed for search
# "where do I report ..." / "a donde se denuncia ...": whom to call, so "contact" and not "where"
WHERE_TO_REPORT = r"where (?:do|can|should|would) (?:i|you|we|one|someone|people) (?:go to )?(?:report|turn in)"
DONDE_REPORTAR = (
    r"donde (?:se |lo |la |le |puedo |debo |tengo que )?(?:reporta|reportan|reportar|reporto|denuncia|denuncian"
    r"|denunciar|denuncio)\b"
)
# "how old do/must ... be" asks who a service is for (age), never how old something may be (deadline)
HOW_OLD_MUST = r"how old (?:do|does|must|should|would|will) "
# What a question asks for, and the same for a section's heading (headings are questions).
# The days a line may be closed, and the words for whether it answers then (ANSWER_TYPES "hours").
DAYS = r"sundays?|saturdays?|holidays?|domingos?|sabados?|feriados?|fin(?:es)? de semana"
ANSWERING = r"(?:contesta\w*|atiende\w*|abre\w*|abiert\w*|answer\w*|open|pick up)"
ANSWER_TYPES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "legal": r"\b(?:illegal|legal|decriminali[sz]ed|despenalizad[oa]s?|a crime|crime to|against the law|allowed"
        r"|arrested for|charged with|charge for"
        r"|ilegal|es delito|un delito|contra la ley|permitido|arrestar por|arrestada por|arrestado por)\b",
        # not a past stay ("salió de la cárcel", "just got out of jail")
        "penalty": r"\b(?:penalt\w*|punish\w*|(?<!out of )(?<!from )jail|(?<!out of )(?<!from )prison|sentence|fine"
        r"|fines|how much time"
        r"|how long.{0,20}(?:jail|prison)"
        r"|what (?:can|could|will|would) happen|happens? if|happens? (?:legally )?to (?:a|an|the|someone|somebody)\b"
        r"|consequences?|felony|misdemeanor|class [a-e]\b|clase [a-e]\b|delito (?:grave|menor)"
        r"|pena|castigo|(?<!de la )(?<!del )carcel|(?<!de la )prision|multa"
        r"|cuanto tiempo(?! (?:tengo|tiene|tenemos|hay) (?:pa|para)\b)"
        r"|que (?:me )?(?:puede|podria|va a) pasar|que pasa si"
        r"|delito grave|delito menor|heavier|harsher|worse charge|more serious charge|how bad is the charge"
        r"|peor (?:cargo|castigo)|(?:what|which) (?:kind|type|class) of (?:charge|crime|offense)"
        r"|(?:que|q) (?:clase|tipo) de (?:cargo|delito)|(?:que|q) (?:le|les|me|te) (?:pasa|hacen|puede pasar)\b"
        # a term someone heard ("te pueden dar 5 años por prostitución", "they give you a year for that")
        r"|\b(?:dar|dan|darte|darle|dieron|give|gives|gave|get|gets|got) (?:you |me |him |her |them |te |le )?"
        r"(?:\d+|un|una|dos|tres|cinco|diez|a|one|two|three|five|ten) (?:anos?|meses|years?|months?)\b)",
        "deadline": r"\b(?:deadline|time limit|too late|cutoff|cut-off|time frame|timeframe|expires?"
        rf"|how long (?:do|does|after)|(?!{HOW_OLD_MUST})how old|statute of limitations"
        r"|fecha limite|plazo|limite de tiempo|demasiado tarde|cuanto tiempo (?:tengo|tiene|tenemos|hay) (?:pa|para)"
        r"|hasta cuando|se vence|vence|caduca|prescribe|tiempo limite"
        # how soon something must be done ("who am I required to call and how fast?")
        r"|(?:and|,) how (?:fast|quickly|soon)|how (?:fast|quickly|soon) (?:do|must|should) (?:i|we|you|they|she|he)"
        r"|how (?:fast|quickly|soon) (?:am i|are we|is she|is he) (?:supposed|required)"
        r"|within how (?:many|long)|(?:que tan|q tan) (?:rapido|pronto)"
        r"|en cuanto tiempo (?:tengo|tiene|hay|debo|se debe)"
        # how many days someone has to do something ("cuantos dias tengo para pedir el vacatur")
        r"|(?:cuantos|cuantas) (?:horas|dias|semanas|meses|anos) (?:tengo|tiene|tienen|tenemos|hay) (?:pa|para)"
        r"|how many (?:hours|days|weeks|months|years) (?:do|does) (?:i|you|she|he|we|they) have (?:to|for)"
        # a belief that it is too late ("ya pasaron 10 años", "it's been 12 years")
        r"|ya pasaron (?:\d+|muchos|varios) anos|it''?s been (?:\d+|many|too many) years"
        # a conviction long ago, asked about now ("convicted years ago, can i still clear it")
        r"|(?:years?|anos) (?:ago|back|atras)\b[^.?!]{0,40}\b(?:still|todavia|aun)"
        r"|hace (?:\w+ )?anos\b[^.?!]{0,40}\b(?:todavia|aun|still)"
        r"|(?:\d+|many|so many) years have passed|(?:ya )?(?:paso|ha pasado) (?:mucho|demasiado) tiempo"
        # clearing a record still ("¿todavía puedo limpiar esas condenas?", "can I still get it cleared")
        r"|(?:todavia|aun) (?:puedo|puede|se puede|se pueden|estoy a tiempo|esta a tiempo)\b[^.?!]{0,25}"
        r"\b(?:limpi|borr|anul|quit|elimin|vacat|sell)\w*"
        r"|(?:can|could) (?:i|she|he|we|they|you) still (?:\w+ ){0,4}(?:clear|vacate|erase|expunge|seal|wipe|remove)\w*"
        # a time limit someone heard ("hay que pedirlo en el primer año nomás", "you only have 2 years to file")
        r"|(?:hay que|have to|has to|must|need to|tienes que|tiene que|debes|only have|solo tienes|solo hay)"
        r" [^.?!]{0,30}\b(?:within|dentro de|en|before|antes de) (?:the |el |los |la )?(?:first |primer |primeros )?"
        r"(?:\d+ |un |una |one |two |dos |tres |three )?(?:ano|anos|year|years|mes|meses|month|months|dias|days)"
        r"|(?:only have|only get|solo tienes|solo tiene|solo hay|nomas tienes) (?:\d+|un|una|one|two|dos|tres|three)"
        r" (?:anos?|years?|mes|meses|months?|dias|days) (?:to|para|pa))\b",
        "contact": r"\b(?:(?<!statute )(?<!law )(?<!section )numbers?(?! (?:of|for) (?:the|that) (?:law|statute))"
        # not a name ("what people used to call the No Freeze shelter", "what do they call it")
        r"|phone|(?<!used to )(?<!people )(?<!they )(?<!we )call(?! (?:it|this|that)\b)|text|hotline|line|contact"
        r"|reach|talk to|who (?:do|can) i"
        r"|numero(?! (?:de|del) (?:la )?(?:ley|estatuto|seccion))|telefono|llamar|llamo|linea|texto|mensaje|comunicarme"
        rf"|hablar con|{WHERE_TO_REPORT}|{DONDE_REPORTAR})\b",
        # "where do I report ..." asks whom to call (a number), not for a place
        "where": rf"\b(?:(?!{WHERE_TO_REPORT})where|(?!{DONDE_REPORTAR})donde|near|nearby|address|location|located"
        r"|close to|cerca|direccion|ubicad\w*)\b",
        "address": r"\b(?:address|addresses|what street|which street|direccion|que calle|en que calle)\b",
        "how": r"\b(?:how (?:do|can|should|to|does)|steps|process|como (?:puedo|hago|se|funciona|empiezo|reporto)"
        r"|que hago|que debo|what should i do|what do i do)\b",
        # not "someone who ...", "an adult who pays ...": a relative clause asks nothing
        "who": r"(?<!someone )(?<!somebody )(?<!person )(?<!adult )(?<!anyone )(?<!people )(?<! man )(?<! guy )"
        r"(?<!girl )(?<!woman )\b(?:who|whom)\b|\b(?:quien|quienes)\b",
        # giving one's name: whether a report can be anonymous
        "anonymous": r"\b(?:anonym\w*|anonim\w*|(?:give|say|tell them) (?:my|your|a) name"
        r"|without (?:giving )?(?:my|a|your) name|(?:dar|decir) (?:mi|su|tu) nombre"
        r"|sin (?:dar |decir )?(?:mi |su |tu )?nombre|identify myself|identificarme"
        r"|(?:need|want|ask for|take|know) (?:my|your) name|(?:necesitan|piden|quieren|saben) (?:mi|su|tu) nombre)\b",
        # paying for sex is the offence, not a cost
        "cost": r"\b(?:free|cost|costs|pay(?! (?:for|someone for|a \w+ for) sex)|price|insurance|afford|gratis|cuesta"
        r"|costo|pagar(?! por sexo)|seguro medico"
        # not money offered for sex in a story ("lo arrestaron por ofrecerle dinero a una mujer")
        r"|(?<!ofrecerle )(?<!ofrecer )(?<!ofrecio )(?<!ofrece )(?<!ofreciendole )(?<!le dio )(?<!darle )dinero"
        r"|cobran?(?! por (?:sexo|una|un|media|el rato))|cobrar"
        r"|(?:is there|any) (?:a )?(?:fee|charge)|charge (?:anything|money|a fee))\b",
        # who a service is for, by age ("what age do you have to be for the ACTION line")
        "age": rf"\b(?:what age|{HOW_OLD_MUST}\w+(?: \w+)? (?:have to |need to |got to )?be"
        r"|minimum age|age limit|age requirement|(?:que|q) edad(?:es)?"
        r"|(?:cuantos|cuantas) anos (?:hay que|tengo que|tiene que"
        r"|debo|necesito|necesita|hace falta) tener|edad minima|limite de edad|solo (?:para|pa) (?:adultos|mayores"
        r"|jovenes|menores)|only for (?:adults|grown ?ups|teens|kids|minors|young people))\b",
        "language": r"\b(?:spanish|espanol|language|languages|idioma|idiomas|ingles|english)\b",
        "web": r"\b(?:website|web site|webpage|url|pagina web|sitio web|pagina de internet|en la web)\b",
        # Opening hours only: "when" alone ("when should I call 911", "from when I was trafficked") is not.
        "hours": r"\b(?:(?<!many )(?<!cuantas )hours|24/7|weekends?|what time"
        r"|(?:only |still )?open (?:on|at|in|now|today|tonight|late|all"
        r"|year|24|every)|(?:is|are) (?:it|they|you|\w+) open|when (?:is|are|does|do) .{0,40}\bopen"
        r"|when can i (?:call|go|text)|closes|horario|(?<!caso esta )abiert[oa]s?|abren?|cierra|cierran"
        r"|a (?:que|q) horas?"
        r"|cuando (?:puedo (?:llamar|ir)|abren|cierra|cierran)"
        r"|(?:answer|pick up|open|call|text)\w* (?:at night|overnight|late at night|on (?:the )?weekends?)"
        r"|(?:contesta|contestan|atiende|atienden|llamar|abre|abren)\w* (?:de|en la|por la) (?:noche|madrugada)"
        # only in the daytime ("¿el 211 atiende nada más de día?", "is it only open during the day")
        r"|(?:contesta|atiende|abre)\w* (?:nada mas |solo |nomas |solamente )?(?:de|en el|por el) dia"
        r"|only (?:open |answer\w* )?(?:during|in) the day(?:time)?|daytime only|business hours"
        # "do they pick up at like 3am", "contestan a las 2 de la mañana"
        r"|(?:answer|pick up|open|call|text|contesta\w*|atiende\w*|llam\w*|abre\w*)\b[^.?!]{0,20}"
        r"\b(?:\d{1,2} ?(?:am|a\.m)|midnight|middle of the night|\d{1,2} de la (?:manana|madrugada|noche)"
        r"|medianoche|la madrugada))\b"
        # a day or a time and whether they answer then ("y si es domingo por la noche la linea de dcf contesta?")
        rf"|\b(?:{DAYS}|de noche|at night)\b[^.?!]{{0,50}}\b{ANSWERING}\b|\b{ANSWERING}\b[^.?!]{{0,30}}\b(?:{DAYS})\b",
        "police": r"\b(?:police|cops?|law enforcement|immigration|ice|policia|inmigracion|migra)\b",
        "next": r"\b(?:what happens (?:now|next|after)|what comes next|what(?:'s| is) next|what do i do now"
        r"|que (?:pasa|sigue|viene) (?:ahora|despues)|que sigue|y ahora que|que hago ahora)\b",
        "history": r"\b(?:history|why is|called|nickname|historia|por que (?:se llama|le dicen)|apodo"
        r"|se llamaba|(?:old|former|previous) name|nombre (?:anterior|de antes|viejo))\b",
    }.items()
}
CONTEXT_WORDS = 4  # a first question this short ("¿eso es misdemeanor?") is read with the statements before it
# ... and one this short that points back at them ("My boyfriend got charged with soliciting. Can you
# walk me through what that charge actually is, ...")
POINTS_BACK_WORDS = 7
POINTS_BACK = re.compile(r"\b(?:that|this|those|these|eso|esa|ese|esto|este|esos|esas)\b")  # not "esta": "está"
# A question after a comma ("her ex posted her pics on a sex site, what law is that"); the clause
# before it is a question only if it reads as one ("mi vecina es sorda, como hace ...?" asks once).
COMMA_QUESTION = re.compile(r",\s+(?=(?:what|how|where|who|which|whats|que|como|donde|quien|cual)\s)")
# Where a sentence turns to a second question: "... and what can happen", "y qué me pasa".
PART_BREAK = re.compile(
    r"\s(?:and|also|plus|but)\s+(?=(?:what|how|where|when|who|is|are|can|could|do|does|will|would|which|whats)\b)"
    r"|\s(?:y|tambien|ademas|pero)\s+(?=(?:que|como|donde|cuando|quien|cual|cuanto|cuanta|es|son|puedo|puede|hay"
    r"|me|se)\b)"
)
# A later part whose subject is the first part's ("what's the number for the state addiction line
# and do they pick up at like 3am": "they" is the line; "can I text it", "se le puede mandar texto",
# "y tienen otra oficina"). "do it" is not a place or a line ("if someone forced me to do it").
REFERS_BACK = re.compile(
    r"^[\s¿]*(?:(?:and|also|y)\s+)?(?:do|does|did|are|is|will|would|can|could)\s+(?:they|it|them|that|those)\b"
    r"|\b(?:them|that place|alli|ahi|alla)\b|\b(?:text|call|email|reach|contact|visit)\s+it\b|\bse\s+les?\b"
    r"|^[\s¿]*y\s+(?:tienen|pueden|atienden|abren|cobran|hablan|contestan|aceptan)\b"
)
SENTENCE_BREAK = re.compile(r"(?<=[?.!;])\s+|\n+")
QUESTION_START = re.compile(
    # not a clause that sets the time of a story ("When I was 19 a guy made me work for him.")
    r"^(?!when (?:i|we|he|she|they|my \w+) (?:was|were|had|got|turned|lived|left)\b"
    r"|cuando (?:yo )?(?:era|tenia|estaba|vivia|fui|llegue|me fui)\b)"
    r"(?:what|how|where|when|who|why|which|is|are|can|could|do|does|will|would|should|que|como|donde|cuando"
    r"|quien|cual|cuanto|cuanta|por que|es|puedo|puede|hay|necesito|i need|i want|tell me|dime|q"
    r"|(?:en|a|de|para|pa|con|desde|hasta) (?:que|q|cual|cuanto|cuanta|quien|donde))\b"
)
SMALL_TALK_PHRASES = """
    good morning|good afternoon|good evening|good night|good day|thank you|thank u|thanks|thx|tysm|ty
    |appreciate it|appreciate you|see you|see ya|goodbye|bye|hello|helo|hiya|hi|hey|yo|sup|howdy|greetings
    |ok|okay|k|cool|nice|great|got it|alright|who are you|what are you|are you a bot|are you a robot
    |are you real|are you human|are you a person|are you ai|are you an ai|what can you do|what can u do|what do you do
    |how does this work|how do you work|how are you|how are u|buenos dias|buenas tardes|buenas noches|buen dia
    |buenas|hola|saludos|que tal|muchas gracias|mil gracias|gracias|bendiciones|bendicion|dios te bendiga
    |adios|chao|chau|hasta luego|nos vemos|vale|esta bien|quien eres|que eres|eres un robot|eres robot
    |eres un bot|eres una persona|eres humano|que puedes hacer|que sabes hacer|como funciona|como funcionas
    |como estas|como esta usted|there|again|so much|very much|a lot|mija|mijo|papi|mami|amigo|amiga|senor
    |senora|please|pls|por favor|that helped|that really helped|it helped|you helped|helpful|today|tonight
    |who made you|who built you|are you a real person|do you speak spanish|do you speak english|do u speak spanish
    |can i write in spanish|hablas espanol|hablas ingles|habla espanol|habla ingles|me ayudaste|me ayudo|de verdad
    |eres una persona de verdad|tu|tambien|mucho|really|so|u|you|too|a real person|real|me|ok gracias
    |what is this|what is this app|what is this site|what is this page|whats this|is anyone there|anyone there
    |are you there|what kinds of questions can i ask|what kind of questions can i ask|what can i ask
    |can i ask you a question|can i ask a question|sorry|my bad|wrong chat|never mind|nevermind|wepa|disculpa
    |disculpe|perdon|perdona|perdone|escribi mal|me equivoque|que es esta aplicacion|que es esta pagina
    |que es esta app|hay alguien ahi|alguien ahi|te puedo hacer una pregunta|puedo hacer una pregunta
    |quien te hizo|quien te creo|que tipo de preguntas te puedo hacer|que tipo de preguntas puedo hacer
    |que preguntas puedo hacer|here|ahi|aqui|si es pregunta tonta|if this is a dumb question
    |what kind of stuff|what kinds of stuff|what sort of stuff|what kind of things|what kinds of things
    |what sort of things|what kind of help|what topics|can you help me with|can you help with|can u help me with
    |what can you help me with|what can you help with|what do you help with|what do you help people with
    |en que me puedes ayudar|con que me puedes ayudar|en que puedes ayudarme|en que me ayudas|que cosas sabes
    |que tipo de cosas|que clase de cosas|me puedes ayudar con|que temas|de que temas
    |you're useless|youre useless|you are useless|useless|this is useless|waste of my time|waste of time|honestly
    |this is useful|so useful|very useful|useful|awesome|perfect|no sirves pa na|no sirves para nada|no sirves
    |no sirve pa na|no sirve para nada|perdedera de tiempo|perdida de tiempo|que chevere|chevere|esto si es util
    |muy util|util|wepa dimelo|dimelo|ta bien|lo voy a pensar|i'll think about it|ill think about it|thanks anyway
    |gracias de todos modos|mi amor|un monton|klk|te felicito|que bien contestas|contestas bien|de verdad
    |do i just type|do i just type my question|do i type my question|type my question here|do i just ask
    |how do i use this|how do i use you|how do i use this app|como se usa esto|como te uso|escribo aqui la pregunta
    |escribo mi pregunta aqui|que cosas puedes hacer|q cosas puedes hacer|who runs this|who runs this site
    |who runs this app|who is behind this|quien maneja esta pagina|quien maneja esto|quien esta detras de esto
    |que lo que
    |for the help|for your help|for all the help|for helping|for helping me|por la ayuda|por tu ayuda|por su ayuda
    |perdedera de tiempo contigo|esto|this|is|es|si|a"""
# Longest phrases first, so "buenas tardes" is removed whole before "buenas".
SMALL_TALK = re.compile(
    r"\b(?:"
    + "|".join(sorted((p.strip() for p in SMALL_TALK_PHRASES.split("|")), key=len, reverse=True))
    + r")\b"
)


@dataclass
class Question:
    """What the pipeline needs to know about a message."""

    search: str  # the text to search with (the question, condensed when the message is long)
    parts: list[str] = field(default_factory=list)
    shortened: bool = False
    focus: str = ""  # a story's one question sentence, when it says enough on its own
    private: bool = False  # it also asked whether this chat is private (that clause is not searched)
    compared: bool = False  # its parts are the two sides of a comparison ("988 or 911?")


def focus(text: str) -> str:
    """The question sentence of a message that tells a story around one question ("the kids next
    door are always home alone. can i call dcf without giving my name?"), when that sentence
    names its subject (at least CONTEXT_WORDS content words): its headings are matched too, so
    the story does not outweigh what is asked. "" for a bare question or several questions."""
    sentences = [s.strip() for s in SENTENCE_BREAK.split(fold(text)) if s.strip()]
    asked = [s for s in sentences if is_question(s)]
    if len(sentences) < 2 or len(asked) != 1 or len(content_words(asked[0])) < CONTEXT_WORDS:
        return ""
    return asked[0]


OPEN_QUESTION = re.compile(
    r"^(?:(?:so|ok|okay|and|but|hey|hi|hello|y|pero|oye|hola|bueno)\b[\s,]*)*"
    r"(?:what|where|when|who|whom|whose|why|which|how|que|q|donde|adonde|dnd|cuando|quien|quienes|cual|cuales"
    r"|cuanto|cuanta|cuantos|cuantas|como|por que|porque|a que|en que|de que|para que|pa que|a quien|con quien)\b"
)

# "at what age is it class A?", "menor de que edad ... ya es clase A?": a question word after a
# preposition asks "which", not yes or no.
ASKS_WHICH = re.compile(
    r"\b(?:at|under|over|by|in|on|from|until|after|before|for|since)\s+(?:what|which|how many)\b"
    r"|\bhow (?:much|many|long|old)\b"
    r"|\b(?:a|de|en|desde|hasta|por|para|con|bajo)\s+(?:que|cual|cuales|cuant[oa]s?)\s+(?:edad|hora|horas|ano|anos"
    r"|dia|dias|mes|meses|clase|tipo|numero|pena|cantidad)\b"
)


# A question about a place's facts (its population, founding, mayor), with the place it
# names: the documents hold these facts for Willimantic and Windham only.
PLACE_FACT = re.compile(
    r"\b(?:population|how many (?:people|residents|persons)(?: live| are there| living)?|founded|incorporated"
    r"|mayor|cuanta gente(?: vive| hay)?|cuantas personas(?: viven| hay)?|cuantos habitantes(?: tiene| hay)?"
    r"|poblacion|fundad[oa]|alcalde)\b(?! de edad)"  # "mayor de edad" is being of age
    r"[^?.!]{0,12}?\b(?:of|in|de|en|del|tiene)\s+(?P<place>[a-z][a-z .'-]{1,40})"
)
LOCAL_PLACES = re.compile(
    r"^(?:the |this |that |my |our |el |la |este |esta |mi |nuestro |nuestra |aqui|here|pueblo|town|city|ciudad|county"
    r"|condado|area|zona)|willi|windham|connecticut|\bct\b|\bconn\b|thread city|ciudad del hilo|eastern c"
    r"|northeast c|noreste"
)


def other_place(text: str) -> bool:
    """A question about the facts of a place other than Willimantic and Windham ("what's the
    population of New Haven?"): the documents do not have them."""
    match = PLACE_FACT.search(fold(text))
    return match is not None and not LOCAL_PLACES.search(match.group("place").strip())


# Everyday topics no document covers (weather, math homework, jobs, recipes, restaurants, phones,
# taxes, trash, sports): with no strong section match, such a message is off topic. ("Homework"
# alone is not one: "pa la tarea de mi hijo: ¿en qué año se fundó Windham?" is in scope.)
EVERYDAY_TOPIC = re.compile(
    r"\b(?:weather|forecast|va a (?:nevar|llover)|pronostico|algebra|math problem|matematicas"
    r"|essay|ensayo|hiring|contratando|job opening|cogiendo gente|busco trabajo"
    r"|necesito trabajo|recipe|receta de cocina|restaurants?|restaurante|comida (?:mexicana|china|buena)"
    r"|buena comida|pizza|pupusas|sneakers|tenis|charger|cargador|no (?:me )?carga|won'?t charge|taxes|impuestos"
    r"|trash pickup|garbage|basura|football|soccer|futbol|baseball|beisbol|score|carta de renuncia|resume"
    r"|exchange rate|tipo de cambio|dolar|pesos mexicanos|chamba|empleo|job fair|movies?|peliculas?|netflix|cheap tv"
    r"|televisor|laptop|iphone|wifi password|horoscopes?|horoscopo|lottery|loteria|powerball|red sox|yankees|patriots"
    r"|celtics|knicks|nba|nfl|world cup|mundial|gas prices|precio de la gasolina|oil change|cambio de aceite"
    r"|mechanic|mecanico|plumber|plomero|haircut|barberia|recortarme|pasteles|pernil|coquito|arroz con gandules"
    r"|yautia|how (?:do (?:i|you) )?(?:to )?(?:cook|bake)|como se (?:cocina|hace (?:la masa|el arroz|el pernil)))\b"
)


# A basic need the documents cover: a message naming one is in scope even when it also names an
# everyday topic ("perdí el empleo y no tengo comida pa mis hijos").
BASIC_NEEDS = re.compile(
    r"\b(?:sleep|dormir|duermo|shelter|albergue|refugio|homeless|sin hogar|place to stay|donde quedarme|evict\w*"
    r"|desalo\w*|housing|vivienda|rent|renta|alquiler|(?<!good )food"
    r"|(?<!buena )comida(?! (?:mexicana|china|italiana|buena))|hungry|hambre|heat|calefaccion|lights? (?:off|cut)"
    r"|help|ayuda)\b"
)


# What police may do in a stop, a search or questioning: no document covers it (the vetted facts
# do not), so such a question gets an honest "not verified" and a lawyer, never a nearby section.
POWERS = (
    r"\b(?:lie|search|stop me|ask for my|make me|keep my|hold me|take my|look through|check my|go through|question"
    r"|detain|record)\b"
)
POLICE_POWERS = re.compile(
    r"\b(?:can|could|are|do|does|will) (?:the )?(?:cops?|police|officers?|an officer)\b[^?.!]{0,30}" + POWERS
    # "they" only when the police are named ("will they ask for my name" at a hotline is not a stop)
    + r"|^(?=.*\b(?:cops?|police|officers?|pulled over|traffic stop)\b).*\b(?:can|could|are|do|does|will) they\b"
    r"[^?.!]{0,30}" + POWERS
    + r"|\b(?:(?:do |does )?(?:i|we|you|u) (?:have|need) to|tengo que|tenemos que|debo) (?:answer|talk to|show|tell|let"
    r"|contestar|hablar con|mostrar|dejar)\b"
    r"[^?.!]{0,40}\b(?:police|cops?|officer|policia|oficial)\b"
    r"|\b(?:police|cops?|officer|policia|oficial)\b[^?.!]{0,40}\b(?:do i have to|tengo que) (?:answer|talk|show|tell"
    r"|contestar|hablar|mostrar|dejar)\b"
    r"|\bpolicia (?:me |te |lo |la |nos )?(?:puede|pueden|podria) (?:revisar|registrar|mentir|detener|quitar|obligar"
    r"|pedir|grabar)\b"
)

# A belief that something is now legal, stated before a question ("since selling sex is legal in CT
# now, can the police still stop me?"): the law is what to answer, not what the police may do.
LEGAL_BELIEF = re.compile(
    r"\b(?:since|now that|cause|because|ya que|como ya|como ahora|ahora que|si ya)\b[^?.!]{0,40}"
    r"\b(?:is|es|esta|are|son|became|se hizo) (?:now |ahora |ya )?"
    r"(?:legal|decriminali[sz]ed|despenalizad[oa]s?|allowed|permitid[oa]s?)\b"
)

# The services and places the documents describe by name: a message naming one is in scope.
SERVICE_NAMES = re.compile(
    r"\b(?:covenant(?: soup kitchen)?|project hope|no freeze|access (?:community action|agency)|safe connect|dcf"
    r"|careline|statewide legal|polaris|action line|access line|dmhas|poison control|2-1-1|211|988"
    r"|trafficking hotline|linea (?:contra la|de) trata)\b"
)


def mentions(pattern: re.Pattern[str], text: str) -> bool:
    """The message, folded, matches one of the word lists above (EVERYDAY_TOPIC, POLICE_POWERS ...)."""
    return bool(pattern.search(fold(text)))


# The start of a clause that asks a yes/no question without a question mark ("can i get arrested").
YES_NO_START = re.compile(
    r"(?:can|could|is|are|am|do|does|did|will|would|should|may|was|were|have|has|puedo|puede|pueden|puedes"
    r"|es|son|esta|estan|hay|tengo|tiene|tienen|debo|se puede|me pueden|le pueden|lo pueden|la pueden)\b"
)


# A choice between two things ("is it open in the day or just for sleeping", "do i call 911 or
# 988"): no Yes or No answers it. "... or not?" is still a yes/no question, and so is "can I call
# or text ...?" (whether one may).
CHOICE = re.compile(
    r"^(?!(?:can|could|may|puedo|puede|pueden|puedes|se puede)\b).*"
    r"\b(?:or|o|u)\b(?! (?:not|no|nah|what|que|q|algo|something|anything|so|whatever)\b)\s+\w"
)


def _clauses(folded: str) -> list[str]:
    """A folded question cut at its punctuation, each piece without quotes around it."""
    return [c.strip(" \"'") for c in re.split(r"[,;:.¿?¡!]+", folded)]


def is_yes_no_question(text: str) -> bool:
    """A question a "Yes," or "No," can open the answer to ("can I ..."), not "what is ...", not a
    choice between two things and not a statement ("me quitaron los papeles")."""
    folded = fold(text)
    clauses = _clauses(folded)
    asks = "?" in folded or any(YES_NO_START.match(clause) for clause in clauses)
    choice = any(YES_NO_START.match(c) and CHOICE.search(c) for c in clauses)
    return asks and not choice and not any(OPEN_QUESTION.match(c) or ASKS_WHICH.search(c) for c in clauses)


def is_choice(text: str) -> bool:
    """A question that asks to choose between two things ("which do I call, 211 or the access line?")."""
    folded = fold(text)
    clauses = _clauses(folded)
    asks = "?" in folded or any(YES_NO_START.match(c) or OPEN_QUESTION.match(c) for c in clauses)
    return asks and any(CHOICE.search(c) for c in clauses if c)


# The police named only to rule them out ("she doesn't want cops involved", "a number that isn't the
# police", "no quiere policía"): the question does not ask about the police.
NOT_POLICE = re.compile(
    r"\b(?:(?:does ?n[o']?t|doesnt|don'?t|dont|won'?t|wont|never) (?:want|wanna|call|involve|trust) (?:to )?"
    r"(?:call |involve |get )?(?:any |the )?(?:police|cops?)(?: involved)?"
    r"|(?:that|which|who|but) (?:isn'?t|is not|aren'?t|are not|'?s not) (?:the )?(?:police|cops?)"
    r"|without (?:the )?(?:police|cops?)|no (?:police|cops)"
    r"|no (?:quiere|quiero|queremos|quieren|quiera) (?:llamar a |meter a |involucrar a |a )?(?:la )?(?:policia|jara)"
    r"|sin (?:la )?policia|no (?:con|a) la policia|(?:que )?no (?:sea|es) (?:la )?policia)\b"
)


def without_police_ruled_out(folded: str) -> str:
    return NOT_POLICE.sub(" ", folded)


def answer_types(text: str) -> frozenset[str]:
    """The kinds of answer a question (or a heading) is about."""
    folded = without_police_ruled_out(fold(text))
    types = frozenset(name for name, pattern in ANSWER_TYPES.items() if pattern.search(folded))
    return types - {"police"} if LEGAL_BELIEF.search(folded) else types  # the law is what is asked


# Two things a question may name one of: a section whose heading names only the other one answers
# another question ("un class B felony" is not "the penalty for a class A misdemeanor"; a line
# "en inglés" is not the line "en español").
Contrast = tuple[re.Pattern[str], re.Pattern[str]]
CONTRASTS: tuple[Contrast, ...] = (
    (re.compile(r"\bfelon\w*|\bdelitos? graves?\b"), re.compile(r"\bmisdemeanou?rs?\b|\bdelitos? menor(?:es)?\b")),
    (re.compile(r"\benglish\b|\bingles\b"), re.compile(r"\bspanish\b|\bespanol\b")),
    # the law's two age bands ("a 14 year old" reads as under 15, see age_words)
    (re.compile(r"\bunder 15\b|\bmen(?:or|os) de 15\b"), re.compile(r"\bunder 18\b|\bmen(?:or|os) de 18\b")),
    # the place asked about: the city, or the town or county around it ("how many people live in willimantic")
    (
        re.compile(r"\bwillimantic\b"),
        re.compile(r"\b(?:town of windham|pueblo de windham|windham county|condado de windham)\b"),
    ),
    # the degree of a crime ("the statute number for promoting prostitution in the first degree")
    (
        re.compile(r"\bfirst[- ]degree\b|\b(?:1st|primer|primero) (?:degree|grado)\b"),
        re.compile(r"\b(?:second|third)[- ]degree\b|\b(?:2nd|3rd|segundo|tercer|tercero) (?:degree|grado)\b"),
    ),
    # paying for sex, or giving something other than money ("¿es delito pagar por sexo?" is not the
    # section "¿... aunque no se pague con dinero?")
    (
        re.compile(r"\b(?:pagar|paga|pagan|pagando|pay|pays|paying)\b(?! (?:con|with|in) )"),
        re.compile(r"\b(?:sin dinero|no se pague|no money|without money|no se paga|sin pagar)\b"),
    ),
    # "other convictions", "otros delitos", "other languages": a heading about the others (one-sided)
    (
        re.compile(
            r"\b(?:other|otr[oa]s?|besides|ademas de|aparte de|nothing else|nada mas que|only (?:works|applies|covers"
            r"|counts)|solo (?:sirve|aplica|cubre|cuenta))\b"
        ),
        re.compile(r"(?!)"),
    ),
)


# A side the question names only to rule it out ("she doesn't speak spanish", "no habla español").
NOT_A_SIDE = re.compile(
    r"\b(?:(?:does ?n[o']?t|doesnt|can ?n[o']?t|cant|don'?t|dont) (?:speak|talk|understand|read) (?:any |much )?"
    r"|no (?:habla|hablan|hablo|entiende|entienden|entiendo) (?:nada de |mucho |bien (?:el )?)?(?:el )?)"
    r"(?:spanish|english|espanol|ingles)\b"
)


def contrasts(text: str) -> tuple[Contrast, ...]:
    """(asked, other) for each contrast of which the question names one side only (a side it
    rules out, "no habla español", is not named)."""
    folded = NOT_A_SIDE.sub(" ", fold(text))
    found = []
    for one, other in CONTRASTS:
        if bool(one.search(folded)) != bool(other.search(folded)):
            found.append((one, other) if one.search(folded) else (other, one))
    return tuple(found)


# An age a question gives ("a 14 year old", "the girl is 16", "una nena de 13 años"): the law
# differs under 15 and under 18. Not a span of time ("hace 12 años", "de 1 a 20 años").
AGES = (
    re.compile(r"\b(\d{1,2})[- ]?(?:years?[- ]old|yrs?(?:[- ]old)?|yo|y/o)\b"),
    re.compile(r"\b(?:is|shes|hes|turned|aged?|only|just)\s+(\d{1,2})\b(?![-/]|\s*(?:days?|weeks?|months?|years?|hours?|min\w*|dollars?|%|am|pm)\b)"),
    re.compile(r"\b(?:de|tiene|tenga|con)\s+(?:solo\s+|como\s+)?(\d{1,2})\b(?![-/]|\s+a\s+\d|\s*(?:dias|meses|semanas|horas|min\w*|dolares|%)\b)"),
    # the writer's own age ("if I'm 17 and get caught", "si tengo 16 y me agarran")
    re.compile(
        r"\b(?:i'?m|i m|i am)\s+(?:only\s+|just\s+)?(\d{1,2})\b"
        r"(?![-/]|\s*(?:days?|weeks?|months?|years?|hours?|min\w*|dollars?|%|am|pm|times?|x)\b)"
    ),
    re.compile(r"\btengo\s+(?:solo\s+|nomas\s+)?(\d{1,2})(?=\s+anos\b|\s*[,.?!]|\s+y\b|$)"),
)
# "under 15" is 14 at most
UNDER_AGE = re.compile(r"\b(?:under|younger than|below|menor(?:es)? de|menos de)\s+(\d{1,2})\b")
AGE_WORDS = {("en", True): "minor under 15", ("en", False): "minor under 18",
             ("es", True): "menor de 15", ("es", False): "menor de 18"}  # fmt: skip


# The age from which the law treats someone as an adult, asked ("a qué edad ya no te pueden acusar de
# prostitución?", "at what age can you be charged"): the answer is the minors' section (under 18).
AGE_OF_LAW = re.compile(
    r"\b(?:a (?:que|q) edad|(?:desde|a partir de) (?:que|q) edad|at what age|what age|how old)\b[^?]{0,60}"
    r"\b(?:charged|arrested|convicted|prosecuted|acusar\w*|acusan|arrest\w*|conden\w*|cargos?|prostitu\w*)\b"
)


def age_words(text: str, language: str) -> str:
    """Words for the youngest age of a minor the question gives (5 to 17), or ""; the minors' band
    when it asks from what age the law applies."""
    folded, band = fold(text), "es" if language == "es" else "en"
    if AGE_OF_LAW.search(folded):
        return AGE_WORDS[(band, False)]
    ages = [int(m.group(1)) for pattern in AGES for m in pattern.finditer(folded)]
    ages += [int(m.group(1)) - 1 for m in UNDER_AGE.finditer(folded)]
    minors = [age for age in ages if 5 <= age <= 17]
    return AGE_WORDS[(band, min(minors) < 15)] if minors else ""


# A question about whether this chat is private ("do you store what i type", "guardan lo que
# escribo?"): it gets the privacy reply, not a greeting or an off-topic line.
PRIVACY_QUESTION = re.compile(
    r"\b(?:is (?:this|it|the chat|this chat) (?:private|confidential|anonymous|secret|recorded|monitored)"
    r"|(?:do|does|will|can|could) (?:you|u|this|anyone|someone|(?:the )?(?:police|cops))"
    r" (?:store|save|keep|record|log|track|see|read|share)"
    r"\b[^?.!]{0,20}\b(?:what i (?:type|write|say)|my (?:messages?|chats?|questions?|info|name)|this|it|that)"
    r"|(?:are|is) my (?:messages?|chats?|questions?) (?:saved|stored|private|recorded|kept)"
    r"|(?:^(?:es |esto es )|\b(?:esto|este chat|esta pagina|esta conversacion|aqui) (?:es )?)"
    r"(?:privad[oa]|confidencial|anonim[oa]|secret[oa])"
    r"|(?:guardan|guardas|graban|grabas|ven|leen|comparten)"
    r" (?:lo que (?:escribo|pregunto|digo)|mis (?:mensajes|preguntas|datos))"
    r"|(?:queda|se queda|se guarda) (?:guardado|grabado|registrado)?\s*(?:lo que escribo|esto|mi nombre)"
    r"|alguien (?:ve|lee|puede ver|puede leer) (?:esto|lo que escribo))"
)


def _privacy_clause(text: str) -> tuple[bool, str]:
    """(whether the text asks whether this chat is private, the folded text without that clause)."""
    folded = fold(text)
    match = PRIVACY_QUESTION.search(folded)
    if match is None:
        return False, folded
    return True, folded[: match.start()] + " " + folded[match.end() :]


def is_privacy_question(text: str) -> bool:
    """A message that asks whether this chat is private, and nothing else ("is this private? my
    boyfriend hits me" asks more: it is answered as that)."""
    asked, rest = _privacy_clause(text)
    return asked and len(content_words(rest)) <= 1


def is_small_talk(text: str) -> bool:
    """A greeting, thanks, goodbye or "who are you", with nothing else asked."""
    folded = fold(text)
    if not folded.strip() or len(folded) > 80:
        return False
    rest = SMALL_TALK.sub(" ", folded)
    return len(re.findall(r"[a-z0-9]+", rest)) == 0 and bool(SMALL_TALK.search(folded))


def condense(message: str, limit: int) -> tuple[str, bool]:
    """The question of a message: a long message keeps its question sentences and its end.

    Returns the text to work with and whether it was shortened. The last question is never lost.
    """
    if len(message) <= SEARCH_CHARS:
        return message, False
    sentences = list(split_sentences(message.replace("\n", " "))) or [message]
    keep = [s for s in sentences if s.rstrip().endswith("?") or QUESTION_START.match(fold(s.strip()))]
    keep = _in_order([*keep[-3:], *sentences[-2:]], sentences)
    text = " ".join(keep)
    if len(text) > SEARCH_CHARS:
        text = text[-SEARCH_CHARS:]
        text = text[text.find(" ") + 1 :]
    return text, len(message) > limit


def _in_order(chosen: list[str], order: list[str]) -> list[str]:
    wanted = set(chosen)
    return [s for s in order if s in wanted]


def is_question(piece: str) -> bool:
    return piece.rstrip().endswith("?") or bool(QUESTION_START.match(piece.strip(" ¿¡,")))


# Inside a sentence that ends with a full stop, a piece after "and" or "y" ("I sleep in my truck and
# do day labor.", "me dijo que la violaron y que quiere hablar con alguien.") or a clause after a
# comma that starts with "que", "como" or "cuando" is part of the statement, not a question: the
# accent that would make it one ("qué") is gone once folded.
SUBORDINATE = re.compile(r"(?:que|q|como|cuando|donde)\s")
GOES_ON = re.compile(r"^(?:and|also|plus|y|tambien|ademas)\s+\w+")


def goes_on(piece: str) -> bool:
    """The piece starts with "and" or "y" and goes on from the one before it."""
    return bool(GOES_ON.match(piece.strip(" ¿¡,")))


# A question that only asks for the order of the steps ("what do I do first and what comes after",
# "¿qué viene después?", "step by step") is not searched on its own: it has no subject, and its
# words ("first", "después") find the detox or after-arrest sections. The question it follows is
# the one answered.
WALK_THROUGH = re.compile(
    r"\b(?:(?:can|could|would) you|(?:give|walk|take|tell) (?:me|us)(?: through)?(?: (?:the|your) (?:process|steps))?"
    r"|step by step|paso (?:a|por) paso|(?:and|y|then|luego|first|primero|after that|despues de eso)"
    r"|what (?:do|should|would|will|must) (?:i|we|you|she|he|they) (?:do|have to do) (?:first|next|after(?:wards)?)"
    r"|what (?:i|we|you|she|he|they) (?:do|should do) (?:first|next)"
    r"|what (?:comes|happens|is) (?:first|next|after(?:wards)?|then)"
    r"|q(?:ue)? (?:tengo|tiene|tienen|tenemos|debo|debe|hay) que hacer (?:primero|despues|luego)"
    r"|q(?:ue)? (?:viene|pasa|sigue|sucede|hago|hace) (?:primero|despues|luego|ahora)"
    r"|(?:the|el) (?:process|proceso))\b"
)


CONDITION_FIRST = re.compile(r"^[\s¿]*(?:if|when|si|cuando)\s[^,]*,")


def only_walk_through(piece: str) -> bool:
    """The piece asks only for the order of the steps ("if I text them, what happens next?"), about
    nothing named in it."""
    asked = CONDITION_FIRST.sub(" ", fold(piece))
    return WALK_THROUGH.search(asked) is not None and not content_words(WALK_THROUGH.sub(" ", asked))


# A message dictated to a phone has no punctuation ("i got arrested last week what happens at my
# court date is there like a program so it dont go on my record"): it is cut before the words that
# start a question, unless they follow "I don't know", "tell me", "if" ... (a question inside a clause).
RUN_ON_BREAK = re.compile(
    r"(?<=\w)(?<!\bknow)(?<!\bsure)(?<!\bme)(?<!\bif)(?<!\bsi)(?<!\bse)(?<!\bsabe)(?<!\bsaber)(?<!\bwonder)"
    r"(?<!\bask)(?<!\bwhether)(?<!\bque)(?<!\bq)\s+"
    r"(?=(?:what happens|what do i|what should i|is there|are there|can i|do i|how do i|how can i|where can i"
    r"|where do i|who do i|que pasa|hay (?:algun|alguna|algo)|donde (?:puedo|consigo|hay)|como (?:puedo|hago)"
    r"|a quien (?:llamo|le)|tengo que)\b)"
)
RUN_ON_WORDS = 10  # a message at least this long with no punctuation at all
RUN_ON_PIECE = 3  # ... is cut only into pieces of at least this many words


def punctuated(folded: str) -> str:
    """A dictated message with a full stop or a question mark at the end of each piece."""
    if re.search(r"[?.!;,¿]", folded) or len(folded.split()) < RUN_ON_WORDS:
        return folded
    pieces: list[str] = []
    for piece in RUN_ON_BREAK.split(folded.strip()):
        if pieces and len(piece.split()) < RUN_ON_PIECE:
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    if len(pieces) < 2:
        return folded
    return " ".join(p + ("?" if is_question(p) else ".") for p in pieces)


def split_parts(text: str, limit: int = 3) -> list[str]:
    """The separate questions of a message ("is it a crime, and what can happen?").

    Statements around them are context, not questions. A short part ("what can happen") takes
    the subject of the first part, so it can be searched on its own.
    """
    folded = punctuated(fold(text))
    pieces: list[str] = []
    told: set[int] = set()  # pieces inside a statement ("me dijo que la violaron y que quiere hablar ...")
    for sentence in SENTENCE_BREAK.split(folded):
        clauses = COMMA_QUESTION.split(sentence)
        stated = sentence.rstrip().endswith((".", "!"))
        for n, clause in enumerate(clauses):
            asks = sentence.rstrip().endswith("?") and n == len(clauses) - 1
            split = [p.strip(" ,") for p in PART_BREAK.split(clause) if p.strip(" ,")]
            # the question mark asks the last piece, and an earlier one only if it reads as a
            # question ("me arrestaron ... hace 10 años y me obligaban, puedo borrar eso?" asks once)
            last = len(split) - 1
            for i, p in enumerate(split):
                asked = asks and (i == last or is_question(p.rsplit(":", 1)[-1]))  # "pa la tarea: en q año ..."
                if stated and (i or (n and SUBORDINATE.match(p))):
                    told.add(len(pieces))
                pieces.append(p + "?" if asked and not p.endswith("?") else p)
    # "... contesta de noche? y hablan español": a piece that goes on from a question asks too
    questions = [
        p
        for i, p in enumerate(pieces)
        if i not in told and (is_question(p) or (i and goes_on(p) and is_question(pieces[i - 1])))
    ]
    questions = _with_conditions(questions)
    questions = [p for p in questions if not only_walk_through(p)] or questions
    if len(questions) < 2:
        return [folded]
    parts: list[str] = []
    for piece in questions[-limit:]:
        words = len(content_words(piece))
        if not parts and (words < CONTEXT_WORDS or (words < POINTS_BACK_WORDS and POINTS_BACK.search(piece))):
            piece = " ".join([*pieces[: pieces.index(piece)][-2:], piece])  # "eso" is in the story before it
        elif parts and (words < 3 or (REFERS_BACK.search(piece) and words < 5)):
            piece = f"{subject(parts[0])} {piece}"
        parts.append(piece)
    return parts


# A question that compares two things ("a class A misdemeanor or a class D felony", "53a-82 vs
# 53a-83", "la diferencia entre la línea de agresión sexual y la de violencia doméstica"): each side
# is searched as a part of its own, with the rest of the question, so the answer gives both.
BETWEEN = re.compile(
    r"\b(?:difference|differences|diferencia|diferencias|different|distinto|distinta)\s+(?:is there\s+|hay\s+)?"
    r"(?:between|entre)\s+(?P<x>[^,;:.?!]+?)\s+(?P<join>and|y|e)\s+(?P<y>[^,;:.?!]+)"
    r"|\b(?:es|son) (?:lo mismo|igual(?:es)?)\s+(?P<x2>[^,;:.?!]+?)\s+(?:que)\s+(?P<y2>[^,;:.?!]+)"
)
VERSUS = re.compile(r"\s(?:vs\.?|versus)\s")
OR = re.compile(r"\s(?:or|o|u)\s")
# "or" compares only in a sentence that asks which is more, worse, bigger ... ("who gets charged worse,
# the guy paying or the guy running her"), not "is it a town of its own or part of Windham?".
COMPARING = re.compile(
    r"\b(?:worse|better|more|less|bigger|smaller|larger|harsher|stricter|longer|higher|peor|mejor|mas|menos|mayor"
    r"|grave|graves|diferencia|difference|different)\b"
)
SIDE_END = re.compile(r"\s(?:for|if|when|because|since|para|pa|si|cuando|porque)\s")
SIDE_WORDS = 6


def compared(text: str) -> list[str]:
    """The question once for each side of a comparison it makes, or [] when it makes none."""
    folded = fold(text).strip()
    if not (between := BETWEEN.search(folded)):
        joiner = VERSUS.search(folded) or next((m for m in OR.finditer(folded) if _choice_at(folded, m)), None)
        return _both_sides(folded, joiner) if joiner else []
    x, y = ("x", "y") if between["x"] else ("x2", "y2")
    y_end = between.start(y) + len(_side(between[y]))
    return [folded[: between.end(x)] + folded[y_end:], folded[: between.start(x)] + folded[between.start(y) :]]


def _clause_start(folded: str, end: int) -> int:
    """Where the clause that `end` is in begins: after the last punctuation mark before it."""
    return max(folded.rfind(p, 0, end) for p in ",;:.?!¿") + 1


def _choice_at(folded: str, joiner: re.Match[str]) -> bool:
    """Whether the "or" at `joiner` joins two choices (not "or not", not "can I call or text")."""
    start = _clause_start(folded, joiner.start())
    sentence = SENTENCE_BREAK.split(folded[: joiner.start()])[-1]
    return is_choice(folded) and bool(CHOICE.search(folded[start:].strip())) and bool(COMPARING.search(sentence))


def _side(after: str) -> str:
    """The words of the second side: to the end of its clause, or before "for", "if" ...; a few at most."""
    after = re.split(r"[,;:.?!]", after, maxsplit=1)[0]
    after = SIDE_END.split(f" {after} ", maxsplit=1)[0].strip()
    return " ".join(after.split()[:SIDE_WORDS])


def _both_sides(folded: str, joiner: re.Match[str]) -> list[str]:
    """[the question without the second side, the question without the first]: the first side is
    as many words before the joiner as the second has after it, within its clause."""
    second = _side(folded[joiner.end() :])
    clause_start = _clause_start(folded, joiner.start())
    before = folded[clause_start : joiner.start()].split()
    first = before[-max(len(second.split()), 1) :] if second else []
    if not first or not second:
        return []
    first_start = folded.rindex(" ".join(first), clause_start, joiner.start() + 1)
    second_end = joiner.end() + folded[joiner.end() :].index(second) + len(second)
    return [folded[: joiner.start()] + folded[second_end:], folded[:first_start] + folded[joiner.end() :]]


# "What if I don't have a car? Can the line help me get to detox?": a question that only sets a
# condition is part of the question after it, not a question of its own.
CONDITION = re.compile(
    r"^[\s¿]*(?:what if|and if|y si|(?:que|q) (?:pasa|tal) si|what about if|(?:y )?en caso de que)\b"
)


def _with_conditions(questions: list[str]) -> list[str]:
    """The questions, each condition joined to the question after it."""
    joined: list[str] = []
    condition = ""  # a condition waiting for its question
    for piece in questions:
        if condition:
            joined.append(f"{condition} {piece}")
            condition = ""
        elif CONDITION.match(piece):
            condition = piece
        else:
            joined.append(piece)
    return joined + [condition] if condition else joined


def subject(question: str) -> str:
    """The topic words of a question, without the words that say what kind of answer it wants
    ("is it a crime to sell sex here" -> "sell sex here")."""
    for pattern in ANSWER_TYPES.values():
        question = pattern.sub(" ", question)
    return " ".join(content_words(question))


# Numbers typed by voice ("two one one", "el nueve uno uno"): the documents write them in digits.
SPOKEN_NUMBERS = {
    "211": r"(?:two|dos)[ -](?:one|uno)[ -](?:one|uno)",
    "911": r"(?:nine|nueve)[ -](?:one|uno)[ -](?:one|uno)",
    "988": r"(?:nine|nueve)[ -](?:eight|ocho)[ -](?:eight|ocho)",
}
SPOKEN_NUMBER = re.compile(r"\b(?:" + "|".join(f"(?P<n{k}>{v})" for k, v in SPOKEN_NUMBERS.items()) + r")\b", re.I)


def in_digits(text: str) -> str:
    """The message with voice-typed service numbers in digits ("two one one" -> "211")."""
    return SPOKEN_NUMBER.sub(lambda m: str(m.lastgroup)[1:], text)


def without_privacy_clause(text: str) -> str:
    """The message without its "is this private?" clause, when it asks something more ("esto es
    privado? y donde consigo narcan" searches "donde consigo narcan"); else "" ."""
    asked, rest = _privacy_clause(text)
    if not asked or len(content_words(rest)) <= 1:
        return ""
    return re.sub(r"^[\s?!,.;:]*(?:(?:and|also|but|y|tambien|pero)\b)?[\s,]*", "", rest.strip())


# "I'm a nurse at a clinic. A patient says her partner hits her; what number do I give her?": a
# first sentence that only says who is writing is not what is asked. Its words ("clinic", "church",
# "taxi") would send the search to the wrong page, so it is left out, unless the role is part of
# the question: a hotel or motel worker, or a role that must report abuse, asking about reporting.
ROLE_NOUNS = (
    r"teacher|nurse|coach|landlord|landlady|pastor|priest|minister|bus driver|driver|counselor|counsellor"
    r"|social worker|manager|clerk|cashier|bartender|doctor|therapist|principal|librarian|employer|case manager"
    r"|youth worker|owner|business owner|store owner|cook|chef|volunteer|mechanic|barber|hairdresser|stylist"
    r"|server|waitress|waiter|security guard|paramedic|emt|firefighter|student|reporter|journalist"
)
ROLE_NOUNS_ES = (
    r"dueno|duena|maestr[oa]|enfermer[oa]|entrenador[a]?|pastor[a]?|cura|chofer|consejer[oa]|trabajador[a]? social"
    r"|gerente|recepcionista|cajer[oa]|doctor[a]?|terapeuta|director[a]?|caser[oa]|empleador[a]?|cociner[oa]"
    r"|voluntari[oa]|estudiante|taxista|bartender|meser[oa]|barber[oa]|estilista|paramedic[oa]"
    r"|periodista|manejador[a]? de casos"
)
ROLE_INTRO = re.compile(
    r"(?:(?:hi|hello|hola|buenas|buenos dias)[\s,!]+)?(?:"
    rf"(?:i'?m|im|i am) (?:a|an) (?:\w+ )?(?:{ROLE_NOUNS})\b[^.!?;]*"
    rf"|(?:{ROLE_NOUNS}) here"
    r"|i work (?:in|at|for|as|on) [^.!?;]*|i (?:own|run|manage|drive) (?:a|an|the) [^.!?;]*|i drive for [^.!?;]*"
    rf"|soy (?:el |la |un |una )?(?:{ROLE_NOUNS_ES})\b[^.!?;]*"
    r"|trabajo (?:en|de|como|con|para) [^.!?;]*"
    r"|tengo (?:una|un) (?:compania|negocio|tienda|bodega|restaurante|salon|taller|empresa|barberia|colmado)[^.!?;]*"
    r"|manejo (?:un |una |el |la )?(?:taxi|uber|guagua|camion|bus|autobus)[^.!?;]*"
    r"|(?:cocino|dirijo|administro) [^.!?;]*"
    r")[.!;]?"
)
ROLE_WORDS = 9  # "I work in HR at a factory.": a role said alone; a longer sentence tells a story too
ROLE_ASKED = re.compile(
    r"\b(?:hotel|hotels|motel|motels|moteles|hoteles|motelito|front desk|recepcion|guest|guests|huespedes"
    r"|report\w*|denunci\w*|dcf|mandated|obligad[oa]s?|informante"
    r"|street|calle|sex|sexo|sexual|escort|corner|esquina|clients|clientes)\b"
)


def without_role(text: str) -> str:
    """The message without a first sentence that only says who is writing; "" when there is none."""
    sentences = [s for s in SENTENCE_BREAK.split(text.strip()) if s.strip()]
    if len(sentences) < 2 or len(sentences[0].split()) > ROLE_WORDS:
        return ""
    if not ROLE_INTRO.fullmatch(fold(sentences[0]).strip()) or ROLE_ASKED.search(fold(text)):
        return ""
    return " ".join(sentences[1:])


def understand(message: str, limit: int) -> Question:
    text, shortened = condense(in_digits(message), limit)
    rest = without_privacy_clause(text)
    text = without_role(rest or text) or rest or text
    parts = split_parts(text)
    sides = compared(text) if len(parts) == 1 else []
    focused = focus(text) if len(parts) == 1 and not sides else ""
    return Question(
        search=text, parts=sides or parts, shortened=shortened, focus=focused, private=bool(rest), compared=bool(sides)
    )
