"""Furniture: the lines of a web page that are not prose — headings, captions, teasers for other
articles, headings glued to the sentence after them — so that no claim is read into them.
"""

from __future__ import annotations

from spacy.tokens import Doc

from claimx import lexicon

_SENTENCE_END_CHARS = frozenset(".!?…")
_DATELINE_DASHES = frozenset({"-", "–", "—", "--"})
_CLOSERS = "\"”’'»)]"  # looked past: a sentence may end inside them ("… it.”), a heading may not


def is_furniture_line(line: str) -> bool:
    """Blank lines, captions and headings: short lines that do not end like a sentence."""
    line = line.strip()
    last = line.rstrip(_CLOSERS)[-1:]
    return not line or (last not in _SENTENCE_END_CHARS and len(line.split()) <= 40)


def is_cut_off(line: str) -> bool:
    """A teaser line, cut off with an ellipsis: "… all buildings must be..."."""
    line = line.rstrip()
    return line.endswith(("...", "…")) and not line.endswith(("\"...", "...”"))


def line_bounds(text: str, at: int) -> tuple[int, int]:
    """The start and end offsets of the line holding offset `at`, without its line break."""
    end = text.find("\n", at)
    return text.rfind("\n", 0, at) + 1, len(text) if end < 0 else end


def in_teaser(text: str, start: int) -> bool:
    """Whether the line holding `start` is a teaser for another article: led by a label that
    introduces links ("See also: …", "Read more: …"), listed under such a label standing alone
    ("Related stories"), cut off with an ellipsis, or the heading just above a cut-off line."""
    line_start, end = line_bounds(text, start)
    line = text[line_start:end]
    if _teaser_label(line) is not None or is_cut_off(text[start:end]):
        return True
    if is_furniture_line(line) and _under_teaser_label(text, line_start):
        return True
    after = end
    while after < len(text) and text[after] == "\n":
        after += 1
    next_line = text[after : line_bounds(text, after)[1]]  # empty after the last line
    return is_furniture_line(line) and is_cut_off(next_line)


def _teaser_label(line: str) -> str | None:
    """The teaser label a line starts with ("Read more: …") or is ("Related stories")."""
    words = line.strip().lower().replace("’", "'")
    for label in lexicon.teaser_labels():
        if words == label or words.startswith(label) and words[len(label) :].lstrip()[:1] in (":", "|", "»", ">"):
            return label
    return None


def _under_teaser_label(text: str, line_start: int, reach: int = 12) -> bool:
    """Whether a heading-like line belongs to a list under a teaser label standing alone: the
    lines between them are all headings or links (no prose), at most `reach` of them."""
    end = line_start - 1
    for _ in range(reach):
        if end < 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line.strip():
            if _teaser_label(line) == line.strip().lower().replace("’", "'"):
                return True
            if not is_furniture_line(line):
                return False
        end = start - 1
    return False


def glued(doc: Doc, mention: tuple[int, int], run: int = 4) -> bool:
    """Whether a mention holds a heading glued to its sentence: `run` or more tokens written
    with no space between them ("Mayor-Vows-To-Rebuild-Bridge-After-FloodThe city"). A line
    break is a space too: "… comments.\nCameron's aide" is no heading glued to a name."""
    joined = 0
    for tok in doc[max(0, mention[0] - run) : mention[1]]:
        joined = joined + 1 if not (tok.whitespace_ or tok.is_space) else 0
        if joined >= run and tok.i >= mention[0]:
            return True
    return False


def dateline_end(doc: Doc, start: int, reach: int = 8) -> int | None:
    """The token after a dateline opening the line at token `start`: a place in capitals, perhaps
    with its region and agency after a comma ("OSLO —", "OSLO, Norway (AP) —"), then a dash set
    apart by spaces and a capitalised word. None when the line opens otherwise ("UN-backed
    forces", "US Senator Ana Ruiz - a …", "NATO - which …")."""
    first = doc[start] if start < len(doc) else None
    if first is None or not (first.is_alpha and first.is_upper and len(first) > 1):
        return None
    after_comma = False
    for i in range(start + 1, min(start + reach, len(doc) - 1)):
        tok, before = doc[i], doc[i - 1]
        if tok.text in _DATELINE_DASHES:
            nxt = doc[i + 1]
            spaced = bool(before.whitespace_) and bool(tok.whitespace_)
            return i + 1 if spaced and nxt.text[:1].isupper() else None
        if "\n" in tok.text:
            return None
        if tok.text == ",":
            after_comma = True
        elif not (tok.is_upper or tok.text in ".()" or after_comma and (tok.is_title or tok.like_num)):
            return None  # a word in lower or title case before any comma: a sentence, not a place
    return None
