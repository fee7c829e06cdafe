"""SHACL validation of archivekg data: the shapes of shapes/, applied per node, per document
graph and across the corpus (engine), reported as text, Turtle, JSON or JUnit XML (report),
from the command line (command) and over HTTP (http)."""
