# Every claim of a statement becomes a plain triple in its document's graph.
PREFIX akgr: <urn:archivekg:raw#>
INSERT { GRAPH ?g { ?s ?p ?o } }
WHERE {
  ?st a akgr:Statement ; akgr:graph ?g .
  GRAPH ?st { ?s ?p ?o }
}
