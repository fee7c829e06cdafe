# An entailment that a document or registry already asserts is not repeated in the inferred graph.
# scope: minus-asserted
# reads: ?s ?p ?o
DELETE { GRAPH <urn:archivekg:inferred> { ?s ?p ?o } }
WHERE {
  GRAPH <urn:archivekg:inferred> { ?s ?p ?o }
  GRAPH ?g { ?s ?p ?o }
  FILTER(?g != <urn:archivekg:inferred> && ?g != <urn:archivekg:tbox>)
}
