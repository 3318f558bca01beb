"""Errors: every error claimx raises, with a code that tests and users can match.

Messages say what went wrong and where (file, line, character) when there is a where.
"""

from __future__ import annotations

from typing import Any


class ClaimxError(Exception):
    """Base class. `code` is the stable part ("E001"); the message may change."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple:
        """Rebuilt from code and message, so the error crosses to and from worker processes."""
        return self.__class__, (self.code, self.message)


class ClaimxTypeError(ClaimxError, TypeError):
    """An argument of the wrong type."""


class ModelNotFoundError(ClaimxError, OSError):
    """No spaCy pipeline could be loaded under the given name."""


class InputError(ClaimxError, ValueError):
    """An input file or record claimx cannot read."""


class OutputError(ClaimxError, OSError):
    """An output claimx could not write: the disk is full, or the target cannot be written."""


class ClusterError(ClaimxError, RuntimeError):
    """The Dask cluster could not finish the work."""


def not_text(value: object, where: str = "text") -> ClaimxTypeError:
    return ClaimxTypeError("E001", f"{where} must be str, not {type(value).__name__}")


def no_text_field(field: str) -> ClaimxTypeError:
    return ClaimxTypeError("E001", f"the record has no {field!r} field holding its text")


def model_not_found(name: str, reason: str, install: str | None = None) -> ModelNotFoundError:
    """`install` is the command that installs this pipeline, when there is one to suggest."""
    how = f"Install it (`{install}`)" if install else "Install the package that provides it, give a pipeline folder"
    return ModelNotFoundError(
        "E002", f"cannot load spaCy pipeline {name!r}: {reason.strip().rstrip('.')}. {how}, or pass nlp=... to claimx"
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


def needs_extra(what: str, missing: str, extra: str) -> ClaimxError:
    return ClaimxError("E130", f"{what} needs {missing}: pip install \"claimx[{extra}]\"")


def import_extra(module: str, what: str, extra: str) -> Any:
    """`module` imported, for an optional feature (`what`) of claimx's `extra`; `E130` naming the
    extra to install when it is missing."""
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError as exc:
        raise needs_extra(what, module.split(".")[0], extra) from exc


def folder_not_empty(path: str) -> InputError:
    return InputError("E131", f"{path} already holds claimx partitions; write to a new or empty folder")


def no_cluster(address: str, reason: str) -> ClaimxError:
    return ClaimxError("E132", f"cannot reach the Dask scheduler at {address}: {reason}")


def extraction_failed(doc_id: str, exc: BaseException) -> ClaimxError:
    return ClaimxError("E140", f"document {doc_id!r} failed: {type(exc).__name__}: {exc}")


def bad_attribution_model(path: str, reason: str) -> ClaimxError:
    return ClaimxError("E005", f"cannot read attribution model {path}: {reason}")


def disk_full(target: str) -> OutputError:
    return OutputError("E150", f"no space left on the device while writing {target}")


def cannot_write(target: str, exc: OSError) -> OutputError:
    return OutputError("E151", f"cannot write {target}: {exc.strerror or exc}")


def cluster_lost(reason: str) -> ClusterError:
    return ClusterError("E152", f"the Dask cluster lost every worker that tried the work ({reason}); "
                                "check the workers' memory and logs, then run again")


def cannot_resume(output: str, reason: str) -> ClaimxError:
    """`--resume` asked of an output it cannot resume: `reason` says why, and what can be."""
    return ClaimxError("E160", f"cannot resume {output}: {reason}")


def resume_mismatch(output: str, reason: str) -> InputError:
    """The documents an output holds are not where the input's first documents would be."""
    return InputError("E161", f"cannot resume {output}: {reason}; resume with the input (and --id-field) of the run "
                              f"that wrote it, or write to a new output")


def not_resumable_line(path: str, line: int, reason: str) -> InputError:
    """A complete line of a JSONL output to resume that is not a document claimx wrote."""
    return InputError("E162", f"cannot resume {path}: line {line} is not a claimx document ({reason})")


def partition_mismatch(folder: str, partition: int, reason: str) -> InputError:
    """A partition already in a folder output to resume does not hold the input's documents for it."""
    return InputError("E163", f"cannot resume {folder}: partition {partition} {reason}; resume with the input, "
                              f"--id-field and --partition-size of the run that wrote it, or write to a new folder")


def mixed_table_formats(folder: str, found: str, wanted: str) -> InputError:
    """A folder output to resume in one table format that holds partitions in the other."""
    return InputError("E164", f"cannot resume {folder} as {wanted}: it holds {found} partitions; resume with "
                              f"--format {found}, or write to a new folder")


def bad_date(doc: str, value: object) -> InputError:
    return InputError("E170", f"document {doc!r}: published {value!r} is not an ISO date or datetime")


def no_store(path: str) -> InputError:
    return InputError("E180", f"no claimx store at {path}: write one with `claimx extract INPUT -o {path}`")


def not_a_store(path: str, reason: str) -> InputError:
    """A file claimx will neither read nor write as a store: it is not one of claimx's."""
    return InputError("E181", f"{path} is not a claimx store ({reason}); name a .duckdb file `claimx extract -o` "
                              f"wrote, or a new file")


def store_in_use(path: str, reason: str) -> OutputError:
    return OutputError("E182", f"cannot open the store {path}: another process has it open ({reason})")


def no_partitions(folder: str) -> InputError:
    return InputError("E183", f"{folder} holds no claimx partitions (documents/part-<n>.jsonl)")


def bad_since(value: object) -> InputError:
    return InputError("E184", f"--since {value!r} is not an ISO date or datetime (2024-03-05, 2024-03-05T09:30)")
