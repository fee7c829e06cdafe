# Whether an act was carried out, in schema.org's terms (the acts are also schema:Action):
# planned → PotentialActionStatus, executed → CompletedActionStatus; cancelled has no action
# status in schema.org, but the act is an event that did not take place: EventCancelled.
# (In CIDOC-CRM the status is the act's crm:P2_has_type, by subproperty: no rule needed.)
PREFIX akg: <https://w3id.org/archivekg/ontology#>
PREFIX schema: <http://schema.org/>
# scope: triple ?g
# reads: ?x akg:executionStatus akg:planned
INSERT { GRAPH <urn:archivekg:inferred> { ?x schema:actionStatus schema:PotentialActionStatus } }
WHERE { GRAPH ?g { ?x akg:executionStatus akg:planned } }
;
# scope: triple ?g
# reads: ?x akg:executionStatus akg:executed
INSERT { GRAPH <urn:archivekg:inferred> { ?x schema:actionStatus schema:CompletedActionStatus } }
WHERE { GRAPH ?g { ?x akg:executionStatus akg:executed } }
;
# scope: triple ?g
# reads: ?x akg:executionStatus akg:cancelled
INSERT { GRAPH <urn:archivekg:inferred> { ?x schema:eventStatus schema:EventCancelled } }
WHERE { GRAPH ?g { ?x akg:executionStatus akg:cancelled } }
