# A document mentions every thing its statements are about or point to, and every entity its
# quotes name: the basis of "which documents speak of this person".
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { GRAPH <urn:archivekg:inferred> { ?doc akg:mentions ?x } }
WHERE {
  { GRAPH ?g { ?f a akg:Factoid ; akg:sourceDocument ?doc ; akg:factSubject ?x } }
  UNION
  { GRAPH ?g { ?f a akg:Factoid ; akg:sourceDocument ?doc ; akg:factObject ?x } FILTER(isIRI(?x)) }
  UNION
  { GRAPH ?g { ?m a akg:Mention ; akg:sourceDocument ?doc ; akg:refersTo ?x } }
  FILTER(?x != ?doc)
  # only what the corpus itself names (our id namespace), not ontology concepts such as akg:planned
  FILTER(STRSTARTS(STR(?x), REPLACE(STR(?doc), "[^/]+$", "")))
  FILTER NOT EXISTS { GRAPH ?any { ?x a akg:Quantity } }
}
;
# owl:sameAs links to Wikidata, from the registries' Wikidata ids.
INSERT { GRAPH <urn:archivekg:inferred> { ?x owl:sameAs ?wd } }
WHERE { GRAPH ?g { ?x akg:wikidata ?q } BIND(IRI(CONCAT("http://www.wikidata.org/entity/", STR(?q))) AS ?wd) }
