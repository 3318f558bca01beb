"""Reported speech: the content and source a reporting word joins.

The complement clause of a reporting verb, its infinitive or its object; the clause "according
to X" qualifies; the clause a held statement noun introduces ("the mayor's claim that …"); the
sentence a tag is set into ("The test, the agency said, was its biggest"). A quote inside the
content makes it mixed.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from claimx import lexicon
from claimx.attribution.candidates import QUOTE_MARKS, Attribution, Layout, governs, kind_of
from claimx.cues import Cue, holder_of, prep_content
from claimx.entities import mention_span
from claimx.furniture import glued
from claimx.sources import SUBJECTS, source_of

SpeakerPick = Callable[[set[int]], "Token | None"]  # the source of a reading, given its content's tokens


def reported(lay: Layout, cue: Cue, claimed: dict[int, Attribution]) -> Attribution | None:
    """The claim a reporting verb makes of its complement clause, infinitive or object, or of the
    sentence it is set into ("The test, the agency said, was its biggest")."""
    doc = lay.doc
    head = doc[cue.head]
    if cue.form == "according":
        return _according(lay, cue, claimed)
    if cue.form == "noun":
        return _held_statement(lay, cue, claimed)
    if cue.raising:
        return _raised(lay, cue, claimed)
    # a clause after the verb wins over one before it, which the parser may have hung there
    # from an opening phrase ("Regarding the claim that X, she recalled that Y")
    clause = max((c for c in head.children if c.dep_ == "ccomp"), key=lambda c: c.i > head.i, default=None)
    if cue.form == "adjective":  # "are suspicious that …": the clause may hang from either word
        clause = clause or next((c for c in doc[cue.start].children if c.dep_ == "ccomp"), None)
        if clause is None:
            return None
    if clause is not None:
        tokens, rule = _clause_content(lay, head, clause), "reported"
    elif infinitive := _infinitive_content(head):
        tokens, rule = infinitive, "infinitive"
    elif stray := _stray_clause(head):
        tokens, rule = stray, "reported"
    else:
        tokens, rule = _object_content(head) or prep_content(head), "object"
    passive = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
    refers_back = passive is not None and passive.lower_ in ("this", "that", "it")
    if refers_back and rule == "object":
        tokens = []  # "This was said to reporters the spokesman X": a translated passive's agent
    inside = {t.i for t in tokens}
    allowed = lay.speaker_ok(head)
    source = source_of(head, lambda tok: allowed(tok) and tok.i not in inside)
    if refers_back and not tokens:
        tokens = _previous_sentence(lay, head)  # "This was stated by the minister."
        return None if source is None or not tokens else _reported_claim(
            lay, cue, tokens, source, "passive", claimed, hull=True, skip_source=False
        )
    if source is None:
        if passive is None or not tokens:
            return None
        if rule == "infinitive":  # "The convention is expected to bring …": the subject belongs to it
            tokens = [t for t in head.sent if passive.left_edge.i <= t.i <= tokens[-1].i and t.i != head.i]
        return _reported_claim(lay, cue, tokens, None, "passive", claimed, hull=True)
    if clause is not None and clause.i < head.i:
        return _parenthetical(lay, cue, source, claimed)
    if tokens:
        return _reported_claim(lay, cue, tokens, source, rule, claimed)
    return _parenthetical(lay, cue, source, claimed)


def _raised(lay: Layout, cue: Cue, claimed) -> Attribution | None:
    """"The plan appears to have failed": subject and infinitive are the content; no source."""
    verb = lay.doc[cue.head]
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    infinitive = _infinitive_content(verb)
    if subject is None or not infinitive:
        return None
    tokens = [t for t in verb.sent if subject.left_edge.i <= t.i <= infinitive[-1].i and t.i != verb.i]
    return _reported_claim(lay, cue, tokens, None, "raising", claimed, hull=True)


def _held_statement(lay: Layout, cue: Cue, claimed) -> Attribution | None:
    """"the mayor's claim that the bridge is safe": the that- or to-clause of a held statement."""
    noun = lay.doc[cue.head]
    holder = holder_of(noun)
    if holder is None or not lay.speaker_ok(noun)(holder):
        return None
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and any(
            c.dep_ == "mark" and c.lower_ == "that" or c.dep_ == "aux" and c.lower_ == "to" for c in child.children
        ):
            return _reported_claim(lay, cue, list(child.subtree), holder, "noun", claimed)
    return None


def _clause_content(lay: Layout, verb: Token, clause: Token) -> list[Token]:
    """A complement clause after its verb runs on to the end of the sentence ("said the talks
    failed, because …"), up to where another speech verb's own clause begins."""
    tokens = list(clause.subtree)
    if clause.i < verb.i:
        return tokens
    last = tokens[-1].i
    for tok in verb.sent[last + 1 - verb.sent.start :]:
        cue = lay.cue_at.get(tok.i)
        if cue is not None and not governs(clause, tok):
            stop = min([tok.i] + [c.left_edge.i for c in tok.children if c.dep_ in SUBJECTS])
            return [t for t in verb.sent if clause.left_edge.i <= t.i < stop]
    return [t for t in verb.sent if t.i >= clause.left_edge.i]


def _stray_clause(verb: Token) -> list[Token]:
    """A clause right after a verb of saying that the parser hung elsewhere: in "While officials
    state the aim is X, they will meet", "state" is read as a modifier of "is". The clause is the
    verb whose subject starts right after the cue, from that subject on."""
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "prep") and c.i > verb.i for c in verb.children):
        return []
    start = verb.i + 1
    if start < len(verb.doc) and verb.doc[start].lower_ == "that":
        start += 1
    for tok in verb.sent:
        if tok.i > verb.i and tok.pos_ in ("VERB", "AUX") and not governs(verb, tok) and any(
            c.dep_ in SUBJECTS and c.left_edge.i == start for c in tok.children
        ):
            return [t for t in tok.subtree if t.i >= start]
    return []


def _previous_sentence(lay: Layout, verb: Token) -> list[Token]:
    """The sentence before the one holding `verb`, in its paragraph or the paragraph before."""
    start = verb.sent.start
    while start > 0 and lay.doc[start - 1].is_space:
        start -= 1
    if start == 0:
        return []
    previous = lay.doc[start - 1].sent
    if lay.paragraph(verb.idx) - lay.paragraph(previous.start_char) > 2:
        return []
    return [t for t in previous if not t.is_space]


def _infinitive_content(verb: Token) -> list[Token]:
    """"claim to have shot …", "vowed to escalate …": the infinitive is what was claimed."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.i > verb.i and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            return list(child.subtree)
    return []


def _object_content(verb: Token) -> list[Token]:
    """What a verb's object says: "denied any links", "accused Y of Z", "blamed Y for Z", "called
    the plan a fraud", "said yes". Never the hearer ("told the minister"), a thing perceived ("the
    map shows the route"), an event ("held a rally"), a name without what it is called ("called
    the minister"), nor a statement the text refers back to ("dismissed these claims")."""
    role = lexicon.object_roles().get(verb.lemma_.lower())
    if role in ("hearer", "percept", "event", "intent"):
        return []
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or obj.lemma_.lower() in lexicon.addressee_nouns():
        return []
    if obj.lemma_.lower() in lexicon.statement_nouns() and not any(
        c.dep_ in ("acl", "ccomp", "relcl", "prep") for c in obj.children
    ):
        return []  # "dismissed these claims" refers back; "denied claims of cooperation" does not
    last = obj.right_edge.i
    for conj in obj.children:  # "backs X and Turkey demands …": a conjunct with its own verb
        after = conj.right_edge.i + 1
        if conj.dep_ == "conj" and after < len(verb.doc) and verb.doc[after].pos_ in ("VERB", "AUX"):
            last = min(last, conj.left_edge.i - 1)
    while last > obj.i and (verb.doc[last].dep_ == "cc" or verb.doc[last].is_punct):
        last -= 1
    last = _object_end(verb, obj, last)
    if role == "naming" and last == obj.right_edge.i:
        return []
    doc = verb.doc
    if last + 1 < verb.sent.end and doc[last + 1].text == ":":  # "reiterated his pledges: A, B and C"
        return [t for t in verb.sent if obj.left_edge.i <= t.i]
    return [t for t in verb.subtree if obj.left_edge.i <= t.i <= last]


def _parenthetical(lay: Layout, cue: Cue, source: Token, claimed) -> Attribution | None:
    """A tag set off by commas inside or at the end of the sentence it reports, which the parser
    did not hang as a clause: "The test, the agency said, was its biggest", "…, X said."
    """
    doc, verb = lay.doc, lay.doc[cue.head]
    mention = mention_span(source)
    lo = min(mention[0], cue.start)
    hi = max(mention[1], cue.end)
    for child in verb.rights:  # "said on Tuesday in a statement"
        if child.dep_ in ("prep", "npadvmod", "advmod", "agent") and child.i == hi:
            hi = child.right_edge.i + 1
    sent = verb.sent
    before = doc[lo - 1] if lo > sent.start else None
    after = doc[hi] if hi < sent.end else None
    if before is None or before.text not in (",", "–", "—"):
        return None
    if after is not None and after.text not in (",", ".", "!", "?", ";") and not after.is_space:
        return None
    tokens = [t for t in sent if not (lo <= t.i < hi)]
    if len(tokens) < 4:
        return None
    return _reported_claim(lay, cue, tokens, source, "reported", claimed, hull=True)


def according_source(doc: Doc, cue: Cue) -> Token | None:
    to = doc[cue.head + 1]
    return next((c for c in to.children if c.dep_ == "pobj"), None) or next(
        (c for c in doc[cue.head].children if c.dep_ == "pobj"), None
    )


def _according(lay: Layout, cue: Cue, claimed: dict[int, Attribution]) -> Attribution | None:
    """"According to X, …" and "…, according to X": X is the source of the clause it qualifies."""
    doc = lay.doc
    according = doc[cue.head]
    source = according_source(doc, cue)
    if source is None:
        return None
    clause = according.head
    while clause.dep_ not in ("ROOT", "ccomp", "conj") and clause.head != clause:
        clause = clause.head
    excluded = {t.i for t in according.subtree}
    tokens = [t for t in clause.subtree if t.i not in excluded]
    return _reported_claim(lay, cue, tokens, source, "according", claimed)


def _reported_claim(lay, cue, tokens, source, rule, claimed, hull=False, skip_source=True) -> Attribution | None:
    """The claim of a reported clause: its tokens in the cue's paragraph, less the source. With
    `hull`, the content may span a tag inside it ("The test, it said, was its biggest"). A
    passive with no agent has no source."""
    source_span = mention_span(source) if source is not None else (0, 0)
    para = lay.paragraph(lay.doc[cue.head].idx)
    tokens = sorted(  # a subtree is out of order where the parse is not projective
        (t for t in tokens
         if (hull or not (source_span[0] <= t.i < source_span[1])) and (lay.paragraph(t.idx) == para or not skip_source)),
        key=lambda t: t.i,
    )
    if not tokens:
        return None
    start, end = _trim_tokens(tokens)
    if start is None:
        return None
    begin, finish = tokens[start].idx, tokens[end].idx + len(tokens[end])
    if lay.text[begin:finish].lower() in lexicon.furniture_labels():
        return None  # "See also: X Says …" read by the parser as X saying "See also"
    quotes = [k for k, q in enumerate(lay.quotes) if q.open < finish and q.outer_end > begin]
    if any(k in claimed for k in quotes):
        return None
    for k in quotes:  # a quote cut by the clause edge is taken whole, with its marks
        begin, finish = min(begin, lay.quotes[k].open), max(finish, lay.quotes[k].outer_end)
    introduced = start > 0 or tokens[0].dep_ == "mark"
    kind = kind_of(lay, (begin, finish), quotes, introduced)
    if kind == "direct":
        begin, finish = lay.content(quotes[0])
    if source is not None and glued(lay.doc, source_span):
        return None
    return Attribution([(begin, finish)], kind, cue.act, rule, (cue.start, cue.end),
                       None if source is None else source_span, quotes=quotes)


def _trim_tokens(tokens: list[Token]) -> tuple[int | None, int | None]:
    """Indices of the first and last content tokens: no leading "that", no edge punctuation."""
    start, end = 0, len(tokens) - 1
    while start <= end and (
        tokens[start].is_punct and tokens[start].text not in QUOTE_MARKS
        or tokens[start].is_space
        or tokens[start].dep_ in ("mark", "cc") and tokens[start].lower_ in ("that", "whether", "if", "and", "but")
    ):
        start += 1
    while end >= start and (
        tokens[end].is_punct and tokens[end].text not in QUOTE_MARKS or tokens[end].is_space or tokens[end].dep_ == "cc"
    ):
        end -= 1
    if start > end:
        return None, None
    return start, end


# --- every reading the parse offers, for the learned decision to choose from ----------------

_PREP_CONTENT = frozenset({"pobj", "pcomp"})
_NOUN_SOURCES = frozenset({"by", "from"})  # "criticism from the union", "a call by the mayor"


def proposals(
    lay: Layout, cue: Cue, claimed: dict[int, Attribution], speaker: SpeakerPick | None = None
) -> list[Attribution]:
    """Every claim `cue` could make: the rule's own reading (for a lexicon cue) and each other
    construction the parse offers — its clause, infinitive, object, each preposition's object,
    a passive's subject, the noun a relative clause describes, the sentence it is set into, the
    rest of the sentence. `rule` names the construction. `speaker` picks each reading's source,
    given the tokens of its content (by default, the rules' source outside the content)."""
    doc = lay.doc
    head = doc[cue.head]
    if speaker is None:
        allowed = lay.speaker_ok(head)
        find_source = noun_source if head.pos_ in ("NOUN", "PROPN") else source_of

        def speaker(inside: set[int]) -> Token | None:
            return find_source(head, lambda tok: allowed(tok) and tok.i not in inside)

    found: list[Attribution] = []
    if cue.form != "learned":
        ruled = reported(lay, cue, claimed)
        if ruled is not None:
            found.append(ruled)
    if cue.form in ("according", "colon"):
        return found

    def add(tokens: list[Token], rule: str, hull: bool = False) -> None:
        """A reading whose content is `tokens`; with `hull`, the content may hold its source."""
        if not tokens:
            return
        source = speaker(set() if hull else {t.i for t in tokens})
        att = _reported_claim(lay, cue, tokens, source, rule, claimed, hull=hull or source is None)
        if att is not None and not any(a.parts == att.parts and a.source == att.source for a in found):
            found.append(att)

    sent = head.sent
    for child in head.children:
        dep = child.dep_
        if dep == "ccomp" and child.i > head.i:
            add(_clause_content(lay, head, child), "clause")
        elif dep in ("xcomp", "acl") and child.i > head.i:
            add(list(child.subtree), "infinitive")
        elif dep == "dobj":
            add([t for t in head.subtree if child.left_edge.i <= t.i <= _object_end(head, child, child.right_edge.i)], "object")
            add([t for t in sent if t.i >= child.left_edge.i], "object-on")
        elif dep in ("prep", "agent") and child.i > head.i:
            objects = [c for c in child.children if c.dep_ in _PREP_CONTENT]
            if objects and child.lower_ not in _NOUN_SOURCES:
                add(list(objects[0].subtree), "prep")
        elif dep == "nsubjpass":
            add(list(child.subtree), "patient")
        elif dep in ("acomp", "oprd") and child.i > head.i:
            add(list(child.subtree), "complement")
    if head.dep_ in ("relcl", "acl") and head.head.pos_ in ("NOUN", "PROPN", "PRON"):
        described = head.head
        add([t for t in described.subtree if t.i <= described.i], "antecedent")
    if head.dep_ in ("parataxis", "ccomp", "advcl"):  # a tag set into the clause it reports
        governor = head.head
        add([t for t in governor.subtree if not head.left_edge.i <= t.i <= head.right_edge.i], "aside")
    add([t for t in sent if t.i > head.i], "rest")
    add([t for t in sent if not t.is_space], "sentence", hull=True)
    return found


def _object_end(verb: Token, obj: Token, last: int) -> int:
    """The last token of what an object says, `last` or past it to the phrase that completes it:
    "accused Y of Z", "described Y as Z", "called Y Z"."""
    for extra in [*verb.rights, *obj.rights]:
        if extra.i > obj.i and (extra.dep_ == "oprd" or extra.dep_ == "prep" and extra.lower_ in ("of", "for", "over", "as")):
            last = max(last, extra.right_edge.i)
    return last


def noun_source(noun: Token, allowed) -> Token | None:
    """Who holds a statement a noun names: its possessor or a name before it ("the mayor's call",
    "the Danish denial"), the object of "by" or "from" ("criticism from the union"), or the
    subject of the verb it is the object of ("the union issued a warning")."""
    holder = holder_of(noun)
    if holder is not None and allowed(holder):
        return holder
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _NOUN_SOURCES:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and allowed(pobj):
                return pobj
    if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
        return source_of(noun.head, allowed)
    return None
