"""Direct quotes: which speech tag each quotation takes.

First the tag next to the marks ("…," X said / X said: "…"), then a tag inside them ("…, he
said. – …"), then the last speaker, continued. A quote that runs over several paragraphs is one
unit, attributed by the tag of its last paragraph. A quote nobody is found for is a claim with no
source only when it stands as a sentence of its own: a scare-quoted phrase is not.
"""

from __future__ import annotations

from spacy.tokens import Token

from claimx import lexicon
from claimx.attribution.candidates import (
    QUOTE_MARKS, SENTENCE_END, TAG_EDGE, Attribution, Layout, Tag, governs, person,
)
from claimx.attribution.reported import according_source
from claimx.cues import Cue, statement_act
from claimx.names import mention_span
from claimx.furniture import is_furniture_line, line_bounds
from claimx.sources import SUBJECTS, source_of
from claimx.stand_ins import stand_in_class

_TAG_CLOSERS = frozenset(",.!?…–—:;-")  # how a quote ends before its tag: “…,” he said
_TAG_TOKENS = 30  # a speech tag, long apposition included, fits in this many tokens
_INNER_TAG_TOKENS = 8  # a tag inside the marks is brief: ", said the deputy minister,"


def outer_tag(lay: Layout, unit: list[int]) -> Tag | None:
    """The speech tag outside the marks. A quote ending in a comma ("…,” X said) takes the tag
    after it; otherwise "X said:" before it wins, then a tag after it, then "X said," before it."""
    head, colon = _head_tag(lay, unit[0])
    tail = _tail_tag(lay, unit[-1])
    last = lay.quotes[unit[-1]]
    if tail is not None and lay.text[last.start : last.end].rstrip().endswith(","):
        tag = tail
    elif head is not None and colon:
        tag = head
    else:
        tag = tail or head
    if tag is not None and _reported_by_another(lay, unit[0], tag):
        return None
    return tag


def _reported_by_another(lay: Layout, qi: int, tag: Tag) -> bool:
    """Whether the quote is a fragment of the clause a speech verb before it reports, and the tag
    found beside it a verb of that same speaker ("X said things “should be done by May,”
    referring to …", "X told Y that he is feeling “a lot of emotion”"): the speech verb's mixed
    claim, the whole clause, is the attribution, not the fragment. A quote its tag introduces
    with a colon or comma ("…, saying: “…”") and a tag of someone else ("X said the plan, which critics
    called “a disaster,” …") stay the quote's own."""
    doc = lay.doc
    start, end = lay.quote_tokens[qi]
    before = start - 1
    while before >= 0 and doc[before].is_space:
        before -= 1
    if before < 0 or doc[before].text == ":" or doc[before].text in TAG_EDGE and before == tag.cue[1]:
        return False  # "…, saying: “…”", "…, adding, “…”": the tag introduces the quote
    inner = next((t for t in range(start, end) if not doc[t].is_punct and not doc[t].is_space), None)
    if inner is None:
        return False
    node = doc[inner]
    for _ in range(30):
        verb = node.head
        if verb == node:
            return False
        cue = lay.cue_at.get(verb.i)
        if node.dep_ == "ccomp" and cue is not None and cue.form == "verb" and not cue.direct_only \
                and verb.i < start and verb.i != tag.cue[0]:
            source = source_of(verb, lay.speaker_ok(verb))
            return source is not None and _same_speaker(source, tag.source)
        node = verb
    return False


def _same_speaker(first: Token, second: Token) -> bool:
    """Whether a later subject continues an earlier one: the same token, the same pronoun, or a
    third-person singular pronoun of a named or described speaker whose first name or title does
    not give the other gender ("Tom Hale said …, which she called “…”" is someone else)."""
    if first.i == second.i or first.lower_ == second.lower_:
        return True
    pronoun = lexicon.pronouns().get(second.lower_)
    if second.tag_ != "PRP" or first.tag_ == "PRP" or pronoun is None or pronoun.number != "sg" \
            or pronoun.person != "3" or pronoun.gender not in ("m", "f"):
        return False
    start, _ = mention_span(first)
    words = [t.lower_.rstrip(".") for t in first.doc[start : first.i + 1]]
    genders = {lexicon.first_names().get(w) for w in words} | {
        entry.gender for w in words if (entry := lexicon.person_nouns().get(w)) is not None}
    return not genders & ({"m", "f"} - {pronoun.gender})


def reach_back(lay: Layout, att: Attribution, unit: list[int]) -> None:
    """A quote whose tag follows it, after words of the same sentence: the tag reports them too,
    so the claim is mixed and starts with them ("With thousands of systems, “there is no single
    point of failure,” he said"). Not past a participle that frames the question ("Asked about
    it, “…,” she said"), another quote, or a speech tag of its own."""
    q_start = lay.quote_tokens[unit[0]][0]
    if att.cue is None or att.cue[0] < lay.quote_tokens[unit[-1]][1]:
        return  # the tag is not after the quote
    parse = lay.parse
    lo = parse.sent_lo[q_start]
    for t in range(lo, q_start):  # the parser may run two sentences together
        if lay.doc[t].text in SENTENCE_END or lay.doc[t].text == ":":
            lo = t + 1
    while lo < q_start and (parse.space[lo] or parse.punct[lo]):
        lo += 1
    words = [t for t in range(lo, q_start) if not parse.punct[t] and not parse.space[t]]
    if len(words) < 2 or any(lay.in_quote(t) or t in lay.cue_at for t in range(lo, q_start)):
        return
    if parse.para[lo] != parse.para[q_start] or lay.doc[lo].tag_ in ("VBN", "VBG") or lay.doc[lo].lower_ == "when":
        return
    att.parts = [(parse.idx[lo], lay.quotes[unit[-1]].outer_end)]
    att.kind = "mixed"


def _tag_from_verb(lay: Layout, cue: Cue) -> Tag | None:
    verb = lay.doc[cue.head]
    source = source_of(verb, lay.speaker_ok(verb))
    return None if source is None else Tag((cue.start, cue.end), cue.act, source)


def _tail_tag(lay: Layout, qi: int) -> Tag | None:
    """"…,” X said" / "…,” said X": a reporting verb right after the quote, in its sentence."""
    doc, (_, end) = lay.doc, lay.quote_tokens[qi]
    quote = lay.quotes[qi]
    inside = lay.text[quote.start : quote.end].rstrip()
    if not (inside[-1:] in _TAG_CLOSERS or (end < len(doc) and doc[end].text in TAG_EDGE)):
        return None  # a quoted phrase running on into its sentence: “respect” before they began
    para = lay.paragraph(quote.outer_end - 1)
    window: list[int] = []
    t = end
    while t < len(doc) and len(window) < _TAG_TOKENS:
        tok = doc[t]
        if lay.in_quote(t) or lay.paragraph(tok.idx) != para or tok.text in SENTENCE_END:
            break
        window.append(t)
        t += 1
    for k, t in enumerate(window):
        cue = lay.cue_at.get(t)
        if cue is None or cue.form != "verb":
            continue
        verb = doc[t]
        if not all(doc[p].is_punct or doc[p].is_space or governs(verb, doc[p]) for p in window[:k]):
            return None
        subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        if _has_own_content(lay, verb) or (subject is not None and person(subject) == "rel"):
            return None
        if inside[-1:] in SENTENCE_END and _has_own_object(verb):
            return None  # a new sentence about something else: “…!” Critics praise his refusal
        return _tag_from_verb(lay, cue)
    return None


def _head_tag(lay: Layout, qi: int) -> tuple[Tag | None, bool]:
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
    if not (last.text in TAG_EDGE or t in lay.cue_at):
        return None, False
    para = lay.paragraph(last.idx)
    if not colon and para != lay.paragraph(lay.quotes[qi].open):
        return None, False  # only a colon carries a tag over a paragraph break
    k = t
    while k >= 0 and t - k < _TAG_TOKENS + 10:  # "X, a senior aide to Y, said in a statement:"
        tok = doc[k]
        if lay.in_quote(k) or lay.paragraph(tok.idx) != para or (tok.text in SENTENCE_END and k != t):
            break
        cue = lay.cue_at.get(k)
        if cue is not None and cue.form == "according":
            source = according_source(doc, cue)
            return (None, False) if source is None else (Tag((cue.start, cue.end), cue.act, source), colon)
        if cue is not None and cue.form == "verb":
            verb = doc[k]
            if all(doc[p].is_punct or doc[p].is_space or governs(verb, doc[p]) for p in range(cue.end, t + 1)) \
                    and not _has_own_content(lay, verb):
                return _tag_from_verb(lay, cue), colon
            return None, False
        k -= 1
    if colon:
        return _statement_noun_tag(lay, range(k + 1, t)), True
    return None, False


def _statement_noun_tag(lay: Layout, window: range) -> Tag | None:
    """"The mayor's answer: “…”": a statement noun with its holder, right before a colon."""
    for k in reversed(window):
        tok = lay.doc[k]
        act = statement_act(tok)
        if act is None or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        holder = next((c for c in tok.children if c.dep_ == "poss" and lay.speaker_ok(tok)(c)), None)
        return None if holder is None else Tag((k, k + 1), act, holder)
    return None


def _has_own_content(lay: Layout, verb: Token) -> bool:
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
    """A direct object that is not an audience: "praise his refusal", not "told reporters" nor
    "told the station" (a verb whose object is the one spoken to), unless that object is a thing
    said ("told the story")."""
    if lexicon.object_roles().get(verb.lemma_.lower()) == "hearer":
        return any(c.dep_ == "dobj" and c.pos_ == "NOUN" and (statement_act(c) or stand_in_class(c) == "document")
                   for c in verb.children)
    addressees = lexicon.addressee_nouns()
    return any(
        c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lemma_.lower() not in addressees for c in verb.children
    )


def claim_orphan_start(lay: Layout, att: Attribution, qi: int, claimed: dict[int, Attribution]) -> None:
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


def unclaimed_quotes(lay: Layout, found: list[Attribution], claimed: dict[int, Attribution]) -> list[Attribution]:
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
        if _stands_alone(lay, unit):  # a quoted phrase inside a narrative sentence continues nobody
            result.append(Attribution(parts, "direct", "claim", "follow-on", follows=result[last], quotes=list(unit)))
    return result


def _inner_tag(lay: Layout, unit: list[int]) -> Tag | None:
    """A speech tag inside the marks, set off by a comma or dash: "…, he said. – …". A first or
    second person ("…, I think, …") is the quoted speaker talking, not a tag, and so is a
    question ("…, who knows?")."""
    doc = lay.doc
    for qi in unit:
        first, last = lay.quote_tokens[qi]
        for t in range(first + 1, last - 1):
            cue = lay.cue_at.get(t)
            if cue is None or cue.form != "verb":
                continue
            source = source_of(doc[t])
            if source is None or not (first < source.i < last) or person(source) in ("1", "2") \
                    or source.tag_ in ("WP", "WDT"):
                continue
            lo = min(mention_span(source)[0], cue.start)
            hi = max(mention_span(source)[1], cue.end)
            if hi - lo > _INNER_TAG_TOKENS:
                continue
            before = doc[lo - 1] if lo > first else None
            after = doc[hi] if hi < last else None
            if before is not None and before.text in TAG_EDGE and (
                after is None or after.text in TAG_EDGE or after.text in SENTENCE_END or after.text in QUOTE_MARKS
            ):
                return Tag((cue.start, cue.end), cue.act, source)
    return None


def _speaker_to_continue(lay: Layout, result: list[Attribution], qi: int) -> int | None:
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


def _split_quote_leader(lay: Layout, result: list[Attribution], qi: int) -> int | None:
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


def _in_relative_clause(lay: Layout, att: Attribution) -> bool:
    """A claim made in a relative clause of a tag ("said X, who supports the plan") belongs to
    the tag: it does not interrupt the quote the tag splits."""
    return att.source is not None and person(lay.doc[att.source[0]]) == "rel"


def _stands_alone(lay: Layout, unit: list[int]) -> bool:
    """A quote that is a sentence of its own (not a quoted phrase inside one)."""
    first, last = lay.quotes[unit[0]], lay.quotes[unit[-1]]
    text = lay.text
    before = text[line_bounds(text, first.open)[0] : first.open].rstrip()
    after = text[last.outer_end : line_bounds(text, last.outer_end)[1]].lstrip()
    content = text[first.start:last.end].strip()
    starts = not before or before[-1] in ".!?:"
    ends = not after or after[0] in ".!?" or content[-1:] in (".", "!", "?")
    return starts and ends and len(content.split()) >= 4
