"""Quotes: every quoted span, decided from the characters alone.

Handles straight, curly, „low-9“, «guillemet» and ‘single’ marks, nesting, and the news
convention of a quote that runs over several paragraphs, each reopened with a mark and only the
last one closed. Apostrophes and feet/inch marks are not quotes. An unbalanced mark costs at most
its own quote: its nested quotes are promoted, and every other quote in the text survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Each mark: (family, role). Roles: "open", "close", "either" (decided by context).
# Families pair an opener only with closers of the same family.
_MARKS: dict[str, tuple[str, str]] = {
    "“": ("double", "open"),
    "„": ("double", "open"),
    "‟": ("double", "open"),
    "”": ("double", "close"),
    '"': ("double", "either"),  # pairs with curly marks too: “…" and "…” are common typos
    "«": ("guillemet", "open"),
    "»": ("guillemet", "close"),
    "‹": ("single-guillemet", "open"),
    "›": ("single-guillemet", "close"),
    "‘": ("single", "open"),
    "‚": ("single", "open"),
    "’": ("single", "close"),
    "'": ("single", "either"),
}
# Families whose unclosed opener may run to the end of its paragraph.
_PARAGRAPH_FAMILIES = frozenset({"double", "guillemet"})
_EVENTS = re.compile("[\n`" + re.escape("".join(_MARKS)) + "]")  # where the scan has something to decide
_OPEN_CONTEXT = frozenset("([{<—–-/\u00a0")
_CLOSE_CONTEXT = frozenset(".,;:!?)]}>—–-…\u00a0")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted span. `start`/`end` delimit the content, without the marks.

    `close` is None when the quote was left open at the end of its paragraph; `continues` is
    True when the quote reopens a paragraph after a quote left open in the paragraph before.
    """

    open: int
    close: int | None
    start: int
    end: int
    depth: int
    continues: bool
    outer_end: int  # just past the closing mark (or the content, when left open)



@dataclass(frozen=True, slots=True)
class QuoteScan:
    """The result of reading a text's quotation marks.

    `quotes` are all quotes in text order, nested ones included (depth > 0); `orphans` are the
    positions of opening marks that were never closed and were dropped.
    """

    quotes: tuple[Quote, ...]
    orphans: tuple[int, ...] = ()

    @property
    def top_level(self) -> tuple[Quote, ...]:
        return tuple(q for q in self.quotes if q.depth == 0)


@dataclass(slots=True)
class _Node:
    """A quote being read: its opening mark and the quotes finished inside it."""

    pos: int
    family: str
    mark: str
    continues: bool = False
    close: int | None = None
    end: int = 0
    stop: int = 0  # just past the closing mark
    children: list[_Node] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.pos + len(self.mark)


def _opener_like(text: str, i: int, width: int = 1) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before.isspace() or before in _OPEN_CONTEXT or before in _MARKS) and not after.isspace()


def _closer_like(text: str, i: int, width: int = 1) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return (not before.isspace() or before in _MARKS) and (
        after.isspace() or after in _CLOSE_CONTEXT or after in _MARKS
    )


def _mark_at(text: str, i: int) -> tuple[str, str, str] | None:
    """The quotation mark starting at i, as (mark, family, role); two straight single quotes
    ('') or two backticks (``) are one double mark, as some newswires write them."""
    pair = text[i : i + 2]
    if pair == "''":
        return pair, "double", "either"
    if pair == "``":
        return pair, "double", "open"
    info = _MARKS.get(text[i])
    return None if info is None else (text[i], *info)


def _first_char(text: str, i: int) -> int:
    """Index of the first non-space character at or after i on its line, or -1."""
    n = len(text)
    while i < n and text[i] != "\n" and text[i].isspace():
        i += 1
    return i if i < n and text[i] != "\n" else -1


def _opens_line(text: str, i: int) -> bool:
    return _first_char(text, text.rfind("\n", 0, i) + 1) == i


def scan_quotes(text: str) -> QuoteScan:
    """Find every quotation in `text`, top-level and nested, in text order."""
    roots: list[_Node] = []
    orphans: list[int] = []
    stack: list[_Node] = []
    reopen_next = False  # the last paragraph ended inside a quote the next one may continue

    def sink() -> list[_Node]:
        return stack[-1].children if stack else roots

    def drop(node: _Node) -> None:
        """An unclosed opener is no quote; the quotes it held move up a level."""
        orphans.append(node.pos)
        sink().extend(node.children)

    def end_paragraph(newline: int) -> None:
        """A paragraph break closes what is open: a long quote runs to the paragraph end."""
        nonlocal reopen_next
        if not stack and newline > 0 and not text[text.rfind("\n", 0, newline) + 1 : newline].strip():
            return  # a blank line between paragraphs keeps a continuation alive
        reopen_next = False
        while stack:
            node = stack.pop()
            if stack or node.family not in _PARAGRAPH_FAMILIES:
                drop(node)
                continue
            rest = text[newline:].lstrip()
            continued = bool(rest) and _MARKS.get(rest[0], ("", ""))[0] == node.family
            if continued or node.continues or _opens_line(text, node.pos):
                node.end = newline
                while node.end > node.start and text[node.end - 1].isspace():
                    node.end -= 1
                node.stop = node.end
                roots.append(node)
                reopen_next = continued
            else:
                drop(node)

    skip_to = 0  # a two-character mark ('' or ``) covers the next position too
    for match in _EVENTS.finditer(text):
        i = match.start()
        if i < skip_to:
            continue
        if text[i] == "\n":
            end_paragraph(i)
            continue
        found = _mark_at(text, i)
        if found is None:
            continue
        mark, family, role = found
        width = len(mark)
        if mark == "“" and stack and stack[-1].mark == "„":
            role = "close"  # German „…“
        elif role == "either":
            role = _resolve_either(text, i, width, family, stack)
        elif role == "close" and not any(n.family == family for n in stack) and _opener_like(text, i):
            role = "open"  # a right mark used as an opener, with nothing of its kind open
        if family == "single" and (
            (role == "close" and not _closer_like(text, i))
            or (role == "open" and (not _opener_like(text, i) or text[i + 1 : i + 2].isdigit()))
        ):
            role = None  # an apostrophe: don’t, Norway’s, rock ’n’ roll, the ’90s
        if role == "open":
            stack.append(_Node(i, family, mark, continues=reopen_next and _opens_line(text, i)))
            reopen_next = False
        elif role == "close":
            k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].family == family), -1)
            if k >= 0:
                while len(stack) - 1 > k:
                    drop(stack.pop())
                node = stack.pop()
                if family == "single" and i - node.pos <= 2:
                    sink().extend(node.children)  # an elision, not a quote: rock 'n' roll
                else:
                    node.close, node.end, node.stop = i, i, i + width
                    sink().append(node)
        skip_to = i + width
    end_paragraph(len(text))

    quotes: list[Quote] = []

    def walk(nodes: list[_Node], depth: int) -> None:
        for node in sorted(nodes, key=lambda n: n.pos):
            quotes.append(Quote(node.pos, node.close, node.start, node.end, depth, node.continues, node.stop))
            walk(node.children, depth + 1)

    walk(roots, 0)
    return QuoteScan(tuple(quotes), tuple(sorted(orphans)))


def _resolve_either(text: str, i: int, width: int, family: str, stack: list[_Node]) -> str | None:
    """Decide whether a straight mark opens, closes, or is no quote at all (an inch, '90s)."""
    after = text[i + width] if i + width < len(text) else " "
    if any(n.family == family for n in stack) and (
        _closer_like(text, i, width) or after.isspace() or after in _CLOSE_CONTEXT
    ):
        return "close"  # also after a space: ‘… community,’ " he wrote
    if _opener_like(text, i, width):
        return None if family == "single" and after.isdigit() else "open"
    return None
