"""claimx: who claimed what about whom, in news text.

    import claimx
    result = claimx.extract(text)
    for claim in result.claims:
        print(claim.speaker.name if claim.speaker else None, claim.act, claim.content.text)

Importing claimx loads no model and no spaCy: names are resolved on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from claimx.about import __version__

_EXPORTS = {
    "extract": "claimx.extraction",
    "extract_many": "claimx.extraction",
    "load": "claimx.loading",
    "Extraction": "claimx.models",
    "Claim": "claimx.models",
    "Speaker": "claimx.models",
    "Span": "claimx.models",
    "Entity": "claimx.models",
    "EntityRef": "claimx.models",
    "build_graph": "claimx.graph",
    "actor_graph": "claimx.graph",
    "actor_summary": "claimx.graph",
    "write_graphml": "claimx.exports",
    "read_graphml": "claimx.exports",
    "write_gexf": "claimx.exports",
    "read_gexf": "claimx.exports",
    "write_json": "claimx.exports",
    "read_json": "claimx.exports",
    "write_cyjs": "claimx.exports",
    "read_cyjs": "claimx.exports",
    "write_jsonl": "claimx.exports",
    "write_documents_json": "claimx.exports",
    "read_documents_json": "claimx.exports",
    "read_jsonl": "claimx.exports",
    "write_claims_jsonl": "claimx.exports",
    "read_claims_jsonl": "claimx.exports",
    "write_claims_csv": "claimx.exports",
    "write_claims_parquet": "claimx.exports",
    "read_claims_csv": "claimx.exports",
    "claim_rows": "claimx.exports",
    "write_store": "claimx.store",
    "read_store": "claimx.store",
    "load_partitions": "claimx.store",
    "render_html": "claimx.view",
    "write_html": "claimx.report",
    "render_report": "claimx.report",
    "draw_actor_graph": "claimx.drawing",
    "evaluate": "claimx.evaluate",
    "ClaimxError": "claimx.errors",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from claimx.errors import ClaimxError
    from claimx.evaluate import evaluate
    from claimx.extraction import extract, extract_many
    from claimx.exports import (
        claim_rows,
        read_claims_csv,
        read_claims_jsonl,
        read_cyjs,
        read_documents_json,
        read_gexf,
        read_graphml,
        read_json,
        read_jsonl,
        write_claims_csv,
        write_claims_parquet,
        write_claims_jsonl,
        write_cyjs,
        write_documents_json,
        write_gexf,
        write_graphml,
        write_json,
        write_jsonl,
    )
    from claimx.graph import actor_graph, actor_summary, build_graph
    from claimx.loading import load
    from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker
    from claimx.drawing import draw_actor_graph
    from claimx.report import render_report, write_html
    from claimx.store import load_partitions, read_store, write_store
    from claimx.view import render_html


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claimx' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
