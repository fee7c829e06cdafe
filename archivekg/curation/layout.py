"""The parts of a document's text: catalog, body, distribution, and what is not the document.

A text as received from a digital archive is the document wrapped in its catalogue entry
(title, date, citation, summary, credits, rights) and often in the site around it (a "Skip to
content" link, section labels, upload dates, material the site appends).  The parts are found
by what each block of text says and how it is laid out, never by its position in one site's
template:

* a **label** ("Citation:", "Summary", "Original Language") heads catalogue material; labels of
  the site's own bookkeeping ("Record ID", "Original Uploaded Date") head material that is not
  the document;
* the **body** starts with what opens an archival document (a classification such as "TOP
  SECRET", "Copy No. 2", an addressee "TO ...") or, failing that, with the first paragraph of
  prose; it ends where the **distribution** starts ("Five copies printed", "1 - Cde. Molotov",
  "drafted by", "No. 701") or where the site's appendix starts ("Read more about this topic");
* after the document, prose is the page's catalogue again (an unlabelled summary) and site
  boilerplate is ``nondocument``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from archivekg.pipeline import texts

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE_LINE = re.compile(rf"^(?:\d{{1,2}}\s+{_MONTH}\s*,?\s+\d{{2,4}}|{_MONTH}\s+\d{{1,2}}\s*,\s*\d{{4}}"
                       rf"|{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})$", re.IGNORECASE)

#: Labels of catalogue fields (the field each heads, or None for a label of the catalogue
#: with no field of its own).
CATALOG_LABELS = {
    "citation": "citation", "summary": "summary", "abstract": "summary", "description": "summary",
    "credits": "credits", "original language": "originalLanguage", "language": "originalLanguage",
    "contents": None, "rights": "rights", "copyright": "rights", "source": "source",
    "author": None, "date": None, "title": None, "keywords": None, "subjects": None,
    "archive": None, "collection": None, "document type": None, "translated by": None,
}
#: Labels of the site's own bookkeeping: they and their short values are not the document.
SITE_LABELS = {"document information", "original uploaded date", "uploaded", "record id", "type",
               "record type", "share", "download", "print", "related documents", "related",
               "tags", "cite", "permalink", "more information", "additional information",
               "export", "pdf", "view original"}
BOILERPLATE = re.compile(
    r"^(?:skip to (?:main )?content|skip navigation|back to top|menu|search|log ?in|sign in|"
    r"subscribe|cookie|accept cookies|share this|print this|home\b.*|©.*|copyright ©.*|"
    r"all rights reserved\.?|powered by .*|follow us.*|previous|next|close)$", re.IGNORECASE)
#: Where a site appends material of its own: from here on, nothing is the document.
APPENDIX = re.compile(r"^(?:read more about (?:this|the) topic|famous quotes containing|"
                      r"related (?:articles|documents|topics|pages)|see also|comments?\b|"
                      r"external links|more from)", re.IGNORECASE)
CLASSIFICATION = re.compile(r"^(?:(?:T?OP |STRICTLY )?SECRET|CONFIDENTIAL|TOP SECRET|RESTRICTED|"
                            r"FOR OFFICIAL USE ONLY)\b[^a-z]*$")
COPY_NUMBER = re.compile(r"^Copy\s+(?:N[°ºo]\.?|№|No\.?|#)\s*\d+\b", re.IGNORECASE)
ADDRESSEE = re.compile(r"^TO\s+[A-Z][A-Z .'’-]+")
COPIES = re.compile(r"^(?:\w+|\d+)\s+copies(?:\s+(?:printed|typed|made))?\.?$", re.IGNORECASE)
DISTRIBUTION_LINE = re.compile(r"^(?:\d+(?:\s*[,–-]\s*\d+)*\s*[-–—]\s*\S|(?:drafted|typed|"
                               r"prepared|executed)\s+by\b|printed\b|(?:N[°ºo]\.?|№|No\.?)\s*\d|distribution\b|"
                               r"copies\s+to\b|sent\s+to\b)", re.IGNORECASE)
CITATION = re.compile(r"\b(?:Fond|F\.)\s*\d+.*\b(?:Opis|Op\.)\s*\d+|\bDelo\s+\d+|\bArchive\b.*\b\d+",
                      re.IGNORECASE)
RIGHTS = re.compile(r"\b(?:copyright|rights holders?|rights status|reuse of|permission|licen[cs]e)\b",
                    re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…:;\"'’”)\]]\s*$")


@dataclass
class Block:
    """A paragraph of the text (between blank lines), with its kind once found."""

    start: int
    end: int
    raw: str
    kind: str = ""
    label: str | None = None       # the catalogue or site label it is, if it is one
    field: str | None = None       # the field a label block heads, or the field its value is

    @property
    def clean(self) -> str:
        return " ".join(self.raw.replace("**", " ").replace("__", " ").split())

    @property
    def words(self) -> int:
        return len(self.clean.split())

    @property
    def prose(self) -> bool:
        """A paragraph of running text: several words ending like a sentence."""
        return self.words >= 12 and bool(SENTENCE_END.search(self.clean))


def blocks_of(text: str) -> list[Block]:
    found, position = [], 0
    for part in re.split(r"(\n[ \t]*\n)", text):
        stripped = part.strip()
        if stripped and not re.fullmatch(r"\n[ \t]*\n", part):
            offset = part.index(stripped[0])
            found.append(Block(position + offset, position + offset + len(stripped), stripped))
        position += len(part)
    return found


def label_of(block: Block) -> tuple[str | None, str]:
    """The label a block is or begins with ("Citation:", "**Summary:**"), and the rest."""
    clean = block.clean
    bare = clean.rstrip(":").strip().lower()
    if bare in CATALOG_LABELS or bare in SITE_LABELS:
        return bare, ""
    head, colon, rest = clean.partition(":")
    head = head.strip().lower()
    if colon and rest.strip() and (head in CATALOG_LABELS) and len(head.split()) <= 3:
        return head, rest.strip()
    return None, clean


def is_date_line(block: Block) -> bool:
    return bool(DATE_LINE.match(block.clean.strip("*_ ").rstrip(".")))


def opens_body(block: Block) -> bool:
    clean = block.clean
    return bool(CLASSIFICATION.match(clean) or COPY_NUMBER.match(clean) or ADDRESSEE.match(clean))


def opens_distribution(block: Block) -> bool:
    first = block.clean.split("\n")[0]
    return bool(COPIES.match(block.raw.split("\n")[0].strip()) or
                (DISTRIBUTION_LINE.match(first) and block.words <= 40 and not block.prose))


def in_distribution(block: Block) -> bool:
    lines = [line.strip() for line in block.raw.split("\n") if line.strip()]
    return all(COPIES.match(line) or DISTRIBUTION_LINE.match(line) or is_date_line(Block(0, 0, line))
               or re.fullmatch(r"\d+\s*[-–—]\s*to file\.?", line, re.IGNORECASE)
               or len(line.split()) <= 4 and not SENTENCE_END.search(line)
               for line in lines) and len(lines) <= 30


def classify(text: str, title: str | None = None, outside: Sequence[tuple[int, int]] = ()) -> list[Block]:
    """Every block of ``text`` with its kind (catalog, body, distribution, nondocument)."""
    blocks = blocks_of(text)
    state = "top"           # top → body → distribution → after; appendix ends everything
    site_value = False      # the previous block was a site label whose short value may follow
    pending: str | None = None      # the previous block was a catalogue label heading this value
    for index, block in enumerate(blocks):
        label, inline = label_of(block)
        block.label = label
        laid_outside = any(s <= block.start and block.end <= e for s, e in outside)
        if state == "appendix":
            block.kind = "catalog" if _catalog_wording(block) else "nondocument"
            continue
        if APPENDIX.match(block.clean):
            state, block.kind = "appendix", "nondocument"
            continue
        if laid_outside or BOILERPLATE.match(block.clean):
            block.kind = "nondocument"
            continue
        if label in SITE_LABELS:
            block.kind, site_value, pending = "nondocument", True, None
            continue
        if site_value and label is None and block.words <= 6 and not _catalog_wording(block):
            block.kind = "nondocument"
            continue
        site_value = False
        if label in CATALOG_LABELS:
            block.kind, block.field = "catalog", CATALOG_LABELS[label]
            pending = None if inline else (CATALOG_LABELS[label] or "")
            if state in ("body", "distribution"):
                state = "after"      # a label after the document: the page resumes
            continue
        if pending is not None:
            block.kind, block.field, pending = "catalog", pending or None, None
            continue
        if state == "top":
            if opens_body(block) or block.prose or (_heading_before_prose(blocks, index)
                                                   and not _is_title(block, title, blocks, index)):
                state = "body"
            else:
                block.kind = "catalog"
                continue
        if state == "body":
            if opens_distribution(block) and _rest_is_distribution(blocks, index):
                state = "distribution"
            else:
                block.kind = "body"
                continue
        if state == "distribution":
            if in_distribution(block):
                block.kind = "distribution"
                continue
            state = "after"
        block.kind = "catalog"
    if not any(block.kind == "body" for block in blocks):
        # No body found by its opening words: the document is the prose between the catalogue
        # and what follows it.
        for block in blocks:
            if block.kind == "catalog" and block.prose and block.label is None and block.field is None:
                block.kind = "body"
    return blocks


def _catalog_wording(block: Block) -> bool:
    return bool(CITATION.search(block.clean) or RIGHTS.search(block.clean))


def _is_title(block: Block, title: str | None, blocks: list[Block], index: int) -> bool:
    if title and " ".join(title.split()).lower() == block.clean.lower():
        return True
    return not any(b.kind == "catalog" and b.field is None and not is_date_line(b) and b.label is None
                   for b in blocks[:index])


def _heading_before_prose(blocks: list[Block], index: int) -> bool:
    """A short line (a heading) directly before the first paragraph of prose."""
    block = blocks[index]
    return block.words <= 15 and not block.prose and index + 1 < len(blocks) \
        and blocks[index + 1].prose and blocks[index + 1].label is None and not is_date_line(block)


def _rest_is_distribution(blocks: list[Block], index: int) -> bool:
    """A distribution list is the document's end: after it, no more of the body's prose
    before the page resumes."""
    following = blocks[index + 1:index + 4]
    return blocks[index].words <= 40 and all(not b.prose or b.label is not None or _catalog_wording(b)
                                             for b in following[:1])


@dataclass
class SegmentSpec:
    kind: str
    start: int
    end: int
    frm: str
    to: str
    occurrence: int | None = None

    def yaml(self) -> dict:
        data: dict[str, str | int] = {"kind": self.kind, "from": self.frm, "to": self.to}
        if self.occurrence:
            data["occurrence"] = self.occurrence
        return data


def segments(text: str, blocks: list[Block]) -> list[SegmentSpec]:
    """The runs of blocks of one kind, each with words that locate its start and end the way
    the build locates them (``from``: its start, with ``occurrence`` when those words recur;
    ``to``: the first place of its end words after the start)."""
    runs: list[list[Block]] = []
    for block in blocks:
        if runs and runs[-1][0].kind == block.kind:
            runs[-1].append(block)
        else:
            runs.append([block])
    found = []
    for run in runs:
        start, end = run[0].start, run[-1].end
        frm, occurrence = _start_words(text, run[0])
        found.append(SegmentSpec(run[0].kind, start, end, frm, _end_words(text, start, run[-1]), occurrence))
    return found


def _start_words(text: str, block: Block) -> tuple[str, int | None]:
    words = block.raw.split()
    for count in range(min(len(words), 3), len(words) + 1):
        phrase = " ".join(words[:count])
        spans = texts.find_all(text, phrase)
        if len(spans) == 1:
            return phrase, None
    phrase = " ".join(words)
    spans = texts.find_all(text, phrase)
    return phrase, 1 + [s.start for s in spans].index(block.start)


def _end_words(text: str, start: int, block: Block) -> str:
    words = block.raw.split()
    for count in range(min(len(words), 3), len(words) + 1):
        phrase = " ".join(words[-count:])
        after = [s for s in texts.find_all(text, phrase) if s.start >= start]
        if after and after[0].end == block.end:
            return phrase
    return " ".join(words)
