# The document text as a resource of its own (what the selectors point into), and its segments.
PREFIX akgr: <urn:archivekg:raw#>
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
INSERT { GRAPH ?g {
  ?doc akg:hasText ?text .
  ?text a akg:DocumentText ; dcterms:format "text/plain" ; akg:textFile ?file ;
        akg:characterCount ?length ; akg:sha256 ?sha .
} }
WHERE { ?text a akgr:Text ; akgr:graph ?g ; akgr:document ?doc ; akgr:file ?file ;
              akgr:length ?length ; akgr:sha256 ?sha . }
;
INSERT { GRAPH ?g {
  ?text akg:hasSegment ?segment .
  ?segment a akg:TextSegment ; akg:segmentKind ?kind ; oa:start ?start ; oa:end ?end .
} }
WHERE {
  ?segment a akgr:Segment ; akgr:graph ?g ; akgr:document ?doc ; akgr:kind ?kind ;
           akgr:start ?start ; akgr:end ?end .
  BIND(IRI(CONCAT(STR(?doc), "/text")) AS ?text)
}
