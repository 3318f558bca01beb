"""Extraction: the public entry points `extract` and `extract_many`.

Both accept any spaCy English pipeline; without one they use the default pipeline, loaded once
per process. A text longer than one parse should hold (`windows.LONG_TEXT`, or the pipeline's
`max_length` if smaller) is read window by window (`claimx.windows`), in flat memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from claimx import errors
from claimx.models import METADATA, Extraction, published_moment
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


def extract(text: str, nlp: Language | None = None, *, doc_id: str | None = None, outlet: str | None = None,
            published: str | date | None = None, url: str | None = None, title: str | None = None) -> Extraction:
    """Every claim in `text`, with its speaker, cue and targets. The document's metadata (who
    published it, when, where, under what title) is kept on the result for the corpus outputs;
    a `published` that is no ISO date or datetime raises `E170`."""
    if not isinstance(text, str):
        raise errors.not_text(text)
    meta = document_metadata({"outlet": outlet, "published": published, "url": url, "title": title}, doc_id)
    return _extract(text, nlp, doc_id, meta)


def _extract(text: str, nlp: Language | None, doc_id: str | None, meta: dict[str, str]) -> Extraction:
    if not text.strip():
        return Extraction(text=text, doc_id=doc_id, **meta)
    nlp = pipeline(nlp)
    cleaned = clean(text)
    if len(cleaned) > window_size(nlp.max_length):
        return _as_given(_windowed(nlp, cleaned), text, doc_id, meta)
    return _finish(nlp, nlp(cleaned, disable=_claimx_pipes(nlp)), text, doc_id, cleaned, meta)


def document_metadata(context: Mapping[str, Any], doc: str | None = None) -> dict[str, str]:
    """The metadata a document's context gives: `outlet` (or its alias `source`), `published`,
    `url`, `title`, each a string (a date or datetime object is its ISO form); missing, None,
    NaN and blank values are left out. A value of another type raises `E001`, a `published`
    that is no ISO date or datetime `E170` naming the document `doc`."""
    found: dict[str, str] = {}
    for field in METADATA:
        value = context.get(field)
        if field == "outlet" and _missing(value):
            value = context.get("source")
        if _missing(value):
            continue
        if field == "published" and isinstance(value, date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise errors.not_text(value, field)
        if not value.strip():
            continue
        if field == "published":
            try:
                published_moment(value)
            except ValueError:
                raise errors.bad_date(doc or "", value) from None
        found[field] = value.strip()
    return found


def _missing(value: object) -> bool:
    """None, or a missing value of a table (NaN, NaT: not equal to itself)."""
    try:
        return value is None or bool(value != value)
    except TypeError:  # pandas' NA, which has no truth value
        return True


def extract_many(
    texts: Iterable[str | tuple[str, Any]],
    *,
    nlp: Language | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
) -> Iterator[Extraction]:
    """Extract from a stream of texts, or of (text, context) pairs, yielding results in order.

    A context is a document id (str or int) or a mapping with an "id" key, which becomes
    `Extraction.doc_id`, and the document's metadata: "outlet" (or "source"), "published" (ISO
    date or datetime; `E170` if not), "url" and "title" (see `document_metadata`). The stream is
    consumed lazily, one batch at a time.
    """
    nlp = pipeline(nlp)

    def feed() -> Iterator[tuple[str, tuple[str, str | None, bool, str | None, dict[str, str]]]]:
        for index, item in enumerate(texts):
            text, doc_id, meta = _unpack(item, index)
            cleaned = clean(text)
            skip = len(cleaned) > window_size(nlp.max_length) or not cleaned.strip()
            # the cleaned text travels along only when it differs from the caller's (rarely)
            yield ("" if skip else cleaned), (text, doc_id, skip, None if cleaned == text else cleaned, meta)

    if n_process > 1:
        yield from _in_processes(nlp, feed(), batch_size, n_process)
        return
    for window in batched(feed(), MEMORY_WINDOW):
        with nlp.memory_zone():  # strings of these documents are freed: the vocabulary stays flat
            yield from _results(nlp, window, batch_size, 1)


def _results(nlp: Language, items, batch_size: int, n_process: int) -> Iterator[Extraction]:
    # In this process the claimx pipe is skipped and its stages run directly: the result never
    # takes the round trip through the Doc's plain-data store that other processes need.
    direct = _claimx_pipes(nlp) if n_process == 1 else []
    docs = nlp.pipe(items, as_tuples=True, batch_size=batch_size, n_process=n_process, disable=direct)
    for doc, (text, doc_id, skipped, cleaned, meta) in docs:
        if skipped:  # empty, or too long for one parse: read window by window, in its place
            yield _extract(text, nlp, doc_id, meta)
        else:
            yield _finish(nlp, doc, text, doc_id, text if cleaned is None else cleaned, meta)


def _in_processes(nlp: Language, items, batch_size: int, n_process: int) -> Iterator[Extraction]:
    """Batches parsed by forked worker processes, which share the parent's loaded pipeline and
    send back plain records, never spaCy Docs. Batches go out in bounded windows, so a long
    stream is never read far ahead of its results; results come back in order."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - not on Linux
        yield from _results(nlp, items, batch_size, n_process)
        return
    with multiprocessing.get_context("fork").Pool(n_process, initializer=_worker_start, initargs=(nlp,)) as pool:
        for window in batched(batched(items, batch_size), 4 * n_process):
            for records in pool.imap(_worker_batch, window):
                yield from (Extraction.model_validate(r) for r in records)


_worker_nlp: Language | None = None  # set once in each worker process, by _worker_start


def _worker_start(nlp: Language) -> None:
    global _worker_nlp
    _worker_nlp = nlp


def _worker_batch(batch: list) -> list[dict[str, Any]]:
    with _worker_nlp.memory_zone():
        return [r.model_dump(mode="json") for r in _results(_worker_nlp, batch, len(batch), 1)]


def batched(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter), read lazily."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def pipeline(nlp: Language | None) -> Language:
    """The caller's pipeline, checked, or the default one."""
    from claimx.loading import check, choose_model, default_pipeline

    if nlp is None:
        return default_pipeline(choose_model())
    check(nlp, nlp.meta.get("name", "the pipeline"))
    return nlp


def _unpack(item: object, index: int) -> tuple[str, str | None, dict[str, str]]:
    """(text, document id, metadata) of an item of `extract_many`'s stream."""
    if isinstance(item, str):
        return item, None, {}
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        context = item[1]
        if isinstance(context, Mapping):
            doc_id = None if context.get("id") is None else str(context["id"])
            if not context.keys() - {"id"}:  # the usual context: an id alone, no metadata to check
                return item[0], doc_id, {}
            return item[0], doc_id, document_metadata(context, f"texts[{index}]" if doc_id is None else doc_id)
        return item[0], None if context is None else str(context), {}
    raise errors.not_text(item, f"texts[{index}]")


def _claimx_pipes(nlp: Language) -> list[str]:
    return [name for name in nlp.pipe_names if _is_claimx(nlp, name)]


def _is_claimx(nlp: Language, name: str) -> bool:
    return nlp.get_pipe_meta(name).factory == "claimx"


def _finish(nlp: Language, doc: Doc, text: str, doc_id: str | None, cleaned: str,
            meta: dict[str, str]) -> Extraction:
    """The Extraction of a parsed Doc, whose text is `cleaned` (clean(text)), in `text`'s terms."""
    from claimx.component import analyse

    result = doc._.claimx if doc.has_extension("claimx_data") and doc._.claimx_data is not None else None
    if result is None:
        result = analyse(doc, text=cleaned, **_settings(nlp))
    return _as_given(result, text, doc_id, meta)


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


def _as_given(result: Extraction, text: str, doc_id: str | None, meta: dict[str, str]) -> Extraction:
    """The result in the caller's terms: spans over their own text, their document id and
    metadata (`meta` is checked already: `document_metadata`)."""
    if result.text != text:
        result = _rebase(result, text)
    update = {**({"doc_id": doc_id} if doc_id is not None else {}), **meta}
    return result.model_copy(update=update) if update else result


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
