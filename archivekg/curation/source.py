"""Reading a file handed to ``archivekg import``: refuse what is not a document's text, and
turn a saved web page into the text a reader sees.

A text file is kept as it is (the document as received).  A saved page (HTML) becomes its
visible text, one block per paragraph, heading, list item or table cell, blocks separated by
a blank line; what the page's layout marks as not the document (its banner, footer, side
columns: ``header``, ``footer``, ``aside`` and their ARIA roles) is kept in the text and
remembered as such, so that the segments can say so.  Menus, forms, scripts and styles are
not text a reader reads and are left out.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from archivekg.errors import ImportRefused

# What a binary file starts with, to say what it is rather than "not text".
_MAGIC = ((b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
          (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"), (b"\x1f\x8b", "a gzip archive"),
          (b"{\\rtf", "an RTF document"))
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_DROPPED = {"script", "style", "noscript", "template", "nav", "form", "button", "select", "svg",
            "iframe", "object", "embed", "canvas", "menu", "dialog"}
_ASIDE_TAGS = {"header": "banner", "footer": "contentinfo", "aside": "complementary"}
_ASIDE_ROLES = {"banner", "contentinfo", "complementary", "navigation", "search"}
_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
           "dt", "dd", "td", "th", "tr", "blockquote", "pre", "address", "figcaption", "caption",
           "header", "footer", "aside", "ul", "ol", "dl", "table", "body", "center", "hr",
           "summary", "details", "legend", "fieldset"}


@dataclass
class Source:
    """A file's text as the document's text, with what the page's layout says about it."""

    path: Path
    text: str
    html: bool
    title: str | None = None                    # the page's <h1> (or <title>) when it is HTML
    outside: list[tuple[int, int]] = field(default_factory=list)   # layout's non-document parts
    headings: list[tuple[int, int]] = field(default_factory=list)  # <h1>..<h6> in the text


def read_source(path: Path, max_bytes: int) -> Source:
    """The text of the file at ``path``; ImportRefused (nothing written) for what is not one."""
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise ImportRefused("no such file", file=shown)
    if not path.is_file():
        raise ImportRefused("is a folder or a special file, not a document", file=shown)
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportRefused(f"{size:,} bytes, more than the {max_bytes:,} a document may have "
                            f"(setting IMPORT_MAX_BYTES)", file=shown)
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:       # grew while we looked
        raise ImportRefused(f"more than the {max_bytes:,} bytes a document may have "
                            f"(setting IMPORT_MAX_BYTES)", file=shown)
    if not data.strip():
        raise ImportRefused("the file is empty", file=shown)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ImportRefused(f"{what}, not a text or a saved web page; import its text", file=shown)
    if _HTML_START.match(data[:4096]):
        return _read_html(path, data)
    return Source(path, _decode(data, shown), html=False)


def _decode(data: bytes, shown: str, declared: str | None = None) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    elif b"\x00" in data:
        raise ImportRefused(f"{data.count(0)} NUL bytes: a binary file, not a text", file=shown)
    else:
        encoding = "utf-8-sig"
        if declared:
            try:
                encoding = codecs.lookup(declared).name
            except LookupError:
                raise ImportRefused(f"the page declares the unknown character set {declared!r}",
                                    file=shown) from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportRefused(f"not {encoding.replace('-sig', '').upper()} text (byte {exc.start} "
                                f"cannot be read): a binary file, or a text in another encoding; "
                                f"save it as UTF-8", file=shown) from None
    controls = sum(1 for char in text if char < " " and char not in "\n\r\t\f")
    if "\x00" in text or controls > max(8, len(text) // 200):
        raise ImportRefused(f"{controls} control characters: a binary file, not a text", file=shown)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_html(path: Path, data: bytes) -> Source:
    import lxml.html

    shown = str(path)
    found = _CHARSET.search(data[:4096])
    markup = _decode(data, shown, found.group(1).decode("ascii") if found else None)
    try:
        root = lxml.html.document_fromstring(markup)
    except Exception as exc:      # lxml's parser errors come in several types
        raise ImportRefused(f"not a readable web page ({exc})", file=shown) from None
    writer = _TextWriter()
    body = root.find("body")
    writer.walk(body if body is not None else root, outside=False)
    text = writer.finish()
    title = None
    heading = root.find(".//h1")
    if heading is not None:
        title = " ".join(heading.text_content().split()) or None
    head_title = root.find(".//title")
    if title is None and head_title is not None:
        title = " ".join(head_title.text_content().split()) or None
    return Source(path, text, html=True, title=title, outside=writer.outside, headings=writer.headings)


class _TextWriter:
    """The visible text of an element tree, block by block, remembering the spans of blocks
    the layout sets apart and of headings."""

    def __init__(self):
        self.blocks: list[tuple[str, bool, bool]] = []   # (text, outside, heading)
        self.line: list[str] = []
        self.outside: list[tuple[int, int]] = []
        self.headings: list[tuple[int, int]] = []
        self._outside = False
        self._heading = False

    def _flush(self) -> None:
        lines = [" ".join(part.split()) for part in "".join(self.line).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append((text, self._outside, self._heading))
        self.line = []

    def walk(self, element, outside: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in _DROPPED or element.get("hidden") is not None \
                or "display:none" in (element.get("style") or "").replace(" ", "") \
                or element.get("aria-hidden") == "true" or element.get("role") == "navigation":
            self._tail(element)
            return
        block = tag in _BLOCKS
        inner_outside = outside or tag in _ASIDE_TAGS or element.get("role") in _ASIDE_ROLES
        if block:
            self._flush()
        previous = (self._outside, self._heading)
        self._outside = inner_outside
        self._heading = self._heading or tag in {"h1", "h2", "h3", "h4", "h5", "h6"}
        if tag == "br":
            self.line.append("\n")
        elif tag in {"td", "th"}:
            self.line.append(" ")
        if element.text and tag:
            self.line.append(element.text)
        for child in element:
            self.walk(child, inner_outside)
        if block:
            self._flush()
        self._outside, self._heading = previous
        self._tail(element)

    def _tail(self, element) -> None:
        if element.tail:
            self.line.append(element.tail)

    def finish(self) -> str:
        self._flush()
        parts: list[str] = []
        position = 0
        for text, outside, heading in self.blocks:
            if parts:
                parts.append("\n\n")
                position += 2
            if outside:
                self.outside.append((position, position + len(text)))
            if heading:
                self.headings.append((position, position + len(text)))
            parts.append(text)
            position += len(text)
        return "".join(parts) + ("\n" if parts else "")
