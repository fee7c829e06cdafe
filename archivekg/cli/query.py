"""`archivekg query`: SPARQL over the built graph, as a readable table or for scripts."""

from __future__ import annotations

import shutil
import sys

import click
import pyoxigraph as ox

from archivekg import rdfformats
from archivekg import settings as settings_module
from archivekg.errors import ArchiveKGError
from archivekg.namespaces import PREFIXES
from archivekg.release.store import current_release, open_store


class QueryError(ArchiveKGError):
    exit_code = 2


# Every name and short name of the registry; "json" and "xml" mean the results formats for a
# SELECT and JSON-LD and RDF/XML for a CONSTRUCT, as with format= on the endpoint.
FORMAT_CHOICES = ["table", *dict.fromkeys(
    name for fmt in rdfformats.RESULTS + rdfformats.GRAPHS for name in (fmt.name, *fmt.names))]


def run_query(store: ox.Store, text: str, base_iri: str):
    """Run a query over the union of all graphs; prefixes of ours are predeclared."""
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()
                       if f"PREFIX {p}:" not in text and f"prefix {p}:" not in text)
    prologue += f"PREFIX id: <{base_iri}id/>\n" if "PREFIX id:" not in text else ""
    try:
        return store.query(prologue + text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc


def compact(term, base_iri: str) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        if iri.startswith(base_iri + "id/"):
            return "id:" + iri[len(base_iri) + 3:]
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and iri != namespace:
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(results, base_iri: str) -> str:
    variables = [v.value for v in results.variables]
    rows = [[compact(solution[v], base_iri) for v in variables] for solution in results]
    width = shutil.get_terminal_size((120, 20)).columns
    cap = max(12, (width - 3 * len(variables)) // max(1, len(variables)))
    widths = [min(cap, max([len(v)] + [len(r[i]) for r in rows])) for i, v in enumerate(variables)]

    def line(cells):
        return " | ".join((c if len(c) <= w else c[:w - 1] + "…").ljust(w)
                          for c, w in zip(cells, widths, strict=False)).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


@click.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from a .rq file ('-' for standard input).")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES),
              default="table", show_default=True, help="Output format.")
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML file of settings.")
@click.option("--build-dir", type=click.Path(file_okay=False), help="The build folder.")
def query(query, query_file, fmt, config, build_dir):
    """Answer a SPARQL query over the built graph (the union of all its named graphs).

    The prefixes akg:, crm:, schema:, prov:, skos:, rdfs:, owl:, oa:, dcterms:, xsd: and
    id: (our minted IRIs) are declared for you.  Exit codes: 0 answered, 2 bad query or
    no built graph.
    """
    if (query is None) == (query_file is None):
        raise QueryError("give the query as an argument or with -f FILE (one of the two)")
    text = query if query is not None else query_file.read()
    settings = settings_module.load({"BUILD_DIR": build_dir}, config_file=config)
    store = open_store(current_release(settings["BUILD_DIR"]))
    results = run_query(store, text, settings["BASE_IRI"])
    out = sys.stdout.buffer
    if isinstance(results, ox.QuerySolutions):
        if fmt == "table":
            click.echo(table(results, settings["BASE_IRI"]))
        elif (found := rdfformats.lookup(fmt, rdfformats.RESULTS)) is not None:
            out.write(rdfformats.serialized(results.serialize(format=found.oxigraph)))
        else:
            raise QueryError(f"--format {fmt} is for CONSTRUCT/DESCRIBE; a SELECT gives "
                             f"table, {', '.join(rdfformats.format_values(rdfformats.RESULTS))}")
    elif isinstance(results, ox.QueryBoolean):
        if (found := rdfformats.lookup(fmt, rdfformats.RESULTS)) is not None:
            out.write(rdfformats.serialized(results.serialize(format=found.oxigraph)))
        else:
            click.echo("yes" if bool(results) else "no")
    else:
        graph = rdfformats.lookup("turtle" if fmt == "table" else fmt, rdfformats.GRAPHS)
        if graph is None:
            raise QueryError(f"--format {fmt} does not apply to a CONSTRUCT/DESCRIBE result; use "
                             f"{', '.join(rdfformats.format_values(rdfformats.GRAPHS))}")
        out.write(rdfformats.serialized(ox.serialize(
            list(results), format=graph.oxigraph, prefixes=PREFIXES if graph.name in ("turtle", "trig") else None)))
