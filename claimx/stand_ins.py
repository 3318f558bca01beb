"""Stand-ins: the token that names whom a document, campaign or organisation noun speaks for.

"The ad says …" is said by whoever issued the ad, and news tells who that is in the noun's own
phrase ("his ad", "an ad from the party") or where the thing was first mentioned ("X released an
ad", "in a statement, X said"). These functions only read the parse; the resolver turns the
tokens they return into entities.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimx import lexicon
from claimx.sources import source_of

_OWNER_PREPS = frozenset({"from", "by", "of"})
_LOOKBACK_TOKENS = 600  # about the last six paragraphs: where the thing was introduced


def stand_in_class(head: Token) -> str | None:
    """"document", "following", "body" or "body-any" for a noun that speaks for someone else."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    nouns = lexicon.stand_in_nouns()
    return nouns.get(head.lemma_.lower()) or nouns.get(head.lower_)


def owner_in_phrase(mention: Span, head: Token) -> Token | None:
    """Whose the thing is, inside its own phrase: a possessor ("her campaign", "the mayor's ad")
    or the object of "from", "by" or "of" ("a statement from the ministry"). After "of", a common
    noun must be one that can speak ("the report of the commission", not "the story of an
    offer", which tells what the thing is about). A proper-noun modifier ("the Lund campaign") is
    returned too; the caller decides whether it names someone."""
    for child in head.lefts:
        if child.dep_ == "poss" and mention.start <= child.i:
            return child
    if head.dep_ == "compound":  # "X's campaign manager": X's campaign
        return next((c for c in head.head.lefts if c.dep_ == "poss"), None)
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ in _OWNER_PREPS:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("PROPN", "PRON", "NOUN") \
                    and (prep.lower_ != "of" or pobj.pos_ != "NOUN" or _can_speak(pobj)):
                return pobj
    modifiers = [c for c in head.lefts if c.dep_ in ("compound", "nmod", "amod") and c.pos_ == "PROPN"]
    return modifiers[-1] if modifiers and mention.start <= modifiers[-1].i else None


def _can_speak(noun: Token) -> bool:
    """Whether a common noun names someone who can issue a thing: a person or role noun, or a
    body ("the commission", "the campaign"), never another thing."""
    nouns = lexicon.person_nouns()
    return noun.lower_ in nouns or noun.lemma_.lower() in nouns or stand_in_class(noun) not in (None, "document")


def issuer_of(noun: Token) -> Token | None:
    """Who put out a thing mentioned as the object of a verb: "X released an ad", "X wrote in a
    letter", "in a statement, X said". None when the noun is no object."""
    if noun.dep_ in ("dobj", "nsubjpass"):
        verb = noun.head
    elif noun.dep_ == "pobj" and noun.head.dep_ == "prep":
        verb = noun.head.head
    else:
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    speaker = source_of(verb)
    return speaker if speaker is not None and speaker.i != noun.i else None


def earlier_owner(head: Token) -> Token | None:
    """The owner or issuer given where the same thing was mentioned before ("X unveiled an ad
    on Monday. … The ad says"): the nearest earlier noun of the same lemma that has one."""
    doc, lemma = head.doc, head.lemma_.lower()
    for i in range(head.i - 1, max(-1, head.i - _LOOKBACK_TOKENS), -1):
        tok = doc[i]
        if tok.lemma_.lower() != lemma or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        phrase = doc[tok.left_edge.i : tok.i + 1]
        found = owner_in_phrase(phrase, tok) or issuer_of(tok)
        if found is not None and found.i < head.i:
            return found
    return None
