"""One-tap call and text links for the page, made by code from the verified directory only.

Every verified number in a text becomes a `tel:` link; a text-only line (233733) becomes an
`sms:` link with its documented keyword. A number that is not a verified directory entry never
becomes a link (the output guard has already blocked it by then). Nothing here reads document
text as a source of numbers: the hrefs come from the directory's digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.directory import Directory, digits, find_numbers

# Short service numbers as residents see them; phone-number patterns do not catch them.
SHORT = re.compile(r"(?<![\w/.:=\[-])(911|988|2-1-1|211|711|233733)(?![\w\]-])")
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")


@dataclass(frozen=True)
class Links:
    """tel:/sms: targets of the directory's verified numbers."""

    tel: dict[str, str]  # digits -> tel: href
    sms: dict[str, str]  # digits of a text-only line -> sms: href

    @classmethod
    def from_directory(cls, directory: Directory) -> Links:
        tel: dict[str, str] = {}
        sms: dict[str, str] = {}
        for entry in directory.verified():
            for number in (entry.number, *entry.also):
                tel[digits(number)] = tel_href(number)
            if entry.text_number:
                body = f"?&body={entry.text_keyword}" if entry.text_keyword else ""
                sms[digits(entry.text_number)] = f"sms:{_dial(entry.text_number)}{body}"
                if digits(entry.text_number) != digits(entry.number):
                    tel.pop(digits(entry.text_number), None)  # a text-only line is never called
        return cls(tel, sms)

    def text_href(self, number: str) -> str | None:
        return self.sms.get(digits(number))

    def linkify(self, markdown: str) -> str:
        """Markdown with every verified number as a one-tap link (existing links left alone)."""
        pieces = MARKDOWN_LINK.split(markdown)
        links = MARKDOWN_LINK.findall(markdown)
        out = [self._link_numbers(piece) for piece in pieces]
        return "".join(p + (links[i] if i < len(links) else "") for i, p in enumerate(out))

    def _link_numbers(self, text: str) -> str:
        for written, number in sorted(find_numbers(text), key=lambda n: -len(n[0])):
            href = self.tel.get(number) or self.sms.get(number)
            if href:
                text = re.sub(rf"(?<![\[\w]){re.escape(written)}(?![\]\w])", f"[{written}]({href})", text)
        return SHORT.sub(self._short, text)

    def _short(self, match: re.Match[str]) -> str:
        written = match.group(1)
        href = self.tel.get(digits(written)) or self.sms.get(digits(written))
        return f"[{written}]({href})" if href else written


def _dial(number: str) -> str:
    found = digits(number)
    return f"+1{found}" if len(found) == 10 else found


def tel_href(number: str) -> str:
    return f"tel:{_dial(number)}"
