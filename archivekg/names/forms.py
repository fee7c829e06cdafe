"""Everything the matcher compares about one written name, computed once.

``name_form("Ким Ир Сен")`` holds its normalised words in their own script (ким ир сен), the same
read in Latin letters (kim ir sen), its Korean phonetic keys (KiMiLSoN) and the document numbers
it holds.  The index computes the forms of its names once; a query's form is computed per query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .korean import name_keys
from .normalize import Token, name_tokens
from .scripts import document_numbers, to_latin

#: Names longer than this (in words) are not rotated: the surname-first/last question is one of
#: personal names, and organisations' names would only add keys.
MAX_ROTATED_WORDS = 5


@dataclass(frozen=True)
class NameForm:
    text: str
    lang: str | None
    tokens: tuple[Token, ...]
    #: One entry per normalised token: its Latin reading, as one or more words (a Hangul token
    #: gives one word per syllable), each keeping the token's ``abbreviated`` flag.
    latin_groups: tuple[tuple[Token, ...], ...]
    numbers: tuple[str, ...] = field(default=())

    @cached_property
    def key(self) -> str:
        """The normalised name without spaces, in its own script."""
        return "".join(token.text for token in self.tokens)

    @cached_property
    def latin_words(self) -> tuple[Token, ...]:
        return tuple(word for group in self.latin_groups for word in group)

    @cached_property
    def latin(self) -> str:
        """The Latin reading without spaces: where the scripts meet."""
        return "".join(word.text for word in self.latin_words)

    @cached_property
    def phonetic(self) -> frozenset[str]:
        return name_keys([word.text for word in self.latin_words])

    def rotations(self) -> list[tuple[Token, ...]]:
        """The Latin words in every other rotation of the name's tokens ("Ivanov V. I." for
        "V. I. Ivanov", "Il Sung Kim" for "Kim Il Sung"); none for one token or many."""
        groups = self.latin_groups
        if not 2 <= len(groups) <= MAX_ROTATED_WORDS:
            return []
        return [tuple(word for group in groups[shift:] + groups[:shift] for word in group)
                for shift in range(1, len(groups))]


def name_form(text: str, lang: str | None = None) -> NameForm:
    """The comparable form of one written name; ``lang`` (its BCP 47 tag or None) is kept for
    the caller and changes nothing in the comparison."""
    tokens = tuple(name_tokens(text))
    groups = tuple(tuple(Token(word, token.abbreviated) for word in to_latin(token.text).split())
                   for token in tokens)
    return NameForm(text, lang, tokens, tuple(group for group in groups if group),
                    tuple(document_numbers(text)))
