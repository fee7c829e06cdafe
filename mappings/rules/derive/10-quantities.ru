# "153 families, 556 people": each count is also a quantity node with a value and a unit, the
# form CIDOC-CRM (E54 Dimension) and schema.org (QuantitativeValue) users query.
# (The `# scope:` header of each operation says how the build evaluates it: archivekg/pipeline/rules.py.)
PREFIX akg: <https://w3id.org/archivekg/ontology#>

# scope: triple ?g
# reads: ?x akg:numberOfFamilies ?n
INSERT { GRAPH <urn:archivekg:inferred> {
  ?x akg:hasQuantity ?q .
  ?q a akg:Quantity ; akg:quantityValue ?n ; akg:unit akg:unit-family ;
     akg:qualifier "exactly" ; akg:measures "number of families" .
} }
WHERE { GRAPH ?g { ?x akg:numberOfFamilies ?n } BIND(IRI(CONCAT(STR(?x), "/quantity/families")) AS ?q) }
;
# scope: triple ?g
# reads: ?x akg:numberOfPeople ?n
INSERT { GRAPH <urn:archivekg:inferred> {
  ?x akg:hasQuantity ?q .
  ?q a akg:Quantity ; akg:quantityValue ?n ; akg:unit akg:unit-person ;
     akg:qualifier "exactly" ; akg:measures "number of people" .
} }
WHERE { GRAPH ?g { ?x akg:numberOfPeople ?n } BIND(IRI(CONCAT(STR(?x), "/quantity/people")) AS ?q) }
