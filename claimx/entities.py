"""Mentions and entities: who each speaker mention is.

A full name is an entity; a surname alone resolves to the full name given before it (or, if none,
after it). A mention whose head is a name, an organisation or a place is that entity. "he" and
"she" resolve to the last compatible speaker, else to the nearest compatible person before them.
A definite role noun ("the official") resolves to an earlier source with the same role, else to
the last speaker when that was a named person. Anything else is an unnamed source that keeps its
own description ("senior treasury official").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import ENT_TYPE, IS_ALPHA, POS
from spacy.symbols import PROPN as PROPN_ID
from spacy.tokens import Doc, Span, Token

from claimx import lexicon
from claimx.cues import verb_form
from claimx.text import person_key
from claimx.stand_ins import earlier_owner, owner_in_phrase, stand_in_class

_KIND_OF_LABEL = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
_DETERMINERS = frozenset({"a", "an", "the", "one", "some", "another", "this", "that", "these", "those"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_INDEFINITE = frozenset({"a", "an", "one", "some", "another", "several", "two", "three", "many"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_RECENT_CHARS = 600  # about the last two or three paragraphs: where a pronoun's person was named
_MENTION_STOPS = frozenset({"appos", "relcl", "acl", "punct", "advcl", "parataxis"})


@dataclass(slots=True)
class EntityRecord:
    """An entity as resolution builds it; `first` is the offset of its first mention."""

    key: str
    name: str
    kind: str
    first: int
    gender: str = "-"
    aliases: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    seen_at: list[int] = field(default_factory=list)
    plural: bool = False  # "officials", "the two leaders": what "they" may continue

    def saw(self, surface: str, at: int) -> None:
        surface = " ".join(surface.split())
        if surface and surface not in self.aliases:
            self.aliases.append(surface)
        self.seen_at.append(at)

    def last_seen(self, before: int) -> int:
        return max((at for at in self.seen_at if at < before), default=-1)

    @property
    def role_classes(self) -> set[str]:
        classes = lexicon.role_classes()
        return {classes[r] for r in self.roles if r in classes}


@dataclass(frozen=True, slots=True)
class _NameMention:
    start: int  # character offset
    token: int  # index of the head token
    key: str
    subject: bool
    main: bool  # the subject of its sentence's main clause, not of a clause inside it
    reported: bool  # inside the content of a claim: a name the speaker uses, not the narrator


class Resolver:
    """Resolves the mentions of one Doc to entities, remembering the speakers seen so far."""

    def __init__(self, doc: Doc, contents: Iterable[tuple[int, int]] = ()) -> None:
        self.doc = doc
        self._text = doc.text
        self._contents = _merged(contents)
        self._content_starts = [start for start, _ in self._contents]
        self.entities: dict[str, EntityRecord] = {}
        self.person_mentions: list[_NameMention] = []
        self.other_mentions: list[_NameMention] = []
        self._token_key: dict[int, str] = {}
        self._depth = 0  # how deep a stand-in's owner is being resolved: "the ad" → "his" → …
        self._index_names()
        # the offsets of both mention lists, which _index_names fills in text order, for bisection
        self._starts = {id(m): [x.start for x in m] for m in (self.person_mentions, self.other_mentions)}
        self._chains = coreference_chains(doc)
        self._chain_of = {i: n for n, chain in enumerate(self._chains) for start, end in chain for i in range(start, end)}

    # -- named entities -----------------------------------------------------------------

    def _index_names(self) -> None:
        recognised = self.doc.has_annotation("ENT_IOB")
        found = _unlabelled_people(self.doc) if recognised else _names_from_parse(self.doc)
        ents = [e for e in map(_last_line, [*map(_with_name_tail, self.doc.ents), *found]) if e is not None]
        ents.sort(key=lambda e: e.start)
        persons = [e for e in ents if e.label_ == "PERSON"]
        full_names: dict[str, list[tuple[int, str]]] = {}
        cleaned = {}
        for ent in persons:
            words = _name_words(ent)
            if words and _is_person_name(ent, words):
                cleaned[ent.start] = words
                if len(words) > 1:  # the surname, and its last part: "al-Assad" and "Assad"
                    for surname in {words[-1].lower(), words[-1].rsplit("-", 1)[-1].lower()}:
                        full_names.setdefault(surname, []).append((ent.start_char, " ".join(words)))
        self._full_names = full_names
        acronyms = _defined_acronyms(ents)
        for ent in ents:
            kind = _KIND_OF_LABEL.get(ent.label_)
            if kind is None:
                continue
            if not _is_name(ent) and _strip_determiner(ent).lower().replace("’", "'") not in lexicon.places():
                continue  # "Getting", "Armed", "su-24": no proper noun a name is made of
            words = _name_words(ent)
            if kind != "person" and len(words) == 1 and words[0].lower() in full_names:
                kind = "person"  # a surname the recogniser mislabelled: "Lund" as a place
                cleaned[ent.start] = words
            elif kind != "person" and _looks_like_person(ent):
                kind = "person"  # "Karin Holm" labelled an organisation
                cleaned[ent.start] = [t.text for t in ent]
            if kind == "person":
                words = cleaned.get(ent.start)
                if not words:
                    continue  # "F-16s", "Downs Russian Warplane": no person's name
                name = self._person_key(words, ent.start_char)
                record = self._record(person_key(name), name, "person", ent.start_char)
                record.saw(ent.text, ent.start_char)
                self._learn_person(record, ent)
                target = self.person_mentions
            else:
                name = _strip_determiner(ent)
                if not name:
                    continue
                name = acronyms.get(name.lower(), name)
                country = lexicon.places().get(name.lower().replace("’", "'"))
                if country is not None:  # "Oslo", "Downing Street", "U.S.", "Danish": the state
                    name, kind = country[0], "place"
                elif kind == "group" and ent.root.pos_ == "ADJ":
                    continue  # "European", "Islamic": an adjective naming no one in particular
                key = f"named:{name.lower()}"  # one entity per name: "Daesh" as place and organisation
                record = self._record(key, name, kind, ent.start_char)
                record.saw(ent.text, ent.start_char)
                target = self.other_mentions
            for tok in ent:
                self._token_key[tok.i] = record.key
            subject = ent.root.dep_ in ("nsubj", "nsubjpass")
            clause = ent.root.head
            while clause.dep_ == "conj" and clause.head != clause:
                clause = clause.head
            main = subject and clause.dep_ == "ROOT"
            target.append(_NameMention(ent.start_char, ent.root.i, record.key, subject, main,
                                       self._reported(ent.start_char)))

    def _reported(self, at: int) -> bool:
        """Whether a character offset lies inside the content of a claim."""
        k = bisect_right(self._content_starts, at) - 1
        return k >= 0 and at < self._contents[k][1]

    def _person_key(self, words: list[str], start: int) -> str:
        """A surname alone names the full name given before it, else the one after it."""
        if len(words) > 1:
            return " ".join(words)
        forms = self._full_names.get(words[0].lower())
        if not forms:
            return words[0]
        before = [name for char, name in forms if char < start]
        return before[-1] if before else forms[0][1]

    def _record(self, key: str, name: str, kind: str, first: int) -> EntityRecord:
        record = self.entities.get(key)
        if record is None:
            record = self.entities[key] = EntityRecord(key, name, kind, first)
        return record

    def _learn_person(self, record: EntityRecord, ent: Span) -> None:
        """Gender from the first name or a gendered title; roles from the title before the name
        ("press secretary X") and from appositions ("X, the spokesman" / "the spokesman, X")."""
        if record.gender == "-" and " " in record.name:
            record.gender = lexicon.first_names().get(record.name.split()[0].lower(), "-")
        words: list[str] = []
        k = ent.start - 1
        while k >= 0 and k >= ent.start - 4:
            tok = self.doc[k]
            if tok.pos_ in ("DET", "PUNCT") or tok.text in _POSSESSIVE or tok.ent_type_ in ("GPE", "NORP", "ORG"):
                break
            words.insert(0, tok.lower_)
            k -= 1
        described = [c for c in ent.root.children if c.dep_ == "appos"]
        if ent.root.dep_ == "appos":
            described.append(ent.root.head)
        for noun in described:
            words += [t.lower_ for t in noun.lefts if t.pos_ in ("NOUN", "PROPN", "ADJ")] + [noun.lower_]
            if noun.pos_ == "NOUN":
                record.roles.add(noun.lemma_.lower())  # "X, the treasurer,": "the treasurer" is X
        nouns = lexicon.person_nouns()
        for phrase in _phrases(words):
            entry = nouns.get(phrase)
            if entry is not None or phrase in lexicon.role_classes():
                record.roles.add(lexicon.role_abbreviations().get(phrase, phrase))
                if record.gender == "-" and entry is not None and entry.gender in ("m", "f"):
                    record.gender = entry.gender

    # -- speaker mentions ---------------------------------------------------------------

    def resolve_all(self, mention: Span, previous: EntityRecord | None) -> list[EntityRecord]:
        """The entities of a mention: one, or each conjunct of "the mayor and the governor"."""
        head = mention.root
        conjuncts = [c for c in head.subtree if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON")
                     and mention.start <= c.i < mention.end]
        if not conjuncts:
            return [self.resolve(mention, previous)]
        records = []
        for tok in [head, *conjuncts]:
            start, end = mention_span(tok)
            end = min([end] + [c.left_edge.i for c in tok.children if c.dep_ in ("cc", "conj")])
            record = self.resolve(self.doc[start:end], previous)
            if record not in records:
                records.append(record)
        return records

    def resolve(self, mention: Span, previous: EntityRecord | None) -> EntityRecord:
        """The entity a speaker mention refers to; `previous` is the last speaker before it."""
        head = mention.root
        key = None if _party_member(mention, head) else self._named_key(mention, head) or self._chain_key(head)
        if key is not None:
            record = self.entities[key]
            record.saw(mention.text, mention.start_char)
            return record
        lower = head.lower_
        pronoun = lexicon.pronouns().get(lower)
        if pronoun is not None and pronoun.person == "rel" and head.head.dep_ == "relcl":
            antecedent = head.head.head  # "the senator, who said …": who is the senator
            start, end = mention_span(antecedent)
            record = self.resolve(self.doc[start:end], previous)
            record.saw(mention.text, mention.start_char)
            return record
        if pronoun is not None and head.pos_ == "PRON":
            return self._pronoun(mention, pronoun, previous)
        return self._description(mention, head, previous)

    def _chain_key(self, head: Token) -> str | None:
        """The named entity of the coreference chain holding `head`, when the pipeline made one."""
        chain = self._chain_of.get(head.i)
        if chain is None:
            return None
        for start, end in self._chains[chain]:
            for tok in self.doc[start:end]:
                key = self._token_key.get(tok.i)
                if key is not None:
                    return key
        return None

    def _named_key(self, mention: Span, head: Token) -> str | None:
        """The named entity the mention's head belongs to, or that an apposition names."""
        key = self._token_key.get(head.i)
        if key is not None:
            return key
        for child in head.children:
            if child.dep_ == "appos":
                key = self._token_key.get(child.i)
                if key is not None and self.entities[key].kind == "person":
                    return key
        if head.text[:1].isupper() and head.lower_ in self._full_names:
            name = self._person_key([head.text], head.idx)  # a surname the tagger missed as a name
            return self._record(person_key(name), name, "person", head.idx).key
        return None

    def _pronoun(self, mention: Span, pronoun: lexicon.Pronoun, previous: EntityRecord | None) -> EntityRecord:
        if pronoun.person in ("1", "2", "rel"):
            return self._unresolved(mention)
        if pronoun.number == "sg" and pronoun.gender in ("m", "f"):
            record = self._topic(mention.start_char, pronoun.gender, previous)
            if record is None and previous is not None and previous.kind == "person" \
                    and previous.gender in ("-", pronoun.gender):
                record = previous
            if record is None:
                record = self._nearest(self.person_mentions, mention.start_char, pronoun.gender)
        else:
            if previous is not None and (previous.kind in ("organization", "group", "place") or previous.plural):
                previous.saw(mention.text, mention.start_char)
                return previous
            record = self._nearest(self.other_mentions, mention.start_char, None)
        if record is None:
            return self._unresolved(mention)
        record.saw(mention.text, mention.start_char)
        return record

    def _topic(self, at: int, gender: str, previous: EntityRecord | None) -> EntityRecord | None:
        """The person a "he" or "she" continues within its paragraph: the narrator's last
        subject of that gender there, when it came after the previous speaker was last seen
        ("X showed no sign that he …"; "Y criticised X. While saying …, he continued").
        A new paragraph, and a name inside someone's quote, leave the previous speaker."""
        paragraph = self._text.rfind("\n", 0, at) + 1
        starts = self._starts[id(self.person_mentions)]
        since = max(paragraph, previous.last_seen(at) + 1 if previous is not None else 0)
        for found in reversed(self.person_mentions[bisect_left(starts, since) : bisect_left(starts, at)]):
            record = self.entities[found.key]
            if found.main and not found.reported and record.gender in ("-", gender):
                return record
        return None

    def _nearest(self, mentions: list[_NameMention], before: int, gender: str | None) -> EntityRecord | None:
        """The closest compatible mention before `before`, subjects first within a window."""
        end = bisect_left(self._starts[id(mentions)], before)
        candidates = [m for m in mentions[:end] if gender is None or self.entities[m.key].gender in ("-", gender)]
        if not candidates:
            return None
        window = [m for m in candidates if before - m.start < _RECENT_CHARS]
        subjects = [m for m in window if m.subject]
        chosen = (subjects or window or candidates)[-1]
        return self.entities[chosen.key]

    def _description(self, mention: Span, head: Token, previous: EntityRecord | None) -> EntityRecord:
        """A common-noun mention. A definite one ("the official", "the ministry spokesman") is the
        earlier unnamed source with the same role, else the person last seen with a role of the
        same class, else the last speaker if that was a named person; anything else is a new
        unnamed source described by the mention itself."""
        at = mention.start_char
        words = [t.lower_ for t in mention if not t.is_punct and t.text not in _POSSESSIVE]
        first = words[0] if words else ""
        stand_in = stand_in_class(head)
        if stand_in is not None and self._depth < 3:
            self._depth += 1
            try:
                definite = first in _DEFINITE or any(t.dep_ == "poss" for t in head.lefts)
                record = self._stand_in(mention, head, stand_in, definite, previous)
            finally:
                self._depth -= 1
            if record is not None:
                record.saw(mention.text, at)
                return record
        role = head.lemma_.lower()
        nouns = lexicon.person_nouns()
        entry = nouns.get(head.lower_) or nouns.get(role)
        is_role = entry is not None or _party_member(mention, head)
        gender = entry.gender if entry is not None and entry.gender in ("m", "f") else "-"
        head_words = [t.lower_ for t in head.lefts if t.pos_ in ("NOUN", "PROPN", "ADJ")] + [head.lower_]
        classes = {lexicon.role_classes()[p] for p in _phrases(head_words) if p in lexicon.role_classes()}
        bare_singular = first not in _DETERMINERS and head.tag_ in ("NN", "NNP")  # "Press Secretary X said"
        singular = head.tag_ in ("NN", "NNP") and not any(c.dep_ == "conj" for c in head.children)
        definite = first not in _INDEFINITE and (
            first in ("the", "this") or bare_singular or any(t.text in _POSSESSIVE for t in mention)
        )
        chosen = None
        if definite:
            earlier = [r for r in self.entities.values() if r.last_seen(at) >= 0]
            same_role = [r for r in earlier if r.kind in ("unnamed", "person") and role in r.roles]
            same_class = [r for r in earlier if r.kind == "person" and classes & r.role_classes]
            chosen = max(same_role or same_class, key=lambda r: r.last_seen(at), default=None)
            if chosen is None and is_role and singular:
                chosen = self._salient_person(mention, gender, classes, previous)
        if chosen is None and is_role and singular:
            chosen = self._named_next(mention, gender, classes)  # "An aide said … . Ana Ruiz added"
        if chosen is not None:
            if entry is not None and chosen.kind == "person":
                chosen.roles.add(role)
            chosen.saw(mention.text, at)
            return chosen
        key = f"unnamed:{at}"
        description = _strip_determiner(mention) or mention.text
        kind = "unnamed" if is_role or first in _INDEFINITE else "unknown"
        record = self._record(key, description, kind, at)
        record.plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
        record.roles.add(role)
        record.saw(mention.text, at)
        return record

    def _salient_person(self, mention: Span, gender: str, classes: set[str],
                        previous: EntityRecord | None) -> EntityRecord | None:
        """The named person a definite role noun most likely continues: the subject of this
        sentence or the one before ("Ana Ruiz won the vote. The senator said …"), else the last
        speaker. Gender and role classes must not clash."""
        fits = _fits_role(gender, classes)
        sent = mention.sent
        start = self.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        starts = self._starts[id(self.person_mentions)]
        window = self.person_mentions[bisect_left(starts, start) : bisect_left(starts, mention.start_char)]
        for found in reversed(window):
            record = self.entities[found.key]
            if found.subject and fits(record):
                return record
        return previous if previous is not None and fits(previous) else None

    def _named_next(self, mention: Span, gender: str, classes: set[str]) -> EntityRecord | None:
        """A person first named as a subject just after a role noun, in its sentence or the next:
        the role introduced them ("A senior aide said … . Ana Ruiz, who …, added")."""
        fits = _fits_role(gender, classes)
        sent = mention.sent
        end = self.doc[sent.end].sent.end_char if sent.end < len(self.doc) else sent.end_char
        starts = self._starts[id(self.person_mentions)]
        for found in self.person_mentions[bisect_left(starts, mention.end_char) : bisect_left(starts, end)]:
            record = self.entities[found.key]
            if found.subject and record.first == found.start and fits(record):
                return record
        return None

    def _stand_in(self, mention: Span, head: Token, stand_in: str, definite: bool,
                  previous: EntityRecord | None) -> EntityRecord | None:
        """Whom a document, campaign or organisation noun speaks for: the issuer of "the ad",
        the person of "her campaign", the named organisation of "the committee". None when the
        article does not say, and the noun stays an unnamed source."""
        at = mention.start_char
        if stand_in != "document" and head.tag_ in ("NNS", "NNPS"):
            return None  # "armed groups", "the two camps": not one body
        if stand_in.startswith("body"):
            # only a bare "the company" may stand for the organisation named last: "the
            # opposition group" says more than its name would tell
            bare = not any(c.dep_ in ("compound", "amod", "nmod") for c in head.lefts)
            return self._body(head.lemma_.lower(), at, stand_in == "body-any" and bare) if definite else None
        owner = owner_in_phrase(mention, head)
        if owner is not None and owner.dep_ in ("compound", "nmod", "amod") and owner.i not in self._token_key:
            return None  # "a Gallup poll": a name no entity holds; the phrase itself says the most
        if owner is None and definite:
            owner = earlier_owner(head)
        if owner is not None:
            start, end = mention_span(owner)
            record = self.resolve(self.doc[start:end], previous)
        elif stand_in == "following" and definite and previous is not None and previous.kind == "person":
            record = previous  # "the campaign said", right after the candidate spoke
        else:
            return None
        if record.kind == "unknown":
            return None
        if stand_in == "following" and record.kind == "person":
            noun = head.lemma_.lower()
            return self._record(f"{noun}:{record.key}", f"{record.name} {noun}", "organization", at)
        return record

    def _body(self, noun: str, at: int, any_organisation: bool) -> EntityRecord | None:
        """The organisation seen last whose name holds `noun` ("the committee": "Budget
        Committee"); for a general noun ("the company"), else the organisation seen last nearby."""
        seen = [r for r in self.entities.values() if r.kind == "organization" and r.last_seen(at) >= 0]
        named = [r for r in seen if any(w.startswith(noun) for w in r.name.lower().split())]
        if not named and any_organisation:
            named = [r for r in seen if at - r.last_seen(at) < 3 * _RECENT_CHARS]
        return max(named, key=lambda r: r.last_seen(at), default=None)

    def _unresolved(self, mention: Span) -> EntityRecord:
        key = f"unknown:{mention.start_char}"
        record = self._record(key, mention.text, "unknown", mention.start_char)
        record.saw(mention.text, mention.start_char)
        return record

    def referent(self, pronoun: Token) -> EntityRecord | None:
        """The person a gendered third-person pronoun ("he", "her") stands for, read-only: the
        nearest person of its gender named within the last few paragraphs. "it" and "they" are
        left alone: in news they stand for things and unnamed groups more often than for names."""
        entry = lexicon.pronouns().get(pronoun.lower_)
        if entry is None or entry.person != "3" or entry.number != "sg" or entry.gender not in ("m", "f"):
            return None
        at = pronoun.idx
        record = self._nearest(self.person_mentions, at, entry.gender)
        return record if record is not None and record.last_seen(at) > at - _RECENT_CHARS else None

    def named_in(self, start: int, end: int) -> list[EntityRecord]:
        """The named entities mentioned between two character offsets, in order, once each."""
        seen: dict[str, EntityRecord] = {}
        for mentions in (self.person_mentions, self.other_mentions):
            starts = self._starts[id(mentions)]
            for mention in mentions[bisect_left(starts, start) : bisect_left(starts, end)]:
                seen.setdefault(mention.key, self.entities[mention.key])
        return sorted(seen.values(), key=lambda r: r.first)


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges sorted and merged where they overlap."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _fits_role(gender: str, classes: set[str]):
    """Whether a named person may be the one a role noun of this gender and these classes describes."""

    def fits(record: EntityRecord) -> bool:
        return (record.kind == "person" and " " in record.name and (gender == "-" or record.gender in ("-", gender))
                and not (classes and record.role_classes and not classes & record.role_classes))

    return fits


def _party_member(mention: Span, head: Token) -> bool:
    """"the Wisconsin Republican": one member of a party or people, which is a person."""
    return head.ent_type_ == "NORP" and head.tag_ == "NNP" and mention[0].lower_ == "the" and len(mention) > 1


def _propn_runs(doc: Doc, keep: np.ndarray) -> list[Span]:
    """Every run of tokens whose `keep` flag is set (proper nouns, in practice), less leading titles."""
    flags = np.concatenate([[False], keep, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(flags))
    runs = []
    for start, end in zip(edges[::2].tolist(), edges[1::2].tolist()):
        while start < end and _is_title(doc[start]):
            start += 1
        if start < end:
            runs.append(doc[start:end])
    return runs


def _unlabelled_people(doc: Doc) -> list[Span]:
    """People the recogniser missed: two or three proper nouns outside any entity, led (after
    their titles) by a known first name ("Mayor Ana Ruiz said")."""
    array = doc.to_array([POS, ENT_TYPE, IS_ALPHA])
    keep = (array[:, 0] == PROPN_ID) & (array[:, 1] == 0) & (array[:, 2] == 1)
    return [Span(doc, run.start, run.end, label="PERSON") for run in _propn_runs(doc, keep) if _looks_like_person(run)]


def _names_from_parse(doc: Doc) -> list[Span]:
    """Names for a pipeline with no entity recogniser: every run of proper nouns, a person when a
    known first name leads it, a place when places.tsv knows it, an organisation otherwise."""
    keep = doc.to_array(POS) == PROPN_ID
    for i in np.flatnonzero(keep).tolist():
        keep[i] = doc[i].text[:1].isupper()
    names = []
    for run in _propn_runs(doc, keep):
        if len(run) > 1 and run[0].lower_ in lexicon.first_names():
            label = "PERSON"
        elif " ".join(t.lower_ for t in run) in lexicon.places():
            label = "GPE"
        else:
            label = "ORG"
        names.append(Span(doc, run.start, run.end, label=label))
    return names


def _defined_acronyms(ents: list[Span]) -> dict[str, str]:
    """Acronyms the text defines after a name, "the Budget Committee (BC)" or "the Budget
    Committee, or BC," → lowercase acronym → that name. The acronym's first letter must be
    the name's."""
    defined = {}
    for ent in ents:
        doc, end = ent.doc, ent.end
        if ent.label_ == "PERSON" or len(ent) < 2 or end + 1 >= len(doc):
            continue
        if doc[end].text == "(" and end + 2 < len(doc) and doc[end + 2].text == ")":
            short = doc[end + 1]
        elif doc[end].text == "," and doc[end + 1].lower_ == "or" and end + 2 < len(doc):
            short = doc[end + 2]
        else:
            continue
        letters = short.text.replace(".", "")
        name = _strip_determiner(ent)
        if 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper() and name[:1].upper() == letters[0]:
            defined.setdefault(short.text.lower(), name)
    return defined


def _with_name_tail(ent: Span) -> Span:
    """A people's adjective run into a name ("Islamic State", "Democratic Party"), which the
    recogniser cut after the adjective: the whole name, as an organisation."""
    doc, end = ent.doc, ent.end
    if ent.label_ != "NORP":
        return ent
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() and not doc[end].ent_type_ \
            and not _is_title(doc[end]):  # "Syrian President X": a title, not a name's tail
        end += 1
    return ent if end == ent.end else Span(doc, ent.start, end, label="ORG")


def _is_name(ent: Span) -> bool:
    """Whether an entity span holds a name at all: a capitalised noun. A capitalised verb or
    adjective ("Getting", "Armed") and a lowercase word ("su-24") are none."""
    return any(t.text[:1].isupper() and t.pos_ in ("PROPN", "NOUN") for t in ent)


def _is_person_name(ent: Span, words: list[str]) -> bool:
    """Whether a PERSON span is a person's name: words without digits, each capitalised or a
    particle, and all nouns unless a known first name leads ("Downs Russian Warplane", "F-16s"
    are not)."""
    particles = lexicon.name_particles()

    def name_word(word: str) -> bool:
        head, dash, rest = word.partition("-")
        if dash and head.lower() + "-" in particles:
            word = rest  # "al-Hadi"
        return not any(c.isdigit() for c in word) and (word[:1].isupper() or word.lower() in particles)

    if not all(map(name_word, words)):
        return False
    if words[0].lower() in lexicon.first_names():
        return True
    return all(t.pos_ in ("PROPN", "NOUN") or t.is_punct or t.text in _POSSESSIVE or t.lower_ in particles
               or _is_title(t) for t in ent)


def _looks_like_person(ent: Span) -> bool:
    """Two or three proper nouns led by a known first name: a person, whatever the label."""
    return 2 <= len(ent) <= 3 and all(t.pos_ == "PROPN" for t in ent) and ent[0].lower_ in lexicon.first_names()


def coreference_chains(doc: Doc) -> list[list[tuple[int, int]]]:
    """Coreference chains the pipeline already made, as token spans: spacy-experimental's
    `doc.spans["coref_clusters_*"]` or coreferee's `doc._.coref_chains`. Empty when there are none."""
    chains = [[(s.start, s.end) for s in group] for key, group in doc.spans.items() if key.startswith("coref_clusters")]
    if Doc.has_extension("coref_chains") and doc._.coref_chains is not None:
        for chain in doc._.coref_chains:
            chains.append([(m.token_indexes[0], m.token_indexes[-1] + 1) for m in chain])
    return chains


def mention_span(tok: Token) -> tuple[int, int]:
    """The noun phrase headed by `tok`, without appositions, relative clauses and punctuation."""
    start = tok.left_edge.i
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ in _MENTION_STOPS:
            break
        end = child.right_edge.i + 1
    doc = tok.doc
    while end - 1 > tok.i and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in _POSSESSIVE):
        end -= 1
    while start < tok.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return (start, end)


def _is_title(tok: Token) -> bool:
    entry = lexicon.person_nouns().get(tok.lower_) or lexicon.person_nouns().get(tok.lower_.rstrip("."))
    return entry is not None and entry.title


def _name_words(ent: Span) -> list[str]:
    """A person's name as written, word by word ("al-Assad" is one word), without titles,
    possessive endings or punctuation between words."""
    groups: list[list[Token]] = []
    for tok in ent:
        if tok.text in _POSSESSIVE:
            continue
        if groups and not tok.doc[tok.i - 1].whitespace_ and tok.i - 1 == groups[-1][-1].i:
            groups[-1].append(tok)
        else:
            groups.append([tok])
    words = [g for g in ([t for t in group] for group in groups) if not all(t.is_punct for t in g)]
    while len(words) > 1 and len(words[0]) == 1 and (words[0][0].lower_ in _DETERMINERS or _is_title(words[0][0])):
        words = words[1:]
    return ["".join(t.text for t in word).strip("-.,") or word[0].text for word in words]


def _strip_determiner(span: Span) -> str:
    tokens = list(span)
    while tokens and (tokens[0].lower_ in _DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].text in _POSSESSIVE):
        tokens = tokens[:-1]
    if not tokens:
        return ""
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


def _phrases(words: list[str], longest: int = 4) -> list[str]:
    """Every run of up to `longest` consecutive words, longest first."""
    return [
        " ".join(words[i : i + size])
        for size in range(min(longest, len(words)), 0, -1)
        for i in range(len(words) - size + 1)
    ]


def _last_line(ent: Span) -> Span | None:
    """The name an entity span really holds. NER sometimes joins a heading to a name across a
    line break, and in title-case headlines runs a name on into its verb ("Mayor Ruiz Accuses
    Council"): keep the part after the last line break, and before an inner reporting verb."""
    start, end = ent.start, ent.end
    breaks = [t.i for t in ent if "\n" in t.text]
    if breaks:
        start = breaks[-1] + 1
    for tok in ent.doc[start + 1 : end - 1]:
        if tok.text[:1].isupper() and tok.lower_.endswith("s") and verb_form(tok.text) is not None:
            end = tok.i  # "Mayor Ruiz Accuses Council"; not "Mohammed Said Ali"
            break
    if start >= end:
        return None
    return Span(ent.doc, start, end, label=ent.label_)
