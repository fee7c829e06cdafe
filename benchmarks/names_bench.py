"""How fast the name index answers, at the size of the 10,000-document synthetic corpus.

``python -m benchmarks.names_bench [--documents 10000] [--seed 1] [--queries 2000]`` builds the
registries that ``benchmarks.generate`` makes for that corpus (the shipped registries first, then
the synthetic persons, places and bodies; nothing is written to disk), pads every entity to about
five names with the forms a partner's spreadsheet holds (surname first or last, the given name
unhyphenated, in capitals, with an honorific), builds a ``NameIndex`` and times ``match`` and
``complete`` one call at a time.  It prints the p50 and p99 of each, per kind of query.

Each call is timed ``--repeat`` times (default 3) and its fastest run counts: on a shared
machine a call that the scheduler interrupts takes a time slice longer, which is the machine's
cost, not the index's.  ``--repeat 1`` gives single-shot times.

The weights are the generator's own popularity (Zipf) of each person, settlement and body, so
the tie-breaks are those of the real corpus.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time

from archivekg.names import NameIndex
from archivekg.settings import PROJECT_ROOT
from benchmarks.generate import KOREAN_FAMILY, KOREAN_SYLLABLES, Entity, Registries

NAMES_PER_ENTITY = 5
#: Spellings in other scripts, as the users of the index type them.
OTHER_SCRIPTS = ["Ким Ир Сен", "김일성", "Иванов", "Бяков", "Пхеньян", "평양", "Пак Хон Ён", "박헌영",
                 "Цой Ен Гон", "Нам Ир", "Казахстан", "Молотов", "Штыков", "ВКП(б)", "Хегай"]


def spreadsheet_forms(entity: Entity) -> list[str]:
    """Other written forms of an entity's name, as a partner's spreadsheet would hold them."""
    words = entity.name.replace("-", " ").split()
    forms = [" ".join(words[1:] + words[:1]), " ".join(words[-1:] + words[:-1])]
    if entity.type == "Person":
        forms += [entity.name.replace("-", ""), f"Cde. {entity.name}", entity.name.upper()]
    else:
        forms += [entity.name.upper(), entity.name.replace("-", " "), f"the {entity.name}"]
    return forms


def entries(documents: int, seed: int) -> list[tuple]:
    registries = Registries(random.Random(seed), documents, PROJECT_ROOT / "data" / "entities")
    weights: dict[str, float] = {}
    for popularity in (registries.persons, registries.settlements, registries.bodies):
        previous = 0.0
        for entity, cumulative in zip(popularity.entities, popularity.cumulative, strict=False):
            weights[entity.id] = cumulative - previous
            previous = cumulative
    result = []
    for entity in registries.by_id.values():
        names = list(dict.fromkeys(entity.forms))
        for form in spreadsheet_forms(entity):
            if len(names) >= NAMES_PER_ENTITY:
                break
            if form not in names:
                names.append(form)
        result.append((entity.id, entity.type, [(name, None) for name in names], weights.get(entity.id, 0.0)))
    return result


def typo(rng: random.Random, text: str) -> str:
    position = rng.randrange(len(text))
    if rng.random() < 0.5:
        return text[:position] + text[position + 1:]
    return text[:position] + rng.choice(string.ascii_lowercase) + text[position + 1:]


def queries(rng: random.Random, names: list[str], count: int) -> list[tuple[str, str]]:
    made = []
    for _ in range(count):
        kind = rng.choices(["as written", "typo", "other order", "other script", "unknown"],
                           weights=[40, 20, 15, 15, 10])[0]
        name = rng.choice(names)
        if kind == "typo":
            name = typo(rng, name)
        elif kind == "other order":
            words = name.split()
            name = " ".join(words[-1:] + words[:-1])
        elif kind == "other script":
            name = rng.choice(OTHER_SCRIPTS)
        elif kind == "unknown":
            name = f"{rng.choice(KOREAN_FAMILY)} {rng.choice(KOREAN_SYLLABLES)}{rng.choice(KOREAN_SYLLABLES)}"
        made.append((kind, name))
    return made


def timed(call, arguments: list, repeat: int) -> list[float]:
    """Milliseconds per call, the fastest of ``repeat`` runs of each."""
    times = []
    for argument in arguments:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter_ns()
            call(argument)
            runs.append((time.perf_counter_ns() - start) / 1e6)
        times.append(min(runs))
    return times


def percentiles(times: list[float]) -> str:
    if len(times) < 2:
        return f"too few calls to tell (n={len(times)})"
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return f"p50 {cuts[49]:.3f} ms   p99 {cuts[98]:.3f} ms   max {max(times):.3f} ms   (n={len(times)})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000, help="size of the synthetic corpus")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--queries", type=int, default=2000, help="match calls to time")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each call; the fastest counts")
    arguments = parser.parse_args(argv)

    made = entries(arguments.documents, arguments.seed)
    names = [name for _, _, entity_names, _ in made for name, _ in entity_names]
    start = time.perf_counter()
    index = NameIndex(made)
    built = time.perf_counter() - start
    print(f"registries of the {arguments.documents}-document corpus (seed {arguments.seed}): "
          f"{len(made)} entities, {len(names)} names ({len(names) / len(made):.1f} per entity)")
    print(f"build: {built:.2f} s")

    rng = random.Random(arguments.seed)
    asked = queries(rng, names, arguments.queries)
    index.match("warm up")
    print("each call timed once" if arguments.repeat == 1
          else f"each call timed {arguments.repeat} times, the fastest run counted")
    all_times = timed(lambda q: index.match(q[1]), asked, arguments.repeat)
    print(f"match, all queries:        {percentiles(all_times)}")
    for kind in ["as written", "typo", "other order", "other script", "unknown"]:
        times = [t for (k, _), t in zip(asked, all_times, strict=False) if k == kind]
        print(f"match, {kind + ':':19} {percentiles(times)}")

    prefixes = [name[:rng.randint(1, 8)] for name in rng.choices(names, k=5 * arguments.queries)]
    complete_times = timed(index.complete, prefixes, arguments.repeat)
    print(f"complete, all prefixes:    {percentiles(complete_times)}")
    for length in (1, 2, 3, 5, 8):
        times = [t for prefix, t in zip(prefixes, complete_times, strict=False) if len(prefix) == length]
        print(f"complete, {length} character{'s' if length > 1 else ' '}:     {percentiles(times)}")


if __name__ == "__main__":
    main()
