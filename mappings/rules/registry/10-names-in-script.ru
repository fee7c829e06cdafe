# A name in the entity's own script (a registry's `namesInScript`, each with its reference)
# becomes a language-tagged label of the entity: akg:nameInScript ⊑ skos:altLabel,
# schema:alternateName.  Written into the registry's own graph, beside the appellation it
# restates: a function of the registries alone, so it is made (and cached) with their graph.
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX akgr: <urn:archivekg:raw#>
INSERT { GRAPH ?g { ?x akg:nameInScript ?form } }
WHERE { ?g a akgr:Registry . GRAPH ?g { ?x akg:appellation ?a . ?a akg:writtenForm ?form } }
