"""One document read for proposing: its record, its text, the parts of it that are the
document (not ``nondocument``), its sentences and tokens (spaCy's English tokenizer and its
rule-based sentencizer: no model), and what its record and annotations already say."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from archivekg.datalayout import is_curation_file
from archivekg.errors import SourceError
from archivekg.pipeline import texts
from archivekg.pipeline.yamlload import load_yaml

if TYPE_CHECKING:       # spaCy is imported when a document is first analysed, not with this module
    from spacy.language import Language
    from spacy.tokens import Doc

#: Record fields whose values are entities (the importer fills them; proposals need not repeat them).
ENTITY_FIELDS = ("author", "addressee", "informationSource", "draftedBy", "typedBy", "translator",
                 "translationPublisher", "supportedBy", "placeOfWriting")


@cache
def nlp() -> Language:
    """spaCy's blank English pipeline with the rule-based sentencizer: a tokenizer and
    sentence boundaries from punctuation, nothing downloaded."""
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


@dataclass
class Sentence:
    start: int
    end: int
    segment: str


@dataclass
class Analysed:
    doc_id: str
    record: dict
    text: str
    segments: list[texts.Segment]
    tokens: Doc                             # the spaCy Doc of the whole text
    sentences: list[Sentence] = field(default_factory=list)
    annotations: dict | None = None
    year: int | None = None

    def segment_at(self, position: int) -> str:
        for segment in self.segments:
            if segment.start <= position < segment.end:
                return segment.kind
        return "body"

    def sentence_at(self, position: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= position < sentence.end:
                return sentence
        return None

    def record_entities(self) -> set[str]:
        found = {self.record[f] for f in ENTITY_FIELDS if isinstance(self.record.get(f), str)}
        for copy in self.record.get("copies") or []:
            if isinstance(copy, dict) and copy.get("recipient"):
                found.add(copy["recipient"])
        citation = self.record.get("citation")
        if isinstance(citation, dict) and citation.get("archive"):
            found.add(citation["archive"])
        return found


def load(data_dir: Path, doc_id: str) -> Analysed:
    data_dir = Path(data_dir)
    record_path = data_dir / "documents" / f"{doc_id}.yaml"
    if not record_path.is_file():
        raise SourceError(f"no record data/documents/{doc_id}.yaml: import the document first "
                          f"(archivekg import FILE)", file=str(record_path))
    record = load_yaml(record_path)
    text = (data_dir / "documents" / record["text"]).read_text(encoding="utf-8")
    annotations = None
    path = data_dir / "annotations" / f"{doc_id}.yaml"
    if path.is_file() and not is_curation_file("annotations", path.name):
        annotations = load_yaml(path)
    return analyse(doc_id, record, text, annotations)


def analyse(doc_id: str, record: dict, text: str, annotations: dict | None = None) -> Analysed:
    segments = []
    for spec in record.get("segments") or []:
        start = texts.locate(text, spec["from"], spec.get("occurrence"))
        if isinstance(start, str):
            raise SourceError(f"segment start {spec['from']!r}: {start}", file=f"documents/{doc_id}.yaml")
        ends = [s for s in texts.find_all(text, spec["to"]) if s.start >= start.start]
        if ends:
            segments.append(texts.Segment(spec["kind"], start.start, ends[0].end))
    date = str(record.get("date") or "")
    year = int(date[:4]) if re.match(r"\d{4}", date) else None
    doc = Analysed(doc_id, record, text, segments, nlp()(text), annotations=annotations, year=year)
    _sentences(doc)
    return doc


# The sentencizer ends a sentence at every full stop: not after these.
_ABBREVIATION = re.compile(r"(?:\b(?:No|Nr|Cde|Mr|Mrs|Dr|St|Op|Gen|Col|Lt|vol|pp?|cf|etc|ca|approx)\.|\b[A-ZА-Я]\.|"
                           r"(?:^|\n)\s*\d{1,2}\.|\.\s*\.)\s*$")


def _merged(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sentences:
        if merged and _ABBREVIATION.search(text[merged[-1][0]:merged[-1][1]]) \
                and "\n\n" not in text[merged[-1][1]:start + 1]:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


_LIST_LINE = re.compile(r"^\s*(?:\d+(?:\s*,\s*\d+)*\s*[-–—]|[-•*])\s")


def _sentences(doc: Analysed) -> None:
    """The sentences of the document proper (its body and distribution list).  A line break ends a sentence where
    the line is a list item or a short line without final punctuation (headings, the lines of
    a distribution list); elsewhere it is the wrapping of a paragraph."""
    breaks = {0}
    position = 0
    for line in doc.text.split("\n"):
        stripped = line.strip()
        if not stripped or _LIST_LINE.match(line) or (len(stripped.split()) <= 8
                                                      and not re.search(r"[,;:]$", stripped)):
            breaks.add(position)
            breaks.add(position + len(line) + 1)
        position += len(line) + 1
    for start_char, end_char in _merged(doc.text, [(s.start_char, s.end_char) for s in doc.tokens.sents]):
        pieces = [start_char] + sorted(b for b in breaks if start_char < b < end_char) + [end_char]
        for start, end in zip(pieces, pieces[1:], strict=False):
            chunk = doc.text[start:end]
            if not chunk.strip():
                continue
            start += len(chunk) - len(chunk.lstrip())
            end -= len(chunk) - len(chunk.rstrip())
            kind = doc.segment_at(start)
            # The catalogue is the importer's (record fields); what is proposed is the document's.
            if kind in ("body", "distribution"):
                doc.sentences.append(Sentence(start, end, kind))
