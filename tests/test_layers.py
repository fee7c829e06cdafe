"""The package's layers import one way: names and settings → pipeline → curation → validation →
release → endpoint → site → web → cli (docs/architecture.md).  Every import is checked,
including those inside functions, which once hid cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "archivekg"
LAYERS = ["core", "pipeline", "curation", "validation", "release", "endpoint", "site", "web", "cli"]
CORE = {"archivekg", "archivekg.settings", "archivekg.errors", "archivekg.namespaces",
        "archivekg.rdfformats", "archivekg.rdfsafety", "archivekg.names", "archivekg.jsonld",
        "archivekg.reconcile", "archivekg.datalayout"}


def layer_of(module: str) -> int:
    parts = module.split(".")
    if module in CORE or ".".join(parts[:2]) in CORE:
        return 0
    return LAYERS.index(parts[1])


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_layer():
    for path in MODULES:
        layer_of(module_name(path))     # raises ValueError for a package outside the layers


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_down_the_layers(path):
    own = layer_of(module_name(path))
    upward = [f"line {line}: {target} ({LAYERS[layer_of(target)]})"
              for line, target in imports(path)
              if target.startswith("archivekg") and layer_of(target) > own]
    assert not upward, f"{module_name(path)} ({LAYERS[own]}) imports up the layers: {upward}"
