"""sh:pattern for Oxigraph's REGEX, with the meaning pySHACL gives it (Python's ``re.search``).

Oxigraph matches with Rust's regex crate.  On the plain syntax below the two agree, but for
``$``: Python's ``$`` also matches before a final newline, Rust's only at the very end.  A
pattern is therefore translated only when it keeps to that syntax and has ``$`` only at its
end (where ``\\n?$`` gives Python's meaning); anything else stops the compile rather than
risking a silent difference.
"""

from __future__ import annotations

import re

# Outside classes: literal characters, groups (capturing or ?:), alternation, quantifiers,
# ^ at the start, . and the escapes \d (both: Unicode decimal digits) and escaped metacharacters.
_TOKEN = re.compile(r"""
    \\[dD]                      # digits
  | \\[.\\/\-+*?()\[\]{}|^$]    # an escaped metacharacter
  | \[(?:\\[\\\]\-^.]|[^\\\]])+\]  # a class of literal characters and ranges
  | \(\?:                       # a non-capturing group
  | \{[0-9]+(?:,[0-9]*)?\}      # a counted quantifier
  | [()|*+?.^$]                 # structure
  | [^\\\[\]{}()|*+?.^$]        # a literal character
""", re.VERBOSE)


class UnsupportedPattern(ValueError):
    pass


def translate(pattern: str) -> str:
    """The pattern for Oxigraph's REGEX, matching exactly the strings Python's re.search does."""
    position, tokens = 0, []
    while position < len(pattern):
        found = _TOKEN.match(pattern, position)
        if found is None:
            raise UnsupportedPattern(f"the pattern {pattern!r} uses syntax at character {position + 1} "
                                     "whose meaning may differ between Python and Oxigraph")
        tokens.append(found.group())
        position = found.end()
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        if token in ("*", "+", "?") or token.startswith("{"):
            # (?i), (?=...), (?P<...>) and a quantifier of nothing are Python syntax with
            # no equivalent here (or none at all)
            if previous in (None, "(", "(?:", "|", "^") or previous in ("*", "+", "?") and token != "?":
                raise UnsupportedPattern(f"the pattern {pattern!r} has {token} where it quantifies nothing "
                                         "or opens a group extension")
        if token == "^" and index != 0:
            raise UnsupportedPattern(f"the pattern {pattern!r} has ^ elsewhere than at its start")
        if token == "$" and index != len(tokens) - 1:
            raise UnsupportedPattern(f"the pattern {pattern!r} has $ elsewhere than at its end")
    re.compile(pattern)                  # what pySHACL would refuse, refuse too
    if tokens and tokens[-1] == "$":
        tokens[-1] = r"\n?$"
    return "".join(tokens)
