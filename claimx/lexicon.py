"""Lexicon: the linguistic knowledge claimx reads from `claimx/data/`.

Each file says in its header what it holds and where it comes from. Files are read once per
process, on first use, and returned as immutable mappings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from claimx.errors import ClaimxError

ACTS = frozenset({"claim", "accusation", "denial", "warning", "threat", "promise", "admission", "question",
                  "belief", "report", "stance", "intention", "other"})


@dataclass(frozen=True, slots=True)
class Verb:
    lemma: str
    act: str
    direct_only: bool
    raising: bool = False  # "appears to": the subject belongs to the content, which has no source


@dataclass(frozen=True, slots=True)
class PersonNoun:
    gender: str  # "m", "f" or "-"
    title: bool  # stands before a name: "President", "Sen."
    role: bool  # heads a description of a person: "the spokesman"


@dataclass(frozen=True, slots=True)
class Pronoun:
    number: str  # "sg", "pl", "any", "rel"
    gender: str  # "m", "f", "n" or "-"
    person: str


def _rows(name: str, min_columns: int) -> list[list[str]]:
    text = resources.files("claimx.data").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < min_columns:
            raise ClaimxError("E020", f"claimx/data/{name} line {line_no}: expected {min_columns} columns, got {line!r}")
        rows.append(cols)
    return rows


def _words(name: str) -> frozenset[str]:
    """The one-word-per-line lists: the first column of each row."""
    return frozenset(cols[0] for cols in _rows(name, 1))


def _act(name: str, word: str, act: str) -> str:
    if act not in ACTS:
        raise ClaimxError("E021", f"claimx/data/{name}: {word!r} has unknown act {act!r}")
    return act


@cache
def reporting_verbs() -> Mapping[str, Verb]:
    """Every form of every reporting verb ("said", "say", "point out") → its entry."""
    table: dict[str, Verb] = {}
    for cols in _rows("reporting_verbs.tsv", 2):
        lemma, act = cols[0], _act("reporting_verbs.tsv", cols[0], cols[1])
        kind = cols[3] if len(cols) > 3 else ""
        verb = Verb(lemma, act, kind == "direct", kind == "raising")
        table[lemma] = verb
        for form in filter(None, (f.strip() for f in (cols[2] if len(cols) > 2 else "").split(","))):
            table.setdefault(form, verb)
    return MappingProxyType(table)


@cache
def reporting_adjectives() -> Mapping[str, str]:
    """Predicative adjectives that attribute a belief ("suspicious that …") → speech act."""
    return MappingProxyType({c[0]: _act("reporting_adjectives.tsv", c[0], c[1]) for c in _rows("reporting_adjectives.tsv", 2)})


@cache
def prep_frames() -> Mapping[tuple[str, str], str]:
    """(verb lemma, preposition) whose object is the content ("call for", "warn of") → act."""
    rows = _rows("prep_frames.tsv", 3)
    return MappingProxyType({(c[0], c[1]): _act("prep_frames.tsv", f"{c[0]} {c[1]}", c[2]) for c in rows})


@cache
def statement_nouns() -> Mapping[str, str]:
    """Nouns that name a statement ("claim", "warning") → speech act."""
    return MappingProxyType({c[0]: _act("statement_nouns.tsv", c[0], c[1]) for c in _rows("statement_nouns.tsv", 2)})


@cache
def first_names() -> Mapping[str, str]:
    """Given name → "m" or "f", by common usage."""
    return MappingProxyType({cols[0]: cols[1] for cols in _rows("first_names.tsv", 2)})


@cache
def person_nouns() -> Mapping[str, PersonNoun]:
    """Titles and role nouns ("senator", "press secretary", "officials") → gender and use."""
    table = {}
    for word, gender, use in (cols[:3] for cols in _rows("person_nouns.tsv", 3)):
        table[word] = PersonNoun(gender, use in ("title", "both"), use in ("role", "both"))
    return MappingProxyType(table)


@cache
def role_classes() -> Mapping[str, str]:
    """Role nouns → the class of roles that may describe one person ("spokesman" ~ "press secretary")."""
    return MappingProxyType({cols[0]: cols[1] for cols in _rows("role_classes.tsv", 2)})


@cache
def stand_in_nouns() -> Mapping[str, str]:
    """Nouns that speak for someone else ("the ad", "her campaign", "the committee") → their class:
    document, following, body or body-any."""
    return MappingProxyType({cols[0]: cols[1] for cols in _rows("stand_in_nouns.tsv", 2)})


@cache
def role_abbreviations() -> Mapping[str, str]:
    """Abbreviated titles → the role noun they are short for ("sen." → "senator")."""
    return MappingProxyType({cols[0]: cols[2] for cols in _rows("role_classes.tsv", 2) if len(cols) > 2 and cols[2]})


@cache
def name_particles() -> frozenset[str]:
    """Particles inside personal names ("al-", "bin", "van") that writers keep or drop."""
    return _words("name_particles.txt")


@cache
def name_suffixes() -> frozenset[str]:
    """Generational suffixes that end a personal name ("Jr", "III") without being its surname."""
    return _words("name_suffixes.txt")


@cache
def places() -> Mapping[str, tuple[str, str]]:
    """Other names of a country — aliases, capitals, seats of government, demonyms — → (country, kind).
    Keys are lowercase with straight apostrophes ("élysée", "u.s.", "danish")."""
    return MappingProxyType({cols[0]: (cols[1], cols[2]) for cols in _rows("places.tsv", 3)})


@cache
def pronouns() -> Mapping[str, Pronoun]:
    return MappingProxyType({c[0]: Pronoun(c[1], c[2], c[3]) for c in _rows("pronouns.tsv", 4)})


@cache
def addressee_nouns() -> frozenset[str]:
    """Nouns for the audience of a statement ("reporters"): never its speaker."""
    return _words("addressee_nouns.txt")


@cache
def object_roles() -> Mapping[str, str]:
    """Reporting verbs whose object is not what was said → "hearer" or "percept"."""
    return MappingProxyType({cols[0]: cols[1] for cols in _rows("object_roles.tsv", 2)})


@cache
def furniture_labels() -> frozenset[str]:
    """Labels of page furniture before a colon ("See also:"): never a speaker."""
    return _words("furniture_labels.txt")


@cache
def unasserted() -> Mapping[str, str]:
    """Words that make a reporting word's speech not happen ("could", "declined to", "if") → kind."""
    return MappingProxyType({cols[0]: cols[1] for cols in _rows("unasserted.tsv", 2)})


@cache
def teaser_labels() -> frozenset[str]:
    """Labels that introduce links to other stories ("see also", "related stories")."""
    return _words("teaser_labels.txt")


@cache
def reaction_verbs() -> frozenset[str]:
    """Verbs whose object is a reaction to their subject ("drew criticism", "sparked calls")."""
    return _words("reaction_verbs.txt")
