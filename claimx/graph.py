"""Graph: who claimed what about whom, as networkx graphs.

`build_graph` makes one MultiDiGraph over any number of documents: entity nodes
(`type="entity"`) and claim nodes (`type="claim"`), with edges entity —said→ claim —about→
entity; document nodes (`type="document"`, with the document's metadata) and outlet nodes
(`type="outlet"`), with edges outlet —published→ document —contains→ claim; and statement nodes
(`type="statement"`, `claimx.statements`), with edges claim —reports→ statement. Named
entities merge across documents by canonical name (a person's without name particles: "al-Hadi"
is "Hadi"), a surname standing alone ("Lund") joins the one full name it belongs to, and an
acronym an article defined joins its expansion; unnamed sources ("a government official") never
merge, since two articles' officials are rarely one person. `actor_graph` projects it onto
speaker → target edges, and `actor_summary` weighs them for centrality and community analysis.
Every attribute is a scalar, so the graphs export as they are.
"""

from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from claimx.models import METADATA, Entity, Extraction
from claimx.text import XML_ILLEGAL, is_acronym, name_key, person_key

if TYPE_CHECKING:
    from claimx.statements import Statement

_UNMERGED = frozenset({"unnamed", "unknown"})
_ACRONYM = "acronym:"  # the full_names keys of acronyms, apart from surnames
_KB_NODE = "entity:kb:"  # the node id prefix of a linked entity
_LINKED = "linked:"  # the full_names keys of the names of linked entities → their KB ids
SEPARATOR = "; "  # joins list values (aliases, documents) into one string
_DOCS = "claimx_docs"  # a partial graph's attribute: (given id, name in the graph) of its documents, in order
_DOCUMENT = "document:"  # the node id prefix of a document, before its name in the graph
_OUTLET = "outlet:"  # the node id prefix of an outlet, before its name


class UniqueNames:
    """Names handed out once each: a name already taken comes back numbered, `name#2`,
    `name#3` …, the first one free, so that repeats stay apart and every run numbers alike."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._next: dict[str, int] = {}

    def take(self, name: str) -> str:
        found, n = name, self._next.get(name, 1)
        while found in self.taken:
            n += 1
            found = f"{name}#{n}"
        self._next[name] = n
        self.taken.add(found)
        return found


def build_graph(extractions: Iterable[Extraction], *, statements: bool = True) -> nx.MultiDiGraph:
    """One graph over many documents. A document is named by its `doc_id`, else `doc<N>`, less
    any character XML forbids (a file could not tell `"d\\x00"` from `"d"`); a name already taken
    is numbered, the second document named "d" becoming "d#2", the third "d#3" (or the next
    number free), so that documents sharing an id never share claim nodes. Renamed documents
    are named in a warning. With `statements`, the claims that are one statement
    (`claimx.statements.find_statements`) report to its node (see `add_statements`)."""
    docs = [(extraction.doc_id or f"doc{n}", extraction) for n, extraction in enumerate(extractions)]
    graph = finish_graph(partial_graph(docs, full_names(docs)))
    if statements:
        from claimx.statements import find_statements

        add_statements(graph, find_statements([extraction for _, extraction in docs]))
    return graph


def add_statements(graph: nx.MultiDiGraph, statements: Iterable[Statement]) -> nx.MultiDiGraph:
    """Statement nodes in a finished corpus graph, in place: each `statement:<hash>` with its
    speaker's name, its number of reports and of outlets, its first report's document and date,
    and its first report's words; an edge claim —reports→ statement from each report's claim,
    which gets the `statement_id`. Reports whose claim is not in the graph are passed over."""
    for statement in statements:
        first = statement.first
        graph.add_node(statement.statement_id, type="statement", speaker=statement.speaker_name, text=first.text,
                       n_reports=len(statement.reports),
                       n_outlets=len({r.outlet for r in statement.reports if r.outlet is not None}),
                       first_doc=first.doc_id,
                       **({} if first.published is None else {"first_published": first.published}))
        for report in statement.reports:
            if report.claim_node in graph:
                graph.nodes[report.claim_node]["statement_id"] = statement.statement_id
                graph.add_edge(report.claim_node, statement.statement_id, key="reports", type="reports")
    return graph


# A corpus too large for one process is built in parts, with the same code as build_graph:
# full_names of every part, merged (the surname rule is decided corpus-wide); a partial_graph of
# each part under those names; merge_graphs over the parts in corpus order; finish_graph.


def full_names(docs: Iterable[tuple[str, Extraction]]) -> dict[str, set[str]]:
    """Short form → the full names of the corpus it may stand for, casefolded: a surname → the
    full person names ending in it, an acronym an article defined ("NFU" in "the Northern
    Farmers Union (NFU)", kept among the entity's aliases) → the names it abbreviates, and a name an
    entity linker linked anywhere in the corpus → its knowledge-base ids."""
    names: dict[str, set[str]] = defaultdict(set)
    for _, extraction in docs:
        for entity in extraction.entities:
            if entity.kb_id is not None:  # a linked entity: its names stand for its KB id
                for alias in {entity.name, *entity.aliases}:
                    names[_LINKED + name_key(alias)].add(entity.kb_id)
            if entity.kind == "person":
                key = person_key(entity.name)
                if " " in key:
                    names[key.rsplit(" ", 1)[-1]].add(key)
            elif entity.kind not in _UNMERGED:
                key = name_key(entity.name)
                for alias in entity.aliases:
                    if is_acronym(alias) and name_key(alias) != key:
                        names[_ACRONYM + name_key(alias)].add(key)
    return dict(names)


def _kb_id(entity: Entity, full_names: dict[str, set[str]]) -> str | None:
    """The entity's KB id: its own link, else the one id its name was linked to elsewhere."""
    if entity.kb_id is not None:
        return entity.kb_id
    linked = full_names.get(_LINKED + name_key(entity.name), ())
    return next(iter(linked)) if len(linked) == 1 else None


def merge_full_names(parts: Iterable[dict[str, set[str]]]) -> dict[str, set[str]]:
    """The full names of a corpus from those of its parts."""
    names: dict[str, set[str]] = defaultdict(set)
    for part in parts:
        for surname, full in part.items():
            names[surname] |= full
    return dict(names)


def partial_graph(docs: Iterable[tuple[str, Extraction]], names: dict[str, set[str]]) -> nx.MultiDiGraph:
    """The graph of some named documents of a corpus whose `full_names` are `names`, the documents
    named apart as `build_graph` says. An entity's `aliases` and `docs` are still ordered sets
    (dicts), and the graph keeps its documents' names, so that parts merge exactly."""
    graph = nx.MultiDiGraph()
    doc_names = UniqueNames()
    graph.graph[_DOCS] = named = []
    for given, extraction in docs:
        doc = doc_names.take(_doc_name(given))
        named.append((given, doc))
        document = _document_node(graph, doc, extraction)
        node_of = {entity.id: entity_node(entity, doc, names) for entity in extraction.entities}
        for entity in extraction.entities:
            node = node_of[entity.id]
            if node not in graph:
                graph.add_node(node, type="entity", name=entity.name, kind=entity.kind,
                               kb_id=node.removeprefix(_KB_NODE) if node.startswith(_KB_NODE) else "",
                               mentions=0, aliases={}, docs={})
            graph.nodes[node]["name"] = fuller_name(graph.nodes[node]["name"], entity.name)
            graph.nodes[node]["aliases"].update(dict.fromkeys(entity.aliases))
            graph.nodes[node]["docs"][doc] = None
        for claim in extraction.claims:
            node = f"claim:{doc}:{claim.id}"
            graph.add_node(
                node, type="claim", text=claim.content.text, kind=claim.kind, act=claim.act,
                cue=claim.cue.text if claim.cue else "", speaker=claim.speaker.name if claim.speaker else "",
                doc=doc, start=claim.content.start, end=claim.content.end, confidence=claim.confidence,
            )
            graph.add_edge(document, node, key="contains", type="contains")
            speakers = () if claim.speaker is None else claim.speaker.entity_ids or (claim.speaker.entity_id,)
            for entity_id in speakers:
                if entity_id in node_of:
                    graph.nodes[node_of[entity_id]]["mentions"] += 1
                    graph.add_edge(node_of[entity_id], node, key="said", type="said")
            for target in claim.targets:
                if target.id in node_of:
                    graph.nodes[node_of[target.id]]["mentions"] += 1
                    graph.add_edge(node, node_of[target.id], key="about", type="about")
    return graph


def _document_node(graph: nx.MultiDiGraph, doc: str, extraction: Extraction) -> str:
    """Add document `doc`'s node, with the metadata it has, and its outlet's node and edge."""
    node = _DOCUMENT + doc
    meta = {field: getattr(extraction, field) for field in METADATA if getattr(extraction, field) is not None}
    graph.add_node(node, type="document", doc=doc, **meta)
    outlet = _doc_name(extraction.outlet or "").strip()
    if outlet:
        if _OUTLET + outlet not in graph:
            graph.add_node(_OUTLET + outlet, type="outlet", name=outlet)
        graph.add_edge(_OUTLET + outlet, node, key="published", type="published")
    return node


def fuller_name(current: str, other: str) -> str:
    """The name an entity node keeps: the one of more words ("Lena Marsh" over "Marsh", which
    a document naming her by surname alone gave first), else the first given."""
    return other if len(other.split()) > len(current.split()) else current


def merge_graphs(graphs: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """Partial graphs of consecutive parts of a corpus, in corpus order, as one partial graph:
    what `partial_graph` gives for the whole corpus, a later part's documents renamed where an
    earlier part took their names. The inputs are not changed."""
    merged = nx.MultiDiGraph()
    doc_names = UniqueNames()
    merged.graph[_DOCS] = named = []
    for graph in graphs:
        renamed = {}
        for given, doc in graph.graph.get(_DOCS, ()):
            name = doc_names.take(_doc_name(given))
            named.append((given, name))
            if name != doc:
                renamed[doc] = name
        if renamed:
            graph = _renamed_docs(graph, renamed)
        for node, data in graph.nodes(data=True):
            if node not in merged:
                merged.add_node(node, **{k: dict(v) if isinstance(v, dict) else v for k, v in data.items()})
            elif data["type"] == "entity":  # the first part to name an entity gives its kind
                mine = merged.nodes[node]
                mine["name"] = fuller_name(mine["name"], data["name"])
                mine["mentions"] += data["mentions"]
                mine["aliases"].update(data["aliases"])
                mine["docs"].update(data["docs"])
            else:
                merged.nodes[node].update(data)
        merged.add_edges_from(graph.edges(keys=True, data=True))
    return merged


def _doc_name(given: str) -> str:
    return XML_ILLEGAL.sub("", given)


def named_documents(extractions: Iterable[Extraction]) -> list[tuple[str, str, Extraction]]:
    """(given name, name in the graph, extraction) of each document, named as `build_graph`
    names them: its `doc_id`, else `doc<N>`, cleaned for XML and numbered apart when taken."""
    doc_names = UniqueNames()
    named = []
    for n, extraction in enumerate(extractions):
        given = extraction.doc_id or f"doc{n}"
        named.append((given, doc_names.take(_doc_name(given)), extraction))
    return named


def _renamed_docs(graph: nx.MultiDiGraph, renamed: dict[str, str]) -> nx.MultiDiGraph:
    """A copy of a partial graph with documents renamed (old name → new, all at once): their
    document and claim nodes, their unnamed entities' nodes and every `doc` and `docs` entry
    naming them."""
    def new_id(node: str, data: dict) -> str:
        if data["type"] == "claim":
            doc = data["doc"]
            return f"claim:{renamed[doc]}:{node.removeprefix(f'claim:{doc}:')}" if doc in renamed else node
        if data["type"] == "document":
            return _DOCUMENT + renamed[data["doc"]] if data["doc"] in renamed else node
        if data["type"] != "entity":
            return node
        if data["kind"] in _UNMERGED and len(data["docs"]) == 1:  # an unnamed entity, of one document
            doc = next(iter(data["docs"]))
            if doc in renamed and node.startswith(f"entity:{doc}:"):
                return f"entity:{renamed[doc]}:{node.removeprefix(f'entity:{doc}:')}"
        return node

    ids = {node: new_id(node, data) for node, data in graph.nodes(data=True)}
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        data = dict(data)
        if "doc" in data:
            data["doc"] = renamed.get(data["doc"], data["doc"])
        if "docs" in data:
            data["docs"] = {renamed.get(doc, doc): None for doc in data["docs"]}
        out.add_node(ids[node], **data)
    out.add_edges_from((ids[u], ids[v], key, data) for u, v, key, data in graph.edges(keys=True, data=True))
    return out


def finish_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A partial graph made final, in place: an entity's aliases and documents joined into
    strings, an entity's and an outlet's `n_docs`; documents renamed apart (see `build_graph`)
    are named in a warning."""
    renamed = [f"{given!r} is {doc!r}" for given, doc in graph.graph.pop(_DOCS, ()) if doc != given]
    if renamed:
        more = f" and {len(renamed) - 10} more" if len(renamed) > 10 else ""
        warnings.warn("claimx: documents renamed in the graph, since their ids repeat or hold characters XML "
                      f"forbids: {', '.join(renamed[:10])}{more}", stacklevel=3)
    for node, data in graph.nodes(data=True):
        if data["type"] == "entity":
            data["n_docs"] = len(data["docs"])
            data["aliases"] = SEPARATOR.join(data["aliases"])
            data["docs"] = SEPARATOR.join(data["docs"])
        elif data["type"] == "outlet":
            data["n_docs"] = graph.out_degree(node)
    return graph


def entity_node(entity: Entity, doc: str, full_names: dict[str, set[str]]) -> str:
    """The node id of an entity of document `doc` in the graph of a corpus whose `full_names` are given."""
    if entity.kind in _UNMERGED:
        return f"entity:{doc}:{entity.id}"
    kb_id = _kb_id(entity, full_names)
    if kb_id is not None:
        return _KB_NODE + kb_id
    if entity.kind == "person":
        name = person_key(entity.name)
        if " " not in name and len(full_names.get(name, ())) == 1:
            name = next(iter(full_names[name]))  # "Lund" alone is the one Karin Lund of the corpus
        return f"entity:{name}"
    name = name_key(entity.name)
    expansions = full_names.get(_ACRONYM + name, ())
    if len(expansions) == 1:
        name = next(iter(expansions))  # "NFU", which an article defined as the Northern Farmers Union
    return f"entity:{name}"


def actor_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Speaker → target, one edge per claim and target, keyed by the claim node, carrying the
    claim's text, act, kind, document and confidence. A claim with no target gives no edge."""
    actors = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        if data.get("type") == "entity":
            actors.add_node(node, **data)
    for claim, data in graph.nodes(data=True):
        if data.get("type") != "claim":
            continue
        speakers = [u for u, _, k in graph.in_edges(claim, keys=True) if k == "said"]
        targets = [v for _, v, d in graph.out_edges(claim, data=True) if d.get("type") == "about"]
        for speaker in speakers:
            for target in targets:
                if target != speaker:
                    actors.add_edge(speaker, target, key=claim, text=data["text"], act=data["act"],
                                    kind=data["kind"], doc=data["doc"], confidence=data["confidence"])
    return actors


def as_actors(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The actor graph of a claims graph; an actor graph is returned as it is."""
    return actor_graph(graph) if any(d.get("type") == "claim" for _, d in graph.nodes(data=True)) else graph


def actor_summary(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """A weighted DiGraph of the actor graph: `weight` is the number of claims from speaker to
    target, `acts` how many of each act ("accusation: 2; claim: 1"), with one `n_<act>` count
    per act, for centrality and community analysis."""
    actors = as_actors(graph)
    summary = nx.DiGraph()
    summary.add_nodes_from(n for n in actors.nodes(data=True) if actors.degree(n[0]))
    acts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for u, v, data in actors.edges(data=True):
        acts[u, v][data["act"]] += 1
    for (u, v), counts in acts.items():
        summary.add_edge(u, v, weight=sum(counts.values()),
                         acts=SEPARATOR.join(f"{act}: {n}" for act, n in sorted(counts.items())),
                         **{f"n_{act}": n for act, n in counts.items()})
    return summary
