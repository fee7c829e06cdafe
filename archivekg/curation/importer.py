"""``archivekg import``: a document as published → its text and its record in data/documents/.

The text is written as received (a saved page: its visible text, see source.py) to
``documents/<id>.txt``; the record beside it holds every catalogue field the text gives, each
with the words it was read from (``evidence``), the segments of the text, and notes saying what
could not be read.  Nothing is written unless all of it can be: a refused file leaves data/ as
it was.  Importing the same text again changes nothing; a different text for a document
imported before is reported and kept out unless ``replace`` is asked for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from archivekg.curation import gazetteer as gazetteer_module
from archivekg.curation.catalog import Catalog, read_catalog
from archivekg.curation.layout import SegmentSpec, classify, segments
from archivekg.curation.source import Source, read_source
from archivekg.curation.yamltext import block as yaml_block
from archivekg.errors import ImportConflict, ImportRefused
from archivekg.pipeline import texts

FIELD_ORDER = ("title", "documentType", "date", "dateNumbered", "dateStamped", "periodCovered",
               "placeOfWriting", "author", "addressee", "draftedBy", "typedBy", "documentNumber",
               "classification", "copyNumber", "numberOfCopies", "copies", "citation", "translator",
               "translationPublisher", "originalLanguage", "supportedBy", "credits", "summary",
               "sourceUrl", "rights")
_STOP = {"the", "and", "for", "from", "with", "about", "into", "its", "his", "her", "their", "this", "that"}
TYPE_WORDS = {"record of conversation": "conversation", "journal entry": "journal"}


@dataclass
class Imported:
    doc_id: str
    status: str                       # "imported", "unchanged", "replaced"
    source: Path
    record: Path
    text: Path
    catalog: Catalog | None = None
    segments: list[SegmentSpec] = field(default_factory=list)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def import_file(path: Path, data_dir: Path, *, max_bytes: int, doc_id: str | None = None,
                replace: bool = False, gazetteer=None, today: dt.date | None = None) -> Imported:
    data_dir = Path(data_dir)
    documents = data_dir / "documents"
    if not documents.is_dir():
        raise ImportRefused("the data folder has no documents/ folder", file=str(data_dir))
    source = read_source(Path(path), max_bytes)
    blocks = classify(source.text, source.title, source.outside)
    if not any(block.kind == "body" for block in blocks):
        what = "only site material (navigation, labels, boilerplate)" if blocks else "no text"
        raise ImportRefused(f"no document body found: the {'page' if source.html else 'text'} "
                            f"holds {what}", file=str(path))
    gazetteer = gazetteer or gazetteer_module.load(data_dir)
    catalog = read_catalog(source.text, blocks, gazetteer, source.title)
    if "title" not in catalog.fields:
        raise ImportRefused("no title found (neither a heading nor a first line to take it from)",
                            file=str(path))
    if doc_id is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", doc_id):
        raise ImportRefused(f"the id {doc_id!r} is not lowercase ASCII words joined by '-'", file=str(path))

    same = _same_text(documents, source.text)
    if same is not None and (doc_id is None or doc_id == same):
        return Imported(same, "unchanged", Path(path), documents / f"{same}.yaml", documents / f"{same}.txt")
    asked = doc_id
    doc_id = doc_id or derive_id(catalog)
    status = "imported"
    base, n = doc_id, 1
    while (documents / f"{doc_id}.yaml").exists() or (documents / f"{doc_id}.txt").exists():
        if replace and (asked or _imported_from(documents / f"{doc_id}.yaml", source.path.name)):
            status = "replaced"
            break
        if asked or _imported_from(documents / f"{doc_id}.yaml", source.path.name):
            # The same file (or the id asked for) with another text: a change, never overwritten silently.
            raise ImportConflict(_conflict(doc_id, documents / f"{doc_id}.txt", source.text, path))
        n += 1               # another document whose meaning gives the same id
        doc_id = f"{base}-{n}"
    record_path, text_path = documents / f"{doc_id}.yaml", documents / f"{doc_id}.txt"

    specs = segments(source.text, blocks)
    record = render_record(doc_id, source, catalog, specs, today or dt.date.today())
    _check_placeable(source.text, specs, catalog, path)
    _write_both(text_path, source.text, record_path, record)
    return Imported(doc_id, status, Path(path), record_path, text_path, catalog, specs)


def derive_id(catalog: Catalog) -> str:
    """An id from meaning: the kind of document, its author, its date (memo-byakov-1954-12-20)."""
    kind = catalog.value("documentType")
    parts = [slug(TYPE_WORDS.get(kind, kind)).split("-")[0]] if kind else []
    author = catalog.value("author")
    unknown = next((written for name, written in catalog.unknown if name == "author"), None)
    if author:
        parts.append(author.split("-")[0])
    elif unknown and slug(unknown.split()[-1]):
        parts.append(slug(unknown.split()[-1]))       # a surname the registries do not know yet
    else:
        words = [w for w in slug(catalog.value("title")).split("-") if len(w) > 2 and w not in _STOP][:5]
        parts.extend(w for w in words if w not in parts)
    if catalog.value("date"):
        parts.append(catalog.value("date"))
    return "-".join(p for p in parts if p)[:80].strip("-") or "document"


def _same_text(documents: Path, text: str) -> str | None:
    """The id of the record whose text is this text, if one is."""
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    with os.scandir(documents) as entries:
        for entry in entries:
            if entry.name.endswith(".txt") and entry.stat().st_size == len(data):
                with open(entry.path, "rb") as handle:
                    if hashlib.sha256(handle.read()).hexdigest() != digest:
                        continue
                for record in documents.glob("*.yaml"):
                    if re.search(rf"^text:\s*\"?{re.escape(entry.name)}\"?\s*$",
                                 record.read_text(encoding="utf-8"), re.MULTILINE):
                        return record.stem
    return None


def _imported_from(record: Path, name: str) -> bool:
    """Whether the record says it was imported from a file of this name."""
    if not record.is_file():
        return False
    return f"by `archivekg import` from {json.dumps(name)[1:-1]} " in record.read_text(encoding="utf-8")


def _conflict(doc_id: str, text_path: Path, new: str, path) -> str:
    if not text_path.exists():
        return (f"{path}: a document {doc_id!r} exists already (data/documents/{doc_id}.yaml) with "
                f"another text; import this one with --id, or replace that one with --replace")
    old = text_path.read_text(encoding="utf-8").split("\n")
    lines = new.split("\n")
    first = next((i for i, (a, b) in enumerate(zip(old, lines, strict=False)) if a != b), min(len(old), len(lines)))
    shown = (lines[first] if first < len(lines) else "(end of text)")[:80]
    return (f"{path}: {doc_id!r} was imported before from a different text (data/documents/{doc_id}.txt, "
            f"{len(old)} lines; the new text has {len(lines)}; first difference at line {first + 1}: "
            f"{shown!r}); nothing was written: re-run with --replace to overwrite it, or with --id to "
            f"import it as another document")


def render_record(doc_id: str, source: Source, catalog: Catalog, specs: list[SegmentSpec],
                  today: dt.date) -> str:
    data: dict = {"id": doc_id, "text": f"{doc_id}.txt", "type": "ArchivalDocument"}
    for name in FIELD_ORDER:
        if name not in catalog.fields:
            continue
        value = catalog.fields[name].value
        if name == "copies":
            assert isinstance(value, list), "the catalogue reads copies as a list"
            seen, copies = set(), []
            for copy in value:
                if copy["copyNumber"] not in seen:
                    seen.add(copy["copyNumber"])
                    copies.append({**copy, "id": f"{doc_id}-copy-{copy['copyNumber']}"})
            value = copies
        elif name == "citation":
            assert isinstance(value, dict), "the catalogue reads a citation as a dict"
            value = {"id": f"{doc_id}-citation", **value}
        data[name] = value
    kind = "the visible text of the saved web page" if source.html else "the text file"
    notes = [f"Imported on {today.isoformat()} by `archivekg import` from {source.path.name} ({kind}); "
             f"the fields below were read from the text by their wording: check them."]
    if catalog.unread:
        notes.append("Not found in the text: " + ", ".join(catalog.unread) + ".")
    for name, written in catalog.unknown:
        notes.append(f"{name}: the text names {written!r}, who is not in the registries: the field is "
                     f"left out (`archivekg annotate` proposes the name as a new entry).")
    for name, field_found in catalog.fields.items():
        if field_found.note:
            notes.append(f"{name}: {field_found.note}.")
    data["note"] = notes
    data["segments"] = [spec.yaml() for spec in specs]
    evidence = {}
    for name in FIELD_ORDER:
        found = catalog.fields.get(name)
        if found is not None and found.quote is not None and name in data:
            evidence[name] = found.quote.text if found.quote.occurrence is None else found.quote.yaml()
    if evidence:
        data["evidence"] = evidence
    header = f"# The archival record of {doc_id}, made by `archivekg import` (text: {doc_id}.txt).\n"
    return header + "\n".join(yaml_block(data)) + "\n"


def _check_placeable(text: str, specs: list[SegmentSpec], catalog: Catalog, path) -> None:
    """Every quote of the record is found where the build will look for it."""
    for spec in specs:
        found = texts.locate(text, spec.frm, spec.occurrence)
        if isinstance(found, str) or found.start != spec.start:
            raise ImportRefused(f"internal: segment start {spec.frm!r} cannot be placed ({found})", file=str(path))
    for name, field_found in catalog.fields.items():
        if field_found.quote is not None:
            located = texts.locate(text, field_found.quote.text, field_found.quote.occurrence)
            if isinstance(located, str):
                raise ImportRefused(f"internal: the evidence of {name} cannot be placed ({located})",
                                    file=str(path))


def _write_both(text_path: Path, text: str, record_path: Path, record: str) -> None:
    """Both files or neither."""
    from archivekg.pipeline.yamlload import load_yaml

    temporary = []
    try:
        for target, content in ((text_path, text), (record_path, record)):
            partial = target.with_name(f".{target.name}.partial")
            partial.write_text(content, encoding="utf-8")
            temporary.append((partial, target))
        load_yaml(temporary[1][0], str(record_path))       # what we wrote reads back
        for partial, target in temporary:
            partial.replace(target)
    finally:
        for partial, _ in temporary:
            partial.unlink(missing_ok=True)

