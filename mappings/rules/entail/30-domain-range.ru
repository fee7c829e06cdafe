# OWL RL prp-dom and prp-rng.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# scope: triple ?g
# reads: ?s ?p ?o
# tbox: ?p rdfs:domain ?class
INSERT { GRAPH <urn:archivekg:inferred> { ?s a ?class } }
WHERE {
  GRAPH <urn:archivekg:tbox> { ?p rdfs:domain ?class }
  GRAPH ?g { ?s ?p ?o } FILTER(?g != <urn:archivekg:tbox>)
}
;
# scope: triple ?g
# reads: ?s ?p ?o
# tbox: ?p rdfs:range ?class
INSERT { GRAPH <urn:archivekg:inferred> { ?o a ?class } }
WHERE {
  GRAPH <urn:archivekg:tbox> { ?p rdfs:range ?class }
  GRAPH ?g { ?s ?p ?o } FILTER(?g != <urn:archivekg:tbox>) FILTER(!isLITERAL(?o))
}
