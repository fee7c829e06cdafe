"""Names in a document: mentions of the entities our registries know, and names they do not.

Known names are found in two ways (gazetteer.py): a run of words that *is* a registry name once
normalised (any variant, any case, with a possessive or an honorific), and a capitalised name
that ``NameIndex.match`` reads as a form of one (another romanization, script, word order,
initials).  A written form several entities share (a bare "Kim") is given to the one the text
last named in full, or, before a verb of speaking, to the one it names most: with a lower
confidence and the others listed.

A capitalised name the registries do not know is a new name, with the kind it most likely is
and why: the words around it ("Cde.", "the island of", a verb of speaking), its shape (initials
and a surname, a Korean personal name, a Russian surname), or the words it is made of
("Ministry", "District", an abbreviation).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from archivekg.curation.document import Analysed
from archivekg.curation.gazetteer import Gazetteer, name_key
from archivekg.names import is_korean_looking, name_tokens, to_latin

HONORIFICS = {"cde", "comrade", "comrades", "mr", "mrs", "ms", "dr", "tov"}
#: Capitalised words that are not names on their own (titles, sentence openers, common nouns
#: that English capitalises in this kind of text).
OPENERS = {
    "ambassador", "chairman", "chairmen", "minister", "ministers", "deputy", "chief", "secretary",
    "adviser", "advisers", "advisor", "member", "members", "head", "commander", "general", "marshal",
    "premier", "president", "director", "representative", "counsellor", "consul", "comrades",
    "comrade", "cde", "the", "writers", "writer", "historian", "however", "frankly", "instead",
    "consequently", "besides", "therefore", "thus", "then", "here", "there", "why", "what", "when",
    "where", "who", "which", "while", "although", "according", "considering", "being", "based",
    "after", "before", "during", "since", "until", "following", "another", "some", "many",
    "several", "such", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i",
    "you", "his", "her", "their", "our", "its", "my", "if", "as", "at", "by", "for", "from", "in",
    "of", "on", "to", "with", "and", "or", "but", "not", "no", "all", "each", "every", "both",
    "one", "two", "three", "four", "five", "first", "second", "third", "read", "famous", "more",
    "most", "few", "could", "would", "should", "can", "will", "also", "only", "even", "still",
    "now", "later", "earlier", "again", "once", "further", "a", "an", "former", "newly",
    "charge", "chargé", "d'affaires", "affaires", "everyone", "everybody", "nobody", "someone",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december",
}
#: Words that are not a name on their own, nor together (a chunk made only of them is skipped).
COMMON = OPENERS | {
    "party", "plenum", "state", "central", "committee", "government", "republic", "people",
    "peoples", "workers", "soviet", "chinese", "korean", "american", "japanese", "russian", "english",
    "translation", "memo", "journal", "copy", "copies", "signature", "document", "contents",
    "summary", "citation", "credits", "original", "language", "source", "secret", "top",
    "confidential", "resolution", "decree", "decision", "order", "provision", "issue", "question",
    "may", "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "sic", "cc", "nº", "n", "ssr", "assr", "krai", "oblast", "district",
    "province", "region", "island", "city", "department", "ministry", "army", "embassy", "council",
    "commission", "bureau", "office", "staff", "headquarters", "troops", "war", "offensive",
    "liberation", "plan", "policy", "world", "north", "south", "east", "west", "kim", "pak", "ri",
    "park", "lee", "choe", "choi", "jeong", "kang", "han", "cho", "yun", "jang", "im", "o", "seo",
    "op", "work",
}
ORG_WORDS = {"ministry", "committee", "commission", "council", "department", "party", "army",
             "embassy", "bureau", "office", "staff", "headquarters", "union", "league", "archive",
             "program", "programme", "center", "centre", "works", "factory", "plant", "bank",
             "institute", "academy", "university", "school", "agency", "administration", "directorate",
             "cc", "politburo", "presidium", "secretariat", "cabinet", "soviet", "front", "corps",
             "division", "regiment", "fleet", "society", "association", "federation", "cooperative",
             "cooperatives", "organization", "organisation", "mission", "consulate", "court", "sovnarkom"}
PLACE_WORDS = {"district": "District", "province": "Province", "region": "Region", "krai": "Region",
               "oblast": "Region", "island": "Island", "islands": "Place", "city": "City", "ssr": "Republic",
               "assr": "Republic", "republic": "Republic", "sea": "Place", "river": "Place", "zone": "Zone",
               "county": "District", "raion": "District", "area": "Region", "peninsula": "Place"}
PLACE_BEFORE = re.compile(r"(?:\b(?:islands?|cit(?:y|ies)|provinces?|districts?|towns?|villages?|ports?|regions?|"
                          r"county)\s+of|\b(?:in|to|near|at|from|into)(?:\s+the)?)\s*[\[(\"“']?$", re.IGNORECASE)
PERSON_BEFORE = re.compile(r"(?:\b(?:Cde|Comrade|Comrades|Mr|Mrs|Dr|Ambassador|Marshal|General|Colonel|"
                           r"Minister|historian|writer|writers|Writers|interpreter|Premier|Chairman)\.?)\s*$")
SPEECH = re.compile(r"^\s*(?:,\s*)?(?:said|says|declared|stated|replied|reported|asked|noted|continued|"
                    r"warned|told|knew|opposed|worked|was|were|had|has|recommended|insisted|admitted|"
                    r"confessed|began|came|arrived|held|raised|suggested|collected|acted|behaved|"
                    r"interceded|visited|received|met|wrote|signed|thought|believed|answered|"
                    r"explained|agreed|refused|proposed|spoke|gave|sent|went|returned|became|"
                    r"concealed|did|made|took)\b")
RUSSIAN_SURNAME = re.compile(r"(?:ov|ev|yev|in|yn|sky|skiy|skii|enko|uk|yuk|ich|vich|ova|eva|ina|skaya|"
                             r"ko|shin|kin)$", re.IGNORECASE)
_INITIAL = re.compile(r"^[A-ZА-Я]\.$")


@dataclass
class Hit:
    start: int
    end: int
    written: str
    candidates: list[str]
    how: str                       # "exact" or the NameIndex's reason
    score: float = 1.0
    entity: str | None = None
    confidence: float = 0.0
    why: str = ""


@dataclass
class NewName:
    key: str
    name: str
    type: str
    why: str
    confidence: float
    occurrences: list[tuple[int, int, str]] = field(default_factory=list)
    inside: bool = False           # written somewhere other than as a sentence's first word


@lru_cache(maxsize=65536)
def _word(token_text: str) -> str | None:
    words = name_tokens(token_text)
    return words[0].text if len(words) == 1 else None


def find(doc: Analysed, gazetteer: Gazetteer) -> tuple[list[Hit], list[NewName]]:
    hits: list[Hit] = []
    chunks: list[tuple[int, int]] = []
    tokens = doc.tokens
    for sentence in doc.sentences:
        span = tokens.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None:
            continue
        words = list(span)
        taken = [False] * len(words)
        _exact(doc, gazetteer, words, taken, hits)
        chunks.extend(_chunks(words, taken))
    names: dict[str, NewName] = {}
    for start, end in chunks:
        _chunk(doc, gazetteer, start, end, hits, names)
    _resolve(doc, hits)
    types = {e.id: e.type for e in gazetteer.entities.values()}
    neighbours = {(h.start, h.end): ("Place" if types.get(h.entity) not in ("Person", "Organization", "Group")
                                     else types.get(h.entity)) for h in hits if h.entity in types}
    return sorted(hits, key=lambda h: h.start), _new_names(doc, names, neighbours)


def _exact(doc, gazetteer: Gazetteer, words, taken, hits) -> None:
    text = doc.text
    i = 0
    while i < len(words):
        token = words[i]
        first = _word(token.text)
        attached = i and words[i - 1].text in "-–" and words[i - 1].idx + 1 == token.idx
        if first is None or first not in gazetteer.first_words or attached:
            i += 1
            continue
        longest = min(len(words) - i, gazetteer.first_words[first] * 3 + 1)
        for n in range(longest, 0, -1):
            last = words[i + n - 1]
            if not any(c.isalnum() for c in last.text):
                continue
            following = words[i + n] if i + n < len(words) else None
            if following is not None and following.idx == last.idx + len(last.text) \
                    and following.text in "-–" and i + n + 1 < len(words):
                continue        # "Pak Il" of "Pak Il-u": not a whole name
            start, end = _tidy(text, token.idx, last.idx + len(last.text))
            written = text[start:end]
            found = gazetteer.exact(name_key(written))
            if found and _inside_longer_name(words, i, n):
                found = set()        # "German Kim", "USSR MFA Far East Department": another name
            if found:
                hits.append(Hit(start, end, written, sorted(found), "exact"))
                for k in range(i, i + n):
                    taken[k] = True
                i += n
                break
        else:
            i += 1


def _name_word(token) -> bool:
    text = token.text
    return text[:1].isupper() and text.replace("-", "").replace("(", "").replace(")", "").isalnum() \
        and text.lower() not in OPENERS and text.lower() not in HONORIFICS and not text.isdigit()


def _inside_longer_name(words, i: int, n: int) -> bool:
    """A registry name written inside a longer capitalised name the registry does not know
    ("Kim" in "German Kim", "Far East" in "USSR MFA Far East Department", "CC" in "CC of the
    VCP (b)"): the longer name is the one meant."""
    before = words[i - 1] if i else None
    after = words[i + n] if i + n < len(words) else None
    if before is not None and _name_word(before) and before.idx + len(before.text) < words[i].idx:
        return True
    if after is not None and _name_word(after):
        return True
    if after is not None and after.lower_ == "of" and i + n + 2 < len(words):
        following = words[i + n + 1] if words[i + n + 1].lower_ != "the" else words[i + n + 2]
        return _name_word(following) and len(words[i].text) <= 3 and words[i].text.isupper()
    return False


def _tidy(text: str, start: int, end: int) -> tuple[int, int]:
    """A written name without a sentence's final full stop, with the bracket it opened closed
    ("Kanggye [Kange]", "VKP(b)")."""
    written = text[start:end]
    if written.endswith(".") and not re.search(r"(?:^|\s)[A-ZА-Я]\.$", written):
        end -= 1
        written = written[:-1]
    for opening, closing in ("()", "[]"):
        if written.count(opening) > written.count(closing) and text[end:end + 1] == closing:
            end += 1
            written += closing
    return start, end


def _capital(token) -> bool:
    text = token.text
    return (text[:1].isupper() and any(c.isalpha() for c in text)) or bool(_INITIAL.match(text))


def _chunks(words, taken) -> list[tuple[int, int]]:
    """Runs of capitalised words (with initials, hyphenated parts and inner "of") not already
    a registry name."""
    found, i = [], 0
    while i < len(words):
        if taken[i] or not _capital(words[i]):
            i += 1
            continue
        j = i + 1
        while j < len(words) and not taken[j]:
            token = words[j]
            previous = words[j - 1]
            if token.lower_.rstrip(".") in HONORIFICS:
                break
            if _capital(token):
                j += 1
            elif token.text in "-–" and previous.idx + len(previous.text) == token.idx and j + 1 < len(words) \
                    and words[j + 1].idx == token.idx + 1 and words[j + 1].text[:1].isalpha():
                j += 2
            elif token.lower_ in ("of", "of the") and j + 1 < len(words) and _capital(words[j + 1]) \
                    and not taken[j + 1]:
                j += 1
            else:
                break
        found.append((words[i].idx, words[j - 1].idx + len(words[j - 1].text)))
        i = j
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The chunk without leading sentence openers, titles and honorifics, and without a
    trailing possessive or "of"."""
    while True:
        match = re.match(r"[\w'’.()-]+\s*", text[start:end])
        if not match or match.end() >= end - start:
            break
        word = match.group(0).strip().rstrip(".").lower()
        if re.fullmatch(r"[A-ZА-Я]\.", match.group(0).strip()):
            break            # an initial ("A. M. PETROV"), not the article "A"
        if word in OPENERS or word in HONORIFICS:
            start += match.end()
        else:
            break
    end = start + len(re.sub(r"(?:\s+of|[’']s?|\s*[.,;:])+$", "", text[start:end]))
    return start, end


def _chunk(doc: Analysed, gazetteer: Gazetteer, start: int, end: int, hits: list[Hit],
           names: dict[str, NewName]) -> None:
    text = doc.text
    start, end = _trim(text, start, end)
    start, end = _tidy(text, start, end)
    written = text[start:end]
    words = written.split()
    if not words or all(w.lower().strip(".,’'") in COMMON for w in words):
        return
    if len(words) == 1 and (len(written) < 3 or written.lower() in COMMON):
        return
    candidates = gazetteer.match(written)
    if candidates and candidates[0].kind.value in ("exact", "transliteration", "reordered", "initials", "phonetic"):
        best = candidates[0]
        others = [c.entity_id for c in candidates[1:] if c.score == best.score]
        hits.append(Hit(start, end, written, [best.entity_id, *others], best.reason, best.score))
        return
    country = _after_a_place(gazetteer, written)
    if country is not None:
        place, entity = country
        hits.append(Hit(start, end, written, [entity], f"'{place}' and the registry's name of {entity}", 0.85))
        return
    key = "".join(t.text for t in name_tokens(written))
    if not key or key.isdigit():
        return
    sentence = doc.sentence_at(start)
    initial = sentence is not None and not text[sentence.start:start].strip(" \"'‘“(*[-–—0123456789.")
    entry = names.setdefault(key, NewName(key, written, "", "", 0.0))
    entry.occurrences.append((start, end, written))
    if not initial or len(words) > 1:
        entry.inside = True


def _after_a_place(gazetteer: Gazetteer, written: str) -> tuple[str, str] | None:
    """A known place's name before a known body's name ("DPRK MVD", "USSR MFA"): the body of
    that place, as the registry names it without the place."""
    words = written.split()
    for cut in range(1, min(3, len(words))):
        place, rest = " ".join(words[:cut]), " ".join(words[cut:])
        places = [e for e in gazetteer.exact(name_key(place)) if gazetteer.entities[e].type not in
                  ("Person", "Organization", "Group")]
        bodies = [e for e in gazetteer.exact(name_key(rest)) if gazetteer.entities[e].type == "Organization"]
        if places and len(bodies) == 1:
            return place, bodies[0]
    return None


def _resolve(doc: Analysed, hits: list[Hit]) -> None:
    """Choose the entity of each hit whose written form several entities share."""
    full: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        if len(hit.candidates) == 1:
            full[hit.candidates[0]].append(hit.start)
    counts = Counter({entity: len(positions) for entity, positions in full.items()})
    for hit in hits:
        lowercase_word = hit.written.islower() and len(hit.written.split()) == 1
        if len(hit.candidates) == 1:
            hit.entity = hit.candidates[0]
            hit.confidence = (0.95 if hit.how == "exact" else round(0.9 * hit.score, 2))
            hit.why = ("the registry's name or variant" if hit.how == "exact" else hit.how)
            if lowercase_word:
                hit.confidence, hit.why = 0.55, hit.why + "; a common word the registry lists: check the context"
            continue
        speaking = bool(SPEECH.match(doc.text[hit.end:hit.end + 20]))
        before = {e: max((p for p in full.get(e, []) if p < hit.start), default=-1) for e in hit.candidates}
        if speaking and any(counts[e] for e in hit.candidates):
            chosen = max(hit.candidates, key=lambda e: (counts[e], before[e]))
            hit.why = (f"'{hit.written}' is a name of {', '.join(hit.candidates)}; before a verb of "
                       f"speaking, the one the text names most ({counts[chosen]} times in full)")
            hit.confidence = 0.7
        elif any(p >= 0 for p in before.values()):
            chosen = max(hit.candidates, key=lambda e: before[e])
            hit.why = (f"'{hit.written}' is a name of {', '.join(hit.candidates)}; the text last named "
                       f"{chosen} in full, {hit.start - before[chosen]} characters before")
            hit.confidence = 0.7 if hit.start - before[chosen] < 400 else 0.55
        else:
            chosen = hit.candidates[0]
            hit.why = (f"'{hit.written}' is a name of {', '.join(hit.candidates)}, and the text names "
                       f"none of them in full: a guess")
            hit.confidence = 0.35
        hit.entity = chosen


def _merge_surnames(names: dict[str, NewName]) -> None:
    """A bare surname ("Sorokin") is the person named with initials elsewhere ("V. P. Sorokin")."""
    for key, entry in list(names.items()):
        words = name_tokens(entry.name)
        if len(words) != 1:
            continue
        fuller = [other for other in names.values() if other is not entry and len(name_tokens(other.name)) > 1
                  and name_tokens(other.name)[-1].text == words[0].text
                  and all(t.abbreviated for t in name_tokens(other.name)[:-1])]
        if len(fuller) == 1:
            fuller[0].occurrences.extend(entry.occurrences)
            fuller[0].occurrences.sort()
            fuller[0].inside = fuller[0].inside or entry.inside
            del names[key]


def _new_names(doc: Analysed, names: dict[str, NewName], neighbours: dict) -> list[NewName]:
    _merge_surnames(names)
    found = []
    for entry in names.values():
        votes: Counter = Counter()
        reasons: dict[str, str] = {}
        for start, end, written in entry.occurrences:
            for kind, why in _guesses(doc, start, end, written, neighbours):
                votes[kind] += 1
                reasons.setdefault(kind, why)
        if not votes:
            if len(entry.occurrences) < 2 or any(_english_word(w) for w in entry.name.split()):
                continue
            votes["Person"] = 0
            reasons["Person"] = (f"a capitalised name written {len(entry.occurrences)} times; nothing "
                                 f"says what it names: guessed a person")
        kind = votes.most_common(1)[0][0]
        strength = votes[kind]
        if not entry.inside and reasons[kind].startswith(("the subject of", "a capitalised name")):
            continue        # "Everyone knew": a sentence's first word with nothing else to go on
        entry.type = kind
        entry.why = reasons[kind]
        entry.name = max((w for _, _, w in entry.occurrences), key=len)
        first = min(entry.occurrences)
        entry.occurrences.remove(first)
        entry.occurrences.insert(0, first)
        entry.confidence = round(min(0.9, 0.4 + 0.15 * strength + 0.05 * (len(entry.occurrences) - 1)), 2)
        found.append(entry)
    return sorted(found, key=lambda n: n.occurrences[0][0])


def _guesses(doc: Analysed, start: int, end: int, written: str,
             neighbours: dict[tuple[int, int], str] | None = None) -> list[tuple[str, str]]:
    """The kind a name most likely is at one place of the text and why: the strongest sign
    first (the words of the name, then the words around it, then its shape)."""
    text = doc.text
    before, after = text[max(0, start - 40):start], text[end:end + 30]
    words = re.findall(r"[\w']+", written)
    lowered = [w.lower() for w in words]
    structural = any(w in ORG_WORDS or w in PLACE_WORDS for w in lowered)
    for word in reversed(lowered):
        if word in PLACE_WORDS:
            return [(PLACE_WORDS[word], f"its last words say what it is ('{word}')")]
    if any(w in ORG_WORDS for w in lowered):
        word = next(w for w in lowered if w in ORG_WORDS)
        return [("Organization", f"a body's word in the name ('{word}')")]
    sentence = doc.sentence_at(start)
    if all(w.isupper() and 2 <= len(w) <= 6 for w in words) and len(words) <= 3 and not _initials(written) \
            and not (sentence and text[sentence.start:sentence.end].isupper()):
        return [("Organization", "an abbreviation in capitals")]
    if title := PERSON_BEFORE.search(before):
        return [("Person", f"written after '{title.group(0).strip()}'")]
    if _initials(written):
        return [("Person", "initials and a surname")]
    if 2 <= len(words) <= 3 and korean_name(written) and not structural:
        return [("Person", "a Korean personal name (a family name and a given name)")]
    joined = _coordinated(text, start, end, neighbours or {}, doc)
    if joined:
        return [joined]
    if (place_word := PLACE_BEFORE.search(before)) and not SPEECH.match(after):
        return [("Place", f"written after '{place_word.group(0).strip()}'")]
    if len(words) <= 2 and len(words[-1]) > 5 and RUSSIAN_SURNAME.search(words[-1]) and words[-1][0].isupper():
        return [("Person", "a Russian surname")]
    if verb := SPEECH.match(after):
        return [("Person", f"the subject of '{verb.group(0).strip(' ,')}'")]
    if words[-1].endswith(("ans", "ese", "ians")) and len(words) <= 2:
        return [("Group", "a people named in the plural")]
    return []


def korean_name(written: str) -> bool:
    """A name of two or three words that parses as Korean syllables: a family name and a given
    name ("Pak Geum-cheol", "Ri Chol-ho", "Kim Yeol")."""
    return 2 <= len(written.split()) <= 3 and is_korean_looking(to_latin(written))


def _coordinated(text: str, start: int, end: int, neighbours: dict, doc) -> tuple[str, str] | None:
    """A name joined by "and" or a comma to a name the registries know is of its kind
    ("the cities of Pyongyang and Kaesong")."""
    for (s, e), kind in neighbours.items():
        between = text[e:start] if e <= start else text[end:s]
        if (e <= start and start - e <= 6 or end <= s and s - end <= 6) and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", between):
            return kind, f"joined by '{between.strip()}' to {text[s:e]!r}, a {kind.lower()} the registries know"
    return None


def _english_word(word: str) -> bool:
    """Words English makes with these endings are rarely names ("Planning", "Relocation")."""
    return bool(re.search(r"(?:ing|tion|sion|ment|ness|ance|ence|ity|ism|ed|ies)$", word.lower())) \
        and len(word) > 5


def _initials(written: str) -> bool:
    return bool(re.match(r"^(?:[A-ZА-Я]\.\s*){1,3}[A-ZА-Я][\w'’-]+$", written.strip())) or \
        bool(re.match(r"^[A-ZА-Я][\w'’-]+\s+(?:[A-ZА-Я]\.\s*){1,3}$", written.strip()))

