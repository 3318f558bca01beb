"""Graph: who claimed what about whom, as a networkx MultiDiGraph, and its GraphML export.

Nodes are entities (`type="entity"`) and claims (`type="claim"`); edges run
entity —said→ claim —about→ entity. Named entities merge across documents by canonical name;
unnamed sources ("a government official") never do, since two articles' officials are rarely one.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from claimx.models import Entity, Extraction

# Characters XML 1.0 forbids (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SCALARS = (bool, int, float, str)


def entity_node(entity: Entity, doc: str) -> str:
    """The node id of an entity: shared across documents unless it is an unnamed source."""
    if entity.kind in ("unnamed", "unknown"):
        return f"entity:{doc}:{entity.id}"
    return f"entity:{entity.name.casefold()}"


def build_graph(extractions: Iterable[Extraction]) -> nx.MultiDiGraph:
    """One graph over many documents. A document without `doc_id` is named by its position."""
    graph = nx.MultiDiGraph()
    for n, extraction in enumerate(extractions):
        doc = extraction.doc_id or f"doc{n}"
        nodes = {}
        for entity in extraction.entities:
            node = nodes[entity.id] = entity_node(entity, doc)
            if node not in graph:
                graph.add_node(node, type="entity", name=entity.name, kind=entity.kind, aliases=[], docs=[],
                               mentions=0)
            attrs = graph.nodes[node]
            attrs["aliases"] += [a for a in entity.aliases if a not in attrs["aliases"]]
            if doc not in attrs["docs"]:
                attrs["docs"].append(doc)
        for claim in extraction.claims:
            node = f"claim:{doc}:{claim.id}"
            graph.add_node(
                node, type="claim", text=claim.content.text, kind=claim.kind, act=claim.act,
                cue=claim.cue.text if claim.cue else None, doc=doc, start=claim.content.start,
                end=claim.content.end, confidence=claim.confidence,
            )
            speakers = () if claim.speaker is None else claim.speaker.entity_ids or (claim.speaker.entity_id,)
            for entity_id in speakers:
                if entity_id in nodes:
                    graph.nodes[nodes[entity_id]]["mentions"] += 1
                    graph.add_edge(nodes[entity_id], node, key="said", type="said")
            for target in claim.targets:
                if target.id in nodes:
                    graph.nodes[nodes[target.id]]["mentions"] += 1
                    graph.add_edge(node, nodes[target.id], key=f"about:{target.id}", type="about")
    return graph


def write_graphml(graph: nx.Graph, path: str | os.PathLike) -> Path:
    """Write `graph` as GraphML that Gephi, Cytoscape and yEd open, atomically.

    The caller's graph is not changed. Attribute values are flattened to scalars (lists become
    "; "-joined strings), None is dropped, characters XML forbids are removed, and an attribute
    with values of several types is written as a string throughout.
    """
    path = Path(path)
    clean = _exportable(graph)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    os.close(fd)
    try:
        nx.write_graphml(clean, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_graphml(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GraphML file written by `write_graphml` back into a MultiDiGraph."""
    return nx.read_graphml(path, force_multigraph=True)


def _exportable(graph: nx.Graph) -> nx.Graph:
    out = graph.__class__()
    out.graph.update(_attributes(graph.graph))
    for node, attrs in graph.nodes(data=True):
        out.add_node(_text(str(node)), **_attributes(attrs))
    if graph.is_multigraph():
        for u, v, key, attrs in graph.edges(keys=True, data=True):
            out.add_edge(_text(str(u)), _text(str(v)), key=_text(str(key)), **_attributes(attrs))
    else:
        for u, v, attrs in graph.edges(data=True):
            out.add_edge(_text(str(u)), _text(str(v)), **_attributes(attrs))
    _unify_types(out.nodes(data=True))
    _unify_types(out.edges(data=True))
    return out


def _attributes(attrs: dict) -> dict[str, Any]:
    flat = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            value = "; ".join(str(v) for v in value)
        elif not isinstance(value, _SCALARS):
            value = str(value)
        flat[_text(str(key))] = _text(value) if isinstance(value, str) else value
    return flat


def _text(value: str) -> str:
    return _XML_ILLEGAL.sub("", value)


def _unify_types(items: Iterable) -> None:
    """GraphML declares one type per attribute: mixed ones become strings (ints with floats, floats)."""
    items = list(items)
    seen: dict[str, set[type]] = {}
    for *_, attrs in items:
        for key, value in attrs.items():
            seen.setdefault(key, set()).add(type(value))
    for key, types in seen.items():
        if len(types) < 2:
            continue
        target = float if types <= {int, float} else str
        for *_, attrs in items:
            if key in attrs:
                attrs[key] = target(attrs[key])
