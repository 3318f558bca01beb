"""Cues: the words that report speech or thought, and the speech act each one expresses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Token

from claimx import lexicon

_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"})


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting word. `head` is the token the speaker and content attach to; `start`/`end`
    (exclusive) cover the whole cue ("point out", "according to")."""

    head: int
    start: int
    end: int
    act: str
    form: str  # "verb", "according", "noun", "adjective", "colon"
    direct_only: bool = False
    raising: bool = False


def _regular_stems(form: str) -> tuple[str, ...]:
    """Candidate lemmas of a regularly inflected verb form, for when the tagger mislabels it."""
    stems = [form]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                         ("ing", ""), ("ing", "e")):
        if form.endswith(suffix) and len(form) - len(suffix) >= 2:
            stems.append(form[: -len(suffix)] + repl)
    return tuple(stems)


def verb_form(word: str) -> lexicon.Verb | None:
    """The reporting verb a word form belongs to ("Accuses", "said"), without a tagger: for
    headlines, whose title case the tagger misreads."""
    verbs = lexicon.reporting_verbs()
    word = word.lower()
    entry = next((verbs[s] for s in _regular_stems(word) if s in verbs), None)
    return None if entry is None or " " in entry.lemma else entry


def verb_entry(token: Token) -> lexicon.Verb | None:
    """The lexicon entry of a reporting verb token, including phrasal ones ("point out")."""
    if token.pos_ != "VERB" and token.tag_ not in _VERB_TAGS:
        return None
    verbs = lexicon.reporting_verbs()
    lemma = token.lemma_.lower()
    for child in token.children:
        if child.dep_ == "prt":
            entry = verbs.get(f"{lemma} {child.lower_}")
            if entry is not None:
                return entry
    entry = verbs.get(lemma)
    if entry is None or " " in entry.lemma:
        return verb_form(token.text)  # a phrasal cue without its particle: "point" alone reports nothing
    return entry


def verb_cue(token: Token) -> Cue | None:
    """A reporting verb; with its frame's preposition ("called for"), the frame's act wins."""
    frame = frame_cue(token)
    if frame is not None:
        return frame
    entry = verb_entry(token)
    if entry is None:
        return None
    end = token.i + 1
    for child in token.children:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    return Cue(token.i, token.i, end, entry.act, "verb", entry.direct_only, entry.raising)


def statement_act(token: Token) -> str | None:
    """The speech act of a statement noun ("claim", "denials"), by lemma or by form."""
    nouns = lexicon.statement_nouns()
    return nouns.get(token.lemma_.lower()) or nouns.get(token.lower_)


def statement_noun(token: Token) -> Cue | None:
    """A statement noun with its holder: "the mayor's claim", "the Danish denial"."""
    if token.pos_ != "NOUN":
        return None
    act = statement_act(token)
    if act is None or holder_of(token) is None:
        return None
    return Cue(token.i, token.i, token.i + 1, act, "noun")


def holder_of(noun: Token) -> Token | None:
    """Whose statement a noun names: its possessor, or a name or nationality before it."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.lefts:
        if child.dep_ in ("amod", "compound") and (child.pos_ == "PROPN" or child.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")):
            return child
    return None


def adjective_cue(token: Token) -> Cue | None:
    """A predicative adjective with a that-clause: "are suspicious that …". The cue's head is
    the copula, so the speaker is its subject and the content its (or the adjective's) clause."""
    if token.pos_ != "ADJ" or token.dep_ != "acomp":
        return None
    act = lexicon.reporting_adjectives().get(token.lower_)
    if act is None:
        return None
    return Cue(token.head.i, token.i, token.i + 1, act, "adjective")


def frame_cue(token: Token) -> Cue | None:
    """A verb that reports through one preposition: "called for", "talked about", "warned of"."""
    if token.pos_ != "VERB":
        return None
    frames = lexicon.prep_frames()
    lemma = token.lemma_.lower()
    for child in token.children:
        act = frames.get((lemma, child.lower_)) if child.dep_ == "prep" else None
        if act is not None:
            return Cue(token.i, token.i, token.i + 1, act, "verb")
    return None


def prep_content(verb: Token) -> list[Token]:
    """The object of the preposition through which a verb reports: "called for [a ban]"."""
    frames = lexicon.prep_frames()
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "prep" and (lemma, child.lower_) in frames and child.i > verb.i:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return list(objects[0].subtree)
    return []


def according_to(token: Token) -> Cue | None:
    """"according to X": `head` is "according"; the source is the object of "to"."""
    if token.lower_ != "according":
        return None
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    return Cue(token.i, token.i, token.i + 2, "report", "according")


@cache
def _cue_words() -> frozenset[str]:
    """Every word that can start a cue, with the regular inflections of the verbs: a cheap first
    test, so that most tokens skip the rest."""
    words = {"according"}
    for form, verb in lexicon.reporting_verbs().items():
        words.update(form.split())
        lemma = verb.lemma.split()[0]
        stem = lemma[:-1] if lemma.endswith(("e", "y")) else lemma
        words.update({lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing", stem + "ing",
                      stem + "ies", stem + "ied"})
    words.update(lemma for lemma, _ in lexicon.prep_frames())
    words.update(lexicon.statement_nouns())
    words.update(lexicon.reporting_adjectives())
    return frozenset(words)


def find_cues(doc: Doc) -> list[Cue]:
    """Every reporting verb, "according to" and held statement noun in the document, in order."""
    cues = []
    words = _cue_words()
    for token in doc:
        if token.lower_ not in words and token.lemma_.lower() not in words:
            continue
        cue = verb_cue(token) or according_to(token) or statement_noun(token) or adjective_cue(token)
        if cue is not None:
            cues.append(cue)
    return cues
