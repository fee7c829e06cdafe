"""The SPARQL 1.1 endpoint: protocol, query workers and their limits, service description."""
