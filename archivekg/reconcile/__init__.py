"""Entity reconciliation: "which of the names in my sheet are yours?".

The W3C Entity Reconciliation Community Group's Reconciliation Service API, version 0.2
(https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/), read and
answered without any web framework, so that the service (``archivekg.site.routes.reconcile``)
and the ``archivekg link`` command share it:

* ``protocol``: the JSON the API exchanges — query batches and data extension queries read and
  checked (a clear error naming the query and the field), candidates and rows written;
* ``properties``: the properties a historian can match on or fetch as columns;
* ``dates``: the dates such a property compares;
* ``matching``: candidates for a query from the name index, weighed by type and properties, and
  the decision that one of them is clearly right (``match``);
* ``client``: a client of any reconciliation service (ours, another archivekg, Wikidata's).

Nothing here reads the graph: the service hands the matcher a name index, a catalogue of the
entities and a source of their facts.
"""
