# A figure of an activity in CIDOC-CRM: crm:P43_has_dimension is for things (an activity with a
# dimension is inconsistent in CIDOC-CRM), so each "X has quantity Q" is also an E16 Measurement
# that measured X and observed the dimension Q: one per pair, whatever the number of statements
# that give it, so that summing over the measurements counts each figure once.
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
# scope: triple ?g
# reads: ?x akg:hasQuantity ?q
INSERT { GRAPH <urn:archivekg:inferred> {
  ?m a crm:E16_Measurement ; crm:P39_measured ?x ; crm:P40_observed_dimension ?q .
} }
WHERE {
  GRAPH ?g { ?x akg:hasQuantity ?q }
  BIND(IRI(CONCAT(STR(?x), "/measurement/", SUBSTR(MD5(STR(?q)), 1, 16))) AS ?m)
}
