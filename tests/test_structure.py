"""Network-structure facts from prose, lists, tables and annexes."""
from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import spacy

from torkg.ingest.entities import mentions_of
from torkg.ingest.infer import infer_meta
from torkg.ingest.model import DocumentMeta
from torkg.ingest.segment import segment
from torkg.ingest.structure import extract_facts, main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
EVAL = Path("/work/shared/eval")


@pytest.fixture(scope="module")
def nlp():
    blank = spacy.blank("en")
    blank.add_pipe("torkg_mentions")
    return blank


def facts_of(nlp, text: str, meta: DocumentMeta | None = None, seg=True) -> dict[str, set[str]]:
    doc = nlp(text)
    meta = meta or infer_meta("doc", text)
    found = defaultdict(set)
    for fact in extract_facts(doc, segment(text) if seg else None, mentions_of(doc), [], meta):
        found[fact.key].add(fact.value)
        assert 0 <= fact.start < fact.end <= len(text)
    return found


COUNTRY = DocumentMeta(id="x", level="country", network="ghana", network_name="UN Network on Migration in Ghana")
REGIONAL = DocumentMeta(id="x", level="regional", network="west-and-central-africa")


# -- roles ----------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, role, holders", [
    ("IOM will serve as the Coordinator and Secretariat of the Network.", "secretariat", {"IOM"}),
    ("UNDP will serve as the Secretariat of the Network.", "secretariat", {"UNDP"}),
    ("The Network Coordinator is UNHCR.", "coordinator", {"UNHCR"}),
    ("The Network is coordinated by IOM, which also provides the secretariat.", "secretariat", {"IOM"}),
    ("The Secretariat of the Network will be hosted by UNFPA.", "secretariat", {"UNFPA"}),
    ("Secretariat support shall be provided jointly by IOM and UNDP.", "secretariat", {"IOM", "UNDP"}),
    ("UNICEF shall act as the Network's secretariat.", "secretariat", {"UNICEF"}),
    ("The Network will be co-chaired by the UN Resident Co-ordinator and Head of IOM Office.",
     "co_chairs", {"RC", "IOM"}),
    ("The Resident Coordinator and UNHCR will jointly co-chair the Network.", "co_chairs", {"RC", "UNHCR"}),
    ("The Network will include Working Groups with IOM serving as their Secretariat.", "secretariat", set()),
    ("IOM serves as coordinator and, together with UNHCR, ensures the secretariat of the Network.",
     "secretariat", {"IOM", "UNHCR"}),
    ("A Secretariat shall be established within the IOM Regional Office for South America.",
     "secretariat", {"IOM"}),
    ("The Regional Network will be convened by IOM (as the Coordinator and Secretariat) who will:",
     "coordinator", {"IOM"}),
])
def test_role_holders_from_prose(nlp, sentence, role, holders):
    assert facts_of(nlp, "Structure\n\n" + sentence + "\n", COUNTRY)[role] == holders


def test_role_labels_and_table_rows(nlp):
    text = ("Composition\n\n- **Coordinator and Secretariat:** IOM Mission in Ghana (in line with the designation "
            "of IOM by the UN Secretary General as Coordinator of the global UN Network on Migration)\n\n"
            "| Role | Entity |\n|---|---|\n| Co-chair | UNHCR |\n| Co-chair | UN Resident Coordinator |\n")
    found = facts_of(nlp, text, COUNTRY)
    assert found["coordinator"] == found["secretariat"] == {"IOM"}
    assert found["co_chairs"] == {"UNHCR", "RC"}
    assert {"coordinator", "secretariat", "co-chairs"} <= found["bodies"]


def test_background_quotes_about_the_global_network_are_not_this_networks_facts(nlp):
    text = ("Background\n\nThe GCM further notes that IOM will serve as the coordinator and secretariat of "
            "the Network. Decisions of the global Network are taken by consensus.\n\n"
            "Structure\n\nWFP will serve as the Coordinator and UNDP as the Secretariat of the Network. "
            "Decisions will be made by majority vote.\n")
    found = facts_of(nlp, text, COUNTRY)
    assert (found["coordinator"], found["secretariat"], found["decision_rule"]) == ({"WFP"}, {"UNDP"}, {"majority"})


def test_global_background_quoting_the_gcm_is_skipped(nlp):
    text = ("Structure\n\n5. IOM will serve as the Coordinator and UNDP as the Secretariat of the Network.\n\n"
            "Annex I: Background\n\n3. The GCM welcomes the decision to establish a UN Network on Migration. "
            "The GCM further notes that IOM will serve as the coordinator and secretariat of the Network.\n")
    meta = DocumentMeta(id="g", level="global", network="global", network_name="UN Network on Migration")
    found = facts_of(nlp, text, meta)
    assert (found["coordinator"], found["secretariat"]) == ({"IOM"}, {"UNDP"})


def test_a_background_clause_about_this_network_is_read(nlp):
    text = ("Background\n\nThe UN Network on Migration in Ghana was set up in 2020; UNHCR serves as its "
            "secretariat.\n")
    assert facts_of(nlp, text, COUNTRY)["secretariat"] == {"UNHCR"}


def test_roles_of_other_bodies_are_not_the_networks(nlp):
    text = ("Network\n\nNetwork members may serve as chair or co-chair of the Network's Working Groups. "
            "UNHCR will act as co-chair of the working group on data.\n")
    found = facts_of(nlp, text, COUNTRY)
    assert not found["co_chairs"] and "co-chairs" not in found["bodies"]


# -- membership -----------------------------------------------------------------------------
def test_inline_member_and_executive_committee_lists(nlp):
    text = ("Membership\n\nThe Network shall comprise the following entities: IOM, UNHCR, ILO, UNICEF, "
            "UNFPA, WHO and UN Women. Member States, UNDP and IOM will be briefed.\n\n"
            "A Steering Committee composed of IOM, UNDP and UNHCR shall be established.\n\n"
            "Since 2020, WHO is invited to participate in Executive Committee meetings.\n")
    found = facts_of(nlp, text, COUNTRY)
    assert found["members"] == {"IOM", "UNHCR", "ILO", "UNICEF", "UNFPA", "WHO", "UN-WOMEN"}
    assert found["executive_committee"] == {"IOM", "UNDP", "UNHCR"}


def test_executive_committee_described_in_a_footnote(nlp):
    text = ("The Regional Network<sup>1</sup> is committed to engagement.\n\n---\n\n"
            "<sup>1</sup> The Regional Network is comprised of all United Nations agencies wishing to join. "
            "The Regional Office of IOM serves as the Coordinator and Secretariat of the Regional Network. "
            "The Executive Committee of the Regional Network comprises of ESCAP, ILO, UN DRR and UN Women.\n")
    found = facts_of(nlp, text, REGIONAL)
    assert found["executive_committee"] == {"ESCAP", "ILO", "UNDRR", "UN-WOMEN"}
    assert not found["members"]
    assert found["coordinator"] == found["secretariat"] == {"IOM"}
    assert found["open_membership"] == {"true"}


ANNEX = ("Annex 2: Network membership\n\n"
         "International Organization for Migration (IOM) {a}\n\n"
         "United Nations Development Programme (UNDP)\n\n"
         "Office of the High Commissioner for Human Rights (OHCHR) {a}\n\n"
         "World Food Programme (WFP)\n\n"
         "{legend}\n")


@pytest.mark.parametrize("marker, legend, key", [
    ("*", "*** Network's Executive Committee**", "executive_committee"),
    ("(*)", "(*) Members of the Core Group", "executive_committee"),
    ("†", "† Co-chairs of the Network", "co_chairs"),
    ("*", "Members of the Executive Committee are marked with an asterisk.", "executive_committee"),
])
def test_annex_member_lists_read_their_marker_legend(nlp, marker, legend, key):
    found = facts_of(nlp, ANNEX.format(a=marker, legend=legend), COUNTRY)
    assert found["members"] == {"IOM", "UNDP", "OHCHR", "WFP"}
    assert found[key] == {"IOM", "OHCHR"}


def test_a_legend_about_another_body_is_not_the_networks(nlp):
    found = facts_of(nlp, ANNEX.format(a="\\*", legend="\\* Co-chairs of the technical working groups"), COUNTRY)
    assert found["members"] == {"IOM", "UNDP", "OHCHR", "WFP"} and not found["co_chairs"]


def test_member_tables_with_other_columns(nlp):
    text = ("Annex 2: Participating agencies\n\n| No. | Agency | Focal point |\n|---|---|---|\n"
            "| 1 | FAO | Maria Lopez |\n| 2 | WFP | John Smith |\n| 3 | UNAIDS | Ana Perez |\n")
    assert facts_of(nlp, text, COUNTRY)["members"] == {"FAO", "WFP", "UNAIDS"}


def test_partners_the_network_works_with_are_not_members(nlp):
    text = ("Objectives\n\nThe Network will collaborate with other coordination mechanisms, including "
            "OCHA and UNDP, and engage with civil society, migrants, academia and the private sector.\n")
    found = facts_of(nlp, text, COUNTRY)
    assert not found["members"]
    assert found["stakeholders"] == {"civil-society", "migrants", "academia", "private-sector"}


def test_markers_without_a_legend_are_not_guessed(nlp):
    found = facts_of(nlp, ANNEX.format(a="*", legend="Last updated in 2021."), COUNTRY)
    assert found["members"] == {"IOM", "UNDP", "OHCHR", "WFP"} and not found["executive_committee"]


# -- rules, guidance, principles ------------------------------------------------------------
@pytest.mark.parametrize("sentence, rules", [
    ("The Network will endeavour to take all decisions by consensus.", {"consensus"}),
    ("Decisions will be made by majority vote.", {"majority"}),
    ("Where no consensus is reached, decisions shall be taken by a two-thirds majority.", {"majority"}),
    ("Decisions shall be adopted unanimously.", {"unanimity"}),
    ("Decisions will be made by consensus, without voting.", {"consensus"}),
    ("Fostering consensus among members is a priority.", set()),
])
def test_decision_rules(nlp, sentence, rules):
    assert facts_of(nlp, "Decision-making\n\n" + sentence + "\n", COUNTRY)["decision_rule"] == rules


def test_guidance_working_principles_and_adoption_by_reference(nlp):
    text = ("Mission\n\nIn all its actions, the Network shall be guided by the Charter of the United Nations, "
            "international human rights law, the 2030 Agenda and the Global Compact for Migration. "
            "The Network promotes the guiding principles of the GCM.\n\n"
            "Principles\n\nThe Network shall be guided by the following principles:\n\n"
            "- **Inclusiveness:** The Network will engage all members; it values coherence.\n"
            "- **Results-oriented:** The Network will focus on results.\n\n"
            "In line with the working principles of the global UN Network, the Network will act.\n")
    found = facts_of(nlp, text, COUNTRY)
    assert found["guided_by"] == {"un-charter", "international-law", "agenda-2030", "gcm"}
    assert found["working_principles"] == {"inclusivity", "results-oriented"}
    assert found["adopts_global_principles"] == {"true"}


# -- bodies and meetings --------------------------------------------------------------------
def test_bodies_set_up_and_meeting_frequencies(nlp):
    text = ("Structure\n\nThematic working groups may be created as needed. Task forces will be set up "
            "by the Network as required. The Network shall meet every two months and hold an annual "
            "meeting with stakeholders. The Network supports the capacity-building mechanism.\n\n"
            "Footnotes\n\n¹ The UNCT's Thematic Working Group on gender is chaired by UN Women.\n")
    doc = nlp(text)
    facts = extract_facts(doc, segment(text), mentions_of(doc), [], COUNTRY)
    bodies = {f.value for f in facts if f.key == "bodies"}
    assert bodies == {"working-group", "task-team", "annual-meeting"}
    assert {(f.value, f.body) for f in facts if f.key == "meeting_frequency"} == {
        ("P2M", "network"), ("P1Y", "annual-meeting")}
    text2 = "Executive Committee\n\nThe Executive Committee will meet monthly.\n"
    doc2 = nlp(text2)
    assert [(f.value, f.body) for f in extract_facts(doc2, segment(text2), mentions_of(doc2), [], COUNTRY)
            if f.key == "meeting_frequency"] == [("P1M", "executive-committee")]
    global_meta = DocumentMeta(id="g", level="global", network="global")
    assert "capacity-building-mechanism" in {f.value for f in extract_facts(
        doc, segment(text), mentions_of(doc), [], global_meta) if f.key == "bodies"}


def test_evidence_spans_hold_the_words(nlp):
    text = "Structure\n\nThe Network Coordinator is IOM.\n"
    doc = nlp(text)
    (fact,) = [f for f in extract_facts(doc, segment(text), mentions_of(doc), [], COUNTRY) if f.key == "coordinator"]
    assert text[fact.start:fact.end] == "The Network Coordinator is IOM."


def test_works_without_a_segmentation(nlp):
    text = "Structure\n\nUNDP will serve as the Secretariat of the Network.\n"
    assert facts_of(nlp, text, COUNTRY, seg=False)["secretariat"] == {"UNDP"}


# -- the corpus -----------------------------------------------------------------------------
def corpus_facts(nlp, doc_id: str) -> dict[str, set[str]]:
    text = (CORPUS / f"{doc_id}.md").read_text(encoding="utf-8")
    return facts_of(nlp, text, infer_meta(doc_id, text))


def test_corpus_global_tor(nlp):
    found = corpus_facts(nlp, "global-tor")
    assert found["coordinator"] == found["secretariat"] == {"IOM"}
    assert len(found["members"]) == 39 and {"WORLD-BANK", "UN-HABITAT", "UNSDG"} <= found["members"]
    assert found["executive_committee"] == {"UNDESA", "ILO", "IOM", "OHCHR", "UNICEF", "UNDP", "UNHCR", "UNODC"}
    assert len(found["working_principles"]) == 8
    assert found["decision_rule"] == {"consensus"}


def test_corpus_kyrgyzstan_tor(nlp):
    found = corpus_facts(nlp, "kyrgyzstan-tor")
    assert found["co_chairs"] == {"RC", "IOM"}
    assert "RCO" in found["members"] and "UN-WOMEN" in found["members"]
    assert "sdgs" in found["guided_by"]
    assert "executive-committee" not in found["bodies"]          # only in the Background quote
    assert found["open_membership"] == {"true"}


def test_real_model_pipeline_gives_the_same_facts(nlp):
    from torkg.ingest.pipeline import find_mentions, load_pipeline
    text = (CORPUS / "asia-pacific-tor.md").read_text(encoding="utf-8")
    meta = infer_meta("asia-pacific-tor", text)
    doc = load_pipeline()(text)
    real = {(f.key, f.value) for f in extract_facts(doc, segment(text), find_mentions(text), [], meta)}
    assert real == {(k, v) for k, values in facts_of(nlp, text, meta).items() for v in values}
    assert ("executive_committee", "UNDRR") in real and ("decision_rule", "consensus") in real


def test_dev_entry_point_scores_at_least_0_9(tmp_path):
    if not (EVAL / "score.py").exists():
        pytest.skip("the shared evaluation is not available")
    out, empty = tmp_path / "structure.csv", tmp_path / "provisions.csv"
    assert main([str(CORPUS), "--out", str(out)]) == 0
    empty.write_text("doc,start,end,modality,bearer,action\n", encoding="utf-8")
    with open(out, encoding="utf-8", newline="") as f:
        assert {"doc", "key", "value"} == set(next(csv.reader(f)))
    report = subprocess.run([sys.executable, str(EVAL / "score.py"), "--corpus", str(CORPUS), "--gold",
                             str(EVAL / "gold"), "--provisions", str(empty), "--structure", str(out)],
                            capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in report.splitlines() if ln.startswith("structure  all"))
    assert float(line.split("F1")[1]) >= 0.9, report
