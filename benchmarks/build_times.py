"""Time a full build and a one-document rebuild of a generated corpus, with the code of a
given checkout (so that two versions are measured the same way).

    python benchmarks/build_times.py --code /path/to/checkout --documents 1000 --work /tmp/bt

The corpus is ``benchmarks/generate.py``'s (seed 1) with the checkout's generator; the build
is ``archivekg build`` run by the checkout's code in a process of its own (validation
included, as the command does by default).  The rebuild follows an edit of one annotation
file (a label of one thing).  Prints the wall-clock seconds of each.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path


def run_build(code: Path, data: Path, out: Path) -> float:
    environment = dict(os.environ, PYTHONPATH=str(code))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "archivekg.cli", "build", "--data", str(data), "--out", str(out),
                    "--quiet"], cwd=code, env=environment, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def edit_one_document(data: Path) -> Path:
    for path in sorted((data / "annotations").glob("memo-*.yaml")):
        text = path.read_text(encoding="utf-8")
        edited = re.sub(r'(\n    label: ")', r"\1Revised: ", text, count=1)
        if edited != text:
            path.write_text(edited, encoding="utf-8")
            return path
    raise SystemExit(f"{data}: no memo with a label to edit")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, required=True, help="the checkout whose code builds")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--work", type=Path, required=True, help="a folder for the corpus and the build")
    args = parser.parse_args(argv)
    code, work = args.code.resolve(), args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from benchmarks.generate import generate; generate(int(sys.argv[1]), 1, Path(sys.argv[2]))",
                    str(args.documents), str(work / "corpus")],
                   cwd=code, env=dict(os.environ, PYTHONPATH=str(code)), check=True)
    data = work / "corpus" / "data"
    full = run_build(code, data, work / "build")
    edited = edit_one_document(data)
    rebuild = run_build(code, data, work / "build")
    print(f"code: {code}\ndocuments: {args.documents} generated (seed 1) and the shipped ones")
    print(f"full build:            {full:8.1f} s")
    print(f"one-document rebuild:  {rebuild:8.1f} s   (edited {edited.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
