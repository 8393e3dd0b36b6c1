"""Small conversions every normaliser needs: HTML to text, language codes, timestamps.

Example::

    >>> html_to_text("<p>Hello <a href='https://x.test'>@acme</a><br>bye</p>")
    'Hello @acme\\nbye'
    >>> safe_lang("pt-BR"), safe_lang("und"), safe_lang("english")
    ('pt-BR', None, None)
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_BREAKS = {"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "tr"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(value: str | None) -> str:
    """Visible text of an HTML fragment, paragraphs and ``<br>`` kept as line breaks."""
    if not value:
        return ""
    if "<" not in value:
        return html.unescape(value).strip()
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def safe_lang(value: object) -> str | None:
    """``value`` if it is an ISO 639 code the canonical post accepts, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value.lower() in ("und", "mul", "zxx"):
        return None
    return value if _LANG.match(value) else None


def from_epoch(seconds: float | int | str) -> datetime:
    return datetime.fromtimestamp(float(seconds), tz=UTC)


def parse_time(value: str) -> datetime:
    """An ISO 8601 time (``Z`` accepted); naive times are UTC."""
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def clip(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    return value if len(value) <= limit else value[: limit - 1] + "…"
