"""The output guard: what may leave the assistant.

Every outgoing answer is checked for phone numbers that are not verified directory entries
(any spelling: see assistant.directory), raw HTML is removed, and Markdown images and links are
neutralised except the answer's own source links, so no answer can make the page fetch
anything or open a script link.
"""

from __future__ import annotations

import re

from assistant.directory import Directory

HTML_TAG = re.compile(r"<[^>]{0,200}>")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")
LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)]*)\)")


def strip_html(text: str) -> str:
    """Remove tags so nothing in an answer can carry raw HTML or script."""
    return HTML_TAG.sub("", text).replace("<", "‹").replace(">", "›")


def neutralise_markdown(text: str, allowed: frozenset[str] = frozenset()) -> str:
    """Images become their alt text; links become their text, unless the target is one of
    `allowed` (the answer's own source pages)."""

    def link(match: re.Match[str]) -> str:
        return match.group(0) if match.group(2).strip() in allowed else match.group(1)

    text = IMAGE.sub(lambda m: m.group(1), text)
    return LINK.sub(link, text)


def unvetted_numbers(answer: str, directory: Directory) -> list[str]:
    """Phone numbers in an outgoing answer that are not verified (empty list = safe)."""
    return directory.unvetted(answer)
