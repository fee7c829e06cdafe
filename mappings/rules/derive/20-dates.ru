# An EDTF date gives the earliest and the latest day it can mean, for range filters; an event
# also gets a CIDOC-CRM time-span with the same bounds.  (The bounds were computed from the
# EDTF value by the build and left in the raw default graph.)
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX akgr: <urn:archivekg:raw#>
PREFIX schema: <http://schema.org/>
INSERT { GRAPH <urn:archivekg:inferred> { ?x akg:earliestDate ?earliest } }
WHERE { GRAPH ?g { ?x akg:date ?d } ?b akgr:edtf ?d ; akgr:earliest ?earliest . }
;
INSERT { GRAPH <urn:archivekg:inferred> { ?x akg:latestDate ?latest } }
WHERE { GRAPH ?g { ?x akg:date ?d } ?b akgr:edtf ?d ; akgr:latest ?latest . }
;
INSERT { GRAPH <urn:archivekg:inferred> {
  ?x akg:hasTimeSpan ?span .
  ?span a akg:TimeSpan ; akg:edtf ?d .
} }
WHERE {
  GRAPH ?g { ?x akg:date ?d }
  GRAPH ?h { ?x a akg:Event }
  BIND(IRI(CONCAT(STR(?x), "/time-span")) AS ?span)
}
;
INSERT { GRAPH <urn:archivekg:inferred> { ?span akg:beginOfBegin ?earliest } }
WHERE { GRAPH ?h { ?x akg:hasTimeSpan ?span } GRAPH ?g { ?x akg:date ?d } ?b akgr:edtf ?d ; akgr:earliest ?earliest . }
;
INSERT { GRAPH <urn:archivekg:inferred> { ?span akg:endOfEnd ?latest } }
WHERE { GRAPH ?h { ?x akg:hasTimeSpan ?span } GRAPH ?g { ?x akg:date ?d } ?b akgr:edtf ?d ; akgr:latest ?latest . }
;
# A decree dated to the day (the day it bears: its adoption, or for a draft the day it is
# known by) has it as its schema:legislationDate, the date schema.org gives a legislation.
INSERT { GRAPH <urn:archivekg:inferred> { ?x schema:legislationDate ?day } }
WHERE {
  GRAPH ?g { ?x akg:date ?d }
  GRAPH ?h { ?x a akg:Decree }
  ?b akgr:edtf ?d ; akgr:earliest ?day ; akgr:latest ?day .
}
