# The evidence of a statement, as a W3C Web Annotation specific resource of the document text:
# the exact words with their context (TextQuoteSelector) and their position (TextPositionSelector,
# in Unicode code points).
PREFIX akgr: <urn:archivekg:raw#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT { GRAPH ?g {
  ?evidence a oa:SpecificResource ; oa:hasSource ?text ; oa:hasSelector ?quoteSelector, ?positionSelector .
  ?quoteSelector a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
  ?positionSelector a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
} }
WHERE {
  ?st a akgr:Statement ; akgr:graph ?g ; akgr:document ?doc ; akgr:exact ?exact ;
      akgr:prefix ?prefix ; akgr:suffix ?suffix ; akgr:start ?s ; akgr:end ?e .
  BIND(IRI(CONCAT(STR(?doc), "/text")) AS ?text)
  BIND(IRI(CONCAT(STR(?st), "/evidence")) AS ?evidence)
  BIND(IRI(CONCAT(STR(?st), "/evidence/quote")) AS ?quoteSelector)
  BIND(IRI(CONCAT(STR(?st), "/evidence/position")) AS ?positionSelector)
  BIND(STRDT(STR(?s), xsd:nonNegativeInteger) AS ?start)
  BIND(STRDT(STR(?e), xsd:nonNegativeInteger) AS ?end)
}
