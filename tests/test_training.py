"""Training the learned attribution decision: `claimx train` on a tiny corpus this test writes,
then the model in use; bad model files give coded errors.

The articles are built from invented sentences, so every offset is exact.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

import claimx
from claimx.attribution import Decision
from claimx.errors import ClaimxError
from claimx.training import Settings, train

SPEAKERS = ["Ana Lund", "Tomas Berg", "Eva Holm", "Karl Dahl", "Mira Sand", "Olle Strand"]
CLAUSES = ["the ferry will run again in May", "the harbour fees are too high", "the bridge is safe",
           "the council hid the costs", "the dredging will start soon", "the port needs a new crane"]
FILLER = ["The harbour was quiet on Monday.", "Boats waited by the pier.", "The weather stayed mild."]


def article(n: int) -> dict:
    """One article: filler sentences and two attributions, "X said that …" and "…, Y said."."""
    text, quotes = "", []
    for k in range(2):
        speaker, clause = SPEAKERS[(n + k) % 6], CLAUSES[(n + 2 * k) % 6]
        text += FILLER[(n + k) % 3] + " "
        if k == 0:
            sentence = f"{speaker} said that {clause}."
            content = sentence.index(clause)
            spans = {"content": (content, content + len(clause)), "speaker": (0, len(speaker)),
                     "cue": (len(speaker) + 1, len(speaker) + 5)}
        else:
            sentence = f"The {clause.split()[1]} is a worry, {speaker} said."
            cue = sentence.index(" said") + 1
            spans = {"content": (0, sentence.index(",")), "speaker": (cue - len(speaker) - 1, cue - 1),
                     "cue": (cue, cue + 4)}
        base = len(text)
        quotes.append({
            key: [base + a, base + b] for key, (a, b) in spans.items()
        } | {"kind": "indirect", "speaker_text": speaker})
        text += sentence + "\n\n"
    return {"id": f"a{n}", "text": text, "quotes": quotes}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "gold.jsonl"
    path.write_text("".join(json.dumps(article(n)) + "\n" for n in range(12)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(corpus, nlp):
    out = corpus.parent / "model.npz"
    lines = []
    decision = train([corpus], out, nlp=nlp, settings=Settings(folds=2, tune_share=0.25), progress=lines.append)
    return out, decision, lines


def test_training_writes_a_model_that_extraction_uses(trained):
    out, decision, lines = trained
    assert out.exists() and any("wrote" in line for line in lines)
    assert decision.meta["documents"] == 12 and decision.meta["attributions"] == 24
    nlp = claimx.load(attribution_model=str(out))
    assert nlp.get_pipe("claimx").decision.meta == Decision.read(out).meta
    result = claimx.extract("Lena Vik said that the ferry will run again in June.", nlp=nlp)
    assert [(c.speaker.name, c.content.text) for c in result.claims] == [("Lena Vik", "the ferry will run again in June")]


def test_training_is_deterministic(trained, corpus, nlp):
    out, decision, _ = trained
    again = train([corpus], None, nlp=nlp, settings=Settings(folds=2, tune_share=0.25))
    for name in ("cue", "speaker", "claim", "quote"):
        assert np.array_equal(getattr(again, name), getattr(decision, name))


def test_training_from_the_command_line(corpus, tmp_path):
    out = tmp_path / "cli.npz"
    run = subprocess.run([sys.executable, "-m", "claimx", "train", str(corpus), "-o", str(out), "--dev", str(corpus)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "claimx train" in run.stderr and "wrote" in run.stderr  # progress on standard error
    assert "overall" in run.stdout and out.exists()  # the scores on --dev


def test_training_refuses_seed_format_gold(tmp_path, nlp):
    gold = tmp_path / "seeds.jsonl"
    gold.write_text(json.dumps({"id": "x", "doc": "a.txt", "start": 0, "end": 1, "content": "x", "speaker": None,
                                "speaker_keys": [], "cue": None, "kind": "direct", "required": True,
                                "targets": []}) + "\n", encoding="utf-8")
    (tmp_path.parent / "seeds").mkdir(exist_ok=True)
    (tmp_path.parent / "seeds" / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ClaimxError, match=r"\[E102\]"):
        train([gold], None, nlp=nlp)


def test_training_without_scikit_learn_names_the_extra(monkeypatch, corpus, nlp):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # as if not installed
    with pytest.raises(ClaimxError, match=r"\[E130\].*claimx\[train\]"):
        train([corpus], None, nlp=nlp)


@pytest.mark.parametrize("content", [b"not a model", None])
def test_training_bad_model_file_is_a_coded_error(tmp_path, content):
    path = tmp_path / "bad.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ClaimxError, match=r"\[E005\].*bad.npz"):
        claimx.load(attribution_model=str(path))


def test_training_model_hashed_elsewhere_is_refused(trained, tmp_path):
    out, _, _ = trained
    with np.load(out) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(str(arrays["meta"]))
    meta["probe"] = [0, 0, 0, 0, 0]
    arrays["meta"] = np.array(json.dumps(meta))
    changed = tmp_path / "elsewhere.npz"
    np.savez_compressed(changed, **arrays)
    with pytest.raises(ClaimxError, match=r"\[E005\].*hashed differently"):
        Decision.read(changed)


@pytest.mark.parametrize("cue", ["has long said", "might be asking", "said"])
def test_training_labels_the_verb_a_several_word_cue_turns_on(nlp, cue):
    """A gold cue of several words is learned at its head word: the verb, not its auxiliary."""
    from claimx.evaluate import GoldAttribution, GoldDoc
    from claimx.training import _cue_heads

    text = f"The minister {cue} that the port will stay open."
    start = text.index(cue)
    gold = GoldDoc(id="d", text=text, attributions=(GoldAttribution(
        id="g", start=text.index("the port"), end=len(text) - 1, kind="indirect", judge="mention",
        speaker=(4, 12), cue=(start, start + len(cue))),))
    doc = nlp(text)
    assert [doc[i].text for i in _cue_heads(doc, gold)] == [cue.split()[-1]]
