"""Extraction: the public entry points `extract` and `extract_many`.

Both accept any spaCy English pipeline; without one they use the default pipeline, loaded once
per process. A text longer than one parse should hold (`windows.LONG_TEXT`, or the pipeline's
`max_length` if smaller) is read window by window (`claimx.windows`), in flat memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator

from claimx import errors
from claimx.models import Extraction
from claimx.text import clean
from claimx.windows import extract_windows, window_size

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# News articles average ~5,000 characters. spaCy's default batch of 256 such documents peaks near
# 3.5 GB; measured with benchmarks/memory.py, 32 peaks at 0.83 GB and 16 at 0.57 GB, at the same
# throughput.
DEFAULT_BATCH_SIZE = 16
# Documents parsed per spaCy memory zone in one process: their strings are freed after each.
MEMORY_WINDOW = 1000


def extract(text: str, nlp: Language | None = None, *, doc_id: str | None = None) -> Extraction:
    """Every claim in `text`, with its speaker, cue and targets."""
    if not isinstance(text, str):
        raise errors.not_text(text)
    if not text.strip():
        return Extraction(text=text, doc_id=doc_id)
    nlp = pipeline(nlp)
    cleaned = clean(text)
    if len(cleaned) > window_size(nlp.max_length):
        return _as_given(_windowed(nlp, cleaned), text, doc_id)
    return _finish(nlp, nlp(cleaned, disable=_claimx_pipes(nlp)), text, doc_id, cleaned)


def extract_many(
    texts: Iterable[str | tuple[str, Any]],
    *,
    nlp: Language | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
) -> Iterator[Extraction]:
    """Extract from a stream of texts, or of (text, context) pairs, yielding results in order.

    A context is a document id (str or int) or a mapping with an "id" key; it becomes
    `Extraction.doc_id`. The stream is consumed lazily, one batch at a time.
    """
    nlp = pipeline(nlp)

    def feed() -> Iterator[tuple[str, tuple[str, str | None, bool, str | None]]]:
        for index, item in enumerate(texts):
            text, doc_id = _unpack(item, index)
            cleaned = clean(text)
            skip = len(cleaned) > window_size(nlp.max_length) or not cleaned.strip()
            # the cleaned text travels along only when it differs from the caller's (rarely)
            yield ("" if skip else cleaned), (text, doc_id, skip, None if cleaned == text else cleaned)

    if n_process > 1:
        yield from _in_processes(nlp, feed(), batch_size, n_process)
        return
    for window in _windows(feed(), MEMORY_WINDOW):
        with nlp.memory_zone():  # strings of these documents are freed: the vocabulary stays flat
            yield from _results(nlp, window, batch_size, 1)


def _results(nlp: Language, items, batch_size: int, n_process: int) -> Iterator[Extraction]:
    # In this process the claimx pipe is skipped and its stages run directly: the result never
    # takes the round trip through the Doc's plain-data store that other processes need.
    direct = _claimx_pipes(nlp) if n_process == 1 else []
    docs = nlp.pipe(items, as_tuples=True, batch_size=batch_size, n_process=n_process, disable=direct)
    for doc, (text, doc_id, skipped, cleaned) in docs:
        if skipped:  # empty, or too long for one parse: read window by window, in its place
            yield extract(text, nlp, doc_id=doc_id)
        else:
            yield _finish(nlp, doc, text, doc_id, text if cleaned is None else cleaned)


def _in_processes(nlp: Language, items, batch_size: int, n_process: int) -> Iterator[Extraction]:
    """Batches parsed by forked worker processes, which share the parent's loaded pipeline and
    send back plain records, never spaCy Docs. Batches go out in bounded windows, so a long
    stream is never read far ahead of its results; results come back in order."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - not on Linux
        yield from _results(nlp, items, batch_size, n_process)
        return
    with multiprocessing.get_context("fork").Pool(n_process, initializer=_worker_start, initargs=(nlp,)) as pool:
        for window in _windows(_windows(items, batch_size), 4 * n_process):
            for records in pool.imap(_worker_batch, window):
                yield from (Extraction.model_validate(r) for r in records)


_worker_nlp: Language | None = None  # set once in each worker process, by _worker_start


def _worker_start(nlp: Language) -> None:
    global _worker_nlp
    _worker_nlp = nlp


def _worker_batch(batch: list) -> list[dict[str, Any]]:
    with _worker_nlp.memory_zone():
        return [r.model_dump(mode="json") for r in _results(_worker_nlp, batch, len(batch), 1)]


def _windows(items: Iterator, size: int) -> Iterator[list]:
    window = []
    for item in items:
        window.append(item)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


def pipeline(nlp: Language | None) -> Language:
    """The caller's pipeline, checked, or the default one."""
    from claimx.loading import check, choose_model, default_pipeline

    if nlp is None:
        return default_pipeline(choose_model())
    check(nlp, nlp.meta.get("name", "the pipeline"))
    return nlp


def _unpack(item: object, index: int) -> tuple[str, str | None]:
    if isinstance(item, str):
        return item, None
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        context = item[1]
        if isinstance(context, dict):
            context = context.get("id")
        return item[0], None if context is None else str(context)
    raise errors.not_text(item, f"texts[{index}]")


def _claimx_pipes(nlp: Language) -> list[str]:
    return [name for name in nlp.pipe_names if _is_claimx(nlp, name)]


def _is_claimx(nlp: Language, name: str) -> bool:
    return nlp.get_pipe_meta(name).factory == "claimx"


def _finish(nlp: Language, doc: Doc, text: str, doc_id: str | None, cleaned: str) -> Extraction:
    """The Extraction of a parsed Doc, whose text is `cleaned` (clean(text)), in `text`'s terms."""
    from claimx.component import analyse

    result = doc._.claimx if doc.has_extension("claimx_data") and doc._.claimx_data is not None else None
    if result is None:
        result = analyse(doc, text=cleaned, **_settings(nlp))
    return _as_given(result, text, doc_id)


def _windowed(nlp: Language, cleaned: str) -> Extraction:
    """A long cleaned text's Extraction, read window by window."""
    from claimx.component import analyse_window

    skip, settings = _claimx_pipes(nlp), _settings(nlp)
    return extract_windows(cleaned, window_size(nlp.max_length), lambda piece: nlp(piece, disable=skip),
                           lambda doc, **window: analyse_window(doc, **settings, **window))


def _settings(nlp: Language) -> dict[str, Any]:
    """The claimx component's settings in `nlp`: its decision and least confidence (the caller's
    own pipeline without one: the default decision, every claim)."""
    from claimx.component import decision_for

    config = next((nlp.get_pipe(n) for n in _claimx_pipes(nlp)), None)
    return {"decision": config.decision if config is not None else decision_for(None),
            "min_confidence": getattr(config, "min_confidence", 0.0)}


def _as_given(result: Extraction, text: str, doc_id: str | None) -> Extraction:
    """The result in the caller's terms: spans over their own text, their document id."""
    if result.text != text:
        result = _rebase(result, text)
    return result.model_copy(update={"doc_id": doc_id}) if doc_id is not None else result


def _rebase(result: Extraction, text: str) -> Extraction:
    """The same result with every span's text taken from the caller's original string."""

    def fix(value: Any) -> Any:
        if isinstance(value, dict):
            if value.keys() == {"start", "end", "text"}:
                return {**value, "text": text[value["start"] : value["end"]]}
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [fix(v) for v in value]
        return value

    data = fix(result.model_dump())
    data["text"] = text
    return Extraction.model_validate(data)
