# A name in the entity's own script (a registry's `namesInScript`, each with its reference)
# becomes a language-tagged label of the entity: akg:nameInScript ⊑ skos:altLabel,
# schema:alternateName.  Written into the registry's own graph, beside the appellation it
# restates: the registries are mapped only by a full build, so no rebuild recomputes it.
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX akgr: <urn:archivekg:raw#>
INSERT { GRAPH ?g { ?x akg:nameInScript ?form } }
WHERE { ?g a akgr:Registry . GRAPH ?g { ?x akg:appellation ?a . ?a akg:writtenForm ?form } }
