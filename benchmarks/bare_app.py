"""The baseline of the throughput figure: the least a Flask app can do to answer SPARQL with
pyoxigraph.  run.py serves it with gunicorn and archivekg's own server settings."""

import os

import pyoxigraph as ox
from flask import Flask, Response, request

app = Flask(__name__)
_store = None


@app.route("/sparql", methods=["GET", "POST"])
def sparql():
    global _store
    if _store is None:   # opened in the serving process, after gunicorn forked it
        _store = ox.Store.read_only(os.environ["BARE_STORE"])
    results = _store.query(request.values["query"], use_default_graph_as_union=True)
    return Response(results.serialize(format=ox.QueryResultsFormat.JSON),
                    mimetype="application/sparql-results+json")


@app.route("/constant")
def constant():
    return Response(b'{"head":{"vars":[]},"results":{"bindings":[]}}',
                    mimetype="application/sparql-results+json")
