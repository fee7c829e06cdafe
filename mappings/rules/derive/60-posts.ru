# The post of a tenure as a type, the CIDOC-CRM pattern for an office held (an E7 Activity
# carried out by the holder, whose crm:P2_has_type is the post): one post node for each title
# of each tenure, labelled with the title as the text gives it (in English).
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# scope: triple ?g
# reads: ?t akg:positionTitle ?title
INSERT { GRAPH <urn:archivekg:inferred> {
  ?t akg:postType ?post .
  ?post a akg:PostType ; skos:prefLabel ?label .
} }
WHERE {
  GRAPH ?g { ?t akg:positionTitle ?title }
  BIND(IRI(CONCAT(STR(?t), "/post/", SUBSTR(MD5(STR(?title)), 1, 16))) AS ?post)
  BIND(STRLANG(STR(?title), "en") AS ?label)
}
