"""From the files of data/ to JSON-LD documents, checking everything a curator can get wrong.

For each document the result is one JSON-LD document (read with ``mappings/context.jsonld``):
its record and the things it introduces in the default graph, and each statement as a named
graph holding its claims, described by a node in the ``akgr:`` (raw) namespace with the
quote, its located position, certainty, file and line.  The SPARQL rules in
``mappings/rules/`` turn that raw form into the published graph.  Nothing here knows a field
of the corpus: keys are checked against the context and the ontology, references against the
ids defined anywhere in data/.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote as urlquote

import edtf
import jsonschema

from archivekg import namespaces
from archivekg.datalayout import is_curation_file
from archivekg.errors import (
    DuplicateIdError,
    MalformedValueError,
    QuoteNotFoundError,
    SchemaError,
    SourceError,
    UnknownEntityError,
)
from archivekg.pipeline import texts
from archivekg.pipeline.vocabulary import EDTF, XSD, Vocabulary
from archivekg.pipeline.yamlload import LineDict, LineList, line_at, load_yaml

RAW = namespaces.RAW
# A BCP 47 language tag as the data write them: a language, then subtags (script, region).
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
CERTAINTIES = ("certain", "probable", "uncertain")
# Keys of the data formats themselves (data/README.md), handled here rather than mapped.
RECORD_FORMAT_KEYS = {"text", "segments", "evidence"}
NODE_KEYWORDS = {"id", "type"}


@dataclass
class SourceFile:
    path: Path
    display: str          # as shown in messages and recorded in provenance (relative to the project)
    data: Any             # the parsed YAML (yamlload's LineDict/LineList), of its JSON Schema's shape once validated
    sha256: str


@dataclass
class DocumentInput:
    doc_id: str
    record: SourceFile
    annotations: SourceFile | None
    text_path: Path
    text: str
    segments: list = field(default_factory=list)


@dataclass
class Corpus:
    documents: dict[str, DocumentInput]
    registries: list[SourceFile]
    ids: dict[str, tuple[str, int]]   # id -> (file, line) where it is defined


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: Path, root: Path) -> SourceFile:
    display = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    data = load_yaml(path, display)
    return SourceFile(path, display, data, _digest(path.read_bytes()))


class Ingest:
    """Reads and checks data/; ``jsonld(doc_id)`` gives one document's raw JSON-LD."""

    def __init__(self, data_dir: Path, mappings_dir: Path, ontology_files: list[Path],
                 base_iri: str, project_root: Path | None = None):
        self.data_dir = Path(data_dir)
        self.root = project_root or self.data_dir.parent
        self.base_iri = base_iri
        self.vocabulary = Vocabulary(Path(mappings_dir) / "context.jsonld", ontology_files)
        self.schemas = {name: json.loads((Path(mappings_dir) / "schemas" / f"{name}.schema.json")
                                         .read_text(encoding="utf-8"))
                        for name in ("record", "entities", "annotations")}
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}

    # ------------------------------------------------------------------ loading and checking
    def load(self, documents: set[str] | None = None, registries: bool = True,
             ids: dict[str, tuple[str, int]] | None = None) -> Corpus:
        """Read and check data/: everything, or only ``documents`` (ids) and, if asked, the
        registries, against ``ids`` (where every other id of the corpus is defined): what a
        build after a few changed files needs.  A partial reading may word an error otherwise
        than a whole one (which of two definitions of an id comes second)."""
        ids = dict(ids or {})
        sources = [self._read_registry(path, ids)
                   for path in sorted((self.data_dir / "entities").glob("*.yaml"))] if registries else []
        folder, notes = self.data_dir / "documents", self.data_dir / "annotations"
        if documents is None:
            records, annotations = sorted(folder.glob("*.yaml")), sorted(notes.glob("*.yaml"))
        else:
            records = [folder / f"{doc_id}.yaml" for doc_id in sorted(documents)]
            annotations = [path for path in (notes / f"{doc_id}.yaml" for doc_id in sorted(documents))
                           if path.is_file()]
        found: dict[str, DocumentInput] = {}
        for path in records:
            doc = self._read_record(path, ids)
            found[doc.doc_id] = doc
        for path in annotations:
            if not is_curation_file("annotations", path.name):
                self._read_annotations(path, ids, found)

        corpus = Corpus(found, sources, ids)
        for source in sources:
            for entry in source.data or []:
                self._check_node(entry, source, corpus)
        for doc in found.values():
            self._check_node(doc.record.data, doc.record, corpus, skip=RECORD_FORMAT_KEYS)
            if doc.annotations:
                self._check_annotations(doc, corpus)
        return corpus

    def _read_registry(self, path: Path, ids: dict) -> SourceFile:
        source = _read(path, self.root)
        self._validate(source, "entities")
        for index, entry in enumerate(source.data or []):
            self._define(ids, entry["id"], source.display, source.data.line_of(index))
            self._collect_nested_ids(ids, entry, source.display)
        return source

    def _read_record(self, path: Path, ids: dict) -> DocumentInput:
        record = _read(path, self.root)
        self._validate(record, "record")
        doc_id = record.data["id"]
        if path.stem != doc_id:
            raise SourceError(f"the record's id {doc_id!r} differs from its file name",
                              file=record.display, line=record.data.line_of("id"), term="id")
        self._define(ids, doc_id, record.display, record.data.line)
        self._collect_nested_ids(ids, record.data, record.display)
        text_path = self.data_dir / "documents" / record.data["text"]
        if not text_path.is_file():
            raise SourceError(f"the text file {record.data['text']!r} does not exist",
                              file=record.display, line=record.data.line_of("text"), term="text")
        text = text_path.read_text(encoding="utf-8")
        doc = DocumentInput(doc_id, record, None, text_path, text)
        doc.segments = self._segments(doc)
        return doc

    def _read_annotations(self, path: Path, ids: dict, documents: dict) -> None:
        source = _read(path, self.root)
        self._validate(source, "annotations")
        doc_id = source.data["document"]
        if doc_id not in documents:
            raise UnknownEntityError(f"no record data/documents/{doc_id}.yaml for this document",
                                     file=source.display, line=source.data.line_of("document"),
                                     term=doc_id)
        if path.stem != doc_id:
            raise SourceError(f"the annotation file of {doc_id!r} must be named {doc_id}.yaml",
                              file=source.display, line=source.data.line_of("document"))
        documents[doc_id].annotations = source
        for index, thing in enumerate(source.data.get("things") or []):
            self._define(ids, thing["id"], source.display, source.data["things"].line_of(index))
            self._collect_nested_ids(ids, thing, source.display)
        for statement in source.data["statements"]:
            self._collect_nested_ids(ids, statement["claims"], source.display)

    def _validate(self, source: SourceFile, schema: str) -> None:
        if schema not in self._validators:
            self._validators[schema] = jsonschema.Draft202012Validator(self.schemas[schema])
        errors = sorted(self._validators[schema].iter_errors(source.data),
                        key=lambda e: list(e.absolute_path))
        if errors:
            error = errors[0]
            path = list(error.absolute_path)
            where = "/".join(str(p) for p in path) or "the top level"
            raise SchemaError(f"{error.message} (at {where})", file=source.display,
                              line=line_at(source.data, path),
                              term=str(path[-1]) if path else None)

    @staticmethod
    def _define(ids, node_id: str, display: str, line: int) -> None:
        if node_id in ids:
            other_file, other_line = ids[node_id]
            raise DuplicateIdError(f"the id {node_id!r} is already defined at {other_file}:{other_line}",
                                   file=display, line=line, term=node_id)
        ids[node_id] = (display, line)

    def _collect_nested_ids(self, ids, node, display: str) -> None:
        """Nested objects that carry an id define it too (copies, inline quantities)."""
        if not isinstance(node, dict):
            return
        for _key, value in node.items():
            for item in (value if isinstance(value, list) else [value]):
                if isinstance(item, LineDict):      # every mapping load_yaml reads
                    if "id" in item and isinstance(item["id"], str):
                        self._define(ids, item["id"], display, item.line)
                    self._collect_nested_ids(ids, item, display)

    # ------------------------------------------------------------------ term and value checks
    def _check_node(self, node: LineDict, source: SourceFile, corpus: Corpus, skip=()) -> None:
        vocab = self.vocabulary
        if "type" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            for type_name in types:
                if not vocab.is_class(vocab.expand(type_name)):
                    raise SourceError(f"unknown class {type_name!r} (not declared in the ontology)",
                                      file=source.display, line=node.line_of("type"), term=type_name)
        for key, value in node.items():
            if key in NODE_KEYWORDS or key in skip:
                continue
            self._check_claim(key, value, node.line_of(key), source, corpus)

    def _check_claim(self, key: str, value, line: int, source: SourceFile, corpus: Corpus) -> None:
        vocab = self.vocabulary
        term = vocab.term(key)
        external = key in vocab.terms and not term.iri.startswith(vocab.vocab)
        if not external and not vocab.is_property(term.iri):
            raise SourceError(f"unknown property {key!r}: it is neither a term of "
                              f"mappings/context.jsonld nor a property declared in the ontology",
                              file=source.display, line=line, term=key)
        if term.kind == "literal" and vocab.is_object_property(term.iri):
            raise SourceError(f"{key!r} is an object property in the ontology but the context "
                              f"maps it as a literal (add \"@type\": \"@id\" to its term)",
                              file=self.vocabulary.context_path.name, term=key)
        if term.kind == "language-map":
            self._check_language_map(key, value, line, source)
            return
        values = value if isinstance(value, list) else [value]
        for index, item in enumerate(values):
            item_line = value.line_of(index) if isinstance(value, LineList) else line
            if isinstance(item, LineDict):          # every mapping load_yaml reads
                if term.kind != "ref":
                    raise MalformedValueError(f"{key!r} takes a literal, not an object",
                                              file=source.display, line=item_line, term=key)
                if isinstance(value, list) and "id" not in item:
                    raise SchemaError("an object inside a list needs its own `id`",
                                      file=source.display, line=item_line, term=key)
                self._check_node(item, source, corpus)
            elif term.kind == "ref":
                if not isinstance(item, str):
                    raise MalformedValueError(f"{key!r} links to a thing: give an id, not {item!r}",
                                              file=source.display, line=item_line, term=key)
                if ":" not in item and item not in corpus.ids:
                    raise UnknownEntityError(f"unknown id {item!r} (defined in no registry, record "
                                             f"or annotation file)", file=source.display,
                                             line=item_line, term=item)
            elif term.kind == "vocab":
                if not isinstance(item, str) or not vocab.is_declared(vocab.expand(
                        self._vocab_value(item))):
                    raise MalformedValueError(f"{item!r} is not a value the ontology defines for "
                                              f"{key!r}", file=source.display, line=item_line,
                                              term=key)
            else:
                self._check_literal(term, item, source, item_line)

    @staticmethod
    def _check_language_map(key: str, value, line: int, source: SourceFile) -> None:
        """``{ko: 김일성}``: each text under the language tag it is written in."""
        if not isinstance(value, dict) or not value:
            raise MalformedValueError(f"{key!r} takes texts keyed by their language tag, e.g. "
                                      f"{{ru: ...}}, not {value!r}", file=source.display,
                                      line=line, term=key)
        for tag, text in value.items():
            if not isinstance(tag, str) or not LANGUAGE_TAG.fullmatch(tag):
                raise MalformedValueError(f"{tag!r} is not a language tag (BCP 47, e.g. 'ru', "
                                          f"'ko', 'ko-Latn')", file=source.display, line=line,
                                          term=key)
            if not isinstance(text, str) or not text.strip():
                raise MalformedValueError(f"{key!r}: the {tag!r} text is empty or not text",
                                          file=source.display, line=line, term=key)

    def _vocab_value(self, item: str) -> str:
        definition = self.vocabulary.context_document["@context"].get(item)
        return definition if isinstance(definition, str) else item

    @staticmethod
    def _check_literal(term, item, source: SourceFile, line: int) -> None:
        if isinstance(item, (list, dict)) or item is None:
            raise MalformedValueError(f"{term.name!r} has no value", file=source.display,
                                      line=line, term=term.name)
        if term.datatype == EDTF:
            edtf_bounds(str(item), source.display, line, term.name)
        elif term.datatype == XSD + "integer":
            if isinstance(item, bool) or not isinstance(item, int):
                raise MalformedValueError(f"{term.name!r} must be a whole number, not {item!r}",
                                          file=source.display, line=line, term=term.name)
            if item < 0:
                raise MalformedValueError(f"{term.name!r} cannot be negative ({item})",
                                          file=source.display, line=line, term=term.name)
        elif term.datatype == XSD + "decimal":
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise MalformedValueError(f"{term.name!r} must be a number, not {item!r}",
                                          file=source.display, line=line, term=term.name)
        elif term.datatype == XSD + "boolean" and not isinstance(item, bool):
            raise MalformedValueError(f"{term.name!r} must be true or false, not {item!r}",
                                      file=source.display, line=line, term=term.name)

    def _segments(self, doc: DocumentInput) -> list[texts.Segment]:
        record = doc.record
        segments = []
        for index, segment in enumerate(record.data["segments"]):
            line = record.data["segments"].line_of(index)
            occurrence = segment.get("occurrence")
            start = texts.locate(doc.text, segment["from"], occurrence)
            if isinstance(start, str):
                raise QuoteNotFoundError(f"segment start {segment['from']!r}: {start}",
                                         file=record.display, line=line)
            ends = [s for s in texts.find_all(doc.text, segment["to"]) if s.start >= start.start]
            if not ends:
                raise QuoteNotFoundError(f"segment end {segment['to']!r} is not in the text after "
                                         f"its start", file=record.display, line=line)
            segments.append(texts.Segment(segment["kind"], start.start, ends[0].end))
        for before, after in zip(segments, segments[1:], strict=False):
            if after.start < before.end:
                raise SourceError("segments overlap or are out of order",
                                  file=record.display, line=record.data["segments"].line)
        return segments

    def _check_annotations(self, doc: DocumentInput, corpus: Corpus) -> None:
        source = doc.annotations
        assert source is not None, "called for a document with annotations"
        for thing in source.data.get("things") or []:
            self._check_node(thing, source, corpus)
        subjects = set()
        for index, statement in enumerate(source.data["statements"]):
            line = source.data["statements"].line_of(index)
            subject = statement["subject"]
            if subject not in corpus.ids:
                raise UnknownEntityError(f"unknown subject id {subject!r}", file=source.display,
                                         line=statement.line_of("subject"), term=subject)
            subjects.add(subject)
            self._check_node(statement["claims"], source, corpus)
            for written, entity in (statement.get("names") or {}).items():
                if entity not in corpus.ids:
                    raise UnknownEntityError(f"unknown id {entity!r} for the name {written!r}",
                                             file=source.display, line=statement.line_of("names"),
                                             term=entity)
                if not texts.contains_words(statement["quote"], written):
                    raise QuoteNotFoundError(f"the name {written!r} is not written in the quote",
                                             file=source.display, line=statement.line_of("names"),
                                             term=written)
            self._place_quote(doc, statement["quote"], statement.get("occurrence"), source, line)
        for index, thing in enumerate(source.data.get("things") or []):
            if thing["id"] not in subjects:
                raise SourceError(f"the thing {thing['id']!r} is the subject of no statement: "
                                  f"nothing in the text supports it",
                                  file=source.display, line=source.data["things"].line_of(index),
                                  term=thing["id"])

    def _place_quote(self, doc: DocumentInput, quote: str, occurrence, source: SourceFile,
                     line: int) -> texts.Located:
        found = texts.locate(doc.text, quote, occurrence)
        if isinstance(found, str):
            raise QuoteNotFoundError(f"{found} ({doc.text_path.name}): {quote!r}",
                                     file=source.display, line=line)
        for segment in doc.segments:
            if segment.kind == "nondocument" and found.start < segment.end and found.end > segment.start:
                raise QuoteNotFoundError(f"the quote stands in a part of the text that is not the "
                                         f"document (a 'nondocument' segment): {quote!r}",
                                         file=source.display, line=line)
        return found

    # ------------------------------------------------------------------ JSON-LD
    def iri(self, node_id: str) -> str:
        return f"{self.base_iri}id/{node_id}"

    def context(self) -> list:
        return [self.vocabulary.context_document["@context"],
                {"@base": f"{self.base_iri}id/", "akgr": RAW}]

    def registry_jsonld(self, corpus: Corpus) -> dict:
        graph_iri = namespaces.graph_iri(self.base_iri, namespaces.ENTITIES)
        nodes = [self._node(entry) for source in corpus.registries for entry in source.data or []]
        meta = {"@id": graph_iri, "@type": "akgr:Registry", "@graph": nodes,
                "akgr:files": [s.display for s in corpus.registries]}
        return {"@context": self.context(), "@graph": [meta]}

    def document_jsonld(self, doc: DocumentInput) -> dict:
        doc_iri = self.iri(doc.doc_id)
        graph_iri = namespaces.graph_iri(self.base_iri, doc.doc_id)
        record = doc.record.data
        nodes: list[dict] = []
        base = {"akgr:document": {"@id": doc_iri}, "akgr:graph": {"@id": graph_iri}}

        record_fields = {k: v for k, v in record.items() if k not in RECORD_FORMAT_KEYS}
        nodes.append({"@id": graph_iri, "@type": "akgr:Curated", **base,
                      "@graph": [self._node(record_fields)]})
        nodes.append({"@id": f"{doc_iri}/text", "@type": "akgr:Text", **base,
                      "akgr:file": f"data/documents/{doc.text_path.name}",
                      "akgr:length": len(doc.text),
                      "akgr:sha256": _digest(doc.text.encode("utf-8"))})
        for segment in doc.segments:
            nodes.append({"@id": f"{doc_iri}/text/segment/{segment.start}-{segment.end}",
                          "@type": "akgr:Segment", **base, "akgr:kind": segment.kind,
                          "akgr:start": segment.start, "akgr:end": segment.end})

        statements = []
        for field_name, evidence in (record.get("evidence") or {}).items():
            if field_name not in record:
                raise SourceError(f"evidence is given for {field_name!r}, which the record does not have",
                                  file=doc.record.display, line=record["evidence"].line_of(field_name),
                                  term=field_name)
            evidence = evidence if isinstance(evidence, dict) else {"quote": evidence}
            statements.append((doc.record, record["evidence"].line_of(field_name),
                               {"subject": doc.doc_id, "claims": {field_name: record[field_name]},
                                **evidence}))
        if doc.annotations:
            data = doc.annotations.data
            for thing in data.get("things") or []:
                nodes[0]["@graph"].append(self._node(thing))
            for index, statement in enumerate(data["statements"]):
                statements.append((doc.annotations, data["statements"].line_of(index), statement))

        seen: dict[str, int] = {}
        for source, line, statement in statements:
            nodes.extend(self._statement(doc, source, line, statement, base, seen))
        return {"@context": self.context(), "@graph": nodes}

    def _statement(self, doc: DocumentInput, source: SourceFile, line: int, statement: dict,
                   base: dict, seen: dict) -> list[dict]:
        located = self._place_quote(doc, statement["quote"], statement.get("occurrence"), source, line)
        key = json.dumps({"s": statement["subject"], "c": statement["claims"],
                          "q": [located.start, located.end]}, sort_keys=True, ensure_ascii=False)
        digest = hashlib.md5(key.encode("utf-8")).hexdigest()[:16]
        if digest in seen:
            raise DuplicateIdError(f"the same statement is made twice (first at line {seen[digest]})",
                                   file=source.display, line=line)
        seen[digest] = line
        statement_iri = f"{self.iri(doc.doc_id)}/statement/{digest}"
        certainty = statement.get("certainty", "certain")
        subject = self._node({"id": statement["subject"], **statement["claims"]})
        node = {"@id": statement_iri, "@type": "akgr:Statement", **base,
                "akgr:quote": statement["quote"], "akgr:exact": located.exact,
                "akgr:prefix": located.prefix, "akgr:suffix": located.suffix,
                "akgr:start": located.start, "akgr:end": located.end,
                "akgr:certainty": {"@id": self.vocabulary.expand(certainty)},
                "akgr:file": source.display, "akgr:line": line,
                "@graph": [subject]}
        if statement.get("note"):
            node["akgr:note"] = statement["note"]
        result = [node]
        for written, entity in sorted((statement.get("names") or {}).items()):
            mention_key = f"{statement_iri} {written} {entity}".encode()
            result.append({"@id": f"{self.iri(doc.doc_id)}/mention/"
                                  f"{hashlib.md5(mention_key).hexdigest()[:16]}",
                           "@type": "akgr:Mention", **base, "akgr:statement": {"@id": statement_iri},
                           "akgr:nameAsWritten": written, "akgr:refersTo": {"@id": self.iri(entity)}})
        return result

    def _node(self, data: dict) -> dict:
        """A YAML mapping as a JSON-LD node object: typed literals explicit, nested ids kept."""
        node: dict = {}
        for key, value in data.items():
            if key in NODE_KEYWORDS:
                node[key] = value
                continue
            term = self.vocabulary.term(key)
            node[key] = [self._value(term, item, data, key, i) for i, item in enumerate(value)] \
                if isinstance(value, list) else self._value(term, value, data, key, None)
        return node

    def _value(self, term, value, parent: dict, key: str, index):
        if term.kind == "language-map":
            return dict(value)      # a JSON-LD language map: the processor tags each text
        if isinstance(value, dict):
            if "id" not in value:  # a single nested object is named after its parent and key
                value = LineDict({"id": f"{parent['id']}-{key}", **value})
            return self._node(value)
        if term.kind == "ref":
            return {"@id": value}
        if term.kind == "vocab":
            return {"@id": self.vocabulary.expand(self._vocab_value(value))}
        if term.datatype:
            return {"@value": str(value).lower() if isinstance(value, bool) else str(value),
                    "@type": term.datatype}
        return value


def raw_edtf_bounds(values) -> bytes:
    """The raw nodes giving the bounds of these EDTF values, as N-Triples for the default graph
    (the date rules of mappings/rules/derive read them: a pure function of the literal)."""
    lines = []
    for value in sorted(set(values)):
        earliest, latest = edtf_bounds(value)
        node = f"<urn:archivekg:edtf:{urlquote(value, safe='')}>"
        lines.append(f'{node} <{RAW}edtf> "{value}"^^<{EDTF}> .')
        if earliest:
            lines.append(f'{node} <{RAW}earliest> "{earliest}"^^<{XSD}date> .')
        if latest:
            lines.append(f'{node} <{RAW}latest> "{latest}"^^<{XSD}date> .')
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def edtf_bounds(value: str, file: str | None = None, line: int | None = None,
                term: str | None = None) -> tuple[str | None, str | None]:
    """Earliest and latest day an EDTF value can mean (None for an open end)."""
    bounds = _BOUNDS.get(value)
    if bounds is None:
        bounds = _plain_bounds(value) or _library_bounds(value, file, line, term)
        _BOUNDS[value] = bounds
    return bounds


# The edtf library parses with pyparsing, ~10 ms a value: a corpus of thousands of documents
# would spend minutes there.  Values are few (days recur), so they are remembered, and the
# common forms (a day, a month, a year, an interval of them, open with "..") are computed
# directly; anything else, and any value that is not a real calendar date, goes to the
# library, so its answers and its error messages stay the authority.
_BOUNDS: dict[str, tuple[str | None, str | None]] = {}
_PLAIN = re.compile(r"([1-9][0-9]{3})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _plain_bounds(value: str) -> tuple[str | None, str | None] | None:
    if "/" in value:
        start, _, end = value.partition("/")
        if start == end == "..":
            return None
        low = (None, None) if start == ".." else _plain_date(start)
        high = (None, None) if end == ".." else _plain_date(end)
        return None if low is None or high is None else (low[0], high[1])
    return _plain_date(value)


def _plain_date(text: str) -> tuple[str, str] | None:
    match = _PLAIN.fullmatch(text)
    if not match:
        return None
    year, month, day = match[1], match[2], match[3]
    try:
        if day:
            date(int(year), int(month), int(day))
            return text, text
        if month:
            last = calendar.monthrange(int(year), int(month))[1]
            return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    except ValueError:   # not a calendar date: the library decides what it means
        return None
    return f"{year}-01-01", f"{year}-12-31"


def _library_bounds(value: str, file, line, term) -> tuple[str | None, str | None]:
    try:
        parsed = edtf.parse_edtf(value)
        lower, upper = parsed.lower_strict(), parsed.upper_strict()
    except Exception as exc:  # the edtf library raises several exception types
        raise MalformedValueError(f"{value!r} is not a valid EDTF date ({exc})",
                                  file=file, line=line, term=term) from exc

    def day(bound):
        if not hasattr(bound, "tm_year"):
            return None  # an open interval end (infinity)
        return f"{bound.tm_year:04d}-{bound.tm_mon:02d}-{bound.tm_mday:02d}"

    return day(lower), day(upper)
