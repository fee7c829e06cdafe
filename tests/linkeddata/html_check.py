"""Reading pages back in tests: links, ids, and anything that could run."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Page:
    links: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    scripts: list[dict] = field(default_factory=list)     # attributes of each <script>
    inline_script: list[str] = field(default_factory=list)
    handlers: list[tuple[str, str]] = field(default_factory=list)   # (tag, on* attribute)
    tags: list[str] = field(default_factory=list)
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_script = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.page.tags.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.page.handlers.append((tag, name))
            if name in ("href", "src", "action", "cite") and value is not None:
                self.page.links.append(value)
            if name == "id" and value is not None:
                self.page.ids.append(value)
        if tag == "script":
            self.page.scripts.append(values)
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.page.inline_script.append(data)
        self._text.append(data)

    def close(self):
        super().close()
        self.page.text = "".join(self._text)


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page
