"""Report: a corpus as one self-contained HTML page a journalist can open offline.

The page holds an index of the documents (with their outlet and publication date where known),
the top speakers with their claims per act, a who-about-whom network (speakers to targets, one edge per act, from `claimx.layout`), a table
of every claim with filters by speaker, target, act, kind and confidence, and each article with
its claims highlighted (`claimx.view`). Clicking a node, an edge or a speaker filters the table;
each claim links to its place in its article. The script and styles are inside the page, and
its content security policy lets it load nothing else.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from claimx.colours import ACT_COLOURS, ACT_TINTS
from claimx.models import Claim, Extraction
from claimx.text import without_surrogates

TOP_SPEAKERS = 25
TOP_PAIRS = 20


@dataclass(frozen=True)
class Row:
    """One claim as the table shows it: entity keys (`e<N>`) for the filters, its anchor."""

    claim: Claim
    text: str
    doc: str
    doc_index: int
    anchor: str
    node: str
    speakers: tuple[str, ...]
    targets: tuple[str, ...]
    speaker_names: str
    target_names: str


@dataclass(frozen=True)
class Edge:
    """One drawn edge of the network: a speaker's claims of one act about one target."""

    source: str
    target: str
    act: str
    claims: int
    path: str
    width: float
    title: str


def write_html(extractions: Extraction | Iterable[Extraction], path: str | os.PathLike, *,
               title: str | None = None, top: int = 30, statements: list | None = None) -> Path | None:
    """Write the report of one document or a corpus as a standalone page ("-": standard output).
    `top` is how many actors the network shows; `statements`, the corpus's `find_statements`
    when the caller has them already."""
    from claimx.exports import write_text

    page = render_report(extractions, title=title, top=top, statements=statements)
    return write_text(path, lambda out: out.write(page))


def render_report(extractions: Extraction | Iterable[Extraction], *, title: str | None = None,
                  top: int = 30, statements: list | None = None) -> str:
    """The report page as a string (see `write_html`)."""
    from claimx import __version__
    from claimx.graph import add_statements, build_graph
    from claimx.layout import actor_layout
    from claimx.statements import find_statements
    from claimx.view import article_pieces, environment

    docs = [extractions] if isinstance(extractions, Extraction) else list(extractions)
    graph = build_graph(docs, statements=False)
    if statements is None:
        statements = find_statements(docs)
    add_statements(graph, statements)
    keys = _entity_keys(graph)
    names = {keys[node]: without_surrogates(data["name"]) for node, data in graph.nodes(data=True) if node in keys}
    rows = _rows(docs, graph, keys, names)
    layout = actor_layout(graph, top=top, width=820.0, height=640.0)  # about its width on a laptop's page
    shown = {a.id for a in layout.actors}
    acts = [act for act in ACT_COLOURS if any(r.claim.act == act for r in rows)]
    shown_statements = _statements(statements, {row.node: row for row in rows})
    cited = {report["anchor"]: (item["n"], len(item["reports"])) for item in shown_statements
             for report in item["reports"]}
    documents = [
        {"n": n, "name": without_surrogates(_doc_name(doc, n)), "claims": len(doc.claims),
         "outlet": without_surrogates(doc.outlet or ""), "published": without_surrogates(doc.published or ""),
         "speakers": len({c.speaker.name for c in doc.claims if c.speaker}),
         "pieces": article_pieces(doc, anchor=f"d{n}-")}
        for n, doc in enumerate(docs)
    ]
    return environment().get_template("report.html").render(
        title=without_surrogates(title or "claimx report"),
        version=__version__,
        documents=documents,
        any_outlet=any(doc.outlet for doc in docs),
        any_published=any(doc.published for doc in docs),
        rows=rows,
        acts=acts,
        colours=ACT_COLOURS,
        tints=ACT_TINTS,
        speakers=_top_speakers(rows, names),
        pairs=_top_pairs(rows, names),
        statements=shown_statements,
        cited=cited,
        speaker_options=_options(rows, names, "speakers"),
        target_options=_options(rows, names, "targets"),
        kinds=[k for k in ("direct", "mixed", "indirect") if any(r.claim.kind == k for r in rows)],
        layout=layout,
        actors=[(keys[a.id], a) for a in layout.actors],
        edges=_edges(layout, keys),
        n_actors=len(_actors(rows, names)),
        n_shown=len(shown),
        script=_script(),
    )


def _statements(statements, row_of: dict[str, Row]) -> list[dict]:
    """The statements as the page lists them, those carried by most outlets and reports first:
    each report with its outlet, date, kind, words and anchor, and the words it adds, drops or
    changes against the longest quote."""
    items = []
    for statement in statements:
        drift = {(d.doc_id, d.claim_id): d for d in statement.drift}
        reports = []
        for report in statement.reports:
            row = row_of.get(report.claim_node)
            if row is None:
                continue
            d = drift.get((report.doc_id, report.claim_id))
            reports.append({
                "anchor": row.anchor, "doc": row.doc, "outlet": without_surrogates(report.outlet or ""),
                "published": without_surrogates(report.published or ""), "kind": report.kind,
                "text": without_surrogates(report.text), "longest": report == statement.longest,
                "added": [without_surrogates(w) for w in d.added] if d else [],
                "dropped": [without_surrogates(w) for w in d.dropped] if d else [],
                "changed": [(without_surrogates(a), without_surrogates(b)) for a, b in d.changed] if d else [],
            })
        if len(reports) > 1:
            items.append({"speaker": without_surrogates(statement.speaker_name), "reports": reports,
                          "outlets": len({r["outlet"] for r in reports if r["outlet"]}),
                          "documents": len({r["anchor"].split("-")[0] for r in reports})})
    items.sort(key=lambda item: (-item["outlets"], -item["documents"], -len(item["reports"])))
    for n, item in enumerate(items):
        item["n"] = n
    return items


def _doc_name(doc: Extraction, n: int) -> str:
    return doc.doc_id or f"doc{n}"


def _entity_keys(graph) -> dict[str, str]:
    """Graph entity node → a short key safe in HTML attributes and CSS selectors."""
    return {node: f"e{i}" for i, (node, data) in enumerate(graph.nodes(data=True)) if data.get("type") == "entity"}


def _rows(docs: list[Extraction], graph, keys: dict[str, str], names: dict[str, str]) -> list[Row]:
    """Every claim with its speakers and targets as graph entities. The graph makes its claim
    nodes in document and claim order, one per claim, so the two sequences pair up."""
    nodes = [node for node, data in graph.nodes(data=True) if data.get("type") == "claim"]
    claims = [(n, claim) for n, doc in enumerate(docs) for claim in doc.claims]
    if len(nodes) != len(claims):  # pragma: no cover - a broken invariant of build_graph
        raise RuntimeError(f"the graph has {len(nodes)} claim nodes for {len(claims)} claims")
    rows = []
    for node, (n, claim) in zip(nodes, claims):
        speakers = tuple(keys[u] for u, _, k in graph.in_edges(node, keys=True) if k == "said")
        targets = tuple(dict.fromkeys(keys[v] for _, v, d in graph.out_edges(node, data=True)
                                      if d.get("type") == "about"))
        rows.append(Row(
            claim=claim, text=without_surrogates(claim.text), doc=without_surrogates(_doc_name(docs[n], n)), doc_index=n,
            anchor=f"d{n}-{claim.id}", node=node, speakers=speakers, targets=targets,
            speaker_names=", ".join(names[s] for s in speakers) or
            (without_surrogates(claim.speaker.name) if claim.speaker else "—"),
            target_names=", ".join(names[t] for t in targets),
        ))
    return rows


def _actors(rows: list[Row], names: dict[str, str]) -> set[str]:
    """The entities the network may show: those a claim links to another, named with a letter."""
    from claimx.layout import has_letter

    linked = {key for row in rows for s in row.speakers for t in row.targets if s != t for key in (s, t)}
    return {key for key in linked if has_letter(names[key])}


def _top_speakers(rows: list[Row], names: dict[str, str]) -> list[dict]:
    """The speakers with most claims: their key, name, claims per act, total and documents."""
    acts: dict[str, Counter] = {}
    docs: dict[str, set[int]] = {}  # by index: two documents may share a name
    for row in rows:
        for key in row.speakers:
            acts.setdefault(key, Counter())[row.claim.act] += 1
            docs.setdefault(key, set()).add(row.doc_index)
    ranked = sorted(acts, key=lambda key: (-sum(acts[key].values()), names[key].casefold()))
    return [{"key": key, "name": names[key], "acts": acts[key], "total": sum(acts[key].values()),
             "docs": len(docs[key])} for key in ranked[:TOP_SPEAKERS]]


def _top_pairs(rows: list[Row], names: dict[str, str]) -> list[dict]:
    """The speaker → target pairs with most claims, with their claims per act, most first."""
    acts: dict[tuple[str, str], Counter] = {}
    for row in rows:
        for speaker in row.speakers:
            for target in row.targets:
                if target != speaker:
                    acts.setdefault((speaker, target), Counter())[row.claim.act] += 1
    ranked = sorted(acts, key=lambda pair: (-sum(acts[pair].values()), names[pair[0]].casefold(),
                                            names[pair[1]].casefold()))
    return [{"speaker": s, "target": t, "speaker_name": names[s], "target_name": names[t],
             "acts": acts[s, t].most_common(), "total": sum(acts[s, t].values())} for s, t in ranked[:TOP_PAIRS]]


def _options(rows: list[Row], names: dict[str, str], field: str) -> list[tuple[str, str, int]]:
    """(key, name, claims) of every entity in a row's `field`, most claims first."""
    counts = Counter(key for row in rows for key in getattr(row, field))
    return sorted(((key, names[key], n) for key, n in counts.items()), key=lambda o: (-o[2], o[1].casefold()))


def _edges(layout, keys: dict[str, str]) -> list[Edge]:
    """The layout's edges as SVG curves from rim to rim, as the picture draws them: a pair's first
    act on the layout's own curve, which labels keep clear of, its other acts bowed further out."""
    from claimx.layout import BOW, edge_curve

    at = {a.id: a for a in layout.actors}
    drawn: Counter = Counter()
    out = []
    for source, target, act, claims in layout.edges:
        a, b = at[source], at[target]
        (sx, sy), (cx, cy), (ex, ey) = edge_curve(a, b, BOW + 0.12 * drawn[source, target])
        drawn[source, target] += 1
        out.append(Edge(
            source=keys[source], target=keys[target], act=act, claims=claims,
            path=f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}",
            width=round(1.2 + 1.3 * math.sqrt(claims), 2),
            title=without_surrogates(f"{a.name} → {b.name}: {claims} claim{'' if claims == 1 else 's'} ({act})"),
        ))
    return out


@cache
def _script() -> str:
    return files("claimx").joinpath("static", "report.js").read_text(encoding="utf-8")
