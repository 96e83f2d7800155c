"""Mutation tests: a seed ToR edited the way a real draft goes wrong must flip exactly one verdict.

Each mutation edits a seed regional or country ToR (corpus/kyrgyzstan-tor.md,
corpus/asia-pacific-tor.md) with plain text replacements, checks the result as a draft against the
stored global ToR (``torkg.shapes.workflow.check_draft``) and compares the 19 verdicts with those of
the unmutated seed checked the same way: exactly the verdicts named in the mutation change, to the
status named, and nothing else moves. Several wordings are given for each mistake, because unseen
ToRs phrase the same thing differently ("UNDP will provide secretariat support", "hosted by UNFPA",
a table row ...). A verdict must come from what the text says, not from where the seed said it.

Every replacement first asserts that the text it replaces is in the seed, so a change to the seed
fails here loudly instead of silently testing nothing.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from torkg.shapes.workflow import check_draft
from torkg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
TORKG = [sys.executable, "-m", "torkg.cli"]
KG = "kyrgyzstan-tor"
AP = "asia-pacific-tor"


@dataclass(frozen=True)
class Mutation:
    """Text replacements on one seed ToR and the verdicts they must change (all others stay)."""

    name: str
    doc: str
    edits: tuple[tuple[str, str], ...]
    expected: dict[str, str]

    def apply(self, text: str) -> str:
        for old, new in self.edits:
            assert old in text, f"{self.name}: the seed {self.doc} no longer contains {old[:60]!r}"
            text = text.replace(old, new)
        return text


# --- Kyrgyz ToR fragments the mutations edit ------------------------------------------------------

KG_ROLE_BULLET = ("- **Coordinator and Secretariat:** IOM Mission in the Kyrgyz Republic (in line with the "
                  "designation of IOM by the UN Secretary General as Coordinator of the global UN Network on "
                  "Migration)")
KG_ROLE_SENTENCE = "IOM, acting as Coordinator and Secretariat assists the Network in its operation."
KG_CONSENSUS = "Decisions relevant to the work of the Network will be made by consensus based on consultations"
KG_GUIDED = "guided, inter alia, by the UN Charter, international law,"
KG_QUARTERLY = "The UN Migration Network will meet on a quarterly basis, or upon request by its members,"
KG_ANNUAL = "There will be at least one **Annual Network Meeting** of the full membership of the Network"
KG_WORKING_GROUPS = "Working Groups can be established on a permanent or ad-hoc basis"


def secretariat_elsewhere(name: str, doc_line: str) -> Mutation:
    """IOM stays coordinator; the secretariat goes to another agency, said in ``doc_line``.

    Both places that give IOM the secretariat are edited, as a drafter moving the role would.
    """
    return Mutation(name, KG, (
        (KG_ROLE_BULLET, "- **Coordinator:** IOM Mission in the Kyrgyz Republic\n" + doc_line),
        (KG_ROLE_SENTENCE, "IOM, acting as Coordinator, assists the Network in its operation."),
    ), {"secretariat-iom": "conflict"})


def coordinator_elsewhere(name: str, doc_line: str) -> Mutation:
    """IOM stays secretariat; the coordinator role goes to UNHCR, said in ``doc_line``."""
    return Mutation(name, KG, (
        (KG_ROLE_BULLET, doc_line + "\n- **Secretariat:** IOM Mission in the Kyrgyz Republic"),
        (KG_ROLE_SENTENCE, "IOM, acting as Secretariat, assists the Network in its operation."),
    ), {"coordinator-iom": "conflict"})


def majority(name: str, doc: str, old: str, new: str) -> Mutation:
    return Mutation(name, doc, ((old, new),), {"consensus": "conflict"})


def biennial(name: str, wording: str) -> Mutation:
    """The yearly review made less frequent. The quarterly meetings go too ("upon request" only):
    with them left in, the network would still meet more than yearly and the honest verdict would
    stay aligned."""
    return Mutation(name, KG, (
        (KG_QUARTERLY, "The UN Migration Network will meet upon request by its members,"),
        (KG_ANNUAL, wording),
    ), {"review-meeting": "conflict"})


def principles(name: str, sentence: str) -> Mutation:
    """The Kyrgyz ToR names no working principle; a sentence adopting them is added."""
    return Mutation(name, KG, ((KG_WORKING_GROUPS, sentence + "\n\n" + KG_WORKING_GROUPS),),
                    {"working-principles": "aligned"})


MUTATIONS = [
    # secretariat given to another agency
    secretariat_elsewhere("secretariat-will-provide", "\nUNDP will provide secretariat support to the Network.\n"),
    secretariat_elsewhere("secretariat-hosted-by", "\nThe Secretariat of the Network is hosted by UNFPA.\n"),
    secretariat_elsewhere("secretariat-label", "- **Secretariat functions:** UNICEF"),
    secretariat_elsewhere("secretariat-table", "\n| Role | Entity |\n|---|---|\n| Secretariat | UN Women |\n"),
    secretariat_elsewhere("secretariat-passive", "\nSecretariat services shall be provided by UNODC.\n"),
    Mutation("secretariat-regional", AP, (
        ("(as the Coordinator and Secretariat of the UN Network on Migration)",
         "(as the Coordinator of the UN Network on Migration)"),
        ("- Undertake Secretariat functions for the Network, including maintaining the members list, the record "
         "of meetings and events, and drafting minutes of meetings.",
         "\nThe Secretariat of the Regional Network will be provided by ESCAP, which will maintain the members "
         "list, the record of meetings and events, and draft minutes of meetings."),
    ), {"secretariat-iom": "conflict"}),
    # coordinator given to UNHCR
    coordinator_elsewhere("coordinator-label", "- **Coordinator:** UNHCR"),
    coordinator_elsewhere("coordinator-passive", "\nThe Network is coordinated by UNHCR.\n"),
    coordinator_elsewhere("coordinator-serves", "\nUNHCR serves as the Coordinator of the Network.\n"),
    coordinator_elsewhere("coordinator-table", "\n| Role | Entity |\n|---|---|\n| Coordinator | UNHCR |\n"),
    # decisions by majority vote
    majority("majority-simple", KG, KG_CONSENSUS,
             "Decisions relevant to the work of the Network will be made by a simple majority of the members "
             "present, after consultations"),
    majority("majority-vote", KG, KG_CONSENSUS,
             "Decisions relevant to the work of the Network will be taken by majority vote based on consultations"),
    majority("majority-two-thirds", KG, KG_CONSENSUS,
             "Decisions relevant to the work of the Network shall require a two-thirds majority of the members, "
             "based on consultations"),
    majority("majority-votes-cast", KG, KG_CONSENSUS,
             "Each member has one vote, and decisions relevant to the work of the Network are adopted by a "
             "majority of the votes cast, based on consultations"),
    majority("majority-regional", AP, "The Regional Network will endeavour to take all decisions by consensus,",
             "The Regional Network will take all decisions by a majority vote of its members,"),
    # the UN Charter dropped
    Mutation("charter-dropped", KG, ((KG_GUIDED, "guided, inter alia, by international law,"),),
             {"guided-un-charter": "missing"}),
    Mutation("charter-dropped-regional", AP, (
        ("guided, inter alia, by the United Nations Charter, relevant international laws",
         "guided, inter alia, by relevant international laws"),), {"guided-un-charter": "missing"}),
    # the annual meeting made biennial
    biennial("biennial-every-two-years",
             "There will be a **Network Meeting** of the full membership of the Network every two years"),
    biennial("biennial-adjective", "There will be a biennial **Network Meeting** of the full membership of the Network"),
    biennial("biennial-once-every", "Once every two years, a **Network Meeting** will bring together the full "
                                    "membership of the Network"),
    # working principles adopted
    principles("principles-by-reference",
               "The Network adopts the working principles of the global UN Network on Migration."),
    principles("principles-named",
               "In its work, the Network will be guided by the principles of accountability, coherence, unity of "
               "purpose, efficiency and inclusivity."),
]

# The stakeholder paragraph. The Kyrgyz ToR engages non-UN actors in five places: the third mission
# paragraph (SMS, NGOs, CSOs ...), objective 5 (development partners and donors), objective 6
# (external parties, migrants, civil society ...), the annual meeting ("other relevant stakeholders")
# and the working groups ("may include external partners"). Deleting objective 6 alone leaves the
# other four, so the honest verdict stays aligned (STAKEHOLDER_PARTIAL). Only a draft that drops
# every engagement of outside actors must be missing (STAKEHOLDER_ALL); the rights and well-being
# wording of the mission paragraph is kept so that no other requirement moves.
KG_OBJ5 = ("5. Coordination with development partners and donors in Kyrgyzstan that are active in migrants' "
           "issues.\n")
KG_OBJ6 = ("6. Promote cooperation and exchanges between Migration Network members and external parties, primarily "
           "the State Migration Service (SMS) and with other governmental bodies and stakeholders. The latter could "
           "include migrants, civil society, migrant and diaspora organizations, local authorities and communities, "
           "the private sector, employers' and workers' organizations, academia, the media and other relevant "
           "stakeholders.\n")
STAKEHOLDER_PARTIAL = Mutation("stakeholder-objective-deleted", KG, ((KG_OBJ6, ""),), {})
STAKEHOLDER_ALL = Mutation("stakeholder-all-deleted", KG, (
    (KG_OBJ5, ""), (KG_OBJ6, ""),
    ("UN Migration Network will work closely with the State Migration Service (SMS), and all relevant Governmental "
     "entities, International Organizations (IOs), non-governmental organizations (NGOs), civil society "
     "organizations (CSOs) and other entities dealing with migration issues in the Kyrgyz Republic, to promote",
     "UN Migration Network will promote"),
    (" of the Network to include other relevant stakeholders, in order", " of the Network, in order"),
    ("drawn from Network members and may include external partners, including the SMS or other state agencies.",
     "drawn from Network members."),
), {"stakeholder-engagement": "missing"})
MUTATIONS += [STAKEHOLDER_PARTIAL, STAKEHOLDER_ALL]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("mutations") / "store"
    res = subprocess.run(TORKG + ["--store", str(path), "ingest", "corpus"], cwd=ROOT, capture_output=True,
                         text=True, timeout=900, env={**os.environ})
    assert res.returncode == 0, res.stderr
    with open_store(path) as s:
        yield s


@pytest.fixture(scope="module")
def baseline(store):
    """The verdicts of each unmutated seed, checked as a draft."""
    out = {}
    for doc in (KG, AP):
        data = (CORPUS / f"{doc}.md").read_bytes()
        out[doc] = check_draft(store, data, f"{doc}-draft.md").statuses()
    return out


def test_baseline_drafts_match_their_stored_verdicts(store, baseline):
    """A seed checked as a draft gets the verdicts it gets as a stored document (the development gold)."""
    from torkg.shapes.workflow import check_stored
    stored = {r.doc_id: r.statuses() for r in check_stored(store, [KG, AP], save=False)}
    assert baseline[KG] == stored[KG]
    assert baseline[AP] == stored[AP]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_mutation_changes_exactly_the_expected_verdicts(store, baseline, mutation):
    text = (CORPUS / f"{mutation.doc}.md").read_text(encoding="utf-8")
    mutated = mutation.apply(text)
    assert mutated != text
    before = baseline[mutation.doc]
    for req, status in mutation.expected.items():
        assert before[req] != status, f"{mutation.name}: {req} is already {status} before the mutation"
    after = check_draft(store, mutated.encode("utf-8"), f"{mutation.doc}-{mutation.name}.md").statuses()
    changed = {req: after[req] for req in after if after[req] != before[req]}
    assert changed == mutation.expected


def test_conflict_carries_the_mutated_clause_as_evidence(store):
    """The verdict points at the clause that was changed, not at where the seed said it."""
    mutation = next(m for m in MUTATIONS if m.name == "secretariat-hosted-by")
    text = mutation.apply((CORPUS / f"{KG}.md").read_text(encoding="utf-8"))
    report = check_draft(store, text.encode("utf-8"), "kg-evidence.md")
    verdict = report.verdicts["secretariat-iom"]
    assert verdict.status == "conflict"
    assert any("UNFPA" in span.text for span in verdict.checked), verdict.checked
