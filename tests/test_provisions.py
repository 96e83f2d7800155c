"""Provision extraction with the real spaCy model: modality, bearer, frequency, exclusions, the
style documents in tests/data/styles and the development score on the seed corpus."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from torkg.ingest.devscore import bearer_label, extract_folder, write_csv
from torkg.ingest.frequency import find_frequency
from torkg.ingest.model import DocumentMeta
from torkg.ingest.nlp import load
from torkg.ingest.provisions import extract_provisions
from torkg.ingest.segment import segment

ROOT = Path(__file__).resolve().parents[1]
STYLES = Path(__file__).parent / "data" / "styles"
TOR = "terms-of-reference"


def _shared() -> Path | None:
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        if (base / "eval" / "score.py").is_file():
            return base
    return None


@pytest.fixture(scope="module")
def nlp():
    model = load()
    try:
        from torkg.ingest.entities import add_mentions
        add_mentions(model)
    except Exception:                       # entity linking absent: un-entity tests skip
        pass
    return model


def run(nlp, text: str, doc_type: str | None = TOR) -> dict[str, object]:
    """``{provision text: Provision}`` for ``text`` (a heading is prepended by callers)."""
    seg = segment(text)
    doc = nlp(seg.clean)
    mentions = []
    if "torkg_mentions" in nlp.pipe_names:
        from torkg.ingest.entities import mentions_of
        mentions = mentions_of(doc)
    found = extract_provisions(doc, seg, mentions, DocumentMeta("test", doc_type=doc_type))
    return {text[p.start:p.end]: p for p in found}


def one(nlp, sentence: str, doc_type: str | None = TOR):
    found = run(nlp, f"Roles\n\n{sentence}\n", doc_type)
    assert list(found) == [sentence], f"expected one provision, got {list(found)}"
    return found[sentence]


@pytest.mark.parametrize("sentence, modality, bearer", [
    ("The Secretariat shall prepare the agenda of each meeting.", "obligation", "secretariat"),
    ("The Coordinator must circulate the minutes within ten days.", "obligation", "coordinator"),
    ("The Network will support Member States in implementing the GCM.", "obligation", "network"),
    ("The Network is to report to the UN Country Team.", "obligation", "network"),
    ("The Coordinator has the responsibility to convene meetings.", "obligation", "coordinator"),
    ("The Secretariat is responsible for keeping the records.", "obligation", "secretariat"),
    ("The Network commits to supporting Member States.", "obligation", "network"),
    ("The Network is committed to a whole-of-society approach.", "obligation", "network"),
    ("The Network will endeavour to take all decisions by consensus.", "obligation", "network"),
    ("Each member undertakes to share relevant data.", "obligation", "members"),
    ("Members are expected to attend all meetings of the Network.", "obligation", "members"),
    ("Members may propose items for the agenda.", "permission", "members"),
    ("The co-chairs can invite observers to meetings.", "permission", "co-chairs"),
    ("Executive Committee members could provide technical resources.", "permission", "executive-committee"),
    ("Chairing will be open to all Working Group members.", "permission", "working-group"),
    ("Each member is entitled to one vote.", "permission", "members"),
    ("The Secretariat shall not disclose confidential documents.", "prohibition", "secretariat"),
    ("Members will not speak on behalf of the Network.", "prohibition", "members"),
    ("Members may not use the logo of the Network.", "prohibition", "members"),
    ("The Coordinator must not delegate this function.", "prohibition", "coordinator"),
    ("Observers cannot vote.", "prohibition", "stakeholders"),
    ("All information exchanged in meetings is meant for internal use only.", "prohibition", "members"),
    ("Members should share information regularly.", "recommendation", "members"),
    ("Civil society organizations are encouraged to participate in consultations.", "recommendation", "stakeholders"),
    ("It is recommended that members nominate alternates.", "recommendation", "members"),
    ("It is the responsibility of the Chair to convene meetings.", "obligation", "co-chairs"),
    ("The Secretary-General will review the arrangements of the Network.", "obligation", "secretary-general"),
    ("Member States should be encouraged to join the initiative.", "recommendation", "member-states"),
])
def test_deontic_forms(nlp, sentence, modality, bearer):
    p = one(nlp, sentence)
    assert (p.modality, p.bearer_kind) == (modality, bearer)
    assert p.negated == (modality == "prohibition" and "internal use" not in sentence)


@pytest.mark.parametrize("text", [
    "Will the Network cover internal migration?",
    "In 2018 the Secretary-General decided to establish the Network.",
    "The Network is coordinated by IOM.",
    "The Network is one of the working groups of the UNCT.",
    "Support to Member States is expected to intensify in the coming months.",
    "These may change over time as priorities evolve.",
    "The GCM further notes that the Network will draw from the expertise of UN entities.",
])
def test_exclusions(nlp, text):
    assert run(nlp, f"Context and purpose\n\nThe Network was set up in 2019.\n\nOverview\n\n{text}\n") == {}


def test_headings_lead_ins_and_footnotes_are_not_provisions(nlp):
    text = ("Coordinator\n\nThe Coordinator will have primary responsibility for:\n\n- convening the Network;\n"
            "- maintaining the list of members.\n\n¹ The Coordinator will also do many other things.\n")
    found = run(nlp, text)
    assert list(found) == ["convening the Network;", "maintaining the list of members."]
    assert {(p.modality, p.bearer_kind) for p in found.values()} == {("obligation", "coordinator")}
    lead = text.index("The Coordinator will have")
    span = (lead, lead + len("The Coordinator will have primary responsibility for:"))
    assert all(p.lead_in == span for p in found.values())


def test_items_inherit_lead_in_but_own_clauses_do_not(nlp):
    text = ("Decision-making\n\nIn instances where there is no consensus, the following steps shall be taken:\n\n"
            "- The Coordinator will consult the Executive Committee;\n- All decisions will be recorded.\n\n"
            "Objectives\n\nThe objectives of the Network are to:\n\n- Ensure coordinated support to Member States;\n"
            "- Engage with external partners.\n")
    found = run(nlp, text)
    assert {k: (p.modality, p.bearer_kind) for k, p in found.items()} == {
        "The Coordinator will consult the Executive Committee;": ("obligation", "coordinator"),
        "All decisions will be recorded.": ("obligation", "network"),
        "Ensure coordinated support to Member States;": ("obligation", "network"),
        "Engage with external partners.": ("obligation", "network"),
    }


def test_elaboration_items_and_actor_lists_are_not_provisions(nlp):
    text = ("Actions\n\nThe Network will:\n\n1. Organize consultations on these themes, namely:\n"
            "   a. Ensuring that migration is voluntary;\n   b. Protecting migrants at borders;\n\n"
            "2. Work with the following partners:\n   a. the Ministry of Foreign Affairs;\n   b. the National Institute of Migration.\n")
    found = run(nlp, text)
    assert list(found) == ["Organize consultations on these themes, namely:"]
    assert (found["Organize consultations on these themes, namely:"].modality,
            found["Organize consultations on these themes, namely:"].bearer_kind) == ("obligation", "network")


def test_bearer_from_passive_agent_and_agentless_passives(nlp):
    found = run(nlp, "Review\n\nThe Working Groups will be reviewed annually by the Executive Committee. "
                     "Working Groups can be established as needed. Decisions will be taken by consensus. "
                     "Participation of partners can be agreed upon the approval of the Executive Committee.\n")
    got = {k: (p.modality, p.bearer_kind) for k, p in found.items()}
    assert got == {
        "The Working Groups will be reviewed annually by the Executive Committee.": ("obligation", "executive-committee"),
        "Working Groups can be established as needed.": ("permission", "unspecified"),
        "Decisions will be taken by consensus.": ("obligation", "network"),
        "Participation of partners can be agreed upon the approval of the Executive Committee.": (
            "permission", "executive-committee"),
    }


def test_bearer_of_pronouns(nlp):
    found = run(nlp, "Bodies\n\nThe Working Groups will focus on specific issues. Their work will be guided by work plans. "
                     "They shall report twice a year to the Network.\n\nThe Regional Network will take decisions by "
                     "consensus, with guidance from the Regional Executive Committee. It will guide the setting of "
                     "priorities, working with other members of the Regional Network.\n")
    got = {k[:20]: p.bearer_kind for k, p in found.items()}
    assert got == {"The Working Groups w": "working-group", "Their work will be g": "working-group",
                   "They shall report tw": "working-group", "The Regional Network": "network",
                   "It will guide the se": "executive-committee"}
    assert found["They shall report twice a year to the Network."].frequency == "P6M"


def test_items_without_lead_in_take_their_section_body(nlp):
    text = ("Terms of Reference\n\n1. Background\n\n1.1 The Network will be set up by the UNCT.\n\n"
            "2. Duties of the co-chairs\n\n1. Convene meetings\n2. Keep records\n\n3. Meetings\n\n"
            "The Network will meet monthly.\n")
    found = {k: (p.modality, p.bearer_kind, p.frequency) for k, p in run(nlp, text).items()}
    assert found == {"Convene meetings": ("obligation", "co-chairs", None), "Keep records": ("obligation", "co-chairs", None),
                     "The Network will meet monthly.": ("obligation", "network", "P1M")}


def test_present_tense_function_in_a_tor_only(nlp):
    text = "Organization\n\nThe Secretariat prepares the minutes of meetings and circulates them to members.\n"
    assert run(nlp, text)["The Secretariat prepares the minutes of meetings and circulates them to members."].modality \
        == "obligation"
    assert run(nlp, text, doc_type="guidance") == {}
    assert run(nlp, "Terms of Reference\n\nMission Statement\n\nThe Network promotes coherent policies.\n") == {}


def test_fields_span_action_condition_frequency_mentions(nlp):
    text = "Meetings\n\n1.2 Meetings shall be convened quarterly by the Chair, or upon request of three members.\n"
    p = one_from(run(nlp, text))
    assert text[p.start:p.end] == "Meetings shall be convened quarterly by the Chair, or upon request of three members."
    assert (p.modality, p.bearer_kind, p.frequency, p.frequency_text) == ("obligation", "co-chairs", "P3M", "quarterly")
    assert p.action_lemma == "convene" and p.action.startswith("convene")
    assert p.condition == "upon request of three members"


def one_from(found: dict):
    assert len(found) == 1, list(found)
    return next(iter(found.values()))


def test_un_entities_and_their_roles(nlp):
    if "torkg_mentions" not in nlp.pipe_names:
        pytest.skip("entity linking (torkg.ingest.entities) is not available")
    found = run(nlp, "Coordination\n\nIOM will serve as the Coordinator and Secretariat of the Network. "
                     "IOM, acting as Coordinator and Secretariat, assists the Co-chair in preparing agendas. "
                     "IOM will convene the annual meeting. The start-up fund will be administered by UNDP.\n")
    got = {k[:24]: (p.bearer_kind, p.bearer_key) for k, p in found.items()}
    assert got == {"IOM will serve as the Co": ("un-entity", "IOM"), "IOM, acting as Coordinat": ("secretariat", None),
                   "IOM will convene the ann": ("coordinator", None), "The start-up fund will b": ("un-entity", "UNDP")}
    assert bearer_label(found["IOM will serve as the Coordinator and Secretariat of the Network."]) == "un-entity:IOM"
    entities = [m.key for m in found["IOM will convene the annual meeting."].mentions if m.kind == "un-entity"]
    assert entities == ["IOM"]


@pytest.mark.parametrize("text, duration", [
    ("on a quarterly basis", "P3M"), ("quarterly", "P3M"), ("annually", "P1Y"), ("on an annual basis", "P1Y"),
    ("every 12 months", "P1Y"), ("yearly", "P1Y"), ("at least once a year", "P1Y"), ("biennial reporting", "P2Y"),
    ("monthly", "P1M"), ("every four years", "P4Y"), ("at a minimum, every four years", "P4Y"),
    ("twice a year", "P6M"), ("weekly", "P7D"), ("every two weeks", "P14D"), ("every two months", "P2M"),
])
def test_frequencies(text, duration):
    assert find_frequency(text)[0] == duration


def test_no_frequency():
    assert find_frequency("as needed, upon request") is None


# --- the style documents --------------------------------------------------------------------

@pytest.fixture(scope="module")
def styles(nlp):
    out = {}
    for path in sorted(STYLES.glob("*.md")):
        with open(path, encoding="utf-8", newline=None) as f:
            out[path.stem] = run(nlp, f.read())
    return out


def find(found: dict, start: str):
    hits = [p for text, p in found.items() if text.startswith(start)]
    assert len(hits) == 1, f"{start!r}: {len(hits)} provisions"
    return hits[0]


@pytest.mark.parametrize("doc, start, modality, bearer, frequency", [
    ("ghana-network-tor", "The Network shall support the Government", "obligation", "network", None),
    ("ghana-network-tor", "provide technical advice to national authorities", "obligation", "network", None),
    ("ghana-network-tor", "Membership of the Network shall be open", "permission", "members", None),
    ("ghana-network-tor", "The Network shall be co-chaired by", "obligation", "co-chairs", None),
    ("ghana-network-tor", "represent the Network in the UNCT", "obligation", "co-chairs", None),
    ("ghana-network-tor", "IOM, in its capacity as Secretariat, prepares", "obligation", "secretariat", None),
    ("ghana-network-tor", "The Secretariat shall not disclose", "prohibition", "secretariat", None),
    ("ghana-network-tor", "A Core Group, composed of", "obligation", "executive-committee", "P1M"),
    ("ghana-network-tor", "The Network shall meet quarterly.", "obligation", "network", "P3M"),
    ("ghana-network-tor", "Meetings shall be convened quarterly by the Chair.", "obligation", "co-chairs", "P3M"),
    ("ghana-network-tor", "Extraordinary meetings may be convened by the Co-Chairs", "permission", "co-chairs", None),
    ("ghana-network-tor", "Members may not take positions", "prohibition", "members", None),
    ("ghana-network-tor", "Maintains the list of members", "obligation", "secretariat", None),
    ("ghana-network-tor", "Convene the meetings of the Network and report", "obligation", "co-chairs", "P6M"),
    ("ghana-network-tor", "These Terms of Reference shall be reviewed every two years", "obligation", "network", "P2Y"),
    ("west-central-africa-tor", "The Regional Network is to provide", "obligation", "network", None),
    ("west-central-africa-tor", "contribute to the regional reviews of the GCM", "obligation", "network", "P4Y"),
    ("west-central-africa-tor", "Civil society organizations, trade unions", "recommendation", "stakeholders", None),
    ("west-central-africa-tor", "IOM, as Coordinator, convenes", "obligation", "coordinator", "P1Y"),
    ("west-central-africa-tor", "It is responsible for the day-to-day", "obligation", "secretariat", None),
    ("west-central-africa-tor", "Thematic Working Groups may be established by the Regional Network", "permission", "network", None),
    ("west-central-africa-tor", "ECOWAS is entitled to participate", "permission", "stakeholders", None),
    ("west-central-africa-tor", "Members of the Regional Network undertake to share", "obligation", "members", None),
    ("west-central-africa-tor", "Member entities cannot commit", "prohibition", "members", None),
    ("west-central-africa-tor", "Documents circulated within the Regional Network are meant", "prohibition", "members", None),
    ("west-central-africa-tor", "They shall be reviewed at least once a year", "obligation", "network", "P1Y"),
    ("mexico-network-tor", "coordinate the support of the United Nations system", "obligation", "network", None),
    ("mexico-network-tor", "preparing the agendas of meetings", "obligation", "secretariat", None),
    ("mexico-network-tor", "The Technical Secretariat has the responsibility", "obligation", "secretariat", None),
    ("mexico-network-tor", "Task teams should be created", "recommendation", "unspecified", None),
    ("mexico-network-tor", "A task team may not operate", "prohibition", "task-team", None),
    ("mexico-network-tor", "The Network will meet every two months.", "obligation", "network", "P2M"),
    ("mexico-network-tor", "If a member is unable to attend, it should", "recommendation", "members", None),
    ("mexico-network-tor", "The Network shall not replace", "prohibition", "network", None),
    ("pacific-plain-text-tor", "The UNMN-P will provide a platform", "obligation", "network", None),
    ("pacific-plain-text-tor", "The UNMN-P will prepare a joint annual report", "obligation", "network", "P1Y"),
    ("pacific-plain-text-tor", "The focal\npoints shall attend", "obligation", "members", None),
    ("pacific-plain-text-tor", "represent the network in regional fora", "obligation", "co-chairs", None),
    ("pacific-plain-text-tor", "The network shall meet at least twice a year.", "obligation", "network", "P6M"),
    ("pacific-plain-text-tor", "Heads of agencies will meet once a year", "obligation", "members", "P1Y"),
    ("pacific-plain-text-tor", "No decision shall be taken", "prohibition", "network", None),
])
def test_style_documents(styles, doc, start, modality, bearer, frequency):
    p = find(styles[doc], start)
    assert (p.modality, p.bearer_kind, p.frequency) == (modality, bearer, frequency)


@pytest.mark.parametrize("doc, start", [
    ("ghana-network-tor", "In December 2018, the General Assembly"),
    ("ghana-network-tor", "The Policy is implemented by"),
    ("ghana-network-tor", "IOM *"),
    ("ghana-network-tor", "Will the Network also cover"),
    ("west-central-africa-tor", "The United Nations entities operating"),
    ("west-central-africa-tor", "The Regional Network succeeds"),
    ("west-central-africa-tor", "Support from donors is expected"),
    ("west-central-africa-tor", "The Regional Network is coordinated by IOM."),
    ("mexico-network-tor", "The Network was created in 2019"),
    ("mexico-network-tor", "the Ministry of Foreign Affairs"),
    ("mexico-network-tor", "It is not a decision-making body"),
    ("pacific-plain-text-tor", "TERMS OF REFERENCE"),
    ("pacific-plain-text-tor", "The UNMN-P brings together"),
    ("pacific-plain-text-tor", "The network is chaired by"),
])
def test_style_documents_exclusions(styles, doc, start):
    assert not any(text.startswith(start) for text in styles[doc])


# --- development score on the seed corpus ------------------------------------------------------

def test_development_scores_on_seed_corpus(tmp_path):
    shared = _shared()
    if shared is None:
        pytest.skip("shared/eval/score.py and the gold are absent (neither ../shared nor /work/shared)")
    rows = extract_folder(ROOT / "corpus")
    out = tmp_path / "provisions.csv"
    with open(out, "w", encoding="utf-8", newline="") as f:
        write_csv(rows, f)
    with open(out, encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["doc", "start", "end", "modality", "bearer", "action"]
    result = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--corpus", str(ROOT / "corpus"),
                             "--gold", str(shared / "eval" / "gold"), "--provisions", str(out), "--json"],
                            capture_output=True, text=True, check=True)
    scores = json.loads(result.stdout)["provisions"]["all"]
    assert scores["f1"] >= 0.93, scores
    assert scores["modality_accuracy"] >= 0.97, scores
    assert scores["bearer_accuracy"] >= 0.90, scores

