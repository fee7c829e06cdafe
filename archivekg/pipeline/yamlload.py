"""Read YAML so that every mapping and list remembers the line it came from.

Error messages must name the file and the line of the offending value, so the loaded
structures carry their source position: ``LineDict``/``LineList`` behave like dict/list
and have ``.line`` (1-based) and ``.key_lines`` (line of each key's value).  Dates stay
strings: EDTF is validated by the build, and YAML's own date parsing would both reject
EDTF and silently turn ``1954-12-20`` into a ``datetime.date``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from archivekg.errors import YamlSyntaxError


class LineDict(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: it words syntax errors as users of this project know them."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # a base chosen at import: libyaml's where PyYAML has it
    """libyaml's parser (several times faster) with the same resolvers and constructors; it
    keeps the marks, so lines are the same.  Only its wording of syntax errors differs, so a
    file it rejects is parsed again by ``_Loader`` for the message."""


# No implicit timestamps: drop the resolver for them (a copy, so SafeLoader is untouched).
_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = value_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# The JSON-LD parser that maps the data refuses a single token past 16 MiB; no note, name or
# quote comes near a million characters, so a longer one is a mistake, reported where it is.
MAX_STRING_CHARS = 1_000_000


def load_yaml(path: Path, display: str | None = None):
    """Parse one YAML file; a syntax error becomes YamlSyntaxError with file and line."""
    display = display or str(path)
    data = _parse(path, display)
    _check_strings(data, display, getattr(data, "line", 1))
    return data


def _check_strings(node, display: str, line: int) -> None:
    stack = [(node, line)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if len(value) > MAX_STRING_CHARS:
                raise YamlSyntaxError(
                    f"a text value of {len(value):,} characters; the most a value may hold is "
                    f"{MAX_STRING_CHARS:,} (long texts belong in documents/*.txt)", file=display, line=where)
        elif isinstance(value, LineDict):
            stack.extend((item, value.line_of(key)) for key, item in value.items())
            stack.extend((key, value.line_of(key)) for key in value if isinstance(key, str))
        elif isinstance(value, LineList):
            stack.extend((item, value.line_of(index)) for index, item in enumerate(value))


def _parse(path: Path, display: str):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(f"not UTF-8 text (byte {exc.start})", file=display) from exc
    try:
        return yaml.load(text, Loader=_FastLoader)
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(f"YAML syntax error: {problem}", file=display, line=line) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML syntax error: {exc}", file=display) from exc


def line_at(root, path) -> int | None:
    """The line of the value at ``path`` (a sequence of keys/indexes) inside ``root``."""
    node, line = root, getattr(root, "line", None)
    for step in path:
        if isinstance(node, LineDict) and step in node:
            line = node.line_of(step)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and step < len(node):
            line = node.line_of(step)
            node = node[step]
        else:
            break
    return line
