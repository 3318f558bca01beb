"""Entity links from the user's pipeline: a real spaCy EntityLinker over a knowledge base built
here. Its KB id is the entity's identity, inside a document and across a corpus."""

import pytest

import claimx
from claimx.graph import build_graph

TEXT = ("Acme Industries said on Monday that prices would rise. "
        "On Tuesday, Acme Corp. said the factory would stay open.")


def _kb(vocab):
    from spacy.kb import InMemoryLookupKB

    kb = InMemoryLookupKB(vocab, entity_vector_length=2)
    kb.add_entity("Q100", freq=10, entity_vector=[1.0, 0.0])
    for alias in ("Acme Industries", "Acme Corp."):  # two names the KB knows are one company
        kb.add_alias(alias, ["Q100"], [1.0])
    return kb


@pytest.fixture(scope="module")
def linked_nlp():
    import spacy
    from spacy.training import Example

    from claimx.loading import choose_model

    nlp = spacy.load(choose_model())
    linker = nlp.add_pipe("entity_linker", config={"incl_context": False}, last=True)
    doc = nlp.make_doc("Acme Industries said so.")
    example = Example.from_dict(doc, {"entities": [(0, 15, "ORG")], "links": {(0, 15): {"Q100": 1.0}}})
    linker.initialize(get_examples=lambda: [example], kb_loader=_kb)
    assert [e.kb_id_ for e in nlp(TEXT).ents if e.label_ == "ORG"] == ["Q100", "Q100"]
    return nlp


def test_linking_kb_id_makes_two_names_one_entity(linked_nlp):
    result = claimx.extract(TEXT, nlp=linked_nlp)
    assert len(result.claims) == 2
    ids = {c.speaker.entity_id for c in result.claims}
    assert len(ids) == 1
    entity = result.entity(ids.pop())
    assert (entity.name, entity.kb_id) == ("Acme Industries", "Q100")
    assert "Acme Corp." in entity.aliases


def test_linking_kb_id_is_the_graph_node_across_documents(linked_nlp, nlp):
    linked = claimx.extract(TEXT, nlp=linked_nlp, doc_id="a")
    unlinked = claimx.extract("Acme Corp. said the strike was over.", nlp=nlp, doc_id="b")
    assert unlinked.claims[0].speaker is not None
    assert unlinked.entity(unlinked.claims[0].speaker.entity_id).kb_id is None  # no linker, no id
    graph = build_graph([linked, unlinked])
    node = graph.nodes["entity:kb:Q100"]
    assert (node["kb_id"], node["n_docs"]) == ("Q100", 2)  # the linked name joins in the other article
    assert not [n for n, d in graph.nodes(data=True) if d.get("name") == "Acme Corp."]


def test_linking_without_a_linker_changes_nothing(nlp):
    result = claimx.extract(TEXT, nlp=nlp)
    assert {result.entity(c.speaker.entity_id).name for c in result.claims} == {"Acme Industries", "Acme Corp."}
    assert all(e.kb_id is None for e in result.entities)
