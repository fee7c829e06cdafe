# A name in the entity's own script (a registry's `namesInScript`, each with its reference)
# becomes a language-tagged label of the entity: akg:nameInScript ⊑ skos:altLabel,
# schema:alternateName.
PREFIX akg: <https://w3id.org/archivekg/ontology#>
INSERT { GRAPH <urn:archivekg:inferred> { ?x akg:nameInScript ?form } }
WHERE { GRAPH ?g { ?x akg:appellation ?a . ?a akg:writtenForm ?form } }
