"""Furniture: the lines of a web page that are not prose — headings, captions, teasers for other
articles, headings glued to the sentence after them — so that no claim is read into them.
"""

from __future__ import annotations

from spacy.tokens import Doc

_SENTENCE_END_CHARS = frozenset(".!?…")
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
    """Whether the line holding `start` is a teaser for another article, or the heading just
    above one, as web pages list them."""
    line_start, end = line_bounds(text, start)
    if is_cut_off(text[start:end]):
        return True
    after = end
    while after < len(text) and text[after] == "\n":
        after += 1
    next_line = text[after : line_bounds(text, after)[1]]  # empty after the last line
    return is_furniture_line(text[line_start:end]) and is_cut_off(next_line)


def glued(doc: Doc, mention: tuple[int, int], run: int = 4) -> bool:
    """Whether a mention holds a heading glued to its sentence: `run` or more tokens written
    with no space between them ("Mayor-Vows-To-Rebuild-Bridge-After-FloodThe city")."""
    joined = 0
    for tok in doc[max(0, mention[0] - run) : mention[1]]:
        joined = joined + 1 if not tok.whitespace_ else 0
        if joined >= run and tok.i >= mention[0]:
            return True
    return False
