# OWL RL cax-sco: an instance of a class is an instance of its superclasses.  <urn:archivekg:tbox>
# holds the OWL RL closure of the ontology (computed once with owlrl), so one join suffices.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# scope: triple ?g
# reads: ?x a ?class
# tbox: ?class rdfs:subClassOf ?super
INSERT { GRAPH <urn:archivekg:inferred> { ?x a ?super } }
WHERE {
  GRAPH ?g { ?x a ?class } FILTER(?g != <urn:archivekg:tbox>)
  GRAPH <urn:archivekg:tbox> { ?class rdfs:subClassOf ?super } FILTER(?class != ?super)
}
