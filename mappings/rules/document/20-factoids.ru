# Beside each plain triple, a factoid (an attribute assignment) saying which document states it,
# with which words, where in the text, how certainly, and from which line of which data file.
# Its IRI hashes the statement and the claim, so it is stable whatever the order of the files.
PREFIX akgr: <urn:archivekg:raw#>
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT { GRAPH ?g {
  ?f a akg:Factoid ;
     akg:factSubject ?s ; akg:factProperty ?p ; akg:factObject ?o ;
     akg:quote ?quote ; akg:sourceDocument ?doc ; akg:certainty ?certainty ;
     akg:evidence ?evidence ; akg:sourceFile ?file ; akg:sourceLine ?line .
} }
WHERE {
  ?st a akgr:Statement ; akgr:graph ?g ; akgr:document ?doc ; akgr:quote ?quote ;
      akgr:certainty ?certainty ; akgr:file ?file ; akgr:line ?line .
  GRAPH ?st { ?s ?p ?o }
  BIND(CONCAT(STR(?st), "|", STR(?s), "|", STR(?p), "|", STR(?o), "|",
              IF(isLITERAL(?o), STR(DATATYPE(?o)), "")) AS ?key)
  BIND(IRI(CONCAT(STR(?doc), "/factoid/", SUBSTR(MD5(?key), 1, 16))) AS ?f)
  BIND(IRI(CONCAT(STR(?st), "/evidence")) AS ?evidence)
}
;
# A curator's note on a statement travels with each of its factoids.
INSERT { GRAPH ?g { ?f skos:note ?note } }
WHERE {
  ?st a akgr:Statement ; akgr:graph ?g ; akgr:document ?doc ; akgr:note ?note .
  GRAPH ?st { ?s ?p ?o }
  BIND(CONCAT(STR(?st), "|", STR(?s), "|", STR(?p), "|", STR(?o), "|",
              IF(isLITERAL(?o), STR(DATATYPE(?o)), "")) AS ?key)
  BIND(IRI(CONCAT(STR(?doc), "/factoid/", SUBSTR(MD5(?key), 1, 16))) AS ?f)
}
