"""From data/ to RDF: reading and checking the data, mapping it, and the entailments."""
