"""``archivekg review``: a person accepts or rejects each proposal.

Accepting moves the proposal into the data as a curator would write it: its things and its
statement at the end of ``annotations/<doc-id>.yaml`` (created if need be), with ``accepted:
{by, on, proposal}``; a new name becomes an entry of its registry, and a known entity written in
a form its entry does not list gets that form as a variant.  Rejecting records the proposal in
``annotations/<doc-id>.rejected.yaml`` so that ``archivekg annotate`` never proposes it again.
Either way the proposal leaves the proposals file.

Files are edited as text where curators keep comments (annotations, registries): new lines are
added, nothing else is rewritten.  Every file is read back with the build's own YAML loader
before it replaces the old one, and all files of one decision are replaced together, under a
lock, so that two reviewers (or two server processes) cannot interleave.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import re
from contextlib import contextmanager
from pathlib import Path

from archivekg.curation.gazetteer import name_key
from archivekg.curation.yamltext import block, flow, list_item, scalar
from archivekg.datalayout import proposals_name, rejected_name
from archivekg.errors import ReviewError
from archivekg.pipeline import texts
from archivekg.pipeline.yamlload import load_yaml

LOCK = ".review.lock"
STATEMENT_KEYS = ("subject", "claims", "names", "certainty", "note")


def write_checked(path: Path, content: str, check: bool = True) -> None:
    """Replace ``path`` with ``content`` once it reads back as YAML (``check``)."""
    _replace_all({Path(path): content}, check)


def _replace_all(files: dict[Path, str], check: bool = True) -> None:
    partials = []
    try:
        for path, content in files.items():
            partial = path.with_name(f".{path.name}.partial")
            partial.write_text(content, encoding="utf-8")
            partials.append((partial, path))
            if check:
                load_yaml(partial, str(path))
        for partial, path in partials:
            partial.replace(path)
    finally:
        for partial, _ in partials:
            partial.unlink(missing_ok=True)


@contextmanager
def locked(data_dir: Path):
    path = Path(data_dir) / "annotations" / LOCK
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pending(data_dir: Path, doc_id: str) -> list[dict]:
    """The proposals of a document still waiting for a decision."""
    from archivekg.curation.proposals import read

    return list(read(data_dir, doc_id).get("proposals") or [])


def accept(data_dir: Path, doc_id: str, proposal_id: str, reviewer: str, today: dt.date | None = None) -> dict:
    return _decide(data_dir, doc_id, proposal_id, reviewer, today, accepted=True)


def reject(data_dir: Path, doc_id: str, proposal_id: str, reviewer: str, today: dt.date | None = None,
           reason: str | None = None) -> dict:
    return _decide(data_dir, doc_id, proposal_id, reviewer, today, accepted=False, reason=reason)


def _decide(data_dir: Path, doc_id: str, proposal_id: str, reviewer: str, today, *, accepted: bool,
            reason: str | None = None) -> dict:
    data_dir = Path(data_dir)
    reviewer = " ".join((reviewer or "").split())
    if not reviewer:
        raise ReviewError("say who reviews: a reviewer's name is recorded with every decision")
    today = today or dt.date.today()
    with locked(data_dir):
        proposals_path = data_dir / "annotations" / proposals_name(doc_id)
        if not proposals_path.is_file():
            raise ReviewError(f"no proposals for {doc_id}: run `archivekg annotate {doc_id}` first")
        made = load_yaml(proposals_path)
        remaining = [p for p in made.get("proposals") or [] if p["id"] != proposal_id]
        found = [p for p in made.get("proposals") or [] if p["id"] == proposal_id]
        if not found:
            raise ReviewError(f"{doc_id} has no pending proposal {proposal_id!r} (decided already, or "
                              f"made by an earlier `archivekg annotate`)")
        proposal = found[0]
        files: dict[Path, str] = {}
        if accepted:
            _check_text(data_dir, doc_id, made)
            _check_new_ids(data_dir, doc_id, proposal)
            files.update(_registry_edits(data_dir, proposal, reviewer, today))
            files[data_dir / "annotations" / f"{doc_id}.yaml"] = _annotations_edit(
                data_dir, doc_id, proposal, reviewer, today)
        else:
            files[data_dir / "annotations" / rejected_name(doc_id)] = _rejection(
                data_dir, doc_id, proposal, reviewer, today, reason)
        files[proposals_path] = _without(proposals_path, made, remaining)
        _replace_all(files)
    return proposal


def _check_text(data_dir: Path, doc_id: str, made: dict) -> None:
    record = load_yaml(data_dir / "documents" / f"{doc_id}.yaml")
    text = (data_dir / "documents" / record["text"]).read_text(encoding="utf-8")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != made.get("textSha256"):
        raise ReviewError(f"the text of {doc_id} changed after the proposals were made: run "
                          f"`archivekg annotate {doc_id}` again")


def _check_new_ids(data_dir: Path, doc_id: str, proposal: dict) -> None:
    """A thing the proposal introduces must not take an id defined since it was proposed."""
    from archivekg.curation.gazetteer import defined_ids

    path = data_dir / "annotations" / f"{doc_id}.yaml"
    own = {t["id"] for t in ((load_yaml(path) or {}).get("things") or [])} if path.is_file() else set()
    taken = defined_ids(data_dir) - own
    for thing in proposal.get("things") or []:
        if thing["id"] in taken:
            raise ReviewError(f"the id {thing['id']!r} of this proposal is now defined elsewhere in data/: "
                              f"run `archivekg annotate {doc_id}` again")


def _registry_edits(data_dir: Path, proposal: dict, reviewer: str, today: dt.date) -> dict[Path, str]:
    registries: dict[str, tuple[Path, str, list]] = {}

    def registry(name: str):
        if name not in registries:
            path = data_dir / "entities" / f"{name}.yaml"
            if not path.is_file():
                raise ReviewError(f"no registry data/entities/{name}.yaml for the new entry")
            registries[name] = (path, path.read_text(encoding="utf-8"), load_yaml(path) or [])
        return registries[name]

    known = {}
    for path in sorted((data_dir / "entities").glob("*.yaml")):
        for entry in load_yaml(path) or []:
            known[entry["id"]] = path.stem
    changed: dict[str, str] = {}
    for item in proposal.get("entities") or []:
        entry = dict(item["entry"])
        if entry["id"] in known:
            continue
        path, text, _ = registry(item["registry"])
        entry["note"] = f"{entry.get('note', '').rstrip('.')}. Accepted by {reviewer} on {today.isoformat()}."
        current = changed.get(item["registry"], text)
        changed[item["registry"]] = current.rstrip("\n") + "\n\n" + "\n".join(list_item(entry)) + "\n"
        known[entry["id"]] = item["registry"]
    # A known entity written in a form its entry does not list: the form becomes a variant.
    for written, entity in (proposal["statement"].get("names") or {}).items():
        if entity not in known or any(e["entry"]["id"] == entity for e in proposal.get("entities") or []):
            continue
        name = known[entity]
        path, text, entries = registry(name)
        entry = next(e for e in entries if e["id"] == entity)
        forms = [entry["name"], *(entry.get("variants") or [])]
        if written in forms or name_key(written) in {name_key(f) for f in forms}:
            continue
        changed[name] = _add_variant(changed.get(name, text), entity, written)
    return {registries[name][0]: text for name, text in changed.items()}


def _add_variant(text: str, entity: str, written: str) -> str:
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(rf"^- id:\s*\"?{re.escape(entity)}\"?\s*$", line)), None)
    if start is None:
        raise ReviewError(f"cannot find the entry {entity!r} in its registry to add the variant {written!r}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    for i in range(start + 1, end):
        flow_list = re.match(r"^(\s+variants:\s*)\[(.*)\]\s*$", lines[i])
        if flow_list:
            items = flow_list.group(2).strip()
            lines[i] = f"{flow_list.group(1)}[{items + ', ' if items else ''}{scalar(written)}]"
            return "\n".join(lines)
        if re.match(r"^\s+variants:\s*$", lines[i]):
            j = i + 1
            while j < end and re.match(r"^\s*-\s", lines[j]) and not lines[j].startswith("- "):
                j += 1
            item = re.match(r"^(\s*)-\s", lines[i + 1]) if i + 1 < end else None
            indent = item.group(1) if item else "  "
            lines.insert(j, f"{indent}- {scalar(written)}")
            return "\n".join(lines)
    insert_at = end
    while insert_at > start + 1 and not lines[insert_at - 1].strip():
        insert_at -= 1
    lines[insert_at:insert_at] = ["  variants:", f"  - {scalar(written)}"]
    return "\n".join(lines)


def _statement_lines(proposal: dict, reviewer: str, today: dt.date) -> list[str]:
    statement = proposal["statement"]
    lines = [f"  - quote: {scalar(' '.join(proposal['quote'].split()))}"]
    if proposal.get("occurrence"):
        lines.append(f"    occurrence: {proposal['occurrence']}")
    lines.append(f"    subject: {statement['subject']}")
    lines.append("    claims:")
    for key, value in statement["claims"].items():
        lines.append(f"      {key}: {flow(value)}")
    if statement.get("names"):
        lines.append(f"    names: {flow(statement['names'])}")
    for key in ("certainty", "note"):
        if statement.get(key):
            lines.append(f"    {key}: {scalar(statement[key])}")
    lines.append(f"    accepted: {flow({'by': reviewer, 'on': today.isoformat(), 'proposal': proposal['id']})}")
    return lines


def _annotations_edit(data_dir: Path, doc_id: str, proposal: dict, reviewer: str, today: dt.date) -> str:
    path = data_dir / "annotations" / f"{doc_id}.yaml"
    things = proposal.get("things") or []
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        current = load_yaml(path) or {}
    else:
        text = (f"# What {doc_id} states: statements accepted from `archivekg annotate`'s proposals.\n"
                f"document: {doc_id}\n\nthings: []\n\nstatements: []\n")
        current = {"document": doc_id}
    defined = {t["id"] for t in current.get("things") or []}
    new_things = [t for t in things if t["id"] not in defined]
    lines = text.rstrip("\n").split("\n")
    if new_things:
        items = [line for thing in new_things for line in list_item(
            {k: thing[k] for k in ("id", "type", "label") if k in thing}, 2)]
        where = next((i for i, line in enumerate(lines) if re.match(r"^things:\s*(\[\s*\])?\s*$", line)), None)
        if where is not None:
            lines[where] = "things:"
            end = next((i for i in range(where + 1, len(lines)) if re.match(r"^\S", lines[i])), len(lines))
            while end > where + 1 and not lines[end - 1].strip():
                end -= 1
            lines[end:end] = items
        else:
            statements_at = next(i for i, line in enumerate(lines) if re.match(r"^statements:", line))
            lines[statements_at:statements_at] = ["things:", *items, ""]
    statements_at = next(i for i, line in enumerate(lines) if re.match(r"^statements:", line))
    if re.match(r"^statements:\s*\[\s*\]\s*$", lines[statements_at]):
        lines[statements_at] = "statements:"
    lines += _statement_lines(proposal, reviewer, today)
    return "\n".join(lines) + "\n"


def _rejection(data_dir: Path, doc_id: str, proposal: dict, reviewer: str, today: dt.date,
               reason: str | None) -> str:
    path = data_dir / "annotations" / rejected_name(doc_id)
    text = path.read_text(encoding="utf-8") if path.is_file() else (
        f"# Proposals for {doc_id} a person rejected: `archivekg annotate` does not propose them again.\n")
    entry = {"proposal": proposal["id"], "kind": proposal["kind"], "words": proposal["words"],
             "quote": " ".join(proposal["quote"].split()), "by": reviewer, "on": today.isoformat()}
    if reason:
        entry["reason"] = reason
    return text.rstrip("\n") + "\n" + "\n".join(list_item(entry)) + "\n"


def _without(path: Path, made: dict, remaining: list[dict]) -> str:
    head = [line for line in path.read_text(encoding="utf-8").split("\n") if line.startswith("#")]
    lines = head + block({k: made[k] for k in ("document", "made", "textSha256") if k in made})
    lines.append("proposals:" if remaining else "proposals: []")
    for proposal in remaining:
        lines += list_item(_plain(proposal), 2)
    return "\n".join(lines) + "\n"


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def passage(text: str, proposal: dict, context: int = 160) -> tuple[str, str, str, str, str]:
    """The proposal in its passage: (before, quote before the words, the words, quote after the
    words, after), for showing a person."""
    start, end = proposal["quoteAt"]
    word_start, word_end = proposal["at"]
    if not (start <= word_start <= word_end <= end):
        word_start = word_end = start
    located = texts.locate(text, proposal["quote"], proposal.get("occurrence"))
    if isinstance(located, str):
        raise ReviewError(f"the quote of {proposal['id']} is no longer in the text: run annotate again")
    return (text[max(0, start - context):start], text[start:word_start], text[word_start:word_end],
            text[word_end:end], text[end:end + context])


def describe(proposal: dict) -> str:
    """What accepting the proposal states, in a line."""
    statement, kind = proposal["statement"], proposal["kind"]
    claims = statement["claims"]
    if kind == "mention":
        return f"the document mentions {claims['mentions']}"
    if kind == "new-name":
        entry = proposal["entities"][0]["entry"]
        return f"new {entry['type']} {entry['name']!r} ({entry['id']}) in entities/{proposal['entities'][0]['registry']}.yaml"
    things = {t["id"]: t for t in proposal.get("things") or []}
    subject = statement["subject"]
    about = f"{things[subject]['type']} {subject}" if subject in things else subject
    shown = ", ".join(f"{k}: {v}" for k, v in claims.items() if k != "measures")
    return f"{about}: {shown}"
