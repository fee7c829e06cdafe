# The evidence of a statement, as a W3C Web Annotation specific resource of the document text:
# the exact words with their context (TextQuoteSelector) and their position (TextPositionSelector,
# in Unicode code points, as xsd:integer: Oxigraph stores every integer subtype as xsd:integer).
PREFIX akgr: <urn:archivekg:raw#>
PREFIX oa: <http://www.w3.org/ns/oa#>
INSERT { GRAPH ?g {
  ?evidence a oa:SpecificResource ; oa:hasSource ?text ; oa:hasSelector ?quoteSelector, ?positionSelector .
  ?quoteSelector a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
  ?positionSelector a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
} }
WHERE {
  ?st a akgr:Statement ; akgr:graph ?g ; akgr:document ?doc ; akgr:exact ?exact ;
      akgr:prefix ?prefix ; akgr:suffix ?suffix ; akgr:start ?start ; akgr:end ?end .
  BIND(IRI(CONCAT(STR(?doc), "/text")) AS ?text)
  BIND(IRI(CONCAT(STR(?st), "/evidence")) AS ?evidence)
  BIND(IRI(CONCAT(STR(?st), "/evidence/quote")) AS ?quoteSelector)
  BIND(IRI(CONCAT(STR(?st), "/evidence/position")) AS ?positionSelector)
}
