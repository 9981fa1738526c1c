"""What every answer carries: the crisis card on top and the safety footer at the bottom."""

from __future__ import annotations

from assistant.messages import CRISIS_CARDS, EXTRA_LINES, FOOTER, SELF_POISONING_LINE, TOPIC_LINES


def crisis_card(category: str, language: str, self_poisoning: bool = False) -> str:
    """The fixed card of a crisis category, 911 in its first line."""
    cards = CRISIS_CARDS.get(language, CRISIS_CARDS["en"])
    lines = list(cards.get(category, cards["violence"]))
    if self_poisoning:
        lines.append(SELF_POISONING_LINE.get(language, SELF_POISONING_LINE["en"]))
    return "\n\n".join(lines)


def extra_lines_for(topics: list[str], crisis: str | None) -> list[str]:
    """The one or two footer lines the topic or the crisis calls for."""
    keys: list[str] = []
    if crisis:
        keys.append(crisis)
    for topic in topics:
        key = TOPIC_LINES.get(topic)
        if key and key not in keys:
            keys.append(key)
    return [k for k in keys if k in EXTRA_LINES["en"]][:2]


def footer(language: str, extra: list[str] | None = None) -> str:
    lines = EXTRA_LINES.get(language, EXTRA_LINES["en"])
    parts = [FOOTER.get(language, FOOTER["en"])]
    parts += [lines[k] for k in extra or [] if k in lines]
    return "---\n" + "  \n".join(parts)


def with_footer(body: str, language: str, extra: list[str] | None = None) -> str:
    """Append the safety footer: done by code on every path."""
    return f"{body.rstrip()}\n\n{footer(language, extra)}"
