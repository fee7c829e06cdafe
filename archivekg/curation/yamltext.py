"""YAML written the way curators write data/: block style, strings double-quoted (JSON's
escapes are YAML's, so any text survives), keys in the order given.  Files written here are
read back with the build's own loader before they replace anything."""

from __future__ import annotations

import json


def scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


# Keys YAML 1.1 (PyYAML) would read as booleans or null if written bare.
_RESERVED = {"on", "off", "yes", "no", "y", "n", "true", "false", "null", "~"}


def key(name: str) -> str:
    return json.dumps(name) if name.lower() in _RESERVED else name


def flow(value) -> str:
    """A short mapping or list on one line ({"Kim": kim-il-sung}, [a, b])."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def block(data: dict, indent: int = 0) -> list[str]:
    """The lines of a mapping in block style."""
    pad = " " * indent
    lines = []
    for name, value in data.items():
        name = key(name)
        if isinstance(value, dict):
            lines.append(f"{pad}{name}:")
            lines += block(value, indent + 2)
        elif isinstance(value, list) and value and any(isinstance(item, dict) for item in value):
            lines.append(f"{pad}{name}:")
            for item in value:
                inner = block(item, indent + 4)
                lines.append(f"{pad}  - {inner[0].strip()}")
                lines += inner[1:]
        elif isinstance(value, list):
            lines.append(f"{pad}{name}:")
            lines += [f"{pad}  - {scalar(item)}" for item in value]
        else:
            lines.append(f"{pad}{name}: {scalar(value)}")
    return lines


def list_item(data: dict, indent: int = 0) -> list[str]:
    """One mapping as an item of a block list ("- id: ...")."""
    inner = block(data, indent + 2)
    return [" " * indent + "- " + inner[0].strip()] + inner[1:]
