"""The web service: the SPARQL 1.1 endpoint, its service description, VoID and health."""

from archivekg.web.app import create_app

__all__ = ["create_app"]
