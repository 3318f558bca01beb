"""Sources: the token that speaks for a reporting word, read from the dependency parse.

Its subject; the agent of a passive; a name the parser hung on an opening phrase ("In a
statement, X, 61, said"); the noun a participle modifies ("footage of X asking"); the
subject of the verb a participle or infinitive hangs from ("…, saying", "continue to accuse"); or,
in inverted order, the nominal after it ("said X"). Audiences ("told reporters") never speak.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from claimx import lexicon

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# nominals that can be a speaker when they are not the verb's subject: "said X" (inverted),
# "X, a top aide, said" (parsed loosely)
_AFTER_NOMINALS = frozenset({"nsubj", "dobj", "dative", "npadvmod", "attr", "oprd", "appos"})
_BEFORE_NOMINALS = frozenset({"npadvmod", "dep", "appos", "attr", "dobj"})
_INHERITS_SUBJECT = frozenset({"advcl", "xcomp", "conj", "pcomp"})


def source_of(verb: Token, allowed: Callable[[Token], bool] = lambda tok: True) -> Token | None:
    """The speaker of a reporting verb: its subject (after it when the parser also made the words
    before its comma one: "…, said X"), the agent of a passive, a name set off before a
    subjectless verb (`fronted_name`), the noun a participle modifies ("footage of X asking"),
    the subject of the verb a participle hangs from ("…, saying"), or, in inverted order, the
    nominal after it. Only tokens that pass `allowed` can be speakers; audiences ("told
    reporters") never are."""
    addressees = lexicon.addressee_nouns()

    def speaker_like(tok: Token) -> bool:
        return allowed(tok) and tok.lemma_.lower() not in addressees and tok.pos_ in ("NOUN", "PROPN", "PRON")

    own = verb  # nominals after a verb speak for it only in its own clause ("said X")
    for _ in range(4):
        for child in verb.children:
            if child.dep_ == "agent":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and allowed(pobj):
                    return pobj
        subjects = [c for c in verb.children if c.dep_ in SUBJECTS and allowed(c) and not _trailing_place(c)]
        before = [c for c in subjects if c.i < verb.i]
        if before and verb.i > 0 and verb.doc[verb.i - 1].text == "," and (
                after := [c for c in subjects if c.i > verb.i and c.dep_ == "nsubj" and speaker_like(c)]):
            return after[0]  # "…, said X": the parser made the words before the comma a subject as well
        if before and before[0].dep_ != "nsubjpass":
            subject = before[0]
            return None if subject.lemma_.lower() in addressees else subject
        if before:  # "it was announced": the subject of a passive is not its speaker
            return _inverted_speaker(verb, speaker_like)
        loose = [c for c in verb.children if c.i < verb.i and c.dep_ in _BEFORE_NOMINALS and speaker_like(c)]
        if loose and verb == own:
            return loose[-1]
        fronted = fronted_name(verb, speaker_like)  # a subject: the governing verb's speaks for a participle
        if fronted is not None:
            return fronted
        stranded = verb.doc[verb.i - 1] if verb.i > 0 else None
        if verb.dep_ == "conj" and stranded is not None and stranded.dep_ == "conj" and stranded.head.i < stranded.i \
                and stranded.pos_ in ("NOUN", "PROPN") and speaker_like(stranded) and verb == own:
            return stranded  # "endorses the treaty and Sweden demands …": the parser hung Sweden on "treaty"
        inherits = verb.dep_ in _INHERITS_SUBJECT and verb.head != verb
        if inherits and verb.head.pos_ in ("VERB", "AUX"):
            verb = _governor(verb)  # "continue to accuse", "…, saying": the governing verb's subject
            continue
        inverted = _inverted_speaker(verb, speaker_like) if verb == own else None
        if inverted is not None:
            return inverted
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head if allowed(verb.head) else None
        if inherits:
            verb = _governor(verb)
            continue
        return None
    return None


def fronted_name(verb: Token, speaker_like: Callable[[Token], bool] = lambda tok: True) -> Token | None:
    """The name just before a subjectless verb that the parser hung, set off by commas, on a
    phrase of the verb's clause: in "In a statement on Monday, Tom Hale, 61, said …" it may make
    "Tom Hale" an apposition (or a conjunct) of "statement", though only he can be the one who said
    it. A closing tag is read so too ("… by May, a union official, Ana Ruiz, said"), where the
    verb is a conjunct of the clause before it."""
    doc = verb.doc
    if any(c.dep_ in SUBJECTS for c in verb.children):  # "…, Ana Ruiz, said Tom Hale": he said it
        return None
    clause = verb.head if verb.dep_ == "conj" else verb
    for tok in doc[clause.left_edge.i : verb.i]:  # the name hangs inside the clause: none before it
        if tok.dep_ not in ("appos", "conj") or tok.pos_ != "PROPN" or not speaker_like(tok) or tok.left_edge.i == 0:
            continue
        listed = any(t.dep_ == "cc" for t in doc[tok.head.i : tok.i])  # "Oslo and Bergen": a list, not a name set off
        set_off = doc[tok.left_edge.i - 1].text == "," and tok.head.i < tok.i and not listed
        between = doc[tok.right_edge.i + 1 : verb.i]  # commas, or a phrase of the verb's: "X, in a grey suit, said"
        if set_off and clause.is_ancestor(tok) and all(t.is_punct or _of_verb(t, verb, tok) for t in between):
            return tok
    return None


def _of_verb(tok: Token, verb: Token, after: Token) -> bool:
    """Whether `tok` is in a modifier of `verb` that starts after token `after`."""
    return any(c.dep_ in ("prep", "advmod", "npadvmod") and c.left_edge.i > after.i and tok in c.subtree
               for c in verb.lefts)


def _trailing_place(tok: Token) -> bool:
    """The country closing a place name, read as the subject: in "farmers in Tarragona, Spain
    claim", "Spain" follows a place inside a noun phrase that itself hangs on the verb."""
    doc, verb = tok.doc, tok.head
    if not (tok.pos_ == "PROPN" and tok.i >= 2 and doc[tok.i - 1].text == "," and doc[tok.i - 2].pos_ == "PROPN"):
        return False
    place = doc[tok.i - 2]
    return any(
        c.i < place.i and c.pos_ in ("NOUN", "PROPN") and c.dep_ in _BEFORE_NOMINALS | SUBJECTS
        and c.left_edge.i <= place.i <= c.right_edge.i and c.i != place.i
        for c in verb.children
    )


def _governor(verb: Token) -> Token:
    """The verb whose subject `verb` shares, past any reported clause between them: in "X told
    them that profits doubled, saying …" it is "told" (X), not "doubled" (profits)."""
    head = verb.head
    while head.dep_ == "ccomp" and head.head != head:
        head = head.head
    return head


def _inverted_speaker(verb: Token, speaker_like: Callable[[Token], bool]) -> Token | None:
    """The speaker after its verb ("said X", "assured reporters X"), a person first. The parser
    may hang it on the audience, as an apposition ("said journalists the press secretary X",
    "stated to journalists X") or as a second object of its preposition."""
    addressees = lexicon.addressee_nouns()
    after = [c for c in verb.children if c.i > verb.i and c.dep_ in _AFTER_NOMINALS and speaker_like(c)]
    audiences = [c for c in verb.children if c.i > verb.i and c.lemma_.lower() in addressees]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > verb.i):
        objects = [o for o in prep.children if o.dep_ == "pobj"]
        if objects and objects[0].lemma_.lower() in addressees:
            audiences.append(objects[0])
            after += [o for o in objects[1:] if speaker_like(o)]
    after += [a for c in audiences for a in c.children if a.dep_ == "appos" and speaker_like(a)]
    return max(after, key=lambda c: (c.ent_type_ == "PERSON", c.pos_ == "PROPN", -c.i), default=None)
