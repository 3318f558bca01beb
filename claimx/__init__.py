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
    "write_graphml": "claimx.graph",
    "read_graphml": "claimx.graph",
    "evaluate": "claimx.evaluate",
    "ClaimxError": "claimx.errors",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from claimx.errors import ClaimxError
    from claimx.evaluate import evaluate
    from claimx.extraction import extract, extract_many
    from claimx.graph import build_graph, read_graphml, write_graphml
    from claimx.loading import load
    from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claimx' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
