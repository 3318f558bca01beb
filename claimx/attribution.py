"""Attribution: which source and which content each cue joins.

Direct quotes are attributed first, from the speech tag next to them ("…," X said / X said: "…"),
then from a tag inside the marks ("…, he said. – …"), then by continuing the last speaker. A quote
that runs over several paragraphs is one unit, attributed by the tag of its last paragraph.
Reported speech comes from the complement clause of a reporting verb, or the clause "according
to X" qualifies; a quote inside such a clause makes it mixed. A quote nobody is found for is a
claim with no source only when it stands as a sentence of its own: a scare-quoted phrase is not.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from claimx import lexicon
from claimx.cues import Cue, holder_of, prep_content, statement_act, verb_form
from claimx.entities import mention_span
from claimx.furniture import glued, in_teaser, is_furniture_line, line_bounds
from claimx.sources import SUBJECTS, source_of
from claimx.quotes import Quote, QuoteScan

_NOT_SPEAKERS = frozenset({"DATE", "TIME"})  # "said Thursday": never a speaker; "52 percent said" is
_TAG_EDGE = frozenset({",", "–", "—", "-", ":"})
_SENTENCE_END = frozenset({".", "!", "?"})
_TAG_CLOSERS = frozenset(",.!?…–—:;-")  # how a quote ends before its tag: “…,” he said
_QUOTE_MARKS = frozenset({"“", "”", '"', "«", "»", "„", "‘", "’", "'", "''", "``"})
_TAG_TOKENS = 30  # a speech tag, long apposition included, fits in this many tokens
_LABEL_CHARS = 40  # "Name:" labels before a colon are short
_INNER_TAG_TOKENS = 8  # a tag inside the marks is brief: ", said the deputy minister,"
_LONGEST_WORD = 30  # a longer "word" is a web heading glued to its sentence: "Mayor-Vows-To-Rebuild-…"

# Confidence by rule: a cue with an explicit subject is the strongest evidence; continuing the
# last speaker, and a quote with no speaker at all, the weakest.
CONFIDENCE = {
    "tag": 0.9,
    "inner-tag": 0.75,
    "colon-name": 0.7,
    "headline": 0.6,
    "reported": 0.8,
    "infinitive": 0.65,  # "vowed to act": an intention or stance more than a statement
    "object": 0.6,  # "denied any links", "endorsed the governor": the weakest reported form
    "passive": 0.55,  # "it was announced that …" (no source), "This was stated by X" (the sentence before)
    "raising": 0.5,  # "the plan appears to have failed": an impression nobody is named for
    "according": 0.8,
    "noun": 0.7,  # "the mayor's claim that …"
    "follow-on": 0.6,
    "no-source": 0.4,
}


@dataclass(slots=True)
class Attribution:
    """One claim before its speaker is resolved. Offsets: `parts` in characters, `cue` and
    `source` as token spans [start, end). `follows` is the attribution whose speaker this one
    continues, when it has no source of its own."""

    parts: list[tuple[int, int]]
    kind: str
    act: str
    rule: str
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    follows: Attribution | None = None
    quotes: list[int] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.rule]


@dataclass(frozen=True, slots=True)
class _Tag:
    """A speech tag found for a quote: its cue tokens, speech act and source token."""

    cue: tuple[int, int]
    act: str
    source: Token


class _Layout:
    """Where the quotes, paragraphs and cues of one Doc are, for fast look-ups."""

    def __init__(self, doc: Doc, text: str, scan: QuoteScan, cues: list[Cue]) -> None:
        self.doc = doc
        self.text = text
        self.quotes: tuple[Quote, ...] = scan.top_level
        self.orphans = scan.orphans
        self.newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        self.cue_at: dict[int, Cue] = {cue.head: cue for cue in cues}
        self.quote_of = [-1] * len(doc)
        self.quote_tokens: list[tuple[int, int]] = []
        for qi, quote in enumerate(self.quotes):
            span = doc.char_span(quote.open, quote.outer_end, alignment_mode="expand")
            first, last = (span.start, span.end) if span is not None else (0, 0)
            self.quote_tokens.append((first, last))
            for t in range(first, last):
                if self.quote_of[t] == -1:
                    self.quote_of[t] = qi
        # a quote left open at a paragraph end and reopened in the next is one unit
        self.units: list[list[int]] = []
        for qi, quote in enumerate(self.quotes):
            if self.units and quote.continues and self.quotes[self.units[-1][-1]].close is None:
                self.units[-1].append(qi)
            else:
                self.units.append([qi])

    def paragraph(self, char: int) -> int:
        return bisect_left(self.newlines, char)

    def in_quote(self, t: int) -> bool:
        return self.quote_of[t] != -1

    def content(self, qi: int) -> tuple[int, int]:
        return (self.quotes[qi].start, self.quotes[qi].end)

    def speaker_ok(self, verb: Token) -> Callable[[Token], bool]:
        """A test for the speakers of `verb`: outside quotes, in its paragraph, not a date or a
        number, and not a run of words glued together by a web page's furniture."""
        para = self.paragraph(verb.idx)
        return lambda tok: (
            not self.in_quote(tok.i)
            and self.paragraph(tok.idx) == para
            and len(tok.text) <= _LONGEST_WORD
            and tok.ent_type_ not in _NOT_SPEAKERS
        )


def attribute(doc: Doc, scan: QuoteScan, cues: list[Cue], text: str | None = None) -> list[Attribution]:
    """Join cues, sources and contents into attributions, in text order. `text` is `doc.text`,
    passed when the caller has it (spaCy rebuilds it on every access)."""
    lay = _Layout(doc, doc.text if text is None else text, scan, cues)
    used_cues: set[int] = set()
    claimed: dict[int, Attribution] = {}  # top-level quote index → the attribution holding it
    found: list[Attribution] = []

    for att in _line_claims(lay, claimed):  # a headline reads as a whole before its quotes do
        found.append(att)
        claimed.update((k, att) for k in att.quotes)

    by_cue: dict[tuple[int, int], Attribution] = {}
    for unit in lay.units:
        if any(k in claimed for k in unit):
            continue
        tag = _outer_tag(lay, unit)
        if tag is None:
            continue
        if tag.cue in by_cue:  # “A,” she said, “B.”: the second half of a quote split by its tag
            by_cue[tag.cue].parts.extend(lay.content(k) for k in unit)
            by_cue[tag.cue].quotes.extend(unit)
            claimed.update((k, by_cue[tag.cue]) for k in unit)
            continue
        mention = mention_span(tag.source)
        if glued(lay.doc, mention):
            continue
        att = by_cue[tag.cue] = Attribution(
            [lay.content(k) for k in unit], "direct", tag.act, "tag", tag.cue, mention, quotes=list(unit)
        )
        _claim_orphan_start(lay, att, unit[0], claimed)
        found.append(att)
        claimed.update((k, att) for k in att.quotes)
        used_cues.add(tag.cue[0])

    # claims can only compete when they share text, hence a paragraph: only those are compared
    by_paragraph: dict[int, list[Attribution]] = {}

    def keep(att: Attribution) -> None:
        for p in range(lay.paragraph(att.start), lay.paragraph(att.end) + 1):
            by_paragraph.setdefault(p, []).append(att)

    for att in found:
        keep(att)
    for cue in cues:
        if cue.head in used_cues or lay.in_quote(cue.head) or cue.direct_only:
            continue
        att = _reported(lay, cue, claimed)
        if att is None or any(
            _competes(lay, att, other)
            for p in range(lay.paragraph(att.start), lay.paragraph(att.end) + 1)
            for other in by_paragraph.get(p, ())
        ):
            continue
        found.append(att)
        keep(att)
        used_cues.add(cue.head)
        claimed.update((k, att) for k in att.quotes)

    found.sort(key=lambda a: a.start)
    return [a for a in _unclaimed_quotes(lay, found, claimed) if not in_teaser(lay.text, a.start)]


def _overlap(a: Attribution, b: Attribution) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _competes(lay: _Layout, new: Attribution, old: Attribution) -> bool:
    """Whether a new claim is another reading of an old one's text, rather than a claim nested in
    it ("X recalled that Y said that …" holds two claims)."""
    if _overlap(new, old) <= (new.end - new.start) / 2:
        return False
    if new.rule != "reported":  # a stance inside reported content ("said the party supports it")
        return True
    cue_at = lay.doc[new.cue[0]].idx if new.cue is not None else new.start
    return not any(start <= cue_at < end for start, end in old.parts)


# --- speech tags next to a quote ----------------------------------------------------------


def _outer_tag(lay: _Layout, unit: list[int]) -> _Tag | None:
    """The speech tag outside the marks. A quote ending in a comma ("…,” X said) takes the tag
    after it; otherwise "X said:" before it wins, then a tag after it, then "X said," before it."""
    head, colon = _head_tag(lay, unit[0])
    tail = _tail_tag(lay, unit[-1])
    last = lay.quotes[unit[-1]]
    if tail is not None and lay.text[last.start : last.end].rstrip().endswith(","):
        return tail
    if head is not None and colon:
        return head
    return tail or head


def _tag_from_verb(lay: _Layout, cue: Cue) -> _Tag | None:
    verb = lay.doc[cue.head]
    source = source_of(verb, lay.speaker_ok(verb))
    return None if source is None else _Tag((cue.start, cue.end), cue.act, source)


def _tail_tag(lay: _Layout, qi: int) -> _Tag | None:
    """"…,” X said" / "…,” said X": a reporting verb right after the quote, in its sentence."""
    doc, (_, end) = lay.doc, lay.quote_tokens[qi]
    quote = lay.quotes[qi]
    inside = lay.text[quote.start : quote.end].rstrip()
    if not (inside[-1:] in _TAG_CLOSERS or (end < len(doc) and doc[end].text in _TAG_EDGE)):
        return None  # a quoted phrase running on into its sentence: “respect” before they began
    para = lay.paragraph(quote.outer_end - 1)
    window: list[int] = []
    t = end
    while t < len(doc) and len(window) < _TAG_TOKENS:
        tok = doc[t]
        if lay.in_quote(t) or lay.paragraph(tok.idx) != para or tok.text in _SENTENCE_END:
            break
        window.append(t)
        t += 1
    for k, t in enumerate(window):
        cue = lay.cue_at.get(t)
        if cue is None or cue.form != "verb":
            continue
        verb = doc[t]
        if not all(doc[p].is_punct or doc[p].is_space or _governs(verb, doc[p]) for p in window[:k]):
            return None
        subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        if _has_own_content(lay, verb) or (subject is not None and _person(subject) == "rel"):
            return None
        if inside[-1:] in _SENTENCE_END and _has_own_object(verb):
            return None  # a new sentence about something else: “…!” Critics praise his refusal
        return _tag_from_verb(lay, cue)
    return None


def _head_tag(lay: _Layout, qi: int) -> tuple[_Tag | None, bool]:
    """The tag before the quote ("X said:", "X said,", "according to X,", "X's answer:"), and
    whether it ends in a colon."""
    doc, (start, _) = lay.doc, lay.quote_tokens[qi]
    t = start - 1
    while t >= 0 and doc[t].is_space:
        t -= 1
    if t < 0 or lay.in_quote(t):
        return None, False
    last = doc[t]
    colon = last.text == ":"
    if not (last.text in _TAG_EDGE or t in lay.cue_at):
        return None, False
    para = lay.paragraph(last.idx)
    if not colon and para != lay.paragraph(lay.quotes[qi].open):
        return None, False  # only a colon carries a tag over a paragraph break
    k = t
    while k >= 0 and t - k < _TAG_TOKENS + 10:  # "X, a senior aide to Y, said in a statement:"
        tok = doc[k]
        if lay.in_quote(k) or lay.paragraph(tok.idx) != para or (tok.text in _SENTENCE_END and k != t):
            break
        cue = lay.cue_at.get(k)
        if cue is not None and cue.form == "according":
            source = _according_source(doc, cue)
            return (None, False) if source is None else (_Tag((cue.start, cue.end), cue.act, source), colon)
        if cue is not None and cue.form == "verb":
            verb = doc[k]
            if all(doc[p].is_punct or doc[p].is_space or _governs(verb, doc[p]) for p in range(cue.end, t + 1)) \
                    and not _has_own_content(lay, verb):
                return _tag_from_verb(lay, cue), colon
            return None, False
        k -= 1
    if colon:
        return _statement_noun_tag(lay, range(k + 1, t)), True
    return None, False


def _statement_noun_tag(lay: _Layout, window: range) -> _Tag | None:
    """"The mayor's answer: “…”": a statement noun with its holder, right before a colon."""
    for k in reversed(window):
        tok = lay.doc[k]
        act = statement_act(tok)
        if act is None or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        holder = next((c for c in tok.children if c.dep_ == "poss" and lay.speaker_ok(tok)(c)), None)
        return None if holder is None else _Tag((k, k + 1), act, holder)
    return None


def _person(tok: Token) -> str | None:
    """The grammatical person of a pronoun ("1", "2", "3", "rel"), None for other words."""
    pronoun = lexicon.pronouns().get(tok.lower_)
    return None if pronoun is None else pronoun.person


def _governs(head: Token, tok: Token) -> bool:
    """Whether `tok` lies in the subtree of `head` (bounded walk up the tree)."""
    for _ in range(50):
        if tok == head:
            return True
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def _has_own_content(lay: _Layout, verb: Token) -> bool:
    """A verb that reports a clause outside the quote, in its own paragraph, is not that quote's
    tag. (A clause in another paragraph is a parse running over a heading, and one set off by a
    comma after the verb is a parse running into a relative clause: "said of X, whose Y moved".)"""
    para = lay.paragraph(verb.idx)
    doc = verb.doc
    return any(
        child.dep_ == "ccomp" and lay.paragraph(child.idx) == para and not lay.in_quote(child.i)
        and not any(doc[k].text == "," for k in range(verb.i + 1, child.left_edge.i))
        for child in verb.children
    )


def _has_own_object(verb: Token) -> bool:
    """A direct object that is not an audience: "praise his refusal", not "told reporters"."""
    addressees = lexicon.addressee_nouns()
    return any(
        c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lemma_.lower() not in addressees for c in verb.children
    )


def _claim_orphan_start(lay: _Layout, att: Attribution, qi: int, claimed: dict[int, Attribution]) -> None:
    """A quote opened earlier in the paragraph and never closed, with only unattributed quotes
    between, is the start of this quote: "“A “B” C “D”, – said X" is one quote from A to D."""
    quote = lay.quotes[qi]
    para = lay.paragraph(quote.open)
    for orphan in reversed(lay.orphans):
        if orphan >= quote.open or lay.paragraph(orphan) != para:
            continue
        between = [k for k, q in enumerate(lay.quotes) if orphan < q.open < quote.open]
        if any(k in claimed for k in between):
            return
        first = lay.doc.char_span(orphan, orphan + 1, alignment_mode="expand").start
        if any(
            lay.cue_at.get(t) is not None and not lay.in_quote(t)
            and any(c.dep_ in SUBJECTS and first <= c.i for c in lay.doc[t].children)
            for t in range(first, lay.quote_tokens[qi][0])
        ):
            return  # another speaker's tag lies between: “A, X said. “B,” Y said
        att.parts = [(orphan + 1, att.end)]
        att.quotes = between + att.quotes
        return


# --- claims a whole line makes -----------------------------------------------------------


def _line_claims(lay: _Layout, claimed: dict[int, Attribution]) -> list[Attribution]:
    """Claims made by a line on its own: "Name: statement" (headlines, transcripts), and headline
    forms ("Mayor Accuses Council Of Hiding Costs"), after any furniture label ("See also:")."""
    named_words = frozenset(t.text for ent in lay.doc.ents if ent.label_ in ("PERSON", "ORG") for t in ent)
    found = []
    line_start = 0
    for line_end in lay.newlines + [len(lay.text)]:
        start, end = _trim_chars(lay.text, line_start, line_end)
        line_start = line_end + 1
        if end - start < 20:
            continue
        colon = lay.text.find(":", start, end)
        label = lay.text[start:colon].strip().lower() if colon > 0 else ""
        if label in lexicon.furniture_labels():
            start, end = _trim_chars(lay.text, colon + 1, end)
            colon = -1
        att = None
        if 0 < colon - start <= _LABEL_CHARS:
            att = _name_colon(lay, start, colon, end, named_words)
        if att is None and is_furniture_line(lay.text[start:end]):
            att = _headline(lay, start, end, named_words)
        if att is not None:
            att.quotes = [k for k, q in enumerate(lay.quotes) if att.start <= q.open < att.end]
            if not any(k in claimed for k in att.quotes):
                att.kind = _kind_of(lay, (att.start, att.end), att.quotes, introduced=att.rule == "headline")
                found.append(att)
    return found


def _headline_verb(line, k: int) -> bool:
    """Whether word k of a title-case line is its verb: capitalised, in the -s or -ed form
    headlines use ("Accuses", "Denied"), not inside the name before it ("United States"), and not
    followed by another such form ("Police Reports Show": a noun, then the verb)."""
    verb = line[k]
    if not verb.text[:1].isupper() or not verb.lower_.endswith(("s", "ed")):
        return False
    if verb.ent_iob_ == "I":
        return False
    after = line[k + 1] if k + 1 < len(line) else None
    return after is None or verb_form(after.text) is None


def _name_colon(lay: _Layout, start: int, colon: int, end: int, named_words: frozenset[str]) -> Attribution | None:
    doc = lay.doc
    label = doc.char_span(start, colon, alignment_mode="contract")
    colon_tok = doc.char_span(colon, colon + 1, alignment_mode="expand")
    content = _trim_chars(lay.text, colon + 1, end)
    if label is None or not len(label) or colon_tok is None or content[1] - content[0] < 20:
        return None
    is_place = any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in label) or label.text.lower() in lexicon.places()
    if not _is_name(label, named_words) or is_place:
        return None  # a place before a colon is a dateline or a section: "Oslo: ferries stop"
    return Attribution([content], "indirect", "claim", "colon-name", (colon_tok.start, colon_tok.end),
                       (label.start, label.end))


def _headline(lay: _Layout, start: int, end: int, named_words: frozenset[str]) -> Attribution | None:
    """A title-case headline whose first words are a name and whose next word reports speech."""
    line = lay.doc.char_span(start, end, alignment_mode="contract")
    if line is None:
        return None
    words = [t.text for t in line if t.is_alpha]
    if len(words) < 4 or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return None
    for k in range(1, min(5, len(line) - 2)):
        verb = line[k]
        entry = verb_form(verb.text)
        if entry is None or entry.direct_only or not _headline_verb(line, k):
            continue
        if not _is_name(line[:k], named_words):
            return None
        rest = line[k + 1 :]
        if len(rest) and rest[0].lower_ == "that":
            rest = rest[1:]
        if len(rest) < 2:
            return None
        return Attribution([(rest.start_char, rest.end_char)], "indirect", entry.act, "headline",
                           (verb.i, verb.i + 1), (line.start, line.start + k))
    return None


def _is_name(label, named_words: frozenset[str]) -> bool:
    """A short proper name: 1–4 tokens, each a proper noun, inside a named entity, or a word the
    text uses as a name elsewhere (a headline's "Lind:" for the article's "Eva Lind")."""
    if len(label) > 4:
        return False
    return all(
        t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.text in named_words
        for t in label
    )


# --- reported speech ----------------------------------------------------------------------


def _reported(lay: _Layout, cue: Cue, claimed: dict[int, Attribution]) -> Attribution | None:
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


def _raised(lay: _Layout, cue: Cue, claimed) -> Attribution | None:
    """"The plan appears to have failed": subject and infinitive are the content; no source."""
    verb = lay.doc[cue.head]
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    infinitive = _infinitive_content(verb)
    if subject is None or not infinitive:
        return None
    tokens = [t for t in verb.sent if subject.left_edge.i <= t.i <= infinitive[-1].i and t.i != verb.i]
    return _reported_claim(lay, cue, tokens, None, "raising", claimed, hull=True)


def _held_statement(lay: _Layout, cue: Cue, claimed) -> Attribution | None:
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


def _clause_content(lay: _Layout, verb: Token, clause: Token) -> list[Token]:
    """A complement clause after its verb runs on to the end of the sentence ("said the talks
    failed, because …"), up to where another speech verb's own clause begins."""
    tokens = list(clause.subtree)
    if clause.i < verb.i:
        return tokens
    last = tokens[-1].i
    for tok in verb.sent[last + 1 - verb.sent.start :]:
        cue = lay.cue_at.get(tok.i)
        if cue is not None and not _governs(clause, tok):
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
        if tok.i > verb.i and tok.pos_ in ("VERB", "AUX") and not _governs(verb, tok) and any(
            c.dep_ in SUBJECTS and c.left_edge.i == start for c in tok.children
        ):
            return [t for t in tok.subtree if t.i >= start]
    return []


def _previous_sentence(lay: _Layout, verb: Token) -> list[Token]:
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
    for extra in [*verb.rights, *obj.rights]:  # "accused Y of Z", "described Y as Z", "called Y Z"
        if extra.i > obj.i and (extra.dep_ == "oprd" or extra.dep_ == "prep" and extra.lower_ in ("of", "for", "over", "as")):
            last = max(last, extra.right_edge.i)
    if role == "naming" and last == obj.right_edge.i:
        return []
    doc = verb.doc
    if last + 1 < verb.sent.end and doc[last + 1].text == ":":  # "reiterated his pledges: A, B and C"
        return [t for t in verb.sent if obj.left_edge.i <= t.i]
    return [t for t in verb.subtree if obj.left_edge.i <= t.i <= last]


def _parenthetical(lay: _Layout, cue: Cue, source: Token, claimed) -> Attribution | None:
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


def _according_source(doc: Doc, cue: Cue) -> Token | None:
    to = doc[cue.head + 1]
    return next((c for c in to.children if c.dep_ == "pobj"), None) or next(
        (c for c in doc[cue.head].children if c.dep_ == "pobj"), None
    )


def _according(lay: _Layout, cue: Cue, claimed: dict[int, Attribution]) -> Attribution | None:
    """"According to X, …" and "…, according to X": X is the source of the clause it qualifies."""
    doc = lay.doc
    according = doc[cue.head]
    source = _according_source(doc, cue)
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
    tokens = [
        t for t in tokens
        if (hull or not (source_span[0] <= t.i < source_span[1])) and (lay.paragraph(t.idx) == para or not skip_source)
    ]
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
    kind = _kind_of(lay, (begin, finish), quotes, introduced)
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
        tokens[start].is_punct and tokens[start].text not in _QUOTE_MARKS
        or tokens[start].is_space
        or tokens[start].dep_ in ("mark", "cc") and tokens[start].lower_ in ("that", "whether", "if", "and", "but")
    ):
        start += 1
    while end >= start and (
        tokens[end].is_punct and tokens[end].text not in _QUOTE_MARKS or tokens[end].is_space or tokens[end].dep_ == "cc"
    ):
        end -= 1
    if start > end:
        return None, None
    return start, end


def _kind_of(lay: _Layout, content: tuple[int, int], quotes: list[int], introduced: bool) -> str:
    """direct when the content is one quote and nothing else; mixed when it holds quotes."""
    if not quotes:
        return "indirect"
    if len(quotes) == 1 and not introduced:
        quote = lay.quotes[quotes[0]]
        outside = lay.text[content[0]:quote.open] + lay.text[quote.outer_end:content[1]]
        if not outside.strip(" ,.;:–—-\n"):
            return "direct"
    return "mixed"


def _trim_chars(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


# --- quotes with no tag outside them ------------------------------------------------------


def _unclaimed_quotes(lay: _Layout, found: list[Attribution], claimed: dict[int, Attribution]) -> list[Attribution]:
    """Attribute the quote units left over, in text order: by a tag inside the marks, by
    continuing the last speaker, or to no one. A quote continuing a direct claim of its own
    paragraph joins that claim, as the second half of a quote its tag interrupted."""
    result: list[Attribution] = []
    units = [u for u in lay.units if not any(k in claimed for k in u)]
    events = sorted([(a.start, 0, a) for a in found] + [(lay.quotes[u[0]].open, 1, u) for u in units],
                    key=lambda e: (e[0], e[1]))
    for _, is_quote, item in events:
        if not is_quote:
            result.append(item)
            continue
        unit: list[int] = item
        parts = [lay.content(k) for k in unit]
        inner = _inner_tag(lay, unit)
        if inner is not None:
            result.append(Attribution(parts, "direct", inner.act, "inner-tag", inner.cue, mention_span(inner.source),
                                      quotes=list(unit)))
            continue
        last = _speaker_to_continue(lay, result, unit[0])
        if last is None:
            if _stands_alone(lay, unit):
                result.append(Attribution(parts, "direct", "claim", "no-source", quotes=list(unit)))
            continue
        leader = _split_quote_leader(lay, result, unit[0])
        if leader is not None:
            result[leader].parts.extend(parts)
            result[leader].quotes.extend(unit)
            continue
        result.append(Attribution(parts, "direct", "claim", "follow-on", follows=result[last], quotes=list(unit)))
    return result


def _inner_tag(lay: _Layout, unit: list[int]) -> _Tag | None:
    """A speech tag inside the marks, set off by a comma or dash: "…, he said. – …". A first or
    second person ("…, I think, …") is the quoted speaker talking, not a tag."""
    doc = lay.doc
    for qi in unit:
        first, last = lay.quote_tokens[qi]
        for t in range(first + 1, last - 1):
            cue = lay.cue_at.get(t)
            if cue is None or cue.form != "verb":
                continue
            source = source_of(doc[t])
            if source is None or not (first < source.i < last) or _person(source) in ("1", "2"):
                continue
            lo = min(mention_span(source)[0], cue.start)
            hi = max(mention_span(source)[1], cue.end)
            if hi - lo > _INNER_TAG_TOKENS:
                continue
            before = doc[lo - 1] if lo > first else None
            after = doc[hi] if hi < last else None
            if before is not None and before.text in _TAG_EDGE and (
                after is None or after.text in _TAG_EDGE or after.text in _SENTENCE_END or after.text in _QUOTE_MARKS
            ):
                return _Tag((cue.start, cue.end), cue.act, source)
    return None


def _speaker_to_continue(lay: _Layout, result: list[Attribution], qi: int) -> int | None:
    """The attribution a cue-less quote continues: the last one, if it has a speaker and ends in
    this quote's paragraph, or in the paragraph this quote opens after (captions and headings
    between are skipped)."""
    if not result or (result[-1].source is None and result[-1].follows is None):
        return None
    prev, quote, text = result[-1], lay.quotes[qi], lay.text
    if lay.paragraph(prev.end) == lay.paragraph(quote.open):
        return len(result) - 1
    line_start, line_end = line_bounds(text, quote.open)
    if text[line_start:quote.open].strip():
        return None  # a quote inside a narrative sentence continues nobody
    if is_furniture_line(text[line_start:line_end]):
        return None  # a quoted heading or caption: “Serious incident”: the world reacts
    between = text[text.find("\n", prev.end) + 1 : line_start].split("\n")
    return len(result) - 1 if all(is_furniture_line(line) for line in between) else None


def _split_quote_leader(lay: _Layout, result: list[Attribution], qi: int) -> int | None:
    """The direct claim a quote is the rest of: the last direct claim of the same paragraph, when
    nothing after it has another source ("“A,” she said, adding that …. “B.”")."""
    para = lay.paragraph(lay.quotes[qi].open)
    for k in range(len(result) - 1, -1, -1):
        att = result[k]
        if lay.paragraph(att.end) != para:
            return None
        if att.kind == "direct" and att.rule in ("tag", "inner-tag", "follow-on"):
            later = [a for a in result[k + 1 :] if not _in_relative_clause(lay, a)]
            same = all(a.source == att.source and a.follows is att.follows for a in later)
            return k if same else None
    return None


def _in_relative_clause(lay: _Layout, att: Attribution) -> bool:
    """A claim made in a relative clause of a tag ("said X, who supports the plan") belongs to
    the tag: it does not interrupt the quote the tag splits."""
    return att.source is not None and _person(lay.doc[att.source[0]]) == "rel"


def _stands_alone(lay: _Layout, unit: list[int]) -> bool:
    """A quote that is a sentence of its own (not a quoted phrase inside one)."""
    first, last = lay.quotes[unit[0]], lay.quotes[unit[-1]]
    text = lay.text
    before = text[line_bounds(text, first.open)[0] : first.open].rstrip()
    after = text[last.outer_end : line_bounds(text, last.outer_end)[1]].lstrip()
    content = text[first.start:last.end].strip()
    starts = not before or before[-1] in ".!?:"
    ends = not after or after[0] in ".!?" or content[-1:] in (".", "!", "?")
    return starts and ends and len(content.split()) >= 4
