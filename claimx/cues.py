"""Cues: the words that report speech or thought, and the speech act each one expresses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from spacy.attrs import LEMMA, LOWER
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
    form: str  # "verb", "according", "noun", "adjective", "colon", "learned"
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
    for i in _cue_word_tokens(doc):
        token = doc[i]
        cue = verb_cue(token) or according_to(token) or statement_noun(token) or adjective_cue(token)
        if cue is not None:
            cues.append(cue)
    return cues


def _cue_word_tokens(doc: Doc) -> list[int]:
    """The tokens whose form or lemma is a cue word, read from the Doc's arrays: each distinct
    word is looked up once, and no Token object is made for the rest."""
    if not len(doc):
        return []
    words, strings = _cue_words(), doc.vocab.strings
    ids = doc.to_array([LOWER, LEMMA])
    lower, lemma = ids[:, 0], ids[:, 1]
    forms = np.array([k for k in np.unique(lower).tolist() if strings[k] in words], dtype=np.uint64)
    lemmas = np.array([k for k in np.unique(lemma).tolist() if strings[k].lower() in words], dtype=np.uint64)
    return np.flatnonzero(np.isin(lower, forms) | np.isin(lemma, lemmas)).tolist()


def learned_cue(token: Token) -> Cue:
    """A word the learned decision proposes as a cue, though no rule found it: its lexicon act if
    it has one (a verb whose frame the rules missed), else "other"."""
    entry = verb_entry(token) if token.pos_ in ("VERB", "AUX") else None
    act = entry.act if entry is not None else statement_act(token) or "other"
    end = token.i + 1
    for child in token.children:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    return Cue(token.i, token.i, end, act, "learned")


def asserted(token: Token) -> bool:
    """Whether a cue word reports speech that happened. Not when it is negated ("did not say",
    "never claimed", "nobody said"), refused ("declined to say", "refused to comment"),
    hypothetical, future or obliged ("could claim", "will announce", "has to explain",
    "plans to announce"; an obligation is no claim itself either), or a condition ("if he says"); nor a refusal of speech itself
    ("declined to comment": the refusal is no claim either)."""
    words = lexicon.unasserted()
    for child in token.children:
        dep = child.dep_
        if dep == "neg":
            return False
        if dep in ("aux", "auxpass") and words.get(child.lower_) == "modal":
            return False
        if dep in ("nsubj", "nsubjpass") and (
            words.get(child.lower_) == "nobody"
            or any(d.dep_ == "det" and words.get(d.lower_) == "nobody" for d in child.children)
        ):
            return False
        if dep in ("xcomp", "pcomp") and words.get(token.lemma_.lower()) == "refusal" and _speaks(child):
            return False
        if dep == "xcomp" and words.get(token.lemma_.lower()) == "obligation":
            return False
    governor = token.head
    if token.dep_ in ("xcomp", "pcomp") and governor.i != token.i:
        kind = words.get(governor.lemma_.lower())
        if kind in ("refusal", "unrealized", "obligation") or not asserted(governor):
            return False
    clause = token
    for _ in range(8):  # up through the clauses this one is part of
        if any(c.dep_ == "mark" and words.get(c.lower_) == "condition" for c in clause.children):
            return False
        if clause.dep_ not in ("conj", "xcomp") or clause.head.i == clause.i:
            break
        clause = clause.head
    return True


_SPEECH_ACTS = frozenset({"claim", "report", "belief", "question", "admission", "denial"})


def _speaks(token: Token) -> bool:
    """Whether a verb is one of saying (not of a stance or a deed): "comment", "confirm", "say";
    not "endorse" or "hold a hearing"."""
    entry = verb_entry(token)
    return (
        entry is not None and entry.act in _SPEECH_ACTS
        and lexicon.object_roles().get(token.lemma_.lower()) not in ("event", "intent")
    )
