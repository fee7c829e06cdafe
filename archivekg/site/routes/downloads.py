"""/download/: the whole dataset as files, with sizes and checksums, the licence of our
statements and, said separately, the rights of the document texts we quote."""

from __future__ import annotations

import base64

from flask import send_file

from archivekg.endpoint.errors import ApiError
from archivekg.release import dumps
from archivekg.site.render import pages, sparql
from archivekg.site.render.labels import Labels

bp = pages.blueprint("downloads")

# name: (what it is, media type)
FILES = {
    "dataset.nq.gz": ("N-Quads, gzip-compressed: every named graph", "application/gzip"),
    "dataset.trig": ("TriG: every named graph, with prefixes", "application/trig"),
    "dataset.ttl": ("Turtle: the union of all graphs (graph names dropped)", "text/turtle"),
    "dataset.jsonld": ("JSON-LD: every named graph", "application/ld+json"),
    "dataset.nq": ("N-Quads, uncompressed: every named graph", "application/n-quads"),
}
LISTED_PER_RIGHTS = 20


def _release():
    release = pages.served_release()
    if release is None and pages.backend().source.kind == "store":
        raise ApiError(404, "no-dumps",
                       "This server answers from an external triple store, and this machine does "
                       "not have the folder of the release published there: the dumps are "
                       "served by a machine that has it (BUILD_DIR/releases/<release>).")
    if release is None:
        raise ApiError(404, "no-dumps",
                       "This server serves RDF files given on its command line, not a built "
                       "release; dumps exist only for a release made by `archivekg build`.")
    return release


def _index(release) -> dict:
    """The dumps the build wrote into the release (the server never writes into one)."""
    return dumps.index(release)


def rights() -> list[dict]:
    return sparql.select("""
        SELECT ?rights (COUNT(DISTINCT ?d) AS ?n) (GROUP_CONCAT(DISTINCT STR(?d); SEPARATOR=" ") AS ?docs) WHERE {
          ?d a akg:ArchivalDocument .
          OPTIONAL { ?d akg:rights ?r }
          BIND(COALESCE(?r, "") AS ?rights)
        } GROUP BY ?rights ORDER BY DESC(?n)""")


@bp.get("/download/")
def index():
    release = _release()
    listing = _index(release)
    rows = pages.cached("rights", rights)
    labels = Labels()
    groups = []
    for row in rows:
        documents = sorted(row["docs"].value.split())
        labels.want(*documents[:LISTED_PER_RIGHTS])
        groups.append((row["rights"].value, sparql.integer(row["n"]), documents[:LISTED_PER_RIGHTS]))
    labels.resolve()
    files = [(name, what, media, listing[name]) for name, (what, media) in FILES.items() if name in listing]
    manifest = pages.manifest() or {}
    return pages.page("downloads.html", title="Download", files=files, license=pages.license_iri(),
                     rights=[(text, n, [labels.link(d) for d in docs]) for text, n, docs in groups],
                     release=release.name, built=manifest.get("built"), triples=manifest.get("triples"))


@bp.get("/download/<name>")
def download(name: str):
    if name not in FILES:
        raise ApiError(404, "unknown-download",
                       f"There is no download called {name!r}; the files are: {', '.join(FILES)}.",
                       files=list(FILES))
    release = _release()
    listing = _index(release)
    if name not in listing:
        raise ApiError(404, "unknown-download", f"This release has no {name}.")
    digest = listing[name].get("sha256")
    response = send_file(release / name, mimetype=FILES[name][1], conditional=True,
                         etag=digest or True, max_age=3600)
    if digest:
        response.headers["Digest"] = "sha-256=" + _base64_digest(digest)
    return response


def _base64_digest(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")
