"""Releases: building one (pipeline, validation, writing), its files, opening and serving it safely."""
