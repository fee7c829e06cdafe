# OWL RL prp-inv1/prp-inv2, prp-symp and prp-trp.
PREFIX owl: <http://www.w3.org/2002/07/owl#>

# scope: triple ?g
# reads: ?s ?p ?o
# tbox: ?p owl:inverseOf ?q, ?q owl:inverseOf ?p
INSERT { GRAPH <urn:archivekg:inferred> { ?o ?q ?s } }
WHERE {
  GRAPH <urn:archivekg:tbox> { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } }
  GRAPH ?g { ?s ?p ?o } FILTER(?g != <urn:archivekg:tbox>) FILTER(!isLITERAL(?o))
}
;
# scope: triple ?g
# reads: ?s ?p ?o
# tbox: ?p a owl:SymmetricProperty
INSERT { GRAPH <urn:archivekg:inferred> { ?o ?p ?s } }
WHERE {
  GRAPH <urn:archivekg:tbox> { ?p a owl:SymmetricProperty }
  GRAPH ?g { ?s ?p ?o } FILTER(?g != <urn:archivekg:tbox>)
}
;
# A chain may run through several graphs (a district in one document, its province in a registry).
# scope: union
# reads: ?a ?p ?b, ?b ?p ?c
# tbox: ?p a owl:TransitiveProperty
INSERT { GRAPH <urn:archivekg:inferred> { ?a ?p ?c } }
WHERE {
  GRAPH <urn:archivekg:tbox> { ?p a owl:TransitiveProperty }
  GRAPH ?g { ?a ?p ?b } FILTER(?g != <urn:archivekg:tbox>)
  GRAPH ?h { ?b ?p ?c } FILTER(?h != <urn:archivekg:tbox>)
}
