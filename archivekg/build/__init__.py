"""The build: from data/ to a validated, reasoned RDF dataset in an Oxigraph store."""
