"""A synthetic corpus in our data format, for measuring the project at scale.

``python -m benchmarks.generate --documents N --seed S --out DIR`` writes ``DIR/data/``:
document texts and their archival records, the registries, and annotations whose quotes are
really in the generated texts (each is located with the build's own matcher, and given an
``occurrence`` when it repeats).  The shipped corpus (``data/``) is copied in as the first
documents and its registries head the synthetic ones, so the competency questions keep their
subjects; ``--no-shipped`` leaves it out.

The shape imitates the real archive: persons, places and bodies recur across documents with a
long-tail (Zipf) frequency; documents are memos, journals, records of conversation, telegrams
and reports about meetings, decrees, resettlements with figures and party actions; later
documents refer back to decrees and meetings of earlier ones.  The same arguments always give
the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import random
import re
import shutil
import sys
from bisect import bisect
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from archivekg.pipeline import texts
from archivekg.settings import PROJECT_ROOT

KOREAN_FAMILY = ["Kim", "Ri", "Pak", "Choe", "Jeong", "Kang", "Cho", "Yun", "Jang", "Im", "Han",
                 "O", "Seo", "Sin", "Kwon", "Hwang", "An", "Song", "Ryu", "Hong", "Jeon", "Ko",
                 "Mun", "Yang", "Son", "Bae", "Baek", "Heo", "Nam", "Sim", "No", "Ha", "Cha", "Ju"]
KOREAN_SYLLABLES = ["il", "sung", "yong", "gon", "chang", "ok", "hyon", "chol", "su", "myong",
                    "gwang", "rok", "sok", "bong", "chun", "hak", "hui", "jin", "sun", "won",
                    "yeol", "bin", "ho", "man", "tae", "gyu", "hun", "sik", "jae", "dok", "geun",
                    "sam", "ryong", "pil", "ung", "hwan", "du", "in"]
RUSSIAN_SURNAMES = [
    "Kovalev", "Smirnov", "Kuznetsov", "Popov", "Vasiliev", "Sokolov", "Mikhailov", "Novikov",
    "Fedorov", "Morozov", "Volkov", "Alekseev", "Lebedev", "Semenov", "Egorov", "Pavlov",
    "Kozlov", "Stepanov", "Nikolaev", "Orlov", "Andreev", "Makarov", "Nikitin", "Zakharov",
    "Zaitsev", "Soloviev", "Borisov", "Yakovlev", "Grigoriev", "Romanov", "Vorobiev", "Sergeev",
    "Kuzmin", "Frolov", "Dmitriev", "Korolev", "Gusev", "Kiselev", "Ilyin", "Maksimov",
    "Polyakov", "Sorokin", "Vinogradov", "Belov", "Medvedev", "Antonov", "Tarasov", "Zhukov",
    "Baranov", "Filippov", "Komarov", "Davydov", "Belyaev", "Gerasimov", "Bogdanov", "Osipov",
    "Matveev", "Titov", "Markov", "Mironov", "Krylov", "Kulikov", "Karpov", "Vlasov",
    "Melnikov", "Denisov", "Gavrilov", "Tikhonov", "Kazakov", "Afanasiev", "Danilov",
    "Timofeev", "Fomin", "Chernov", "Abramov", "Martynov", "Efimov", "Nazarov", "Kalinin"]
INITIALS = list("ABVGDEIKLMNOPRSTF")
PLACE_HEADS = ["Song", "Un", "Kang", "Tae", "Chang", "Pyok", "Yong", "Sin", "Hoe", "Kap", "Mun",
               "Ryong", "Chol", "Hwa", "Pu", "Nyong", "Sak", "Kok", "Tok", "Myong", "Chung",
               "Suk", "Sam", "Ok", "Hyang", "Jang", "Pong", "Yon", "Ul", "Ham"]
PLACE_TAILS = ["chon", "san", "ju", "dong", "won", "pyong", "gang", "ri", "jin", "hung",
               "ryong", "pung", "dok", "gok", "am", "nam"]
PROVINCES = ["North Pyongan", "South Pyongan", "Jagang", "Ryanggang", "North Hamgyong",
             "Kangwon", "North Hwanghae", "South Hwanghae", "Kaesong Area", "Sinuiju Area"]
MINISTRIES = ["Agriculture", "Light Industry", "Foreign Affairs", "Education", "Finance",
              "Foreign Trade", "Railways", "Public Health", "Justice", "State Control",
              "Fisheries", "Construction", "Labour", "Local Industry", "Procurement",
              "Electric Power", "Metallurgy", "Machine Building", "Chemical Industry"]
POSTS = ["chairman", "deputy chairman", "first secretary", "head of the cadres department",
         "head of the propaganda department", "minister", "deputy minister", "inspector"]
REASONS = ["factional activity", "embezzlement of state property", "bureaucratism",
           "violation of Party discipline", "nepotism in the selection of cadres",
           "an incorrect attitude towards Soviet specialists", "failing the grain procurement plan",
           "suppressing criticism", "anti-Party statements at a meeting", "careless work with cadres"]
TOPICS = ["the spring sowing campaign", "the procurement of grain", "the work of the Soviet advisers",
          "the situation in the Party", "the cooperation of peasant farms", "the repair of railways",
          "trade with the USSR", "the situation on the border", "the reconstruction of Pyongyang",
          "the training of national cadres", "the fishing season", "the coal supply of industry"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
KINDS = [("memo", "Memo"), ("journal entry", "Journal"), ("record of conversation", "Record of Conversation"),
         ("telegram", "Telegram"), ("report", "Report")]
FIRST_DAY, LAST_DAY = dt.date(1945, 9, 1), dt.date(1962, 12, 31)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def header_date(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------- the registries
@dataclass
class Entity:
    id: str
    type: str
    name: str
    forms: list[str]                  # how the texts write it (the registry's variants)
    extra: dict = field(default_factory=dict)
    shipped: bool = False
    soviet: bool = False
    point: tuple[float, float] | None = None       # a synthetic point (see synthetic_point)

    def yaml(self) -> str:
        lines = [f"- id: {self.id}", f"  type: {self.type}", f"  name: {q(self.name)}",
                 "  variants:"] + [f"  - {q(form)}" for form in self.forms]
        lines += [f"  {key}: {q(value) if isinstance(value, str) else value}"
                  for key, value in self.extra.items()]
        if self.point is not None:
            lat, lon = self.point
            lines += ["  location:", f"    latitude: {lat}", f"    longitude: {lon}",
                      f"    coordinatesSource: https://example.org/synthetic-gazetteer/{self.id}",
                      f"    coordinatesAsGiven: {q(f'{lat:.4f} N, {lon:.4f} E')}",
                      "    note: \"Synthetic: made up by benchmarks/generate.py for a place that does not exist.\""]
        return "\n".join(lines) + "\n"


def synthetic_point(id_: str) -> tuple[float, float]:
    """A made-up point in the box of the Korean peninsula's north, the same for the same id and
    drawn from its own generator (so the rest of the corpus does not change with it)."""
    rng = random.Random(hashlib.sha256(id_.encode()).hexdigest())
    return round(rng.uniform(37.8, 42.4), 4), round(rng.uniform(124.4, 130.4), 4)


class Popularity:
    """Draws entities with a Zipf-like frequency: the first ones recur in many documents."""

    def __init__(self, entities: list[Entity], exponent: float = 1.05):
        self.entities = entities
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** exponent
                                                    for rank in range(len(entities))))

    def draw(self, rng: random.Random, k: int = 1, exclude=()) -> list[Entity]:
        chosen: list[Entity] = []
        while len(chosen) < k:
            entity = self.entities[bisect(self.cumulative, rng.random() * self.cumulative[-1])]
            if entity not in chosen and entity not in exclude:
                chosen.append(entity)
        return chosen


class Registries:
    def __init__(self, rng: random.Random, documents: int, shipped_dir: Path | None):
        self.rng = rng
        self.by_id: dict[str, Entity] = {}
        self.shipped_text: dict[str, str] = {}
        self.files = {"persons": [], "places": [], "organizations": []}
        if shipped_dir:
            self._read_shipped(shipped_dir)
        self._roots()
        self._places(districts=20 + documents // 40, settlements=30 + documents // 20)
        self._organizations()
        self._persons(korean=30 + documents // 5, soviet=10 + documents // 15)
        self.persons = Popularity([e for e in self.files["persons"]
                                   if e.id not in ("goldberg-gary", "verina")])
        self.settlements = Popularity([e for e in self.files["places"]
                                       if e.type in ("City", "Island") and not e.shipped])
        self.bodies = Popularity([e for e in self.files["organizations"] if e.type == "Organization"
                                  and e.id not in ("avprf", "rgani")], exponent=0.8)
        self.soviet = [e for e in self.files["persons"] if e.soviet]

    def _read_shipped(self, folder: Path) -> None:
        for name in self.files:
            path = folder / f"{name}.yaml"
            self.shipped_text[name] = path.read_text(encoding="utf-8")
            for entry in yaml.load(self.shipped_text[name], Loader=yaml.BaseLoader) or []:
                forms = [entry["name"]] + [v for v in entry.get("variants", []) if v != entry["name"]]
                self._add(name, Entity(entry["id"], entry["type"], entry["name"], forms, shipped=True))

    def _add(self, registry: str, entity: Entity) -> Entity | None:
        if entity.id in self.by_id:
            return None
        self.by_id[entity.id] = entity
        self.files[registry].append(entity)
        return entity

    def ensure(self, registry: str, id_: str, type_: str, name: str, **extra) -> Entity:
        self._add(registry, Entity(id_, type_, name, [name], extra))
        return self.by_id[id_]

    def _roots(self) -> None:
        self.dprk = self.ensure("places", "dprk", "Country", "Democratic People's Republic of Korea")
        self.ussr = self.ensure("places", "ussr", "Country", "Union of Soviet Socialist Republics")
        self.republics = [self.ensure("places", "kazakh-ssr", "Republic", "Kazakh SSR"),
                          self.ensure("places", "uzbek-ssr", "Republic", "Uzbek SSR")]
        self.kwp_cc = self.ensure("organizations", "kwp-cc", "Organization",
                                  "Central Committee of the Korean Workers' Party")
        self.cabinet = self.ensure("organizations", "dprk-cabinet-of-ministers", "Organization",
                                   "Cabinet of Ministers of the DPRK")
        self.embassy = self.ensure("organizations", "soviet-embassy-dprk", "Organization",
                                   "Soviet Embassy in the DPRK")
        self.archives = [self.ensure("organizations", "avprf", "Organization",
                                     "Archive of Foreign Policy of the Russian Federation"),
                         self.ensure("organizations", "rgani", "Organization",
                                     "Russian State Archive of Contemporary History (RGANI)")]
        self.translator = self.ensure("persons", "goldberg-gary", "Person", "Gary Goldberg")

    def _place_name(self) -> str:
        return self.rng.choice(PLACE_HEADS) + self.rng.choice(PLACE_TAILS)

    def _places(self, districts: int, settlements: int) -> None:
        self.provinces = [self.ensure("places", f"{slug(name)}-province", "Province",
                                      f"{name} Province", partOfPlace=self.dprk.id) for name in PROVINCES]
        self.districts: list[Entity] = []
        while len(self.districts) < districts:
            name = f"{self._place_name()} District"
            entity = self._add("places", Entity(slug(name), "District", name, [name],
                                                {"partOfPlace": self.rng.choice(self.provinces).id},
                                                point=synthetic_point(slug(name))))
            if entity:
                self.districts.append(entity)
        count = 0
        while count < settlements:
            district = self.rng.choice(self.districts)
            if self.rng.random() < 0.3:
                name, kind = self._place_name() + "do", "Island"
            else:
                name, kind = self._place_name(), "City"
            # Cities get a point; islands have none and are drawn at their district's.
            if self._add("places", Entity(slug(name), kind, name, [name], {"partOfPlace": district.id},
                                          point=synthetic_point(slug(name)) if kind == "City" else None)):
                count += 1

    def _organizations(self) -> None:
        for ministry in MINISTRIES:
            name = f"DPRK Ministry of {ministry}"
            self._add("organizations", Entity(slug(name), "Organization", name,
                                              [name, f"Ministry of {ministry}"],
                                              {"subOrganizationOf": self.cabinet.id}))
        for province in self.provinces:
            name = f"{province.name[:-len(' Province')]} Provincial Party Committee"
            self._add("organizations", Entity(slug(name), "Organization", name, [name],
                                              {"subOrganizationOf": self.kwp_cc.id}))

    def _persons(self, korean: int, soviet: int) -> None:
        made = 0
        while made < korean:
            given = (self.rng.choice(KOREAN_SYLLABLES) + "-" + self.rng.choice(KOREAN_SYLLABLES)).capitalize()
            family = self.rng.choice(KOREAN_FAMILY)
            name = f"{family} {given}"
            if self._add("persons", Entity(slug(name), "Person", name, [name, f"Cde. {name}"])):
                made += 1
        made = 0
        while made < soviet:
            surname = self.rng.choice(RUSSIAN_SURNAMES)
            first, middle = self.rng.choice(INITIALS), self.rng.choice(INITIALS)
            name = f"{first}. {middle}. {surname}"
            entity = Entity(slug(f"{surname} {first} {middle}"), "Person", name,
                            [name, f"Cde. {surname}"], {"note": "A Soviet official."}, soviet=True)
            if self._add("persons", entity):
                made += 1
        # A few doubtful identifications, as curators record them (never merged).
        synthetic = [e for e in self.files["persons"] if not e.shipped]
        for left, right in zip(synthetic[:40:4], synthetic[2:42:4], strict=False):
            if left.id.split("-")[0] == right.id.split("-")[0]:
                left.extra["possiblySameAs"] = right.id
                left.extra["note"] = f"Perhaps the same person as {right.name}; not confirmed."

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, entities in self.files.items():
            head = self.shipped_text.get(name, f"# {name.capitalize()} (synthetic).\n")
            body = "\n".join(e.yaml() for e in entities if not e.shipped)
            (folder / f"{name}.yaml").write_text(head.rstrip("\n") + "\n\n" + body, encoding="utf-8")


# --------------------------------------------------------------------------- one document
@dataclass
class Statement:
    quote: str
    subject: str
    claims: dict
    names: dict = field(default_factory=dict)
    certainty: str | None = None
    note: str | None = None
    position: int = 0                # where the quote was written in the text


class Document:
    """Builds a text piece by piece, remembering where each statement's quote stands."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.parts: list[str] = []
        self.length = 0
        self.things: list[tuple[str, str, str]] = []
        self.statements: list[Statement] = []

    def write(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def sentence(self, text: str, subject: str, claims: dict, names=None, **extra) -> None:
        position = self.write(text + " ")
        self.statements.append(Statement(text, subject, claims, names or {}, position=position, **extra))

    def thing(self, id_: str, type_: str, label: str) -> str:
        self.things.append((id_, type_, label))
        return id_

    def keep_headline(self) -> None:
        """Annotate only the first sentence, its first two claims (and what they need): the
        text keeps the rest."""
        first = self.statements[0]
        first.claims = dict(list(first.claims.items())[:2])
        kept = [first]
        while True:
            subjects = {st.subject for st in kept}
            values = {v for st in kept for value in st.claims.values() if not isinstance(value, dict)
                      for v in (value if isinstance(value, list) else [value])}
            missing = [st for st in self.statements if st.subject in values - subjects
                       and st.subject in {t[0] for t in self.things}]
            if not missing:
                break
            kept.append(missing[0])
        self.statements = sorted(kept, key=lambda st: st.position)
        self.things = [t for t in self.things if t[0] in {st.subject for st in kept}]

    @property
    def text(self) -> str:
        return "".join(self.parts)


def written(entity: Entity, rng: random.Random, avoid=()) -> str:
    """A form of the entity's name from its variants (the preferred name most often); never one
    of ``avoid``, the forms other names of the same sentence already take."""
    form = entity.forms[0] if rng.random() < 0.7 or len(entity.forms) == 1 else rng.choice(entity.forms[1:])
    return entity.forms[0] if form in avoid or any(form in other or other in form for other in avoid) else form


class Generator:
    def __init__(self, documents: int, seed: int, shipped_dir: Path | None, complete: bool = False):
        self.rng = random.Random(seed)
        self.complete = complete
        self.shipped = sorted(p.stem for p in (shipped_dir.parent / "documents").glob("*.yaml")) \
            if shipped_dir else []
        self.count = documents - len(self.shipped)
        if self.count < 0:
            raise SystemExit(f"--documents must be at least {len(self.shipped)} (the shipped corpus)")
        self.reg = Registries(self.rng, documents, shipped_dir)
        self.used_ids = set(self.reg.by_id) | set(self.shipped)
        if shipped_dir:   # ids the shipped records and annotations define (things, copies, ...)
            for path in sorted(shipped_dir.parent.glob("*/*.yaml")):
                self.used_ids.update(re.findall(r"^[ -]*id: *([a-z0-9-]+)", path.read_text(encoding="utf-8"),
                                                re.MULTILINE))
        self.decrees: list[tuple[str, str, dt.date]] = []     # (id, how texts cite it, date)
        self.meetings: list[tuple[str, dt.date]] = []

    def unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{base}-{n}"
        self.used_ids.add(candidate)
        return candidate

    # -- topics: each writes a paragraph and the statements its sentences make
    def meeting(self, doc: Document, day: dt.date) -> None:
        rng = self.rng
        host, guest = self.reg.persons.draw(rng, 2)
        place = self.reg.settlements.draw(rng)[0]
        kind = rng.choice(["Meeting", "Meeting", "Conversation"])
        meeting = doc.thing(self.unique(f"{kind.lower()}-{day.isoformat()}-{host.id}-{guest.id}"), kind,
                            f"{kind} of {host.name} with {guest.name}, {long_date(day)}")
        host_w = written(host, rng)
        guest_w = written(guest, rng, avoid=(host_w,))
        place_w = place.forms[0]
        doc.sentence(f"On {long_date(day)} {host_w} received {guest_w} in {place_w}.", meeting,
                     {"date": day.isoformat(), "hostedBy": host.id,
                      "participant": [host.id, guest.id], "tookPlaceAt": place.id},
                     {host_w: host.id, guest_w: guest.id, place_w: place.id})
        if rng.random() < 0.3:
            others = self.reg.persons.draw(rng, 2, exclude=(host, guest))
            forms = [written(others[0], rng)]
            forms.append(written(others[1], rng, avoid=forms))
            doc.sentence(f"Also present were {forms[0]} and {forms[1]}.", meeting,
                         {"participant": [p.id for p in others]},
                         dict(zip(forms, (p.id for p in others), strict=False)))
        self.meetings.append((meeting, day))
        if kind != "Meeting" or rng.random() < 0.6:   # reports are made at meetings
            return
        topic = rng.choice(TOPICS)
        report = doc.thing(self.unique(f"report-{day.isoformat()}-{guest.id}"), "Report",
                           f"{guest.name}'s account of {topic}, {long_date(day)}")
        doc.sentence(f"{guest_w} informed him about {topic}.", report,
                     {"reportedBy": guest.id, "reportedAt": meeting, "topic": topic},
                     {guest_w: guest.id})

    def decree(self, doc: Document, day: dt.date) -> None:
        rng = self.rng
        body = rng.choice([self.reg.cabinet, self.reg.kwp_cc] + self.reg.bodies.draw(rng))
        number = f"{rng.randint(1, 999)}-{rng.randint(10, 499)}ss"
        subject = rng.choice(TOPICS)
        title = f"On measures concerning {subject}"
        decree = doc.thing(self.unique(f"decree-{day.year}-{number}"), "Decree",
                           f"Resolution No. {number} of the {body.name}, '{title}'")
        adopted = rng.random() < 0.75
        body_w = body.forms[0]
        if adopted:
            doc.sentence(f"On {long_date(day)} the {body_w} adopted resolution No. {number} \"{title}\".",
                         decree, {"issuedBy": body.id, "legalStatus": "adopted", "date": day.isoformat(),
                                  "decreeNumber": number}, {body_w: body.id})
        else:
            doc.sentence(f"The {body_w} is preparing a secret resolution \"{title}\".", decree,
                         {"issuedBy": body.id, "legalStatus": "draft", "secret": True,
                          "decreeTitle": {"en": title}}, {body_w: body.id})
        if rng.random() < 0.4:
            signers = self.reg.persons.draw(rng, rng.randint(1, 2))
            forms = [written(signers[0], rng)]
            forms += [written(p, rng, avoid=forms) for p in signers[1:]]
            doc.sentence(f"The resolution is signed by {' and '.join(forms)}.", decree,
                         {"signedBy": [p.id for p in signers]}, dict(zip(forms, (p.id for p in signers), strict=False)))
        if rng.random() < 0.3:
            doc.sentence(f"It provides for improving {subject} within {rng.randint(2, 12)} months.",
                         decree, {"provision": f"improving {subject}"})
        self.decrees.append((decree, f"resolution No. {number}", day))

    def resettlement(self, doc: Document, day: dt.date) -> None:
        rng = self.rng
        planned = rng.random() < 0.6
        basis = self.decrees[-1] if self.decrees and rng.random() < 0.7 else None
        plan = doc.thing(self.unique(f"resettlement-{day.isoformat()}"), "Resettlement",
                         f"{'Planned' if planned else 'Executed'} resettlement of {long_date(day)}")
        if basis:
            doc.sentence(f"In accordance with {basis[1]} the following resettlement is carried out:",
                         plan, {"legalBasis": basis[0],
                                "executionStatus": "planned" if planned else "executed"})
        else:
            doc.sentence("It is intended to resettle:" if planned else "The following were resettled:",
                         plan, {"executionStatus": "planned" if planned else "executed"})
        for origin in self.reg.settlements.draw(rng, rng.randint(1, 2)):
            families = rng.randint(5, 400)
            people = families * rng.randint(3, 6) + rng.randint(0, 3)
            target = rng.choice(self.reg.districts + self.reg.republics)
            row = doc.thing(self.unique(f"{plan}-{origin.id}"), "Resettlement",
                            f"Resettlement of {families} families ({people} people) from {origin.name}")
            origin_w, target_w = origin.forms[0], target.forms[0]
            claims = {"movedFrom": origin.id, "movedTo": target.id, "numberOfFamilies": families,
                      "numberOfPeople": people, "partOfEvent": plan,
                      "executionStatus": "planned" if planned else "executed"}
            if not planned:
                claims["date"] = f"{day.year}-{day.month:02d}"
            doc.sentence(f"from {origin_w} {families} families, {people} people, to {target_w};", row,
                         claims, {origin_w: origin.id, target_w: target.id})

    def party_action(self, doc: Document, day: dt.date) -> None:
        rng = self.rng
        person = self.reg.persons.draw(rng)[0]
        person_w = written(person, rng)
        when = f"{MONTHS[day.month - 1]} {day.year}"
        action = rng.choice(["Expulsion", "Appointment", "Criticism", "Removal", "Arrest"])
        action_id = self.unique(f"{action.lower()}-{person.id}-{day.year}")
        if action == "Expulsion":
            body, decider = self.reg.kwp_cc, self.reg.bodies.draw(rng)[0]
            reason = rng.choice(REASONS)
            doc.thing(action_id, action, f"Expulsion of {person.name} from the {body.name}")
            doc.sentence(f"In {when} {person_w} was expelled from the {body.forms[0]} by decision of "
                         f"the {decider.forms[0]} for {reason}.", action_id,
                         {"expelledPerson": person.id, "expelledFrom": body.id, "decidedBy": decider.id,
                          "date": f"{day.year}-{day.month:02d}"},
                         {person_w: person.id, decider.forms[0]: decider.id})
        elif action == "Appointment":
            body, post = self.reg.bodies.draw(rng)[0], rng.choice(POSTS)
            tenure = doc.thing(self.unique(f"tenure-{person.id}-{slug(post)}-{body.id}"), "Tenure",
                               f"{person.name}, {post} of the {body.name}")
            doc.thing(action_id, action, f"Appointment of {person.name} as {post}")
            doc.sentence(f"{person_w} has been appointed {post} of the {body.forms[0]}.", action_id,
                         {"affectedPerson": person.id, "appointedTo": tenure, "date": day.isoformat()},
                         {person_w: person.id, body.forms[0]: body.id})
            doc.sentence(f"{person_w} has been appointed {post} of the {body.forms[0]}.", tenure,
                         {"holder": person.id, "positionTitle": post, "inOrganization": body.id,
                          "date": f"{day.isoformat()}/.."})
        elif action == "Criticism":
            critic = self.reg.persons.draw(rng, exclude=(person,))[0]
            critic_w, reason = written(critic, rng, avoid=(person_w,)), rng.choice(REASONS)
            doc.thing(action_id, action, f"{critic.name}'s criticism of {person.name}")
            doc.sentence(f"{critic_w} sharply criticised {person_w} for {reason}.", action_id,
                         {"criticisedBy": critic.id, "affectedPerson": person.id, "reason": reason},
                         {critic_w: critic.id, person_w: person.id},
                         certainty="probable" if rng.random() < 0.2 else None,
                         note="The text reports the criticism second-hand." if rng.random() < 0.2 else None)
            if rng.random() < 0.3:
                doc.sentence(f"{critic_w} is a friend of {person_w}.", critic.id,
                             {"associateOf": person.id}, {critic_w: critic.id, person_w: person.id},
                             certainty="uncertain", note="A rumour the author repeats.")
        elif action == "Removal":
            body = self.reg.bodies.draw(rng)[0]
            doc.thing(action_id, action, f"Removal of {person.name} from the {body.name}")
            doc.sentence(f"{person_w} was removed from work in the {body.forms[0]} in {when}.", action_id,
                         {"affectedPerson": person.id, "removedFrom": body.id,
                          "date": f"{day.year}-{day.month:02d}"},
                         {person_w: person.id, body.forms[0]: body.id})
        else:
            doc.thing(action_id, action, f"Arrest of {person.name}")
            doc.sentence(f"{person_w} was arrested in {when}.", action_id,
                         {"affectedPerson": person.id, "date": f"{day.year}-{day.month:02d}"},
                         {person_w: person.id})

    def figure(self, doc: Document, day: dt.date) -> None:
        rng = self.rng
        tonnes = rng.randint(10, 3000) * 1000
        year = day.year + 1
        quantity = doc.thing(self.unique(f"quantity-grain-target-{year}-{slug(doc.doc_id)}"), "Quantity",
                             f"Gross grain harvest target for {year}: {tonnes:,} tonnes")
        doc.sentence(f"The gross grain harvest for {year} is planned at about {tonnes:,} tons.", quantity,
                     {"quantityValue": tonnes, "unit": "tonne", "qualifier": "about",
                      "measures": f"gross grain harvest target for {year}"})

    def reference(self, doc: Document, day: dt.date) -> None:
        """A later document returning to an earlier meeting: cross-document statements."""
        meeting, when = self.rng.choice(self.meetings)
        doc.sentence(f"The questions raised at the meeting of {long_date(when)} remain unresolved.",
                     doc.doc_id, {"mentions": meeting})

    # -- the whole document
    def document(self, index: int) -> tuple[str, str, str, str, str]:
        rng = self.rng
        day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        doc_type, heading = rng.choice(KINDS)
        author = rng.choice(self.reg.soviet)
        addressee = self.reg.persons.draw(rng, exclude=(author,))[0]
        doc_id = self.unique(f"{slug(doc_type).split('-')[0]}-{author.id}-{day.isoformat()}")
        title = f"{heading} from {author.name} to {addressee.name}, {long_date(day)}"
        archive = rng.choice(self.reg.archives)
        fond, opis, delo = str(rng.randint(5, 999)).zfill(4), str(rng.randint(1, 60)), str(rng.randint(1, 900))
        citation_text = (f"\"{title}\", {header_date(day)}, {archive.forms[-1]} F. {fond}, "
                         f"Op. {opis}, Delo {delo}. Translated by {self.reg.translator.name}.")
        copies = self.reg.persons.draw(rng, rng.randint(0, 1))
        # Most documents of an archive are catalogued with one headline statement; some are
        # annotated sentence by sentence, a few of them about several matters.
        richness = rng.random()
        number = str(rng.randint(1, 1500))
        author_w, addressee_w = author.forms[0], written(addressee, rng)
        signature = f"Counsellor of the Embassy ({author_w})"

        doc = Document(doc_id)
        doc.write(f"**{header_date(day)}**\n\n**{title}**\n\n**Citation:**\n\n{citation_text}\n\n"
                  f"**Original Language:**\n\nRussian\n\n**Contents:**\n\nTranslation - English\n\n")
        doc.write(f"SECRET\n\nCopy N° 1\n\nTO {addressee_w}\n\n{heading}\n\n")
        topics = [self.meeting, self.decree, self.resettlement, self.party_action, self.figure]
        for topic in rng.sample(topics, 2 if richness > 0.93 else 1):
            topic(doc, day)
            doc.write("\n\n")
        if self.meetings and richness > 0.93:
            self.reference(doc, day)
            doc.write("\n\n")
        if richness < 0.6 and not self.complete:
            doc.keep_headline()
        signed = doc.write(f"{signature}\n{long_date(day)}\n\n")
        if self.complete:   # the post the signature gives the author, on the date under it
            tenure = doc.thing(self.unique(f"tenure-{author.id}-counsellor-{doc_id}"), "Tenure",
                               f"{author.name}, Counsellor of the Embassy")
            doc.statements.append(Statement(f"{signature} {long_date(day)}", tenure,
                                            {"holder": author.id, "positionTitle": "Counsellor of the Embassy",
                                             "inOrganization": self.reg.embassy.id, "date": day.isoformat()},
                                            {author_w: author.id}, position=signed))
        distribution = "\n".join(f"{n} - Cde. {p.name}" for n, p in enumerate(copies, 1))
        doc.write(f"{len(copies) + 1} copies printed\n{distribution}\n{len(copies) + 1} - to file\n"
                  f"drafted by {author.name}\n№ {number}\n{long_date(day)}\n")
        text = doc.text
        text_name = f"s{index:05d}_{hashlib.sha256(doc_id.encode()).hexdigest()[:16]}.txt"

        record = [f"id: {doc_id}", f"text: {text_name}", "type: ArchivalDocument",
                  f"title: {q(title)}", f"documentType: {q(doc_type)}", f"date: {q(day.isoformat())}",
                  f"author: {author.id}", f"addressee: {addressee.id}", f"documentNumber: {q(number)}"]
        listed = richness >= 0.6 or self.complete
        if listed:   # the catalogue gives the distribution of annotated documents only
            record += [f"draftedBy: {author.id}", "classification: \"SECRET\"", "copyNumber: 1",
                       f"numberOfCopies: {len(copies) + 1}"] + (["copies:"] if copies else [])
        for n, person in enumerate(copies if listed else [], 1):
            record += [f"  - id: {doc_id}-copy-{n}", "    type: Copy", f"    copyNumber: {n}",
                       f"    recipient: {person.id}"]
        record += ["citation:", f"  id: {doc_id}-citation", "  type: Citation",
                   f"  archive: {archive.id}", f"  fond: {q(fond)}", f"  opis: {q(opis)}",
                   f"  delo: {q(delo)}", f"  citationText: {q(citation_text)}",
                   f"translator: {self.reg.translator.id}", "originalLanguage: Russian", "segments:",
                   "  - kind: catalog", f"    from: {q(f'**{header_date(day)}**')}",
                   "    to: \"Translation - English\"", "  - kind: body", "    from: \"SECRET\"",
                   f"    to: {q(signature)}", "  - kind: distribution",
                   f"    from: {q(f'{len(copies) + 1} copies printed')}", f"    to: {q(f'№ {number}')}",
                   ] + (["evidence:", f"  author: {q(signature)}"] if listed else [])
        return doc_id, text_name, text, "\n".join(record) + "\n", self.annotations(doc, text)

    def annotations(self, doc: Document, text: str) -> str:
        lines = [f"document: {doc.doc_id}", "things:"]
        for id_, type_, label in doc.things:
            lines += [f"  - id: {id_}", f"    type: {type_}", f"    label: {q(label)}"]
        lines.append("statements:")
        for st in doc.statements:
            spans = texts.find_all(text, st.quote)
            lines.append(f"  - quote: {q(st.quote)}")
            if len(spans) > 1:
                lines.append(f"    occurrence: {[s.start for s in spans].index(st.position) + 1}")
            lines.append(f"    subject: {st.subject}")
            lines.append("    claims:")
            for key, value in st.claims.items():
                if isinstance(value, list):
                    lines.append(f"      {key}: [{', '.join(q(v) for v in value)}]")
                elif isinstance(value, bool):
                    lines.append(f"      {key}: {str(value).lower()}")
                elif isinstance(value, int):
                    lines.append(f"      {key}: {value}")
                elif isinstance(value, dict):     # texts by language: a YAML flow mapping
                    lines.append(f"      {key}: {{" + ", ".join(f"{k}: {q(v)}" for k, v in value.items()) + "}")
                else:
                    lines.append(f"      {key}: {q(value)}")
            # As curators do: a name is spelled out only where the text writes it otherwise
            # than the registry's preferred name.
            names = {k: v for k, v in st.names.items() if k != self.reg.by_id[v].name}
            if names:
                lines.append("    names: {" + ", ".join(f"{q(k)}: {v}" for k, v in names.items()) + "}")
            if st.certainty:
                lines.append(f"    certainty: {st.certainty}")
            if st.note:
                lines.append(f"    note: {q(st.note)}")
        return "\n".join(lines) + "\n"


def generate(documents: int, seed: int, out: Path, shipped: bool = True, complete: bool = False) -> Path:
    """Write ``out/data/``; returns that folder.  ``complete`` annotates every sentence of every
    document (the truth a proposer is measured against); the texts are the same either way."""
    shipped_data = PROJECT_ROOT / "data"
    generator = Generator(documents, seed, shipped_data / "entities" if shipped else None, complete)
    data = out / "data"
    if data.exists():
        shutil.rmtree(data)
    for folder in ("documents", "annotations", "entities"):
        (data / folder).mkdir(parents=True)
    if shipped:
        for folder in ("documents", "annotations"):
            for path in sorted((shipped_data / folder).iterdir()):
                shutil.copyfile(path, data / folder / path.name)
    for index in range(generator.count):
        doc_id, text_name, text, record, annotations = generator.document(index)
        (data / "documents" / text_name).write_text(text, encoding="utf-8")
        (data / "documents" / f"{doc_id}.yaml").write_text(record, encoding="utf-8")
        (data / "annotations" / f"{doc_id}.yaml").write_text(annotations, encoding="utf-8")
    generator.reg.write(data / "entities")
    return data


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, required=True, help="how many documents in all")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same corpus")
    parser.add_argument("--out", type=Path, required=True, help="writes OUT/data/")
    parser.add_argument("--no-shipped", action="store_true", help="leave out the shipped corpus")
    parser.add_argument("--complete", action="store_true",
                        help="annotate every sentence (no headline-only documents): the full truth")
    args = parser.parse_args(argv)
    data = generate(args.documents, args.seed, args.out, shipped=not args.no_shipped, complete=args.complete)
    print(f"wrote {args.documents} documents to {data}", file=sys.stderr)


if __name__ == "__main__":
    main()
