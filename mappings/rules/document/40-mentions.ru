# A name as the quote writes it, and the entity the curator identified it with.
PREFIX akgr: <urn:archivekg:raw#>
PREFIX akg: <https://w3id.org/archivekg/ontology#>
INSERT { GRAPH ?g {
  ?m a akg:Mention ; akg:refersTo ?entity ; akg:nameAsWritten ?name ; akg:sourceDocument ?doc ;
     akg:quote ?quote ; akg:certainty ?certainty ; akg:evidence ?evidence ;
     akg:sourceFile ?file ; akg:sourceLine ?line .
} }
WHERE {
  ?m a akgr:Mention ; akgr:graph ?g ; akgr:document ?doc ; akgr:statement ?st ;
     akgr:nameAsWritten ?name ; akgr:refersTo ?entity .
  ?st akgr:quote ?quote ; akgr:certainty ?certainty ; akgr:file ?file ; akgr:line ?line .
  BIND(IRI(CONCAT(STR(?st), "/evidence")) AS ?evidence)
}
