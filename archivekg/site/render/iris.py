"""Where each IRI of the graph lives on this server, and back.

The data is minted once with the public base (setting BASE_IRI).  A server answers for
that base wherever it runs: ``<BASE>x`` is served at ``<url_root>x``, where ``url_root``
is the address the client used.  Deployed behind the base, the two coincide; on
127.0.0.1 every IRI still resolves, and every page links to this server, not the public
one.  The ontology and shapes are hash namespaces of their own (they keep their IRIs
whatever the base of the data), served at /ontology and /shapes.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import current_app, g, request

from archivekg import namespaces
from archivekg.namespaces import PREFIXES

ONTOLOGY_NS = PREFIXES["akg"]
SHAPES_NS = "https://w3id.org/archivekg/shapes#"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
# Namespaces the pages show in short form beyond the data's own prefixes.
MORE_PREFIXES = {"sh": "http://www.w3.org/ns/shacl#", "rico": "https://www.ica.org/standards/RiC/ontology#",
                 "foaf": "http://xmlns.com/foaf/0.1/", "void": "http://rdfs.org/ns/void#"}
_SAFE_SCHEMES = re.compile(r"^(https?|ftp)://", re.IGNORECASE)
_WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")

# Characters of an IRI path kept as they are in a URL path; the rest is percent-encoded.
_PATH_SAFE = "/-._~!$&'()*+,;=:@"


def base() -> str:
    return _addresses()[0]


def root() -> str:
    """This server's address as the client reached it, ending with '/'."""
    return _addresses()[1]


def _addresses() -> tuple[str, str]:
    # A page maps thousands of IRIs; werkzeug rebuilds url_root on every access.
    found = g.get("_ld_addresses")
    if found is None:
        found = g._ld_addresses = (current_app.config["BASE_IRI"], request.url_root)
    return found


def resource_iri(path: str) -> str:
    return namespaces.resource_iri(base(), path)


def graph_iri(name: str) -> str:
    return namespaces.graph_iri(base(), name)


def id_path(iri: str) -> str | None:
    """``x`` for ``<BASE>id/x``, else None."""
    prefix = base() + "id/"
    return iri[len(prefix):] if iri.startswith(prefix) and len(iri) > len(prefix) else None


def graph_name(iri: str) -> str | None:
    prefix = base() + "graph/"
    return iri[len(prefix):] if iri.startswith(prefix) and len(iri) > len(prefix) else None


def is_ours(iri: str) -> bool:
    return iri.startswith((base(), ONTOLOGY_NS, SHAPES_NS))


def _local(path: str) -> str:
    return root() + quote(path, safe=_PATH_SAFE)


def page_url(iri: str) -> str | None:
    """The local URL of the HTML about ``iri``, or None when this server has none."""
    path = id_path(iri)
    if path is not None:
        return _local(f"page/{path}")
    name = graph_name(iri)
    if name is not None:
        return _local(f"graph/{name}")
    for namespace, page in ((ONTOLOGY_NS, "ontology"), (SHAPES_NS, "shapes")):
        if iri.startswith(namespace):
            return _local(page) + ("#" + quote(iri[len(namespace):], safe="-._~") if iri != namespace else "")
    if iri.startswith(base()):
        return _local(iri[len(base()):])
    return None


def data_url(iri: str, extension: str) -> str | None:
    path = id_path(iri)
    if path is not None:
        return _local(f"data/{path}.{extension}")
    name = graph_name(iri)
    if name is not None:
        return _local(f"graph/{name}.{extension}")
    return None


def href(iri: str) -> str | None:
    """Where a link to ``iri`` should point: our page, or the IRI itself when it is a web
    address.  Other schemes (javascript:, data:, urn:) are never made into links."""
    local = page_url(iri)
    if local is not None:
        return local
    return iri if _SAFE_SCHEMES.match(iri) else None


def safe_url(value: str) -> str | None:
    """A literal that holds a URL (a source URL): linkable only when it is http(s)."""
    value = value.strip()
    return value if _SAFE_SCHEMES.match(value) else None


def wikidata_url(value: str) -> str | None:
    value = value.strip()
    if value.startswith(WIKIDATA_ENTITY):
        value = value[len(WIKIDATA_ENTITY):]
    return f"https://www.wikidata.org/wiki/{value}" if _WIKIDATA_ID.match(value) else None


def compact(iri: str) -> str:
    """A short, readable form of an IRI (``akg:Person``, ``id:kim-il-sung``)."""
    path = id_path(iri)
    if path is not None:
        return f"id:{path}"
    for prefix, namespace in (*PREFIXES.items(), *MORE_PREFIXES.items()):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    if iri.startswith(SHAPES_NS):
        return "shapes:" + iri[len(SHAPES_NS):]
    return iri


def humanize(local_name: str) -> str:
    """``movedFrom`` → ``moved from``; ``PopulationMovement`` → ``Population movement``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local_name).replace("_", " ").split()
    if not words:
        return local_name
    rest = [w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words[1:]]
    first = words[0].lower() if local_name[:1].islower() else words[0]
    return " ".join([first, *rest])


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri
