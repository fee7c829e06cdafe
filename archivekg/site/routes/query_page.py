"""The query page: a SPARQL editor with the prefixes preset, the example queries, the
results as a table, and links to the same results in every format of the endpoint.

It works without JavaScript: the form is sent to this page, which runs the query through
the endpoint's worker pool (same time limit) and renders the table.  query.js only adds
Ctrl+Enter, and POST for queries too long for a link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import request, url_for

from archivekg import rdfformats as formats
from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.protocol import check_length
from archivekg.site.render import examples, pages, result_views, sparql
from archivekg.site.render.labels import Labels
from archivekg.site.render.query_errors import explain
from archivekg.site.render.values import view

bp = pages.blueprint("query_page")

SHOWN_ROWS = 1000
STARTER = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 20\n"


def _downloads(text: str, kind: str) -> list[tuple[str, str]]:
    # The endpoint declares no prefix: the links carry the ones the page declared.
    table = formats.GRAPHS if kind == "graph" else formats.RESULTS
    endpoint = url_for("sparql.sparql")
    full = sparql.declared_for(text) + text
    return [(fmt.label, f"{endpoint}?{urlencode({'query': full, 'format': fmt.name})}") for fmt in table]


def _cells(variables: list[str], rows: list[dict]) -> list[list]:
    """Each cell's value, with the label of an IRI beside its identifier."""
    labels = Labels()
    for row in rows:
        labels.want(*row.values())
    labels.resolve()
    table = []
    for row in rows:
        cells: list[dict[str, Any] | None] = []        # None: unbound
        for variable in variables:
            term = row.get(variable)
            if term is None:
                cells.append(None)
            elif isinstance(term, ox.NamedNode):
                link = labels.link(term)
                cells.append({"value": view(term), "label": link.label if link.labelled else None})
            else:
                cells.append({"value": view(term), "label": None})
        table.append(cells)
    return table


@bp.route("/query", methods=["GET", "POST"])
def query():
    text = request.values.get("query")
    context: dict[str, Any] = {"title": "Query", "query_text": text if text is not None else sparql.user_prologue() + "\n" + STARTER,
               "examples": [(e, url_for("query_page.query", query=e.query)) for e in examples.all_examples()],
               "result": None, "error": None, "syntax": None, "shown_rows": SHOWN_ROWS}
    status = 200
    if text is not None and text.strip():
        try:
            check_length(text, "query")
            variables, rows, truncated, kind = sparql.select_raw(text, limit=SHOWN_ROWS)
            context["result"] = {
                "variables": variables,
                "rows": _cells(variables, rows),
                "truncated": truncated, "kind": kind, "count": len(rows),
                "downloads": _downloads(text, kind),
                "views": result_views.build(variables, rows, kind),
            }
        except ApiError as error:
            if error.status >= 500 and error.code not in ("query-timeout", "busy", "memory-limit"):
                raise
            context["error"] = error
            if error.code == "syntax-error":
                context["syntax"] = explain(error.message, text, sparql.declared_for(text).count("\n"))
            status = error.status
    return pages.page("query.html", status=status, **context)

