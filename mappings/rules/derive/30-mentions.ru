# A document mentions every thing its statements are about or point to, and every entity its
# quotes name: the basis of "which documents speak of this person".
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>

# Factoids and mentions as the documents assert them (not entailed copies); a node some graph
# asserts to be a quantity is a figure, not a thing a document speaks of.
# scope: graph ?g
# reads: ?f a akg:Factoid, ?f akg:sourceDocument ?doc, ?f akg:factSubject ?x, ?f akg:factObject ?x,
# reads: ?m a akg:Mention, ?m akg:sourceDocument ?doc, ?m akg:refersTo ?x
# unless: ?x a akg:Quantity
INSERT { GRAPH <urn:archivekg:inferred> { ?doc akg:mentions ?x } }
WHERE {
  { GRAPH ?g { ?f a akg:Factoid ; akg:sourceDocument ?doc ; akg:factSubject ?x } }
  UNION
  { GRAPH ?g { ?f a akg:Factoid ; akg:sourceDocument ?doc ; akg:factObject ?x } FILTER(isIRI(?x)) }
  UNION
  { GRAPH ?g { ?m a akg:Mention ; akg:sourceDocument ?doc ; akg:refersTo ?x } }
  FILTER(?g != <urn:archivekg:inferred>)
  FILTER(?x != ?doc)
  # only what the corpus itself names (our id namespace), not ontology concepts such as akg:planned
  FILTER(STRSTARTS(STR(?x), REPLACE(STR(?doc), "[^/]+$", "")))
  FILTER NOT EXISTS { GRAPH ?any { ?x a akg:Quantity } FILTER(?any != <urn:archivekg:inferred>) }
}
;
# owl:sameAs links to Wikidata, from the registries' Wikidata ids.
# scope: triple ?g
# reads: ?x akg:wikidata ?q
INSERT { GRAPH <urn:archivekg:inferred> { ?x owl:sameAs ?wd } }
WHERE { GRAPH ?g { ?x akg:wikidata ?q } BIND(IRI(CONCAT("http://www.wikidata.org/entity/", STR(?q))) AS ?wd) }
