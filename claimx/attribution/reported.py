"""Reported speech: the content and source a reporting word joins.

The complement clause of a reporting verb, its infinitive or its object; the clause "according
to X" qualifies; the clause a held statement noun introduces ("the mayor's claim that …"); the
sentence a tag is set into ("The test, the agency said, was its biggest"). A quote inside the
content makes it mixed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from claimx import lexicon
from claimx.attribution.candidates import QUOTE_MARKS, Attribution, Layout, governs, kind_of
from claimx.cues import Cue, holder_of, prep_content
from claimx.sources import SUBJECTS, source_of

SpeakerPick = Callable[[int, int], "Token | None"]  # the source of a reading, given its content's tokens


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
    if role in _SILENT_OBJECTS:
        return []
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or not _object_says(role, obj) and role != "naming":
        return []
    last = _object_last(verb, obj)
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
    doc = lay.doc
    lo, hi = _tag_span(lay, cue, source)
    sent = doc[cue.head].sent
    after = doc[hi] if hi < sent.end else None
    if lo <= sent.start or not sets_off(doc, lo - 1):
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
    source_span = lay.mention(source) if source is not None else (0, 0)
    para = lay.paragraph(lay.doc[cue.head].idx)
    tokens = sorted(  # a subtree is out of order where the parse is not projective
        (t for t in tokens
         if (hull or not (source_span[0] <= t.i < source_span[1])) and (lay.paragraph(t.idx) == para or not skip_source)),
        key=lambda t: t.i,
    )
    if not tokens:
        return None
    start, end = _trim_tokens(lay, tokens)
    if start is None:
        return None
    begin, finish = tokens[start].idx, tokens[end].idx + len(tokens[end])
    if lay.text[begin:finish].lower() in lexicon.furniture_labels():
        return None  # "See also: X Says …" read by the parser as X saying "See also"
    quotes = _own_quotes(lay, claimed, begin, finish)
    if quotes is None:
        return None
    for k in quotes:  # a quote cut by the clause edge is taken whole, with its marks
        begin, finish = min(begin, lay.quotes[k].open), max(finish, lay.quotes[k].outer_end)
    introduced = start > 0 or tokens[0].dep_ == "mark"
    kind = kind_of(lay, (begin, finish), quotes, introduced)
    if kind == "direct":
        begin, finish = lay.content(quotes[0])
    if source is not None and lay.glued(source_span):
        return None
    return Attribution([(begin, finish)], kind, cue.act, rule, (cue.start, cue.end),
                       None if source is None else source_span, quotes=quotes)


def _next_quote_opens(lay: Layout, lo: int, hi: int) -> int:
    """The last token of [lo, hi) when it is a mark opening a quote after the end of a sentence
    ("… distance. ''This was …"): the parser hangs it on the sentence before, but it belongs to
    the next one. -1 otherwise; a quote opened inside a sentence is taken whole."""
    last = hi - 1
    if last <= lo or lay.parse.idx[last] not in lay.marks[0]:
        return -1
    return last if lay.doc[last - 1].text in (".", "!", "?") else -1


def _own_quotes(lay: Layout, claimed: dict[int, Attribution], begin: int, finish: int) -> list[int] | None:
    """The quotes a content [begin, finish) holds as its own, or None when one of them is
    another claim's. A quote whose claim lies wholly inside the content, cue and all, is that
    claim's, nested in this one ("X said the town lost a voice that said “…”"), not this one's."""
    own = []
    for k, q in enumerate(lay.quotes):
        if q.open < finish and q.outer_end > begin:
            holder = claimed.get(k)
            if holder is None:
                own.append(k)
            elif holder.cue is None or not (begin <= lay.doc[holder.cue[0]].idx < finish
                                            and begin <= holder.start and holder.end <= finish):
                return None
    return own


def _trim_tokens(lay: Layout, tokens: list[Token]) -> tuple[int | None, int | None]:
    """Indices of the first and last content tokens: no leading "that", no edge punctuation, no
    mark that closes the quote before or opens the next sentence's."""
    closes = lay.marks[1]
    opens_next = _next_quote_opens(lay, tokens[0].i, tokens[-1].i + 1)
    start, end = 0, len(tokens) - 1
    while start <= end and (
        tokens[start].is_punct and (tokens[start].text not in QUOTE_MARKS or tokens[start].idx in closes)
        or tokens[start].is_space
        or tokens[start].dep_ in ("mark", "cc") and tokens[start].lower_ in ("that", "whether", "if", "and", "but")
    ):
        start += 1
    while end >= start and (
        tokens[end].is_punct and (tokens[end].text not in QUOTE_MARKS or tokens[end].i == opens_next)
        or tokens[end].is_space or tokens[end].dep_ == "cc"
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
    rest of the sentence. `rule` names the construction. `speaker(lo, hi)` picks a reading's
    source outside its content's tokens [lo, hi) (by default, the rules' source)."""
    doc = lay.doc
    head = doc[cue.head]
    if speaker is None:
        allowed = lay.speaker_ok(head)
        find_source = noun_source if head.pos_ in ("NOUN", "PROPN") else source_of

        def speaker(lo: int, hi: int) -> Token | None:
            return find_source(head, lambda tok: allowed(tok) and not lo <= tok.i < hi)

    found: list[Attribution] = []
    if cue.form != "learned":
        ruled = reported(lay, cue, claimed)
        if ruled is not None:
            found.append(ruled)
    if cue.form in ("according", "colon") or cue.raising:  # their rule's reading is their only one
        return found

    blocked: set[tuple[int, int]] = set()  # objects that say nothing: "told the board", "shows the route"

    def add(lo: int, hi: int, rule: str, hull: bool = False, source: Token | None = None) -> None:
        """A reading whose content is the tokens [lo, hi); with `hull`, it may hold its source."""
        if lo >= hi:
            return
        if source is None:
            source = speaker(0, 0) if hull else speaker(lo, hi)
        att = _range_claim(lay, cue, lo, hi, source, rule, claimed, hull=hull or source is None)
        if att is None or (att.start, att.end) in blocked or rule in _RUNNING and att.start in silent_starts:
            return
        if not any(a.parts == att.parts and a.source == att.source for a in found):
            found.append(att)

    parse = lay.parse
    sent_lo, sent_hi = parse.sent_lo[head.i], parse.sent_hi[head.i]
    role = lexicon.object_roles().get(head.lemma_.lower()) if head.pos_ in ("VERB", "AUX") else None
    silent_starts: set[int] = set()  # … and what runs on from them: "sought refuge in the embassy"
    silent_after = len(lay.doc)  # the prepositions after such an object belong to the deed too
    for child in head.children:
        if child.dep_ == "dobj" and not _object_says(role, child):
            span = lay.doc[child.left_edge.i : child.right_edge.i + 1]
            blocked.add((span.start_char, span.end_char))
            silent_starts.add(span.start_char)
            silent_after = min(silent_after, child.i)
    for child in head.children:
        dep = child.dep_
        if dep == "ccomp" and child.i > head.i:
            add(child.left_edge.i, _clause_end(lay, head, child), "clause")
        elif dep in ("xcomp", "acl") and child.i > head.i:
            add(child.left_edge.i, child.right_edge.i + 1, "infinitive")
        elif dep == "dobj" and role not in _SILENT_OBJECTS:
            last = _object_last(head, child)
            add(child.left_edge.i, last + 1, "object")
            if role is None and any(parse.pos[j] in _VERBS for j in range(last + 1, sent_hi)):
                # on into a clause the parser left apart, short of one with its own subject
                add(child.left_edge.i, _before_aside(lay, last + 1, _next_clause(lay, head, last + 1, sent_hi)),
                    "object-on")
        elif dep in ("prep", "agent") and child.i > head.i and child.i < silent_after:
            objects = [c for c in child.children if c.dep_ in _PREP_CONTENT]
            if objects and child.lower_ not in _NOUN_SOURCES:
                add(objects[0].left_edge.i, objects[0].right_edge.i + 1, "prep")
        elif dep == "nsubjpass":
            add(child.left_edge.i, child.right_edge.i + 1, "patient")
        elif dep in ("acomp", "oprd") and child.i > head.i:
            add(child.left_edge.i, child.right_edge.i + 1, "complement")
    if head.pos_ == "NOUN" and head.dep_ == "dobj" and head.head.lemma_.lower() in lexicon.reaction_verbs():
        subject = next((c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:  # "the plan drew criticism from the union": the plan is what was criticised
            add(subject.left_edge.i, subject.right_edge.i + 1, "reaction")
    if head.dep_ in ("relcl", "acl") and head.head.pos_ in ("NOUN", "PROPN", "PRON"):
        described = head.head
        add(described.left_edge.i, described.i + 1, "antecedent")
    if head.dep_ in ("parataxis", "ccomp", "advcl"):  # a tag set into the clause it reports
        governor, left, right = head.head, head.left_edge.i, head.right_edge.i
        lo, hi = governor.left_edge.i, governor.right_edge.i + 1
        if right + 1 >= hi:  # the tag closes its clause: "…, the agency said."
            add(lo, left, "aside")
        elif left <= lo:  # it opens it
            add(right + 1, hi, "aside")
        else:  # it is set into it: "The test, the agency said, was its biggest"
            add(lo, hi, "aside", hull=True)
    source = speaker(0, 0)
    lo, hi = _tag_span(lay, cue, source)  # the sentence around its tag: before it, after it, or both
    if head.pos_ in ("VERB", "AUX") and not (lo > sent_lo and sets_off(lay.doc, lo - 1)):
        rest = head.i + 1  # what follows a verb that opens its clause, past the preposition it reports through
        if rest < sent_hi and lay.doc[rest].dep_ == "prep" and parse.head[rest] == head.i and not any(
                c.dep_ in ("ccomp", "xcomp") for c in head.children):
            prep = lay.doc[rest]  # … unless it says when ("called at noon"): then past all of it
            rest = prep.right_edge.i + 1 if _says_when(prep) else rest + 1
        add(rest, _less_when(head, _before_aside(lay, rest, _next_clause(lay, head, rest, sent_hi))), "rest")
    if lo <= sent_lo:
        add(hi, sent_hi, "around", source=source)
    elif sets_off(lay.doc, lo - 1):  # a tag set off by a comma or a dash
        if hi >= sent_hi or _trails_off(lay.doc, head, hi, sent_hi):
            add(sent_lo, lo, "around", source=source)  # "…, the agency said (on Monday)."
        elif lay.doc[hi].text in _ASIDE_MARKS:
            add(sent_lo, sent_hi, "around", hull=True, source=source)  # "The test, the agency said, was …"
    return found


def _trails_off(doc: Doc, verb: Token, lo: int, hi: int) -> bool:
    """Whether the tokens [lo, hi) after a closing speech tag add only punctuation, when it was
    said (as the entity recogniser dates it), or an adverb of the verb ("…, the agency said on
    Monday." / "… said again.")."""
    for j in range(lo, hi):
        tok = doc[j]
        if tok.is_punct or tok.is_space or tok.ent_type_ in _WHEN:
            continue
        if tok.head.i == verb.i and (tok.dep_ in ("advmod", "npadvmod") and not list(tok.children) or tok.dep_ == "prep"
                                     and all(t.ent_type_ in _WHEN for t in tok.subtree if t.i != j)):
            continue
        return False
    return True


def sets_off(doc: Doc, k: int) -> bool:
    """Whether token k sets off a speech tag after it: a comma or a dash, or a closing quote mark
    just after a comma ("…,” said the mayor")."""
    text = doc[k].text
    return text in _ASIDE_MARKS or text in QUOTE_MARKS and k > 0 and doc[k - 1].text == ","


_WHEN = frozenset({"DATE", "TIME"})


def _less_when(verb: Token, end: int) -> int:
    """`end`, or short of the phrases at the end that say when the verb happened ("defended the
    plan on Monday"): the time of the speech is not its content."""
    doc = verb.doc
    for child in reversed([c for c in verb.rights if not c.is_punct]):
        last = end - 1
        while last > child.i and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        if child.right_edge.i != last or child.dep_ not in ("prep", "npadvmod", "advmod"):
            break
        if not _says_when(child):
            break
        end = child.left_edge.i
    return end


def _says_when(phrase: Token) -> bool:
    """Whether a phrase holds a date or a time ("on Monday", "at noon")."""
    return any(t.ent_type_ in _WHEN for t in phrase.subtree)


def _before_aside(lay: Layout, start: int, end: int) -> int:
    """`end`, or the comma in [start, end) that sets off a participle or a relative clause: in
    "backed the merger, hoping it …" and "praised the bridge, which engineers …", what follows
    tells why or describes, and is not what was said. A list goes on ("urged shorter hours,
    banning overtime and …"): a participle conjunct is no aside."""
    lower = lay.parse.lower
    for j in range(start, end - 1):
        if lower[j] != _COMMA:
            continue
        after = lay.doc[j + 1]
        if after.tag_ == "VBG" and after.dep_ in ("advcl", "acl", "xcomp") \
                or after.tag_ in ("WDT", "WP") and any(a.dep_ == "relcl" and a.left_edge.i == j + 1
                                                       for a in after.ancestors):
            return j
    return end


def _next_clause(lay: Layout, head: Token, start: int, end: int) -> int:
    """Where the words after a verb run into another clause with its own subject, set off by a
    comma ("…, they will meet"), else `end`."""
    doc = lay.doc
    for j in range(max(start, head.right_edge.i + 1, head.i + 1), end - 1):
        if doc[j].text not in (",", ";"):
            continue
        k = j + 1 if doc[j + 1].dep_ != "cc" else j + 2
        if k >= end:
            continue
        subject = doc[k]  # the head of the phrase opening there: "…, Tom Berg points"
        while subject.head.i > subject.i and subject.head.left_edge.i == k and subject.dep_ not in SUBJECTS:
            subject = subject.head
        if subject.dep_ in SUBJECTS and subject.head.i != head.i:
            return j
    return end


_VERBS = frozenset({get_string_id("VERB"), get_string_id("AUX")})
_COMMA = get_string_id(",")
_RUNNING = frozenset({"rest", "around", "object-on"})  # readings that run on to the sentence's end
_ASIDE_MARKS = frozenset({",", "–", "—", "-", "("})  # before a tag set into its sentence
_SILENT_OBJECTS = frozenset({"hearer", "percept", "event", "intent"})  # object_roles.tsv: never the content


def _object_says(role: str | None, obj: Token) -> bool:
    """Whether a verb's direct object can be what was said: not for a hearer, a percept, an
    event or a thing wanted (object_roles.tsv), not the person questioned ("questioned the
    witness", not "questioned the cost"), not an audience ("reporters"), not a statement the text
    points back to ("dismissed these claims"; "denied claims of cooperation" says what)."""
    lemma = obj.lemma_.lower()
    if role in _SILENT_OBJECTS or role == "naming" or lemma in lexicon.addressee_nouns():
        return False
    if role == "asked" and _names_someone(obj):
        return False
    return not (
        lemma in lexicon.statement_nouns()
        and any(c.dep_ == "det" and c.lower_ in _POINTING for c in obj.children)
        and not any(c.dep_ in ("acl", "ccomp", "relcl", "prep") for c in obj.children)
    )


_POINTING = frozenset({"this", "that", "these", "those", "such"})


def _names_someone(tok: Token) -> bool:
    """A person or group: a pronoun, a name, or a noun for people ("the witness", "officials")."""
    return (tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
            or tok.lower_ in lexicon.person_nouns() or tok.lemma_.lower() in lexicon.person_nouns())


def _tag_span(lay: Layout, cue: Cue, source: Token | None) -> tuple[int, int]:
    """The tokens of a speech tag: its source and cue, and what modifies the cue after them
    ("said on Tuesday in a statement")."""
    verb = lay.doc[cue.head]
    lo, hi = cue.start, cue.end
    if source is not None:
        mention = lay.mention(source)
        if abs(mention[0] - cue.start) <= 12:
            lo, hi = min(lo, mention[0]), max(hi, mention[1])
            lo = min(lo, _role_before(lay.doc, source, mention[0]))
            for child in source.rights:  # "said Ann Lee, a deputy director", "said tenants who lost homes"
                if child.dep_ in ("appos", "relcl", "acl") and child.i >= hi:
                    hi = max(hi, child.right_edge.i + 1)
    for child in verb.rights:  # "said on Tuesday in a statement", "told reporters on Monday"
        if child.dep_ in ("prep", "npadvmod", "advmod", "agent") and child.i == hi \
                or _addressee(child) and child.left_edge.i == hi:
            hi = child.right_edge.i + 1
    return lo, hi


def _role_before(doc: Doc, source: Token, start: int) -> int:
    """Where a tag's speaker begins when a noun set off by commas introduces the name: in "…, a
    spokeswoman (for the mill), Ana Ruiz, said", the parser hangs the name on "spokeswoman" as
    an apposition, and both belong to the tag."""
    role = source.head
    if source.dep_ != "appos" or role.pos_ != "NOUN" or not role.i < start or role.left_edge.i == 0:
        return start
    if doc[role.left_edge.i - 1].text != "," or not all(
            doc[k].is_punct or role.is_ancestor(doc[k]) and not source.is_ancestor(doc[k])
            for k in range(role.i + 1, start)):
        return start
    return role.left_edge.i


def _addressee(obj: Token) -> bool:
    """Whether the object of a speech verb is whom it was said to ("told reporters", "told the
    newspaper", "told her"), not what was said: an audience noun, a person or outlet's name, or
    a personal pronoun."""
    if obj.dep_ not in ("dobj", "dative"):
        return False
    return obj.lemma_.lower() in lexicon.addressee_nouns() or obj.tag_ == "PRP" or obj.pos_ == "PROPN"


def _clause_end(lay: Layout, verb: Token, clause: Token) -> int:
    """Where a complement clause after its verb ends: the end of the sentence, or where another
    speech verb's own clause begins ("said the talks failed, because …, and she added …")."""
    parse = lay.parse
    last = clause.right_edge.i
    for t in range(last + 1, parse.sent_hi[verb.i]):
        if t in lay.cue_at and not governs(clause, lay.doc[t]):
            tok = lay.doc[t]
            return min([t] + [c.left_edge.i for c in tok.children if c.dep_ in SUBJECTS])
    return parse.sent_hi[verb.i]


def _range_claim(lay: Layout, cue: Cue, lo: int, hi: int, source: Token | None, rule: str,
                 claimed: dict[int, Attribution], hull: bool = False) -> Attribution | None:
    """The claim whose content is the tokens [lo, hi), as `_reported_claim` makes it of a token
    list: within the cue's paragraph, less a source at its edge (unless `hull`), trimmed of a
    leading "that" and edge punctuation, taking whole any quote it cuts."""
    parse = lay.parse
    para = parse.para[cue.head]
    while lo < hi and parse.para[lo] != para:
        lo += 1
    while hi > lo and parse.para[hi - 1] != para:
        hi -= 1
    source_span = lay.mention(source) if source is not None else None
    if source_span is not None and not hull and source_span[0] < hi and lo < source_span[1]:
        if source_span[0] <= lo:
            lo = source_span[1]
        elif source_span[1] >= hi:
            hi = source_span[0]
    first = lo
    lower, dep, punct, space = parse.lower, parse.dep, parse.punct, parse.space
    marks, openers = _quote_mark_ids(), _opener_ids()
    closes, opens_next = lay.marks[1], _next_quote_opens(lay, lo, hi)
    idx = parse.idx
    while lo < hi and (punct[lo] and (lower[lo] not in marks or idx[lo] in closes) or space[lo]
                       or dep[lo] in _MARK_OR_CC and lower[lo] in openers):
        lo += 1
    while hi > lo and (punct[hi - 1] and (lower[hi - 1] not in marks or hi - 1 == opens_next) or space[hi - 1]
                       or dep[hi - 1] == _CC):
        hi -= 1
    if lo >= hi:
        return None
    begin, finish = parse.idx[lo], parse.idx[hi - 1] + parse.length[hi - 1]
    if lay.text[begin:finish].lower() in lexicon.furniture_labels():
        return None
    quotes = _own_quotes(lay, claimed, begin, finish)
    if quotes is None:
        return None
    for k in quotes:  # a quote cut by the content's edge is taken whole, with its marks
        begin, finish = min(begin, lay.quotes[k].open), max(finish, lay.quotes[k].outer_end)
    kind = kind_of(lay, (begin, finish), quotes, lo > first or dep[lo] == _MARK)
    if kind == "direct":
        begin, finish = lay.content(quotes[0])
    if source_span is not None and lay.glued(source_span):
        return None
    return Attribution([(begin, finish)], kind, cue.act, rule, (cue.start, cue.end), source_span, quotes=quotes)


@cache
def _quote_mark_ids() -> frozenset[int]:
    return frozenset(get_string_id(mark) for mark in QUOTE_MARKS)


@cache
def _opener_ids() -> frozenset[int]:
    return frozenset(get_string_id(word) for word in ("that", "whether", "if", "and", "but"))


_MARK, _CC = get_string_id("mark"), get_string_id("cc")
_MARK_OR_CC = frozenset({_MARK, _CC})


def _object_last(verb: Token, obj: Token) -> int:
    """The last token of what a verb's object says: short of a conjunct with a verb of its own
    ("backs X and Sweden demands …") and of an aside set off by a comma, which describes the
    object rather than saying what was said ("endorsed Ruiz, who says she is honoured"); on to
    the phrase that completes it ("accused Y of Z")."""
    last = obj.right_edge.i
    doc = verb.doc
    for conj in obj.children:
        after = conj.right_edge.i + 1
        if conj.dep_ == "conj" and after < len(doc) and doc[after].pos_ in ("VERB", "AUX"):
            last = min(last, conj.left_edge.i - 1)
        elif conj.dep_ in _ASIDES and conj.left_edge.i > obj.i and doc[conj.left_edge.i - 1].text == ",":
            last = min(last, conj.left_edge.i - 2)
    while last > obj.i and (doc[last].dep_ == "cc" or doc[last].is_punct):
        last -= 1
    return _object_end(verb, obj, last)


_ASIDES = frozenset({"relcl", "appos", "acl"})


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
