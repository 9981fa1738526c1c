"""Question understanding: parts, answer kinds, small talk, long messages."""

from __future__ import annotations

import pytest

from assistant.compose import without_yes_no
from assistant.understand import (
    SEARCH_CHARS,
    age_words,
    answer_types,
    compared,
    condense,
    contrasts,
    is_small_talk,
    is_yes_no_question,
    only_walk_through,
    other_place,
    split_parts,
    subject,
    understand,
    without_role,
)
from assistant.words import content_words, fold


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("is it a crime to sell sex here and what can happen", 2),
        ("es ilegal vender sexo y cuanta carcel me dan?", 2),
        ("what is 988? how do I text it?", 2),
        ("Is there a time limit for a survivor to get a conviction vacated?", 1),
        ("I got arrested last year for prostitution. Can my record be cleared?", 1),
        ("where can i get narcan", 1),
        # a piece that goes on from a question ("... de noche? y hablan español") asks too
        ("la linea de trata contesta de noche? y hablan español o es solo ingles", 2),
        ("my friend got arrested last night. and i dont know what to do", 1),
    ],
)
def test_a_message_is_split_into_its_questions_only(question, parts):
    assert len(split_parts(question)) == parts


def test_a_short_second_part_takes_the_subject_of_the_first():
    first, second = split_parts("is it a crime to sell sex here and what can happen")
    assert "sell" in second and "sex" in second and "happen" in second
    assert answer_types(first) >= {"legal"} and "penalty" in answer_types(second)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("how much jail time for prostitution", "penalty"),
        ("is there a deadline to clear my record", "deadline"),
        ("hay fecha limite para borrar mi record", "deadline"),
        ("what's the number for safe connect", "contact"),
        ("es ilegal vender sexo", "legal"),
        ("where can I get narcan", "where"),
        ("cuánta cárcel me pueden dar", "penalty"),
        ("is the hotline the police?", "police"),
        ("what happens to a man caught paying for sex", "penalty"),
        ("my friend says they give you 2 years for prostitution in ct", "penalty"),  # a term someone heard
        ("en CT te pueden dar 5 años por prostitución?", "penalty"),
    ],
)
def test_answer_kinds_are_recognised_in_both_languages(text, kind):
    assert kind in answer_types(text)


@pytest.mark.parametrize(
    "text", ["mi hermano salio de la carcel y no tiene donde quedarse", "he just got out of jail and needs a bed"]
)
def test_a_past_stay_in_jail_does_not_ask_for_a_penalty(text):
    assert "penalty" not in answer_types(text)


def test_a_name_people_call_a_place_asks_for_no_phone_number():
    assert "contact" not in answer_types("is project hope the place people used to call the no freeze shelter")
    assert "contact" in answer_types("can i call them at night")


def test_a_relative_who_asks_for_no_person():
    assert "who" not in answer_types("what happens legally to an adult who pays a 17 year old for sex")
    assert "who" in answer_types("who do i call about a kid being sold")


@pytest.mark.parametrize(
    ("text", "small"),
    [
        ("hi", True),
        ("hi there!", True),
        ("buenas tardes", True),
        ("thank you so much!", True),
        ("gracias mija 🙏", True),
        ("who are you?", True),
        ("¿quién eres?", True),
        ("hi, where can I get narcan", False),
        ("hola, es ilegal vender sexo?", False),
        ("tell me a joke", False),
        ("what kind of stuff can you help me with", True),
        ("¿en qué me puedes ayudar?", True),
        ("can you help me with rent", False),
        ("", False),
    ],
)
def test_small_talk_is_only_greetings_thanks_and_who_are_you(text, small):
    assert is_small_talk(text) is small


def test_a_long_message_keeps_its_last_question_and_says_it_was_shortened():
    story = "I have been living in Willimantic for a long time and things have been hard. " * 40
    message = story + "My boyfriend made me work the streets for years. Can my prostitution conviction be cleared?"
    text, shortened = condense(message, 2000)
    assert shortened and len(text) <= SEARCH_CHARS
    assert text.endswith("Can my prostitution conviction be cleared?")
    short, cut = condense("Where can I get Narcan?", 2000)
    assert short == "Where can I get Narcan?" and not cut


def test_a_message_under_the_limit_is_condensed_for_search_without_a_note():
    message = "Some background about my life. " * 25 + "Where can I get Narcan?"
    text, shortened = condense(message, 2000)
    assert not shortened and text.endswith("Where can I get Narcan?") and len(text) <= SEARCH_CHARS


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("Is there a time limit to get a conviction vacated?", True),
        ("¿Puedo dejar el alcohol sin detox?", True),
        ("can i get sued for giving narcan", True),
        ("what is the deadline to vacate a conviction", False),
        ("¿Qué es el Narcan?", False),
        ("ok so where can i get narcan", False),
        ("q es la ley safe harbor", False),
        ("me arrestaron por prostitución, ¿qué pasa ahora?", False),
        ("if i call 911 for an overdose, will i get arrested?", True),
        # a choice between two things is not yes/no; whether one may call or text is
        ("is project hope open in the day or just for sleeping", False),
        ("do i call 911 or 988 if my friend wants to die?", False),
        ("is it legal or not?", True),
        ("can i text or call the dv line", True),
        # a question word after a preposition asks which, not whether
        ("menor de que edad pagarle por sexo ya es clase A?", False),
        ("under what age is it a class A felony?", False),
        ("is it a class A felony?", True),
    ],
)
def test_a_yes_or_no_question_is_told_from_an_open_one(question, yes_no):
    assert is_yes_no_question(question) is yes_no


def test_a_choice_is_a_question_between_two_things():
    from assistant.understand import is_choice

    assert is_choice("which one do I call for my brother using heroin, 211 or the access line?")
    assert is_choice("la linea es gratis o cobra?")
    assert not is_choice("is it legal or not?") and not is_choice("can I call 211?")


def test_only_a_yes_or_no_question_gets_a_yes_or_no_opening():
    assert without_yes_no("No, there is no deadline.") == "There is no deadline."
    assert without_yes_no("Sí, la sección 54-95c lo permite.") == "La sección 54-95c lo permite."
    assert without_yes_no("Nobody is turned away.") == "Nobody is turned away."


def test_a_statute_number_is_not_a_phone_number():
    assert "contact" not in answer_types("¿Qué número de ley es la trata de personas?")
    assert "contact" not in answer_types("what is the statute number for trafficking")
    assert "contact" in answer_types("what number do i call for dcf")


def test_how_long_one_has_to_ask_is_a_deadline_and_how_long_in_jail_a_penalty():
    assert "deadline" in answer_types("cuanto tiempo tiene pa pedirle al juez q anulen las condenas?")
    assert "penalty" not in answer_types("cuanto tiempo tiene pa pedirle al juez q anulen las condenas?")
    assert "penalty" in answer_types("cuanto tiempo me pueden dar de carcel")
    # how many days one has to ask
    assert "deadline" in answer_types("cuantos dias tengo para pedir el vacatur y cuesta dinero?")
    assert "deadline" in answer_types("how many days do I have to file for vacatur?")
    assert "deadline" not in answer_types("how many days in jail for soliciting")


def test_how_fast_one_must_act_is_a_deadline():
    assert "deadline" in answer_types("who am I required to call and how fast?")
    assert "deadline" in answer_types("soy maestro, en cuanto tiempo tengo que reportar a dcf?")
    assert "deadline" not in answer_types("how fast does narcan work")


def test_what_age_a_service_is_for_is_an_age_question_not_a_deadline():
    for question in ("what age do you have to be for the ACTION line", "cuantos años hay que tener para llamar?"):
        assert "age" in answer_types(question) and "deadline" not in answer_types(question)
    assert "age" in answer_types("is the action line only for adults?")
    assert "deadline" in answer_types("how old can the conviction be")


def test_a_cutoff_is_a_deadline_and_when_alone_is_not_opening_hours():
    assert "deadline" in answer_types("is there a cutoff for asking the court to clear a conviction")
    assert "hours" not in answer_types("can i clear a conviction from when i was trafficked")
    assert "hours" not in answer_types("¿Cuándo debo llamar al 911?")
    assert "hours" not in answer_types("¿Dónde consigo ayuda mientras mi caso está abierto?")
    assert "hours" in answer_types("How do I reach 2-1-1, and when is it open?")
    assert "hours" in answer_types("¿a qué hora abren en Access?")
    assert "hours" in answer_types("is project hope only open in winter?")


def test_an_address_question_asks_for_an_address():
    assert "address" in answer_types("where's the homeless shelter in willimantic, address please")
    assert "address" in answer_types("¿cuál es la dirección del comedor?")
    assert "address" not in answer_types("where can i get narcan")


def test_what_happens_now_asks_for_the_next_step():
    assert "next" in answer_types("me arrestaron por prostitución, ¿qué pasa ahora?")
    assert "next" in answer_types("What happens after someone is arrested in Connecticut?")
    assert "next" not in answer_types("what happens if i get caught twice")


@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("What's the population of New Haven?", True),
        ("¿cuánta gente vive en guadalajara, jalisco?", True),
        ("cuantos habitantes tiene hartford", True),
        ("how many people live in willimantic", False),
        ("cual es la poblacion de windham", False),
        ("how many people live here", False),
        ("what is the history of heroin in willimantic", False),
    ],
)
def test_a_question_about_another_place_is_told_from_one_about_ours(question, other):
    assert other_place(question) is other


def test_paying_for_sex_is_the_offence_not_a_cost():
    assert "cost" not in answer_types("what happens if you pay for sex with a 15 year old")
    assert "cost" not in answer_types("¿qué pasa si uno va a pagar por sexo?")
    assert "cost" in answer_types("is narcan free at the pharmacy")


def test_an_age_under_15_reads_as_under_15_and_15_to_17_as_under_18():
    from assistant.config import ROOT
    from assistant.retrieve import Synonyms

    english = Synonyms.load(ROOT / "knowledge/synonyms.yaml")
    spanish = Synonyms.load(ROOT / "knowledge/glossary-es.yaml")
    assert "under 15" in english.expand("he paid a 14 year old") and "under 15" not in english.expand("a 15 year old")
    assert "under 15" in spanish.expand("una chamaca de 14 años")
    assert "under 15" not in spanish.expand("me condenaron hace 12 años")


def test_a_story_with_one_question_sentence_is_focused_on_it():
    from assistant.understand import focus

    story = "the kids next door are always home alone. can i call dcf without giving my name?"
    assert focus(story) == "can i call dcf without giving my name?"
    assert focus("can i call dcf without giving my name?") == ""  # nothing around it
    assert focus("i got arrested. is it bad?") == ""  # too short to stand alone: the story says what "it" is


def test_whether_a_hotline_tells_the_police_is_not_a_question_about_police_powers():
    from assistant.understand import POLICE_POWERS, mentions

    assert not mentions(POLICE_POWERS, "if i call the sexual assault hotline do they have to tell the police")
    assert mentions(POLICE_POWERS, "do i have to talk to the police")
    assert mentions(POLICE_POWERS, "tengo que contestar a la policia")
    # "they" is the police only when the police are named
    assert not mentions(POLICE_POWERS, "if i call the trafficking hotline, will they ask for my name")
    assert mentions(POLICE_POWERS, "i got pulled over, can they search my car")


@pytest.mark.parametrize(
    ("text", "anonymous"),
    [
        ("si llamo a la hotline pa dar un tip me obligan a dar mi nombre?", True),
        ("if i call DCF do they need my name", True),
        ("can i report it anonymously", True),
        ("what's the name of the new law", False),
    ],
)
def test_a_question_about_giving_ones_name_asks_whether_it_can_be_anonymous(text, anonymous):
    assert ("anonymous" in answer_types(text)) is anonymous


@pytest.mark.parametrize(
    ("question", "asked", "other"),
    [
        ("un class B felony cuanto tiempo es", "delito grave", "delito menor"),
        ("what is the fine for a misdemeanor", "class A misdemeanor", "felonies"),
        ("hay linea de agresion sexual en ingles", "en inglés", "en español"),
        ("is there a spanish line", "Spanish", "English"),
        ("cuanta gente vive en willimantic", "¿Cuántas personas viven en Willimantic?", "en el Pueblo de Windham"),
        # a language the person does not speak is not the one asked for
        ("mi amiga es americana y no habla nada de español, hay linea en ingles?", "en inglés", "en español"),
        ("my mom doesnt speak english, is there a spanish line", "Spanish", "English"),
    ],
)
def test_a_question_naming_one_side_of_a_contrast_asks_for_that_side(question, asked, other):
    ((asked_side, other_side),) = contrasts(question)
    assert asked_side.search(fold(asked)) and other_side.search(fold(other))


@pytest.mark.parametrize("question", ["is it a felony or a misdemeanor", "how do i call 988"])
def test_a_question_naming_both_sides_or_neither_has_no_contrast(question):
    assert contrasts(question) == ()


@pytest.mark.parametrize(
    ("question", "language", "words"),
    [
        ("is it worse legally if the girl is 14 instead of 17", "en", "minor under 15"),
        ("she is 16, can she be charged", "en", "minor under 18"),
        ("pagarle a una nena de 13 por sexo", "es", "menor de 15"),
        ("me condenaron hace 12 años", "es", ""),  # a span of time, not an age
        ("de 1 a 20 años de prisión", "es", ""),
        ("the law from PA 16-71", "en", ""),
        ("i was 12 when it happened", "en", ""),  # the writer's past, not a minor now
        # "under 15" is 14 at most, whatever other age the question names
        ("is buying sex from a kid under 15 charged heavier than from a 17 year old", "en", "minor under 15"),
        ("y si la muchacha es menor de 15", "es", "menor de 15"),
    ],
)
def test_an_age_given_in_a_question_adds_the_law_s_age_band(question, language, words):
    assert age_words(question, language) == words


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("is the charge heavier if the girl is 14", "penalty"),
        ("does 211 have a website", "web"),
        ("tiene pagina web el 211", "web"),
        # what kind of charge, or what happens to the person, asks for the penalty
        ("si a un hombre lo cogen pagando por sexo q le pasa? q clase de cargo es", "penalty"),
        ("what kind of charge is paying for sex", "penalty"),
    ],
)
def test_comparing_charges_asks_for_a_penalty_and_a_site_for_a_web_address(question, kind):
    assert kind in answer_types(question)


def test_every_kind_of_answer_has_a_ranking_bonus():
    from assistant.retrieve import TYPE_BONUS
    from assistant.understand import ANSWER_TYPES

    assert set(ANSWER_TYPES) <= set(TYPE_BONUS)  # a kind without one would fail every search that asks for it


def test_the_law_s_two_age_bands_are_a_contrast():
    asked, other = contrasts("buying sex from a 14 year old minor under 15")[0]
    assert asked.search("what if the child is under 15") and other.search("can a person under 18 be charged")


def test_fit_keeps_the_sentence_with_the_question_words_past_the_sections_share():
    from assistant.compose import fit

    sentences = (
        "No, the line is run by Polaris and is not the police.",
        "Tips to the hotline can be anonymous, so you do not have to give your name when you call it today.",
        "If someone is in danger right now, call 911.",
    )
    query = {"give", "name", "hotlin"}
    assert sentences[1] not in fit(sentences, 21, query, room=21)  # no room left: left out
    kept = fit(sentences, 21, query, room=120)
    assert kept[:2] == list(sentences[:2])
    # without a clear winner the share holds
    assert fit(sentences, 21, set(), room=120) == [sentences[0], sentences[2]]


def test_fit_puts_a_sentence_giving_the_asked_kind_of_answer_first_among_equals():
    from assistant.compose import fit

    sentences = (
        "Yes, pimping is a crime in Connecticut.",
        "Promoting prostitution in the first degree is a felony.",
        "People often call promoting prostitution pimping.",
    )
    query = {"pimp", "prostitut"}
    assert fit(sentences, 120, query)[1] == sentences[2]  # more of the question's words
    assert fit(sentences, 120, query, kinds=frozenset({"penalty"}))[1] == sentences[1]


def test_where_to_report_asks_for_a_number_not_a_place():
    from assistant.understand import answer_types

    for question in ("where do i report a pimp", "a donde se reporta el abuso de un niño", "donde denuncio a un chulo"):
        kinds = answer_types(question)
        assert "contact" in kinds and "where" not in kinds, question
    assert "where" in answer_types("where is the shelter")


def test_voice_typed_service_numbers_are_read_as_digits():
    from assistant.understand import in_digits, understand

    assert in_digits("is two one one free") == "is 211 free"
    spoken = "el Dos-Uno-Uno contesta en español? o llamo al nueve uno uno"
    assert in_digits(spoken) == "el 211 contesta en español? o llamo al 911"
    assert in_digits("nine eight eight") == "988"
    assert in_digits("two one-one nine") == "211 nine"
    assert understand("two one one is that free", 2000).search == "211 is that free"
    assert in_digits("one two one") == "one two one"


def test_being_of_age_is_not_a_question_about_a_mayor():
    from assistant.understand import other_place

    assert not other_place("es legal vender sexo si uno es mayor de edad en connecticut")
    assert other_place("who is the mayor of hartford")
    assert other_place("quien es el alcalde de new haven")


def test_a_belief_that_it_is_too_late_asks_for_the_deadline():
    assert "deadline" in answer_types("me dijeron que como ya pasaron 10 años no puedo pedir que borren la condena")
    assert "deadline" in answer_types("it's been 12 years since my conviction, can i still ask for vacatur")
    assert "deadline" not in answer_types("i was arrested 10 years ago, does it show on a background check")


def test_a_question_after_a_comma_is_a_part_but_a_statement_before_it_is_not():
    story = "my girlfriend is 17 and her ex posted her pics on a sex site"
    parts = split_parts(f"{story}, what law is that and who do i call")
    assert len(parts) == 2 and "law" in parts[0] and "call" in parts[1]
    assert len(split_parts("mi vecina es sorda, como hace ella pa comunicarse con la linea de trata?")) == 1
    assert len(split_parts("pa tenerlo en la nevera, cual es el numero de poison control?")) == 1


def test_the_privacy_clause_is_not_searched_when_the_message_asks_more():
    from assistant.understand import understand

    question = understand("is this private? where can i get tested for hiv", 2000)
    assert question.private and question.search == "where can i get tested for hiv"
    assert not understand("is the trafficking hotline private", 2000).private
    assert not understand("is this private", 2000).private  # the whole message: the privacy reply


def test_a_time_of_night_asks_for_opening_hours():
    assert "hours" in answer_types("do they pick up at like 3am")
    assert "hours" in answer_types(fold("¿contestan a las 2 de la mañana?"))
    assert "hours" not in answer_types("i took it at 3am")


def test_a_part_about_they_takes_the_first_part_s_subject_but_is_there_does_not():
    first, second = split_parts("what's the number for the state addiction line and do they pick up at like 3am")
    assert "addiction" in second and "pick up" in second
    parts = split_parts("how do i get a shelter bed around here?? and is there anywhere i can take a shower")
    assert parts[1].startswith("and is there")


@pytest.mark.parametrize(
    "message",
    [
        "What's the human trafficking hotline number, and can I text it instead of calling?",
        "Can I text CT Safe Connect, and do they have people who speak Spanish?",
        "¿Cuál es el número de la línea contra la trata de personas, y se le puede mandar texto en español?",
    ],
)
def test_a_later_part_that_points_back_takes_the_first_part_s_subject(message: str):
    first, second = split_parts(message)
    assert set(content_words(subject(first))) <= set(content_words(second))


def test_a_later_part_about_doing_it_keeps_its_own_subject():
    parts = split_parts("Is selling sex a felony? And if someone was forcing me to do it, can I get it wiped later?")
    assert parts[1].startswith("and if someone")


def test_a_statement_joined_to_a_question_by_y_is_not_a_question_of_its_own():
    assert split_parts("me arrestaron por prostitución hace 10 años y me obligaban, puedo borrar eso?") == [
        "me arrestaron por prostitucion hace 10 anos y me obligaban, puedo borrar eso?"
    ]
    assert len(split_parts("cuanto cuesta y donde queda?")) == 2


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("Is it true that if I'm 17 and get caught selling sex I go to adult jail?", True),
        ("si tengo 16 y me agarran vendiendo sexo me meten presa?", True),
        ("I'm 8 months clean and need a meeting", False),
        ("tengo 3 hijos y no tengo donde dormir", False),
        ("I'm 25 and my boyfriend takes my money", False),
    ],
)
def test_the_writer_s_own_age_is_a_minor_s_age(text: str, minor: bool):
    assert bool(age_words(text, "en")) is minor


def test_a_time_limit_someone_heard_asks_for_the_deadline():
    assert "deadline" in answer_types("me dijeron que hay que pedirlo en el primer año nomás")
    assert "deadline" in answer_types("you only have 2 years to file for it, right?")
    assert "deadline" not in answer_types("me dieron dos años de probatoria")


def test_only_this_and_nothing_else_asks_about_the_others():
    assert contrasts("vacatur only works for prostitution convictions, nothing else, correct?")
    assert not contrasts("vacatur for prostitution convictions")


def test_whether_a_line_charges_asks_the_cost():
    assert "cost" in answer_types("la linea de safe connect cobra?")
    assert "cost" not in answer_types("cuanto cobran por una hora")


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        ("Which one carries more jail time, a class A misdemeanor or a class D felony?", "misdemeanor", "felony"),
        ("what's the difference between vacatur and diversion", "vacatur", "diversion"),
        ("A teacher vs a regular neighbor: do both have to give their name?", "teacher", "neighbor"),
        ("¿Es lo mismo la línea de agresión sexual que la de violencia doméstica?", "agresion", "violencia"),
        ("is it worse to get caught buying sex or selling it", "buying", "selling"),
    ],
)
def test_a_comparison_is_searched_once_for_each_side(question, first, second):
    one, other = compared(question)
    assert first in one and second not in one
    assert second in other and first not in other


@pytest.mark.parametrize(
    "question",
    [
        "willimantic es un pueblo aparte de windham o es lo mismo?",  # which one it is, not which is more
        "can I call or text the hotline?",
        "is it a crime or not?",
        "si le doy narcan a alguien y no funciona me pueden demandar o acusar?",
    ],
)
def test_an_or_that_does_not_compare_two_things_is_not_split(question):
    assert compared(question) == []


def test_a_question_that_only_sets_a_condition_is_read_with_the_question_after_it():
    assert len(split_parts("What if I don't have a car? Can the addiction line help me get to detox?")) == 1
    assert len(split_parts("¿Y si soy sordo? ¿Cómo me comunico con la línea de trata?")) == 1
    assert len(split_parts("what is 988? how do I text it?")) == 2


@pytest.mark.parametrize(
    "question", ["y si es domingo por la noche la linea de dcf contesta?", "does the access line answer on sundays"]
)
def test_whether_a_line_answers_on_a_day_asks_its_hours(question):
    assert "hours" in answer_types(question)


@pytest.mark.parametrize(
    ("message", "left"),
    [
        ("Soy enfermera en una clínica. Una paciente dice que su pareja le pega. ¿Qué número le doy?", "Una paciente"),
        ("I own a restaurant. A worker says his boss keeps his passport. What number do I give him?", "A worker"),
        ("Social worker here. My client is in a mental health crisis. Which number do I call?", "My client"),
    ],
)
def test_a_first_sentence_that_only_says_who_is_writing_is_not_searched(message, left):
    assert understand(message, 2000).search.startswith(left)


@pytest.mark.parametrize(
    "message",
    [
        "I manage a small hotel in Windham. What does the law require hotels to do?",  # the role is the topic
        "I'm a teacher. A student told me her uncle hits her. Do I have to report it?",  # a reporter's duty
        "Trabajo en la calle. ¿Me pueden arrestar?",  # sex work, not a bystander's job
        "Soy farmacéutica. ¿Bajo qué ley puedo dar naloxona?",  # the pharmacist is what is asked
        "I'm a nurse and my patient overdosed.",  # one sentence
    ],
)
def test_a_role_that_is_part_of_the_question_stays(message):
    assert without_role(message) == ""


def test_a_clause_about_a_time_in_the_past_is_not_a_question():
    message = "When I was 19 a guy made me work for him. I got arrested twice. Is it too late to get them cleared?"
    assert len(split_parts(message)) == 1
    assert len(split_parts("when is 211 open? and is it free?")) == 2


def test_a_que_clause_inside_a_statement_is_not_a_question():
    message = "Una pasajera me dijo que la violaron y que quiere hablar con alguien, no con la policía. ¿Qué le doy?"
    assert len(split_parts(message)) == 1


def test_police_named_only_to_rule_them_out_is_not_asked():
    assert "police" not in answer_types("she doesn't want cops involved, is there a number that isn't the police?")
    assert "police" not in answer_types("no quiere policía, qué número le doy")
    assert "police" in answer_types("is the trafficking hotline the police?")


def test_clearing_a_record_still_asks_for_the_deadline():
    assert "deadline" in answer_types("ya pasó mucho tiempo. ¿todavía puedo limpiar esas condenas?")
    assert "deadline" in answer_types("can I still get my old conviction cleared?")
    assert "deadline" not in answer_types("¿todavía puedo conseguir narcan gratis?")


def test_a_verb_after_and_inside_a_statement_is_not_a_question():
    message = "I sleep in my truck and do day labor. I just need somewhere to take a shower. Anywhere in town?"
    assert len(split_parts(message)) == 1


def test_only_in_the_daytime_asks_the_hours_and_an_old_name_asks_the_history():
    assert "hours" in answer_types("¿el 211 atiende nada más de día?")
    assert "hours" in answer_types("is the hotline only open during the day?")
    assert "history" in answer_types("¿cómo se llamaba antes el albergue?")
    assert "hours" not in answer_types("¿qué día es la cita?")


def test_a_role_sentence_that_also_tells_the_story_stays():
    assert without_role("Soy maestra y una alumna me contó que su tío le pega cuando bebe. ¿Qué hago?") == ""
    assert without_role("I'm a nurse. Is there a number for her?") == "Is there a number for her?"


def test_a_class_heard_asks_the_penalty_and_money_offered_for_sex_is_not_a_cost():
    assert "penalty" in answer_types("oí que eso es clase B, es así?")
    types = answer_types("lo arrestaron por ofrecerle dinero a una mujer para sexo. ¿qué clase de delito es?")
    assert "cost" not in types and "penalty" in types
    assert "cost" in answer_types("¿cuánto dinero cuesta la consulta?")


def test_asking_from_what_age_the_law_applies_searches_the_minors_band():
    assert age_words("a qué edad ya no te pueden acusar de prostitución?", "es") == "menor de 18"
    assert age_words("¿a partir de qué edad pueden condenar a alguien por prostitución?", "es") == "menor de 18"
    assert age_words("at what age can you be charged with prostitution?", "en") == "minor under 18"
    assert age_words("what age do you have to be to call the ACTION line?", "en") == ""


def test_a_question_that_only_asks_for_the_order_of_the_steps_is_not_searched_alone():
    message = (
        "Tengo una condena vieja por prostitución y fui víctima de trata. ¿Cómo la quito? "
        "¿Qué hago primero y qué viene después?"
    )
    assert len(split_parts(message)) == 1
    parts = split_parts("¿Cómo funciona la línea ACTION? Si los llamo, ¿qué pasa después? ¿Me mandan a alguien?")
    assert len(parts) == 2 and not any("despues" in part for part in parts)
    assert split_parts("what happens next?") == ["what happens next?"]
    assert not only_walk_through("what happens after an arrest?")


def test_a_first_question_that_points_back_at_the_story_is_read_with_it():
    message = (
        "My husband got charged with soliciting. Can you explain what that charge means, and what kind of offense "
        "it is?"
    )
    assert "soliciting" in split_parts(message)[0]


def test_how_many_hours_to_report_asks_for_a_deadline_not_opening_hours():
    types = answer_types("how many hours do I have to report abuse to DCF?")
    assert "deadline" in types and "hours" not in types
    assert "hours" in answer_types("what are the hours of the food pantry?")
    assert "deadline" in answer_types("¿cuántas horas tengo para reportar?")


def test_a_minor_of_15_to_17_in_spanish_searches_the_under_18_band():
    assert age_words("si la muchacha tiene 16, ¿qué le pasa al que pagó?", "es") == "menor de 18"
    assert age_words("si la nena tiene 14, ¿qué le pasa al que pagó?", "es") == "menor de 15"


def test_spanish_plurals_ask_the_hours_and_the_ages():
    assert "hours" in answer_types("¿A qué horas atiende la línea?")
    assert "age" in answer_types("¿para qué edades es la línea ACTION?")


def test_a_dictated_message_without_punctuation_is_cut_into_its_questions():
    message = (
        "i got picked up for prostitution last month what happens at my court date is there a program so its not on "
        "my record"
    )
    parts = split_parts(message)
    assert len(parts) == 2 and "program" in parts[1] and "prostitution" in parts[0]
    spanish = "me arrestaron el mes pasado que pasa en la corte hay algun programa pa que no quede en el record"
    assert len(split_parts(spanish)) == 2
    # a question inside a clause ("I don't know what happens if ...") is not cut
    assert len(split_parts("i dont know what happens if i call 911 for my friend who is using a lot")) == 1


def test_paying_for_sex_is_not_the_side_without_money():
    paying = dict((tuple(side.pattern for side in pair), pair) for pair in contrasts("¿es delito pagar por sexo?"))
    assert any(one.search("pagar") and other.search("aunque no se pague con dinero") for one, other in paying.values())
    assert not any(one.search("pay") for one, _ in contrasts("is it a crime if I pay with food instead of money?"))
