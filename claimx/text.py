"""Text: what spaCy is given. A cleaned copy of the caller's text, character for character
the same length, so every offset claimx reports indexes the caller's own string.
"""

from __future__ import annotations

import re

from claimx.lexicon import name_particles

# Lone surrogates (JSON can carry them) make spaCy raise; C0 controls other than tab and line
# breaks confuse the tokenizer. Each is replaced by one character, so offsets are unchanged.
SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Line breaks spaCy's tokenizer and claimx's paragraph rules do not see as such: Unicode's line
# and paragraph separators, NEL, and a carriage return not followed by a line feed (old Mac
# files and some feeds end lines with CR alone).
_PARAGRAPH_SEPARATOR = re.compile("[\u2028\u2029\x85]|\r(?!\n)")
# Dashes the small English pipelines never saw in training, which their tagger reads as words
# (a HuffPost-style horizontal bar "―" comes out a verb, splitting its clause): each becomes the
# em or en dash it stands for, one character for one.
_DASHES = str.maketrans({"\u2015": "\u2014", "\u2e3a": "\u2014", "\u2e3b": "\u2014", "\ufe58": "\u2014",
                         "\u2012": "\u2013"})
# What XML 1.0 cannot carry: C0 controls other than tab and line breaks, surrogates, U+FFFE/FFFF.
XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD: same length, and encodable as UTF-8."""
    return SURROGATES.sub("\ufffd", text)


def name_key(name: str) -> str:
    """The form of a name that identifies it: casefolded, one space between words, and nothing
    XML cannot carry, so that two names a reader cannot tell apart are one."""
    return " ".join(XML_ILLEGAL.sub("", name).split()).casefold()


def person_key(name: str) -> str:
    """The identity of a person's name: its `name_key` without name particles, which writers
    keep or drop ("Leila al-Hadi", "Leila Hadi"). A name of particles alone stays as it is."""
    particles = name_particles()
    words = []
    for word in name_key(name).split():
        if word in particles:
            continue
        head, dash, rest = word.partition("-")
        words.append(rest if dash and rest and head + "-" in particles else word)
    return " ".join(words) or name_key(name)


def is_acronym(word: str) -> bool:
    """Two to eight capital letters, full stops aside: "NFU", "U.N."."""
    letters = word.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def clean(text: str) -> str:
    """A same-length copy of `text` that any spaCy pipeline accepts and parses well: lone
    surrogates and control characters replaced, rare dashes made the dash they stand for, and
    every kind of line end a line feed."""
    text = without_surrogates(text)
    text = _CONTROL.sub(" ", text).translate(_DASHES)
    return _PARAGRAPH_SEPARATOR.sub("\n", text)


def chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut `text` into pieces of at most `limit` characters, each with its offset.

    Cuts fall after a line break where one is in reach, else after a sentence end, else after a
    space: a quote or a claim is only cut when a single paragraph exceeds the limit.
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    pieces: list[tuple[int, str]] = []
    start, n = 0, len(text)
    while n - start > limit:
        window_end = start + limit
        cut = text.rfind("\n", start, window_end) + 1
        if cut <= start:
            cut = max(text.rfind(". ", start, window_end), text.rfind("? ", start, window_end)) + 2
        if cut <= start + 1:
            cut = text.rfind(" ", start, window_end) + 1
        if cut <= start:
            cut = window_end
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces
