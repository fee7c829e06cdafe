# OWL RL prp-spo1: a triple with a property holds for its superproperties too.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# scope: triple ?g
# reads: ?s ?p ?o
# tbox: ?p rdfs:subPropertyOf ?super
INSERT { GRAPH <urn:archivekg:inferred> { ?s ?super ?o } }
WHERE {
  GRAPH <urn:archivekg:tbox> { ?p rdfs:subPropertyOf ?super } FILTER(?p != ?super)
  GRAPH ?g { ?s ?p ?o } FILTER(?g != <urn:archivekg:tbox>)
}
