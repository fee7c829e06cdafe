# An EDTF date gives the earliest and the latest day it can mean, for range filters; an event
# also gets a CIDOC-CRM time-span with the same bounds.  (The bounds are computed from the
# EDTF value by the build and given as raw nodes in the default graph.)
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX akgr: <urn:archivekg:raw#>
PREFIX schema: <http://schema.org/>

# scope: triple ?g
# reads: ?x akg:date ?d
# raw: ?b akgr:edtf ?d, ?b akgr:earliest ?earliest
INSERT { GRAPH <urn:archivekg:inferred> { ?x akg:earliestDate ?earliest } }
WHERE { GRAPH ?g { ?x akg:date ?d } ?b akgr:edtf ?d ; akgr:earliest ?earliest . }
;
# scope: triple ?g
# reads: ?x akg:date ?d
# raw: ?b akgr:edtf ?d, ?b akgr:latest ?latest
INSERT { GRAPH <urn:archivekg:inferred> { ?x akg:latestDate ?latest } }
WHERE { GRAPH ?g { ?x akg:date ?d } ?b akgr:edtf ?d ; akgr:latest ?latest . }
;
# The date and the class of an event may stand in different graphs (a document dates a meeting
# a registry or another document types): a join over the union of the graphs.
# scope: union
# reads: ?x akg:date ?d, ?x a akg:Event
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
# scope: union
# reads: ?x akg:hasTimeSpan ?span, ?x akg:date ?d
# raw: ?b akgr:edtf ?d, ?b akgr:earliest ?earliest
INSERT { GRAPH <urn:archivekg:inferred> { ?span akg:beginOfBegin ?earliest } }
WHERE { GRAPH ?h { ?x akg:hasTimeSpan ?span } GRAPH ?g { ?x akg:date ?d } ?b akgr:edtf ?d ; akgr:earliest ?earliest . }
;
# scope: union
# reads: ?x akg:hasTimeSpan ?span, ?x akg:date ?d
# raw: ?b akgr:edtf ?d, ?b akgr:latest ?latest
INSERT { GRAPH <urn:archivekg:inferred> { ?span akg:endOfEnd ?latest } }
WHERE { GRAPH ?h { ?x akg:hasTimeSpan ?span } GRAPH ?g { ?x akg:date ?d } ?b akgr:edtf ?d ; akgr:latest ?latest . }
;
# A decree dated to the day (the day it bears: its adoption, or for a draft the day it is
# known by) has it as its schema:legislationDate, the date schema.org gives a legislation.
# scope: union
# reads: ?x akg:date ?d, ?x a akg:Decree
# raw: ?b akgr:edtf ?d, ?b akgr:earliest ?day, ?b akgr:latest ?day
INSERT { GRAPH <urn:archivekg:inferred> { ?x schema:legislationDate ?day } }
WHERE {
  GRAPH ?g { ?x akg:date ?d }
  GRAPH ?h { ?x a akg:Decree }
  ?b akgr:edtf ?d ; akgr:earliest ?day ; akgr:latest ?day .
}
