"""Name handling shared by search, reconciliation and the proposal of mentions.

Historians look people and places up the way their own sources write them: Kim Il Sung,
Kim Il-sŏng, Gim Il-seong, Ким Ир Сен, 김일성; V. I. Ivanov, Ivanov V.I., Иванов; No. 1-сс and
No. 1-cc.  This package turns such forms into keys that meet and ranks the entities a written
name may stand for.  It depends on nothing else in archivekg.

* ``normalize``, ``compact``, ``name_tokens``: a name for comparison (case, accents, punctuation,
  possessives, honorifics).
* ``to_latin``: a Latin reading of Cyrillic, Hangul or any script; ``homoglyph_fold`` and
  ``document_numbers`` for identifiers typed with look-alike letters.
* ``korean_keys``: the syllable-level phonetic key of a Korean name in any romanization.
* ``name_form``: all of the above for one name; ``NameIndex`` matches and completes names.
"""

from .candidates import STRONG_MATCH, Candidate, Entry, MatchKind
from .forms import NameForm, name_form
from .index import NameIndex
from .korean import is_korean_looking, korean_keys, name_keys
from .normalize import HONORIFICS, TITLES, Token, compact, fold, name_tokens, normalize
from .scripts import document_numbers, homoglyph_fold, to_latin

__all__ = [
    "STRONG_MATCH", "Candidate", "Entry", "MatchKind", "NameIndex", "NameForm", "name_form",
    "is_korean_looking", "korean_keys", "name_keys", "HONORIFICS", "TITLES", "Token", "compact", "fold",
    "name_tokens", "normalize", "document_numbers", "homoglyph_fold", "to_latin",
]
