"""Entity linking: the ``torkg_mentions`` component and the reference tables it is built from."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from torkg.ingest.entities import (SPANS_KEY, MentionRuler, PatternError, is_acronym, mentions_of,
                                   read_pattern_files)
from torkg.ingest.reference import Entry, Reference, load_reference, read_reference

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def nlp():
    blank = spacy.blank("en")
    blank.add_pipe("torkg_mentions")
    return blank


def linked(nlp, text: str, kind: str | None = None) -> list[tuple[str, str, str]]:
    return [(m.text, m.kind, m.key) for m in mentions_of(nlp(text)) if kind is None or m.kind == kind]


# -- reference tables ---------------------------------------------------------------------
def test_reference_tables_hold_every_kind_with_canonical_keys():
    ref = load_reference()
    assert {"un-entity", "instrument", "working-principle", "gcm-principle", "gcm-objective",
            "stakeholder", "country", "region"} <= set(ref.kinds)
    assert ref.find("un-entity", "UNESCAP").key == "ESCAP"
    assert ref.find("un-entity", "DESA").key == "UNDESA"
    assert ref.find("un-entity", "un drr").key == "UNDRR"
    assert ref.find("un-entity", "UNW").key == "UN-WOMEN"
    assert ref.get("country", "KG").label == "Kyrgyzstan"
    assert len(ref.of_kind("gcm-objective")) == 23
    assert {e.key for e in ref.of_kind("working-principle")} == {
        "accountability", "human-rights-based-approach", "coherence", "unity-of-purpose",
        "efficiency", "inclusivity", "results-oriented", "agility"}


def test_reference_error_names_the_broken_file(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skos:notation \n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.ttl"):
        read_reference([bad])


# -- the component ------------------------------------------------------------------------
def test_component_puts_linked_spans_in_doc_spans(nlp):
    doc = nlp("IOM will serve as the Coordinator and Secretariat of the Network.")
    span = doc.spans[SPANS_KEY][0]
    assert (span.text, span.label_, span.kb_id_) == ("IOM", "un-entity", "IOM")
    assert "torkg_mentions" in nlp.pipe_names


def test_acronyms_are_case_sensitive_names_are_not(nlp):
    assert linked(nlp, "Those who wish to join, and WHO.", "un-entity") == [("WHO", "un-entity", "WHO")]
    assert linked(nlp, "the united nations children's fund") == [
        ("united nations children's fund", "un-entity", "UNICEF")]
    assert is_acronym("UNAoC") and not is_acronym("UN Women")


@pytest.mark.parametrize("text, key", [
    ("Members: DESA and UNESCAP", ["UNDESA", "ESCAP"]),
    ("UN DRR, UNFPA, UN Women.", ["UNDRR", "UNFPA", "UN-WOMEN"]),
    ("IOM, UNODC, UNDP, UNW, FAO", ["IOM", "UNODC", "UNDP", "UN-WOMEN", "FAO"]),
    ("the UN Resident Co-ordinator and the Resident Coordinator’s Office", ["RC", "RCO"]),
    ("United Nations Educational, Social and Cultural Organization (UNESCO)", ["UNESCO", "UNESCO"]),
])
def test_aliases_link_to_canonical_acronyms(nlp, text, key):
    assert [k for _, _, k in linked(nlp, text, "un-entity")] == key


@pytest.mark.parametrize("text, mention, key", [
    ("Coordinator and Secretariat: IOM Mission in the Kyrgyz Republic", "IOM Mission", "IOM"),
    ("The Regional Office of IOM, Asia-Pacific serves as", "Regional Office of IOM", "IOM"),
    ("co-chaired by the UN Resident Co-ordinator and Head of IOM Office", "Head of IOM Office", "IOM"),
    ("UNHCR's country office will host it", "UNHCR's country office", "UNHCR"),
])
def test_offices_and_heads_of_an_entity_denote_the_entity(nlp, text, mention, key):
    assert (mention, "un-entity", key) in linked(nlp, text, "un-entity")


def test_longest_match_wins_and_network_names_are_not_agencies(nlp):
    # "UN Migration" is an alias of IOM, but "UN Migration Network" names a network.
    assert linked(nlp, "The UN Migration Network will meet.") == [
        ("UN Migration Network", "network", "network")]
    assert linked(nlp, "drawing on the global UN Network on Migration") == [
        ("global UN Network on Migration", "network", "global")]
    assert linked(nlp, "the Office of the High Commissioner for Human Rights", "un-entity") == [
        ("Office of the High Commissioner for Human Rights", "un-entity", "OHCHR")]


def test_mentions_never_cross_blank_lines_or_hold_markup(nlp):
    doc = nlp("Global Compact for Safe, Orderly and Regular Migration\n\nMission Statement\n\n"
              "- **Coordinator and Secretariat:** IOM\n*** Network's Executive Committee**")
    for m in mentions_of(doc):
        assert "\n" not in m.text and "*" not in m.text, m
    assert ("Global Compact for Safe, Orderly and Regular Migration", "gcm") in {
        (m.text, m.key) for m in mentions_of(doc)}


def test_gcm_objective_number_lists(nlp):
    found = linked(nlp, "(addressing GCM objectives 2, 5, 6, 12 and 18); objective 14; objectives 21-23",
                   "gcm-objective")
    assert [k for _, _, k in found] == ["2", "5", "6", "12", "18", "14", "21", "22", "23"]
    assert linked(nlp, "GCM objective 24 and 0", "gcm-objective") == []


def test_concepts_principles_instruments_and_places(nlp):
    found = {(k, key) for _, k, key in linked(nlp, (
        "guided by the UN Charter, relevant international laws and instruments, the 2030 Agenda and "
        "the SDGs; a human rights-based, gender-responsive approach; inclusiveness; civil society "
        "organizations; the Kyrgyz Republic and Asia and the Pacific"))}
    assert {("instrument", "un-charter"), ("instrument", "international-law"), ("instrument", "agenda-2030"),
            ("instrument", "sdgs"), ("working-principle", "human-rights-based-approach"),
            ("gcm-principle", "gender-responsive"), ("working-principle", "inclusivity"),
            ("stakeholder", "civil-society"), ("country", "KG"), ("region", "asia-pacific")} <= found


def test_country_codes_are_not_names(nlp):
    assert linked(nlp, "The meeting starts at 11 AM in IN.", "country") == []


def test_pattern_files_add_token_patterns(tmp_path):
    (tmp_path / "mentions.json").write_text(
        (Path(__file__).resolve().parents[1] / "ingest" / "patterns" / "mentions.json").read_text(encoding="utf-8"),
        encoding="utf-8")
    (tmp_path / "themes.jsonl").write_text(
        json.dumps({"label": "theme", "id": "data", "pattern": [{"LOWER": "data"}, {"LOWER": "collection"}]}) + "\n"
        + json.dumps({"label": "theme", "id": "returns", "pattern": "return and reintegration"}) + "\n",
        encoding="utf-8")
    blank = spacy.blank("en")
    ruler = MentionRuler(blank, patterns_dir=str(tmp_path), reference=Reference((
        Entry("IOM", "un-entity", "x", "International Organization for Migration",
              ("International Organization for Migration",), ("OIM",), "IOM"),)))
    doc = ruler(blank("IOM supports data collection and Return and Reintegration."))
    assert [(m.kind, m.key) for m in mentions_of(doc)] == [
        ("un-entity", "IOM"), ("theme", "data"), ("theme", "returns")]


def test_themes_overlay_other_mentions(nlp):
    # a theme pattern (from themes.jsonl) may cover a whole phrase; the stakeholders inside stay.
    found = linked(nlp, "The Network will engage with civil society, migrants, academia and the private sector.")
    assert {("civil-society", "stakeholder"), ("academia", "stakeholder"), ("private-sector", "stakeholder")} <= {
        (k, kind) for _, kind, k in found}


def test_a_bad_pattern_line_names_its_file_and_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"label": "theme", "id": "x"}\n', encoding="utf-8")
    with pytest.raises(PatternError, match=r"bad.jsonl:1"):
        read_pattern_files(tmp_path)


def test_mentions_of_a_doc_without_the_component_says_what_to_do():
    with pytest.raises(KeyError, match="add_pipe"):
        mentions_of(spacy.blank("en")("text"))


def test_corpus_member_list_links_every_annex_ii_entity(nlp):
    text = (CORPUS / "global-tor.md").read_text(encoding="utf-8")
    annex = text[text.index("Annex II"):]
    keys = {m.key for m in mentions_of(nlp(annex)) if m.kind == "un-entity"}
    assert {"CEB", "UNDESA", "UNAOC", "ECA", "ECLAC", "ESCAP", "ESCWA", "ECE", "UN-WOMEN",
            "UN-HABITAT", "UNSDG", "WORLD-BANK", "WHO", "UNESCO"} <= keys


def test_the_real_model_pipeline_keeps_the_same_mentions(nlp):
    from torkg.ingest.pipeline import find_mentions
    text = "The Network will be co-chaired by the UN Resident Co-ordinator and Head of IOM Office."
    found = [(m.text, m.kind, m.key) for m in find_mentions(text) if m.kind == "un-entity"]
    assert found == linked(nlp, text, "un-entity") == [
        ("UN Resident Co-ordinator", "un-entity", "RC"), ("Head of IOM Office", "un-entity", "IOM")]


ROOT = Path(__file__).resolve().parents[1]
TEXTS = sorted(p for d in (ROOT / "corpus", ROOT / "tests" / "data") for p in d.rglob("*")
               if p.suffix in (".md", ".txt"))


def test_line_by_line_token_matching_finds_what_one_whole_text_matcher_finds(nlp):
    from spacy.matcher import Matcher

    from torkg.ingest.entities import _SEP, read_pattern_files

    ruler = nlp.get_pipe("torkg_mentions")
    whole = Matcher(nlp.vocab)
    for item in read_pattern_files():
        if isinstance(item["pattern"], list):
            whole.add(item["label"] + _SEP + str(item["id"]), [item["pattern"]])
    assert len(TEXTS) >= 10
    total = 0
    for path in TEXTS:
        doc = nlp.make_doc(path.read_text(encoding="utf-8"))

        def kept(matches):
            return {(m, MentionRuler._clean(doc, a, b)) for m, a, b in matches if MentionRuler._clean(doc, a, b)}
        expected = kept(whole(doc))
        assert kept(ruler.tokens(doc)) == expected, path.name
        total += len(expected)
    assert total > 100                          # the patterns do match in these texts


def test_a_pattern_is_tried_only_on_lines_holding_its_required_words():
    from torkg.ingest.entities import _required_words

    pattern = [{"LOWER": {"IN": ["who", "that"]}, "OP": "?"}, {"LOWER": "serve"},
               {"IS_PUNCT": False, "OP": "{0,3}"}, {"ORTH": {"IN": ["GCM", "Compact"]}, "OP": "+"},
               {"LOWER": "x", "OP": "!"}]
    assert _required_words(pattern) == (("LOWER", frozenset({"serve"})), ("ORTH", frozenset({"GCM", "Compact"})))
