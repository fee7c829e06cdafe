"""How good and how fast `archivekg import` + `annotate` are (issue 18).

``python -m benchmarks.curation_bench`` prints, per kind of proposal, precision and recall
against curated data (benchmarks/curation_truth.py says exactly how they are counted):

1. **shipped**: the three documents of data/, each left out in turn: its record and
   annotations are put aside, the registries lose the entities only it refers to (and the
   variants only its text writes), its text is imported and annotated as if new, and the
   proposals are scored against what its curators wrote;
2. **generated**: the same for the documents ``benchmarks/generate.py`` makes (``--generated``,
   default 200), whose truth is complete: every sentence annotated;
3. **speed**: ``--speed`` documents (default 1,000) of a generated corpus imported and annotated
   by ``--processes`` processes (default 2), wall-clock time, the registries and gazetteer of the
   whole corpus loaded once per process.

Nothing is written outside a temporary folder.  ``--json FILE`` keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from archivekg.curation import document as document_module
from archivekg.curation import gazetteer as gazetteer_module
from archivekg.curation.gazetteer import Entity, Gazetteer
from archivekg.curation.importer import import_file
from archivekg.curation.proposals import Existing, propose
from archivekg.datalayout import is_curation_file
from archivekg.pipeline import texts
from archivekg.pipeline.yamlload import load_yaml
from archivekg.settings import PROJECT_ROOT
from benchmarks import curation_truth as truth_module
from benchmarks.generate import generate

KINDS = ("mention", "names", "new-name", "new-name type", "date", "date written", "figure", "number", "meeting",
         "post")
TARGETS = {"mention": (0.9, 0.9), "figure": (0.9, 0.9), "date": (0.95, 0.95), "number": (0.95, 0.95),
           "new-name": (None, 0.7)}
MAX_BYTES = 10 * 1024 * 1024


class Corpus:
    """A data/ folder read once: registries, records, texts, annotations."""

    def __init__(self, data: Path):
        self.data = data
        self.entities: dict[str, Entity] = {}
        for path in sorted((data / "entities").glob("*.yaml")):
            for entry in load_yaml(path) or []:
                self.entities[entry["id"]] = gazetteer_module.registry_entity(entry, path.stem)
        self.records, self.texts, self.annotations = {}, {}, {}
        for path in sorted((data / "documents").glob("*.yaml")):
            record = load_yaml(path)
            self.records[record["id"]] = record
            self.texts[record["id"]] = (data / "documents" / record["text"]).read_text(encoding="utf-8")
        for path in sorted((data / "annotations").glob("*.yaml")):
            if not is_curation_file("annotations", path.name):
                annotations = load_yaml(path)
                self.annotations[annotations["document"]] = annotations
        # The names each document's curator wrote for an entity (``names`` of its statements):
        # gazetteer.load gives them to the annotator, so a left-out document keeps the others'.
        self.written = {d: gazetteer_module.names_as_written([a]) for d, a in self.annotations.items()}
        everyone = defaultdict(list)
        for names in self.written.values():
            for entity, forms in names.items():
                everyone[entity] += [f for f in forms if f not in everyone[entity]]
        self.registry = {e.id: (e.type, list(dict.fromkeys([*e.names, *everyone.get(e.id, [])])))
                         for e in self.entities.values()}
        self.refers = {d: truth_module.references(self.records[d], self.annotations.get(d), self.registry)
                       for d in self.records}
        # Which documents write each name (the variants a left-out registry keeps).
        lowered = {d: t.lower() for d, t in self.texts.items()}
        self.writers: dict[str, set[str]] = {}
        for entity in self.entities.values():
            for name in entity.variants:
                if name not in self.writers:
                    needle = " ".join(name.lower().split())
                    self.writers[name] = {d for d, text in lowered.items()
                                          if needle and needle.split()[0] in text and _written(name, text)}
        self.decrees: dict[str, dict[str, str]] = defaultdict(dict)
        self.decree_number: dict[str, str] = {}
        from archivekg.names import document_numbers

        for doc_id, annotations in self.annotations.items():
            for statement in annotations.get("statements") or []:
                for number in truth_module._list(statement["claims"].get("decreeNumber")):
                    for key in document_numbers(f"No. {number}")[:1]:
                        self.decrees[doc_id][key] = statement["subject"]
                    self.decree_number[statement["subject"]] = str(number)

    def left_out(self, doc_id: str) -> Gazetteer:
        """The registries without what only ``doc_id`` refers to or writes."""
        others = set().union(*(refs for d, refs in self.refers.items() if d != doc_id))
        kept = []
        for entity in self.entities.values():
            if entity.id in self.refers[doc_id] and entity.id not in others:
                continue         # only this document refers to it
            variants = [v for v in entity.variants if self.writers[v] - {doc_id}]
            for other, names in self.written.items():
                if other != doc_id:
                    variants += [n for n in names.get(entity.id, []) if n not in variants]
            kept.append(Entity(entity.id, entity.type, entity.name, variants, entity.registry))
        decrees = {k: v for d, numbers in self.decrees.items() if d != doc_id for k, v in numbers.items()}
        return Gazetteer(kept, decrees)


def _written(name: str, lowered_text: str) -> bool:
    words = " ".join(name.lower().split())
    return bool(words) and bool(re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, words.split())) + r"(?!\w)",
                                          lowered_text))


def evaluate(corpus: Corpus, doc_ids: list[str], scratch: Path, echo=None) -> dict[str, truth_module.Score]:
    totals = {kind: truth_module.Score() for kind in KINDS}
    for folder in ("documents", "annotations", "entities"):
        (scratch / folder).mkdir(parents=True, exist_ok=True)
    for number, doc_id in enumerate(doc_ids, 1):
        gazetteer = corpus.left_out(doc_id)
        source = scratch / f"{doc_id}.txt"
        source.write_text(corpus.texts[doc_id], encoding="utf-8")
        done = import_file(source, scratch, max_bytes=MAX_BYTES, doc_id=doc_id, gazetteer=gazetteer)
        doc = document_module.load(scratch, doc_id)
        proposals = [p.yaml() for p in propose(doc, gazetteer, None, Existing(ids=set(gazetteer.entities)))]
        curated = corpus.records[doc_id]
        segments = _segments(corpus.texts[doc_id], curated)
        gold = truth_module.truth(corpus.texts[doc_id], curated, corpus.annotations.get(doc_id), corpus.registry,
                                  set(gazetteer.entities), segments, corpus.decree_number)
        scores = truth_module.score(gold, proposals, load_yaml(done.record), set(gazetteer.entities))
        for kind in KINDS:
            totals[kind].add(scores[kind])
        for path in (done.record, done.text, source):
            path.unlink()
        if echo and number % 50 == 0:
            echo(f"  {number}/{len(doc_ids)} documents")
    return totals


def _segments(text: str, record: dict) -> list:
    found = []
    for spec in record.get("segments") or []:
        start = texts.locate(text, spec["from"], spec.get("occurrence"))
        ends = [s for s in texts.find_all(text, spec["to"]) if s.start >= start.start]
        found.append(texts.Segment(spec["kind"], start.start, ends[0].end))
    return found


def table(title: str, scores: dict[str, truth_module.Score]) -> list[str]:
    lines = [title, f"  {'kind':<14} {'precision':>10} {'recall':>8}   {'right/judged':>13} {'found/truth':>12}"
                    f" {'unjudged':>9}  target (P/R)"]
    for kind in KINDS:
        s = scores[kind]
        target = TARGETS.get(kind)
        shown = "" if target is None else " / ".join("-" if t is None else f"{t:.2f}" for t in target)
        lines.append(f"  {kind:<14} {_fmt(s.precision):>10} {_fmt(s.recall):>8}   {s.right:>6}/{s.judged:<6}"
                     f" {s.found:>5}/{s.truth:<6} {s.unjudged:>9}  {shown}")
    return lines


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


# ---------------------------------------------------------------------------- speed

_worker: dict = {}


def _start_worker(data: str) -> None:
    _worker["data"] = Path(data)
    _worker["gazetteer"] = gazetteer_module.load(Path(data))
    document_module.nlp()


def _one(source: str) -> tuple[str, float]:
    from archivekg.curation.proposals import annotate

    data, gazetteer = _worker["data"], _worker["gazetteer"]
    cpu = time.process_time()
    done = import_file(Path(source), data, max_bytes=MAX_BYTES, gazetteer=gazetteer)
    annotate(data, done.doc_id, gazetteer)
    return done.doc_id, time.process_time() - cpu


def speed(count: int, seed: int, processes: int, work: Path) -> dict:
    generate(count, seed, work / "corpus", shipped=False)
    corpus = work / "corpus" / "data"
    target = work / "target" / "data"
    for folder in ("documents", "annotations"):
        (target / folder).mkdir(parents=True)
    shutil.copytree(corpus / "entities", target / "entities")
    sources = sorted(str(p) for p in (corpus / "documents").glob("*.txt"))
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes, _start_worker, (str(target),)) as pool:
        done = pool.map(_one, sources, chunksize=8)
    finished = time.perf_counter()
    cpu = sum(seconds for _, seconds in done)
    proposals = sum(len(load_yaml(p).get("proposals") or [])
                    for p in (target / "annotations").glob("*.proposals.yaml"))
    return {"documents": len(done), "processes": processes, "seconds": round(finished - started, 2),
            "cpu_ms_per_document": round(1000 * cpu / max(1, len(done)), 1), "proposals": proposals,
            "load_average_before": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generated", type=int, default=200, help="generated documents scored (0: none)")
    parser.add_argument("--speed", type=int, default=1000, help="documents imported and annotated for time (0: none)")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-shipped", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    results: dict = {}

    def echo(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="archivekg-curation-") as folder:
        work = Path(folder)
        if not args.skip_shipped:
            corpus = Corpus(PROJECT_ROOT / "data")
            started = time.perf_counter()
            scores = evaluate(corpus, sorted(corpus.records), work / "shipped")
            results["shipped"] = _figures(scores)
            print("\n".join(table(f"The three shipped documents, each left out in turn "
                                  f"({time.perf_counter() - started:.1f} s)", scores)))
        if args.generated:
            generate(args.generated, args.seed, work / "generated", shipped=False, complete=True)
            corpus = Corpus(work / "generated" / "data")
            started = time.perf_counter()
            scores = evaluate(corpus, sorted(corpus.records), work / "generated-scratch", echo)
            results["generated"] = _figures(scores)
            print("\n".join(table(f"\n{args.generated} generated documents (seed {args.seed}), each left out "
                                  f"in turn ({time.perf_counter() - started:.1f} s)", scores)))
        if args.speed:
            timing = speed(args.speed, args.seed, args.processes, work / "speed")
            results["speed"] = timing
            print(f"\nSpeed: {timing['documents']} generated documents imported and annotated by "
                  f"{timing['processes']} processes in {timing['seconds']} s, starting the processes and loading "
                  f"the registries included ({timing['cpu_ms_per_document']} ms of CPU a document; "
                  f"{timing['proposals']} proposals; load average {timing['load_average_before']} before, "
                  f"{timing['load_average_after']} after: the machine is shared)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _figures(scores: dict[str, truth_module.Score]) -> dict:
    return {kind: {"precision": s.precision, "recall": s.recall, "right": s.right, "judged": s.judged,
                   "found": s.found, "truth": s.truth, "unjudged": s.unjudged} for kind, s in scores.items()}


if __name__ == "__main__":
    main()
