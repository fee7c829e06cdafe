"""Virtuoso, the peer server of the benchmark: started on loopback in a throw-away folder with
our configuration (``virtuoso.ini.template``), given a build's N-Quads with its bulk loader,
queried over HTTP at ``/sparql`` like archivekg, stopped by its process id.

Debian's packages are used (``virtuoso-t`` and ``isql-vt``); install them with
``apt-get install virtuoso-opensource-7-bin`` (the binaries of ``virtuoso-opensource``
without the system service that package starts on the default ports).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

TEMPLATE = Path(__file__).with_name("virtuoso.ini.template")
SERVER, ISQL = "virtuoso-t", "isql-vt"
PAGE = 8192


class VirtuosoMissing(RuntimeError):
    pass


class Virtuoso:
    def __init__(self, folder: Path, sql_port: int, http_port: int, memory_bytes: int = 2 << 30):
        for program in (SERVER, ISQL):
            if shutil.which(program) is None:
                raise VirtuosoMissing(f"{program} is not installed "
                                      "(apt-get install virtuoso-opensource-7-bin)")
        self.folder, self.sql_port, self.http_port = Path(folder), sql_port, http_port
        self.memory = memory_bytes
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> tuple[str, int, str]:
        return "127.0.0.1", self.http_port, "/sparql"

    def version(self) -> str:
        done = subprocess.run([SERVER, "-?"], capture_output=True, text=True, timeout=30)
        lines = [line for line in (done.stdout + done.stderr).splitlines() if "Version" in line]
        return lines[0].strip() if lines else "unknown"

    def start(self, data: Path, timeout: float = 120) -> float:
        """Start on a fresh database; seconds until it accepts SQL connections."""
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        buffers = self.memory // PAGE
        ini = TEMPLATE.read_text(encoding="utf-8").format(
            folder=self.folder, data=Path(data).resolve(), sql_port=self.sql_port,
            http_port=self.http_port, buffers=buffers, dirty_buffers=buffers * 3 // 4)
        (self.folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
        started = time.perf_counter()
        self.process = subprocess.Popen([SERVER, "-f", "-c", "virtuoso.ini"], cwd=self.folder,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.process.returncode}); see "
                                   f"{self.folder / 'virtuoso.log'}")
            if self._sql("select 1;", check=False).returncode == 0:
                return time.perf_counter() - started
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not accept connections within {timeout:.0f} s")

    def bulk_load(self, data: Path, pattern: str = "dataset.nq") -> float:
        """Load the N-Quads file(s) with Virtuoso's bulk loader; the seconds it took."""
        started = time.perf_counter()
        self._sql(f"ld_dir('{Path(data).resolve()}', '{pattern}', 'urn:archivekg:benchmark'); "
                  "rdf_loader_run(); checkpoint;", timeout=3600)
        failed = self._scalar("select count(*) from DB.DBA.LOAD_LIST "
                              "where ll_state <> 2 or ll_error is not null;")
        if failed != "0":
            raise RuntimeError(f"the Virtuoso bulk loader reports {failed} failed file(s); see "
                               "DB.DBA.LOAD_LIST")
        return time.perf_counter() - started

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.process = None

    def _scalar(self, statement: str) -> str:
        """The one value a one-row, one-column SELECT gives (isql prints it under a rule)."""
        lines = self._sql(statement).stdout.splitlines()
        rule = max(i for i, line in enumerate(lines) if line.startswith("____"))
        return next(line.strip() for line in lines[rule + 1:] if line.strip())

    def _sql(self, statements: str, *, check: bool = True, timeout: float = 60):
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
                              capture_output=True, text=True, timeout=timeout,
                              env=dict(os.environ, LANG="C"))
        if check and (done.returncode != 0 or "*** Error" in done.stdout + done.stderr):
            raise RuntimeError(f"isql-vt failed: {done.stdout}{done.stderr}")
        return done
