"""Mentions and entities: who each speaker mention is.

A full name is an entity (names.py finds them); a surname alone resolves to the full name given
before it (or, if none, after it), and name particles never split a person. A KB id from the
pipeline's entity linker is an entity's identity. "he" and "she" continue the main subject of
their paragraph when it came after the last speaker, else the last compatible speaker, else the
nearest compatible person; names inside someone's quoted words do not count. A role noun ("the
official", "the Ohio senator") resolves to a source with the same role or class, else to the
subject it continues, else to the person named just after it. A document, campaign or
organisation noun speaks for whom the article says (stand_ins.py). Anything else is an unnamed
source that keeps its own description ("senior treasury official").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claimx import lexicon
from claimx.names import (
    DETERMINERS,
    MENTION_STOPS,
    POSSESSIVE,
    coreference_chains,
    defined_acronyms,
    is_name,
    is_person_name,
    last_line,
    looks_like_person,
    mention_span,
    name_words,
    names_from_parse,
    phrases,
    strip_determiner,
    unlabelled_people,
    with_first_name,
    with_name_tail,
)
from claimx.sources import fronted_name
from claimx.stand_ins import earlier_owner, owner_in_phrase, stand_in_class
from claimx.text import person_key

_KIND_OF_LABEL = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_INDEFINITE = frozenset({"a", "an", "one", "some", "another", "several", "two", "three", "many"})
_RECENT_CHARS = 600  # about the last two or three paragraphs: where a pronoun's person was named


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
    kb_id: str | None = None  # the pipeline's entity link, when it has a linker

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

    def __init__(self, doc: Doc, contents: Iterable[tuple[int, int]] = (), text: str | None = None, *,
                 base: int = 0, known_names: dict[str, list[tuple[int, str]]] | None = None) -> None:
        """`base` is the doc's offset in a longer text read window by window, and `known_names`
        the full names of people its earlier windows named (surname → (offset, name), offsets in
        the doc's terms, so before 0): a surname alone still finds the full name given there."""
        self.doc = doc
        self._text = doc.text if text is None else text  # spaCy rebuilds doc.text on every access
        self._base = base
        self._known_names = known_names or {}
        self._contents = _merged(contents)
        self._content_starts = [start for start, _ in self._contents]
        self.entities: dict[str, EntityRecord] = {}
        self.person_mentions: list[_NameMention] = []
        self.other_mentions: list[_NameMention] = []
        self._token_key: dict[int, str] = {}
        self._by_kb: dict[str, str] = {}  # knowledge-base id → the key of its record
        self._depth = 0  # how deep a stand-in's owner is being resolved: "the ad" → "his" → …
        self._identified: dict[str, EntityRecord] = {}  # an unnamed source's key → the person it turned out to be
        self._index_names()
        # the offsets of both mention lists, which _index_names fills in text order, for bisection
        self._starts = {id(m): [x.start for x in m] for m in (self.person_mentions, self.other_mentions)}
        self._chains = coreference_chains(doc)
        self._chain_of = {i: n for n, chain in enumerate(self._chains) for start, end in chain for i in range(start, end)}

    # -- named entities -----------------------------------------------------------------

    def _index_names(self) -> None:
        recognised = self.doc.has_annotation("ENT_IOB")
        found = unlabelled_people(self.doc) if recognised else names_from_parse(self.doc)
        recognised_ents = [with_name_tail(with_first_name(ent)) for ent in self.doc.ents]
        ents = [e for e in map(last_line, [*recognised_ents, *found]) if e is not None]
        ents.sort(key=lambda e: e.start)
        persons = [e for e in ents if e.label_ == "PERSON"]
        full_names = {surname: list(forms) for surname, forms in self._known_names.items()}
        cleaned, suffixes = {}, lexicon.name_suffixes()
        for ent in persons:
            words = name_words(ent)
            if words and is_person_name(ent, words):
                cleaned[ent.start] = words
                if len(words) > 1:  # the surname, and its last part: "al-Hadi" and "Hadi"
                    last = words[-2] if len(words) > 2 and words[-1].lower() in suffixes else words[-1]
                    for surname in {last.lower(), last.rsplit("-", 1)[-1].lower()}:
                        full_names.setdefault(surname, []).append((ent.start_char, " ".join(words)))
        self._full_names = full_names
        acronyms = defined_acronyms(ents)
        for ent in ents:
            kind = _KIND_OF_LABEL.get(ent.label_)
            if kind is None:
                continue
            if not is_name(ent) and strip_determiner(ent).lower().replace("’", "'") not in lexicon.places():
                continue  # "Rising", "Masked", "mig-29": no proper noun a name is made of
            words = name_words(ent) if kind != "person" and len(ent) <= 3 else []
            if len(words) == 1 and words[0].lower() in full_names:
                kind = "person"  # a surname the recogniser mislabelled: "Lund" as a place
                cleaned[ent.start] = words
            elif kind != "person" and looks_like_person(ent):
                kind = "person"  # "Karin Holm" labelled an organisation
                cleaned[ent.start] = name_words(ent)
            if kind == "person":
                words = cleaned.get(ent.start)
                if not words:
                    continue  # "B-52s", "Sinks Danish Ferry": no person's name
                name = self._person_key(words, ent.start_char)
                record = self._linked(ent, person_key(name), name, "person")
                record.saw(ent.text, ent.start_char)
                self._learn_person(record, ent)
                target = self.person_mentions
            else:
                name = strip_determiner(ent)
                if not name:
                    continue
                name = acronyms.get(name.lower(), name)
                country = lexicon.places().get(name.lower().replace("’", "'"))
                if country is not None:  # "Oslo", "Downing Street", "U.S.", "Danish": the state
                    name, kind = country[0], "place"
                elif kind == "group" and ent.root.pos_ == "ADJ":
                    continue  # "European", "Nordic": an adjective naming no one in particular
                key = f"named:{name.lower()}"  # one entity per name: "Vestmark" as place and organisation
                record = self._linked(ent, key, name, kind)
                record.saw(ent.text, ent.start_char)
                target = self.other_mentions
            for tok in ent:
                self._token_key[tok.i] = record.key
            anchor = ent.root
            while anchor.dep_ == "appos" and anchor.head != anchor:  # "X's father, the Rev. Y, knew …"
                anchor = anchor.head
            subject = anchor.dep_ in ("nsubj", "nsubjpass") or _fronted(ent.root)
            main = subject and _first_conjunct(anchor.head).dep_ == "ROOT"
            target.append(_NameMention(ent.start_char, ent.root.i, record.key, subject, main,
                                       self._reported(ent.start_char)))

    def _reported(self, at: int) -> bool:
        """Whether a character offset lies inside the content of a claim."""
        k = bisect_right(self._content_starts, at) - 1
        return k >= 0 and at < self._contents[k][1]

    @property
    def full_names(self) -> dict[str, list[tuple[int, str]]]:
        """Surname → the (offset, full name) of each person named by a full name, in text order."""
        return self._full_names

    def _person_key(self, words: list[str], start: int) -> str:
        """A surname alone names the full name given before it, else the one after it."""
        if len(words) > 1:
            return " ".join(words)
        forms = self._full_names.get(words[0].lower())
        if not forms:
            return words[0]
        before = [name for char, name in forms if char < start]
        return before[-1] if before else forms[0][1]

    def _linked(self, ent: Span, key: str, name: str, kind: str) -> EntityRecord:
        """The record of a named mention. When the pipeline linked it to a knowledge base, its
        KB id decides: every mention of that id is one entity ("Landbund" and "NFU"), and a name
        seen before under no id takes it."""
        kb_id = ent.kb_id_ if ent.kb_id_ not in ("", "NIL") else None
        if kb_id is not None and kb_id in self._by_kb:
            return self.entities[self._by_kb[kb_id]]
        existing = self.entities.get(key)
        if kb_id is not None and existing is not None and existing.kb_id not in (None, kb_id):
            key = f"kb:{kb_id}"  # the same name, linked to another entity
        record = self._record(key, name, kind, ent.start_char)
        if kb_id is not None:
            record.kb_id = record.kb_id or kb_id
            self._by_kb[kb_id] = record.key
        return record

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
            if tok.pos_ in ("DET", "PUNCT") or tok.text in POSSESSIVE or tok.ent_type_ in ("GPE", "NORP", "ORG"):
                break
            words.insert(0, tok.lower_)
            k -= 1
        described = [c for c in ent.root.children if c.dep_ == "appos"]
        if ent.root.dep_ == "appos" and not _fronted(ent.root):  # "a statement, X, said": no statement
            described.append(ent.root.head)
        for noun in described:
            words += [t.lower_ for t in noun.lefts if t.pos_ in ("NOUN", "PROPN", "ADJ")] + [noun.lower_]
            if noun.pos_ == "NOUN":
                record.roles.add(noun.lemma_.lower())  # "X, the treasurer,": "the treasurer" is X
        nouns = lexicon.person_nouns()
        for phrase in phrases(words):
            entry = nouns.get(phrase)
            if entry is not None or phrase in lexicon.role_classes():
                record.roles.add(lexicon.role_abbreviations().get(phrase, phrase))
                if record.gender == "-" and entry is not None and entry.gender in ("m", "f"):
                    record.gender = entry.gender

    # -- speaker mentions ---------------------------------------------------------------

    def resolve_all(self, mention: Span, previous: EntityRecord | None) -> list[EntityRecord]:
        """The entities of a mention: one, or each conjunct of "the mayor and the governor"."""
        head = mention.root
        conjuncts: list[Token] = []  # the head's own: "the mayor of Oslo and Bergen" is one speaker
        chain = [head]
        while chain:
            found = [c for c in chain.pop().children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON")
                     and mention.start <= c.i < mention.end]
            conjuncts += found
            chain += found
        conjuncts.sort(key=lambda t: t.i)
        if not conjuncts:
            return [self.resolve(mention, previous)]
        records = []
        for tok in [head, *conjuncts]:
            start, end = mention_span(tok)
            # each conjunct without the others, or its apposition: "Tom Hale, 61, and …" is Tom Hale
            end = min([end] + [c.left_edge.i for c in tok.rights if c.dep_ in _CONJUNCT_STOPS])
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
        clause = _first_conjunct(head.head)  # "…, which X and which said …": the relative clause
        if pronoun is not None and pronoun.person == "rel" and clause.dep_ == "relcl":
            antecedent = clause.head  # "the senator, who said …": who is the senator
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
        words = [t.lower_ for t in mention if not t.is_punct and t.text not in POSSESSIVE]
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
        is_role = entry is not None or head.lower_ in lexicon.role_classes() or _party_member(mention, head)
        gender = entry.gender if entry is not None and entry.gender in ("m", "f") else "-"
        head_words = [t.lower_ for t in head.lefts if t.pos_ in ("NOUN", "PROPN", "ADJ")] + [head.lower_]
        classes = {lexicon.role_classes()[p] for p in phrases(head_words) if p in lexicon.role_classes()}
        bare_singular = first not in DETERMINERS and head.tag_ in ("NN", "NNP")  # "Press Secretary X said"
        singular = head.tag_ in ("NN", "NNP") and not any(c.dep_ == "conj" for c in head.children)
        definite = first not in _INDEFINITE and (
            first in ("the", "this") or bare_singular or any(t.text in POSSESSIVE for t in mention)
        )
        chosen = None
        if definite:
            earlier = [r for r in self.entities.values() if r.last_seen(at) >= 0]
            same_role = [r for r in earlier if r.kind in ("unnamed", "person") and role in r.roles]
            same_class = [r for r in earlier if r.kind == "person" and classes & r.role_classes]
            chosen = max(same_role or same_class, key=lambda r: r.last_seen(at), default=None)
            if chosen is not None and chosen.kind == "unnamed" and is_role and singular:
                named = self._named_next(mention, role, gender, classes)  # the lede's role, named at last
                if named is not None:
                    named.aliases.extend(a for a in chosen.aliases if a not in named.aliases)
                    self._identified[chosen.key] = chosen = named
            if chosen is None and is_role and singular:
                chosen = self._salient_person(mention, gender, classes, previous)
        if chosen is None and is_role and singular:
            chosen = self._named_next(mention, role, gender, classes)  # "An aide said … . Ana Ruiz added"
        if chosen is not None:
            if entry is not None and chosen.kind == "person":
                chosen.roles.add(role)
            chosen.saw(mention.text, at)
            return chosen
        description = strip_determiner(mention) or mention.text
        kind = "unnamed" if is_role or first in _INDEFINITE else "unknown"
        # a capitalised word the tagger did not read as a name ("Rivers" heading a line) is one
        # referent however often it speaks; a description ("the report") may name another each time
        named = kind == "unknown" and all(w[:1].isupper() for w in description.split())
        key = f"named:{description.lower()}" if named else f"unnamed:{self._base + at}"
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
        sent = mention.sent
        start = self.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        starts = self._starts[id(self.person_mentions)]
        window = self.person_mentions[bisect_left(starts, start) : bisect_left(starts, mention.start_char)]
        for found in reversed(window):
            record = self.entities[found.key]
            if found.subject and _fits_role(record, gender, classes):
                return record
        return previous if previous is not None and _fits_role(previous, gender, classes) else None

    def _named_next(self, mention: Span, role: str, gender: str, classes: set[str]) -> EntityRecord | None:
        """A person first named as a subject just after a role noun, in its sentence or the next:
        the role introduced them ("A senior aide said … . Ana Ruiz, who …, added"). Not one
        the text gives another role ("Tom Hale, a banker," is no official)."""
        sent = mention.sent
        end = self.doc[sent.end].sent.end_char if sent.end < len(self.doc) else sent.end_char
        starts = self._starts[id(self.person_mentions)]
        for found in self.person_mentions[bisect_left(starts, mention.end_char) : bisect_left(starts, end)]:
            record = self.entities[found.key]
            if found.subject and record.first == found.start and _fits_role(record, gender, classes) \
                    and (not record.roles or role in record.roles or classes & record.role_classes):
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

    def identified(self, record: EntityRecord) -> EntityRecord:
        """The person an unnamed source turned out to be, when a later mention of the same role
        led to their name ("Engineer who …" in the headline, "the engineer" in the lede, "Tom
        Hale, 61, said" after it); else the record itself."""
        return self._identified.get(record.key, record)

    def _unresolved(self, mention: Span) -> EntityRecord:
        key = f"unknown:{self._base + mention.start_char}"
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


def _fits_role(record: EntityRecord, gender: str, classes: set[str]) -> bool:
    """Whether a named person may be the one a role noun of this gender and these classes describes."""
    return (record.kind == "person" and " " in record.name and (gender == "-" or record.gender in ("-", gender))
            and not (classes and record.role_classes and not classes & record.role_classes))


_CONJUNCT_STOPS = MENTION_STOPS | {"cc", "conj"}


def _fronted(name: Token) -> bool:
    """Whether a name is the subject the parser hung on an opening phrase ("In a statement,
    Ana Ruiz, 61, said"): the next word past its commas is a verb with no subject of its own."""
    doc = name.doc
    after = name.right_edge.i + 1
    while after < len(doc) and doc[after].is_punct:
        after += 1
    return after < len(doc) and doc[after].pos_ == "VERB" and fronted_name(doc[after]) == name


def _party_member(mention: Span, head: Token) -> bool:
    """"the Wisconsin Republican": one member of a party or people, which is a person."""
    return head.ent_type_ == "NORP" and head.tag_ == "NNP" and mention[0].lower_ == "the" and len(mention) > 1


def _first_conjunct(tok: Token) -> Token:
    """The first of the conjuncts `tok` is one of ("won" in "won and said"): where their clause hangs."""
    while tok.dep_ == "conj" and tok.head != tok:
        tok = tok.head
    return tok
