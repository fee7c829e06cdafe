"""Apache Jena, the benchmark's second peer: its SPARQL engine (ARQ) over the release's N-Quads in
memory, in a JVM of its own that ``JenaPeer.java`` runs, so that a query is timed inside the JVM
(parse, evaluation, results written as SPARQL JSON), without the JVM's start or the load.

Debian's packages are used: ``apt-get install libapache-jena-java`` (Jena 4.5.0 and the jars it
depends on, under /usr/share/java) and a JDK (``javac``).  The peer is compiled into the work
folder at its first start; nothing is downloaded.

Debian's Jena 4.5 does not start as packaged: jena-core carries Jena's copy of Xerces moved to
the package ``xerces`` but left its message files under the old path
(``org/apache/jena/ext/xerces/...properties``).  Xerces' regular-expression parser loads
``xerces.impl.xpath.regex.message`` when it is made, so building the XSD datatypes fails and
the first use of Jena raises ``ExceptionInInitializerError`` ("internal error" in
``XSSimpleTypeDecl.applyFacets1``).  ``xerces_messages`` copies those files out of the installed
jar to the path the classes ask for, in a folder of ours put on the class path.
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

SOURCE = Path(__file__).with_name("JenaPeer.java")
SHARE = Path("/usr/share/java")
# The jars of Jena's query engine and what Debian's poms of jena-arq, -core, -base and -iri
# depend on (without the optional ones), by the unversioned names Debian installs; and a
# logger, so that Jena's warnings reach the log file.
JARS = ("jena-arq", "jena-core", "jena-base", "jena-iri",
        "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
        "commons-lang3", "dexx.collection", "guava", "gson", "jsonld-java", "titanium-json-ld",
        "jakarta.json-api", "jackson-core", "jackson-databind", "jackson-annotations",
        "httpclient", "httpclient-cache", "httpcore", "protobuf", "thrift",
        "slf4j-api", "jcl-over-slf4j", "slf4j-simple")
INSTALL = "apt-get install libapache-jena-java default-jdk-headless"
XERCES_OLD, XERCES_NEW = "org/apache/jena/ext/xerces/", "xerces/"


class JenaMissing(RuntimeError):
    pass


def classpath(share: Path = SHARE) -> list[Path]:
    """Debian's jars the peer needs; JenaMissing names the ones absent and what installs them."""
    for program in ("java", "javac"):
        if shutil.which(program) is None:
            raise JenaMissing(f"{program} is not installed ({INSTALL})")
    jars = [share / f"{name}.jar" for name in JARS]
    absent = [jar.name for jar in jars if not jar.is_file()]
    if absent:
        raise JenaMissing(f"not installed in {share}: {', '.join(absent)} ({INSTALL})")
    return jars


def xerces_messages(core: Path, folder: Path) -> Path | None:
    """The folder holding Xerces' message files where Debian's relocated classes look for them,
    made from the installed jar; None when the jar needs none (its files are where they belong)."""
    with zipfile.ZipFile(core) as jar:
        names = set(jar.namelist())
        if (f"{XERCES_NEW}impl/xpath/regex/RegexParser.class" not in names
                or f"{XERCES_NEW}impl/xpath/regex/message.properties" in names):
            return None
        moved = [name for name in names if name.startswith(XERCES_OLD) and name.endswith(".properties")]
        if not moved:
            raise JenaMissing(f"{core}: Xerces' classes are under xerces/ and their messages are "
                              f"neither there nor under {XERCES_OLD}; this jena-core is not one we know")
        for name in moved:
            target = folder / XERCES_NEW / name[len(XERCES_OLD):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(jar.read(name))
    return folder


def compiled(jars: list[Path], folder: Path) -> Path:
    """JenaPeer compiled against ``jars`` into ``folder`` (again when the source is newer)."""
    target = folder / "JenaPeer.class"
    if not target.exists() or target.stat().st_mtime < SOURCE.stat().st_mtime:
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["javac", "-nowarn", "-encoding", "UTF-8", "-cp", os.pathsep.join(map(str, jars)),
                               "-d", str(folder), str(SOURCE)], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"javac failed on {SOURCE}:\n{done.stderr[-3000:]}")
    return folder


def version(share: Path = SHARE) -> str:
    """Jena's version as its jar records it, and the JVM's."""
    with zipfile.ZipFile(share / "jena-arq.jar") as jar:
        pom = jar.read("META-INF/maven/org.apache.jena/jena-arq/pom.properties").decode("utf-8")
    jena = next((line.split("=", 1)[1] for line in pom.splitlines() if line.startswith("version=")), "?")
    done = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60)
    java = re.search(r'version "([^"]+)"', done.stdout + done.stderr)
    return f"Jena {jena} on Java {java[1] if java else '?'}"


class Jena:
    """One JVM running JenaPeer over one N-Quads file, asked queries one at a time."""

    def __init__(self, work: Path, *, name: str = "jena", heap: str = "12g", query_timeout: float = 600):
        self.jars = classpath()
        self.work, self.heap, self.query_timeout, self.name = Path(work), heap, query_timeout, name
        self.process: subprocess.Popen | None = None
        self.log = None
        self._buffer = b""

    def start(self, nquads: Path, timeout: float = 1800) -> dict:
        """Start the JVM and load the dump: the load's seconds (timed in the JVM), the seconds from
        launching the JVM to its being ready, and the quads loaded."""
        self.work.mkdir(parents=True, exist_ok=True)
        entries = [*self.jars, compiled(self.jars, self.work / "classes")]
        fix = xerces_messages(SHARE / "jena-core.jar", self.work / "xerces-messages")
        entries += [fix] if fix else []
        self.log = open(self.work / "jena.log", "wb")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            ["java", f"-Xmx{self.heap}", "-cp", os.pathsep.join(map(str, entries)), "JenaPeer",
             str(Path(nquads).resolve()), str(self.query_timeout)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, cwd=self.work,
            start_new_session=True)
        try:
            line = self._line(started + timeout)
        except BaseException:
            self.stop()
            raise
        ready = re.fullmatch(r"ready ([\d.]+) (\d+)", line)
        if not ready:
            self.stop()
            raise RuntimeError(f"JenaPeer said {line[:200]!r} instead of ready; see {self.work / 'jena.log'}")
        return {"load_seconds": float(ready[1]) / 1000, "quads": int(ready[2]),
                "start_and_load_seconds": time.perf_counter() - started}

    def run(self, text: str) -> tuple[float, int | bool]:
        """The query's time inside the JVM (seconds) and its rows (a boolean for an ASK)."""
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"the Jena peer is not running; see {self.work / 'jena.log'}")
        data = text.encode("utf-8")
        self.process.stdin.write(b"%d\n" % len(data) + data)
        self.process.stdin.flush()
        word, _, rest = self._line(time.perf_counter() + self.query_timeout + 60).partition(" ")
        if word != "ok":
            raise RuntimeError(rest if word == "error" else f"JenaPeer said {word!r}")
        ms, rows = rest.split(" ")
        return float(ms) / 1000, (rows == "true") if rows in ("true", "false") else int(rows)

    def stop(self, timeout: float = 30) -> None:
        """Close its input (it ends), then SIGTERM and SIGKILL to its process group if it lingers."""
        if self.process is not None:
            if self.process.poll() is None:
                try:
                    self.process.stdin.close()
                    self.process.wait(timeout=timeout)
                except (OSError, subprocess.TimeoutExpired):
                    for sig in (signal.SIGTERM, signal.SIGKILL):
                        if self.process.poll() is None:
                            os.killpg(self.process.pid, sig)
                            try:
                                self.process.wait(timeout=timeout)
                            except subprocess.TimeoutExpired:
                                pass
            for stream in (self.process.stdin, self.process.stdout):
                if not stream.closed:
                    stream.close()
            self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None

    def _line(self, deadline: float) -> str:
        """The next line the JVM prints, waiting until ``deadline`` at most."""
        stdout = self.process.stdout
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.perf_counter()
                if left <= 0:
                    self.stop()
                    raise TimeoutError(f"the Jena peer gave no answer in time; see {self.work / 'jena.log'}")
                if selector.select(timeout=min(left, 1)):
                    chunk = os.read(stdout.fileno(), 1 << 16)
                    if not chunk:
                        code = self.process.wait(timeout=30)
                        raise RuntimeError(f"the Jena peer exited ({code}); see {self.work / 'jena.log'}")
                    self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8")
