# A factoid assigns its property (akg:factProperty ⊑ crm:P177_assigned_property_of_type); it
# also assigns every CIDOC-CRM property that property specialises, so that a CIDOC-CRM query can
# ask which statements assign, say, crm:P17_was_motivated_by.
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
# scope: triple ?g
# reads: ?f akg:factProperty ?p
# tbox: ?p rdfs:subPropertyOf ?super
INSERT { GRAPH <urn:archivekg:inferred> { ?f crm:P177_assigned_property_of_type ?super } }
WHERE {
  GRAPH ?g { ?f akg:factProperty ?p }
  GRAPH <urn:archivekg:tbox> { ?p rdfs:subPropertyOf ?super }
  FILTER(STRSTARTS(STR(?super), "http://www.cidoc-crm.org/cidoc-crm/"))
}
