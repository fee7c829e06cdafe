"""archivekg: a knowledge graph of archival documents."""

__version__ = "0.1.0"
