# The archival citation of a record in the terms archives and libraries query: the citation as
# the source prints it (dcterms:bibliographicCitation) and the archive that holds the document
# (schema:holdingArchive; akg:archive's range makes it a schema:ArchiveOrganization).
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
# scope: union
# reads: ?doc akg:citation ?c, ?c akg:citationText ?text
INSERT { GRAPH <urn:archivekg:inferred> { ?doc dcterms:bibliographicCitation ?text } }
WHERE { GRAPH ?g { ?doc akg:citation ?c . ?c akg:citationText ?text } }
;
# scope: union
# reads: ?doc akg:citation ?c, ?c akg:archive ?archive, ?doc akg:archive ?archive, ?doc akg:hasText ?text
INSERT { GRAPH <urn:archivekg:inferred> { ?doc schema:holdingArchive ?archive } }
WHERE {
  { GRAPH ?g { ?doc akg:citation ?c . ?c akg:archive ?archive } }
  UNION
  { GRAPH ?g { ?doc akg:archive ?archive ; akg:hasText ?text } }
}
