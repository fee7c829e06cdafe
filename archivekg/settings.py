"""Every setting of archivekg, declared once with its default and its help text.

Settings come, in increasing priority, from the defaults below, a TOML file
(``ARCHIVEKG_CONFIG`` or ``--config``), environment variables ``ARCHIVEKG_<NAME>``
and explicit overrides (CLI options, ``create_app(config=...)``).  A key that is
not declared here is rejected, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archivekg.errors import ConfigError

# The project root when running from a checkout (data/, ontology/, ... beside the package).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _bool(text: str) -> bool:
    lowered = str(text).strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _list(text: str) -> list[str]:
    if isinstance(text, list):
        return [str(item) for item in text]
    return [item.strip() for item in str(text).split(",") if item.strip()]


SETTINGS: tuple[Setting, ...] = (
    Setting("BASE_IRI", "https://w3id.org/archivekg/",
            "Public base IRI of everything the graph mints; it ends with '/'."),
    Setting("DATA_DIR", str(PROJECT_ROOT / "data"),
            "Folder with documents/, entities/ and annotations/."),
    Setting("ONTOLOGY_DIR", str(PROJECT_ROOT / "ontology"), "Folder with the ontology (Turtle)."),
    Setting("SHAPES_DIR", str(PROJECT_ROOT / "shapes"), "Folder with the SHACL shapes (Turtle)."),
    Setting("MAPPINGS_DIR", str(PROJECT_ROOT / "mappings"),
            "Folder with the JSON-LD context, JSON Schemas and SPARQL rules."),
    Setting("BUILD_DIR", str(PROJECT_ROOT / "build"),
            "Where builds are written; build/current points at the served one."),
    Setting("QUERY_TIMEOUT", 30.0, "Seconds a SPARQL query may run before it is stopped.", float),
    Setting("MAX_RESULTS", 100000,
            "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) one response carries.", int),
    # One per server process: with the default two server processes, one query process per
    # core of a two-core machine, where fewer processes compete for the cores (see
    # server/README.md for the figures).  Raise it where slow queries are common.
    Setting("QUERY_WORKERS", 1, "Query worker processes per server process.", int),
    # Extra workers are forked only when every worker is held by a query that has run longer
    # than a lookup, so lookups keep a lane while slow queries run (server/README.md).
    Setting("QUERY_WORKERS_MAX", 5,
            "Most query worker processes per server process, counting the extra ones forked "
            "while slow queries hold the others.", int),
    Setting("QUERY_MEMORY_MB", 512,
            "Memory (MiB) one query may allocate in its worker before it is stopped.", int),
    Setting("MAX_QUERY_BYTES", 512 * 1024,
            "Longest SPARQL query or update text accepted, in bytes (UTF-8).", int),
    Setting("QUERY_NETWORK_SANDBOX", True,
            "Query workers cannot open network sockets (seccomp); only allowlisted SERVICE "
            "queries run in a worker that can.", _bool),
    Setting("VALIDATE_TIMEOUT", 60.0,
            "Seconds POST /validate may spend on one request before it is stopped.", float),
    Setting("SERVICE_ALLOWLIST", [], "SERVICE endpoints a query may call (comma-separated IRIs).",
            _list),
    Setting("UPDATE_TOKEN", "",
            "Bearer token that enables SPARQL Update; empty (the default) keeps the endpoint read-only."),
    Setting("MAX_UPLOAD_BYTES", 10 * 1024 * 1024,
            "Largest request body accepted by POST /validate and POST /sparql.", int),
    Setting("IMPORT_MAX_BYTES", 10 * 1024 * 1024,
            "Largest file `archivekg import` reads (a saved web page with its inline scripts); "
            "the largest document text of the corpus is 25 kB.", int),
    Setting("SERVE_FILES", [], "RDF files to serve instead of the built graph.", _list),
    # An external triple store (server/stores.md): `archivekg publish --to` writes releases into
    # it, `archivekg serve --store` answers from it.  Credentials come from here or from the
    # environment (ARCHIVEKG_STORE_PASSWORD), never from the command line.
    Setting("STORE_URL", "",
            "SPARQL query endpoint of an external store: when set, `archivekg serve` answers from "
            "it instead of the embedded store, and `archivekg publish` writes into it."),
    Setting("STORE_UPDATE_URL", "",
            "SPARQL Update endpoint of the store (empty: STORE_URL); publish switches releases there."),
    Setting("STORE_GRAPH_STORE_URL", "",
            "SPARQL 1.1 Graph Store Protocol endpoint of the store (empty: STORE_URL); publish "
            "uploads graphs there."),
    Setting("STORE_USER", "", "User name for the store (HTTP Basic or Digest, as the store asks)."),
    Setting("STORE_PASSWORD", "", "Password for the store; prefer ARCHIVEKG_STORE_PASSWORD."),
    Setting("STORE_TOKEN", "",
            "Bearer token sent to the store on every request (QLever's access token); prefer "
            "ARCHIVEKG_STORE_TOKEN."),
    Setting("PUBLISH_TIMEOUT", 600.0,
            "Seconds one request of `archivekg publish` may wait for the store before the "
            "publish is abandoned.", float),
    Setting("LOG_LEVEL", "INFO", "Logging level of the server and the CLI."),
    Setting("MAP_TILES", "",
            "URL template of map tiles for the interactive map (e.g. https://tiles.example.org/{z}/{x}/{y}.png); "
            "empty: the Natural Earth outlines served by this server only."),
    Setting("MAP_TILES_ATTRIBUTION", "", "The attribution the tile server asks for (shown on the map)."),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def load(overrides: Mapping[str, Any] | None = None, *, config_file: str | os.PathLike | None = None,
         environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the full settings mapping; unknown keys raise ConfigError."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}

    config_file = config_file or environ.get("ARCHIVEKG_CONFIG")
    if config_file:
        path = Path(config_file)
        try:
            with path.open("rb") as handle:
                from_file = tomllib.load(handle)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the configuration file: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        _merge(values, {k.upper(): v for k, v in from_file.items()}, origin=str(path))

    from_env = {key[len("ARCHIVEKG_"):]: value for key, value in environ.items()
                if key.startswith("ARCHIVEKG_") and key != "ARCHIVEKG_CONFIG"}
    _merge(values, from_env, origin="environment (ARCHIVEKG_*)")
    if overrides:
        _merge(values, dict(overrides), origin="explicit configuration")

    if not values["BASE_IRI"].endswith("/"):
        raise ConfigError(f"BASE_IRI must end with '/': {values['BASE_IRI']!r}")
    return values


def _merge(values: dict[str, Any], new: Mapping[str, Any], *, origin: str) -> None:
    for key, raw in new.items():
        setting = _BY_NAME.get(key)
        if setting is None:
            known = ", ".join(sorted(_BY_NAME))
            raise ConfigError(f"{origin}: unknown setting {key!r} (known settings: {known})")
        if raw is None:
            continue
        try:
            values[key] = raw if not isinstance(raw, str) or setting.parse is str else setting.parse(raw)
            if setting.parse in (int, float) and not isinstance(values[key], (int, float)):
                values[key] = setting.parse(values[key])
            if setting.parse is _list:
                values[key] = _list(values[key])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{origin}: setting {key}: {exc}") from exc

