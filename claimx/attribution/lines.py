"""Lines: the claims a line makes on its own — "Name: statement" (headlines, transcripts) and
headline forms ("Mayor Accuses Council Of Hiding Costs").
"""

from __future__ import annotations

from claimx import lexicon
from claimx.attribution.candidates import Attribution, Layout, kind_of, trim_chars
from claimx.cues import verb_form
from claimx.furniture import is_furniture_line

_LABEL_CHARS = 40  # "Name:" labels before a colon are short


def line_claims(lay: Layout, claimed: dict[int, Attribution]) -> list[Attribution]:
    """Claims made by a line on its own: "Name: statement" (headlines, transcripts), and headline
    forms ("Mayor Accuses Council Of Hiding Costs"), after any furniture label ("See also:")."""
    named_words = frozenset(t.text for ent in lay.doc.ents if ent.label_ in ("PERSON", "ORG") for t in ent)
    lines = []
    line_start = 0
    for line_end in lay.newlines + [len(lay.text)]:
        start, end = trim_chars(lay.text, line_start, line_end)
        line_start = line_end + 1
        if end - start >= 20:
            lines.append((start, end))
    made = [_line_claim(lay, start, end, named_words) for start, end in lines]
    # a label read as a name on one line is one on every line: a page that prints its title
    # twice has the first copy's label, at the very top, tagged as a common noun
    labels = frozenset(t.text for att in made if att is not None and att.rule == "colon-name"
                       for t in lay.doc[att.source[0] : att.source[1]])
    if labels - named_words:
        made = [att or _line_claim(lay, start, end, named_words | labels) for att, (start, end) in zip(made, lines)]
    found = []
    for att in made:
        if att is None:
            continue
        att.quotes = [k for k, q in enumerate(lay.quotes) if att.start <= q.open < att.end]
        if not any(k in claimed for k in att.quotes):
            att.kind = kind_of(lay, (att.start, att.end), att.quotes, introduced=att.rule == "headline")
            found.append(att)
    return found


def _line_claim(lay: Layout, start: int, end: int, named_words: frozenset[str]) -> Attribution | None:
    """The claim one line [start, end) makes on its own, if any."""
    colon = lay.text.find(":", start, end)
    label = lay.text[start:colon].strip().lower() if colon > 0 else ""
    if label in lexicon.furniture_labels():
        start, end = trim_chars(lay.text, colon + 1, end)
        colon = -1
    att = None
    if 0 < colon - start <= _LABEL_CHARS:
        att = _name_colon(lay, start, colon, end, named_words)
    if att is None and is_furniture_line(lay.text[start:end]):
        att = _headline(lay, start, end, named_words)
    return att


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


def _name_colon(lay: Layout, start: int, colon: int, end: int, named_words: frozenset[str]) -> Attribution | None:
    doc = lay.doc
    label = doc.char_span(start, colon, alignment_mode="contract")
    colon_tok = doc.char_span(colon, colon + 1, alignment_mode="expand")
    content = trim_chars(lay.text, colon + 1, end)
    if label is None or not len(label) or colon_tok is None or content[1] - content[0] < 20:
        return None
    is_place = any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in label) or label.text.lower() in lexicon.places()
    if not _is_name(label, named_words) or is_place:
        return None  # a place before a colon is a dateline or a section: "Oslo: ferries stop"
    return Attribution([content], "indirect", "claim", "colon-name", (colon_tok.start, colon_tok.end),
                       (label.start, label.end))


def _headline(lay: Layout, start: int, end: int, named_words: frozenset[str]) -> Attribution | None:
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
