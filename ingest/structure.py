"""Network-structure facts: who coordinates, who is a member, how decisions are taken...

``extract_facts`` reads the clauses (units) of a segmented document together with its mentions
of reference resources and returns :class:`~torkg.ingest.model.Fact` records about the network
the document constitutes or describes (keys of the shared eval SCHEMA.md section 2, plus
``meeting_frequency``, ``adopts_global_principles``, ``stakeholders``, ``open_membership`` and
``parent_network``), each with the span of its evidence.

Rules work on grammar and layout, not on particular documents: a role noun and the entity that
holds it ("IOM will serve as the Coordinator", "co-chaired by the RC and the Head of IOM Office",
"Secretariat: UNDP"), enumerations of entities after a membership or executive-committee cue,
annex member lists whose marker legend ("* Executive Committee") says what a marker means, and
cue words for decision rules, guidance, principles, bodies and meetings. Clauses in background
sections (which quote the GCM about the global network) are skipped. The vocabulary is data in
``patterns/structure.json``.

Dev entry point (writes the SCHEMA ``doc,key,value`` CSV for ``score.py``)::

    python -m torkg.ingest.structure corpus/ --out structure.csv
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path

from torkg.ingest.frequency import find_frequency
from torkg.ingest.model import DocumentMeta, Fact, Mention, Provision
from torkg.ingest.structure_layout import Clause, Layout, Line, build_layout, entity_only

VOCABULARY = Path(__file__).parent / "patterns" / "structure.json"
_SEP = re.compile(r"^[\s,;&/()*]*(?:\b(?:and|or|as\s+well\s+as|plus)\b)?[\s,;&/()*]*(?:the\s+)?$", re.I)
_ADJACENT = re.compile(r"^\s*(?:\(|:|\||\u2013|\u2014|\s-)\s*(?:the\s+|as\s+(?:the\s+)?)?$")
_DATED = re.compile(r"^\s+(?:decision\s+|meeting\s+)?(?:of|on)\s+(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}")
# between a subject entity and its copula: a few words of its name ("IOM Mission in Ghana is"), no clause break
_SUBJECT_GAP = re.compile(r"^(?:\s*\([^()]{0,40}\))?(?:\s+[\w'’-]+){0,4}?\s*(?:\([^()]{0,40}\)\s*)?$")
MASTHEAD_CHARS = 200                   # a document's title: its first paragraph, at most this long (as in ingest/bearer.py)
_NOT_MEETING = re.compile(r"\b(?:rotat(?:e|es|ed|ing|ion)|elected|re-?elected|renewed|term\s+of\s+office)\b", re.I)
_LINE_START = re.compile(r"(?:^|\n|\|)[\s*_#>-]*$")
_SELF_REFERENCE = re.compile(r"\b(?:the|this|our)\s+(?:[\w-]+\s+){0,4}$", re.I)
_TOGETHER = re.compile(r"\b(?:together|jointly|along)\s+with\s+(?:the\s+)?$", re.I)
_LABEL = re.compile(r"^\s*(?:\*\*|__|\*|_)?\s*[:|\u2013\u2014]\s*(?:\*\*|__|\*|_)?\s*(?:the\s+)?$")


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY) -> dict:
    """The rule vocabulary (``patterns/structure.json``), read once per process."""
    return json.loads(path.read_text(encoding="utf-8"))


def _words(phrases: list[str], case_sensitive: tuple[str, ...] = ()) -> re.Pattern:
    """One regex for a list of phrases, longest first, on word boundaries."""
    ordered = sorted(phrases, key=len, reverse=True)
    parts = [(re.escape(p) if p in case_sensitive else "(?i:" + re.escape(p) + ")").replace("\\ ", r"\s+")
             for p in ordered]
    return re.compile(r"(?<![A-Za-z0-9_-])(?:" + "|".join(parts) + r")(?![A-Za-z0-9_-])")


class FactFinder:
    """Applies the rules of the module docstring to one document."""

    def __init__(self, layout: Layout, mentions: list[Mention], meta: DocumentMeta, vocabulary: dict):
        self.layout, self.meta, self.v = layout, meta, vocabulary
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self._starts = [m.start for m in self.mentions]
        self._entity_lines: dict[int, Mention | None] = {}
        self.facts: dict[tuple, Fact] = {}
        v = vocabulary
        self.not_holders = set(v["not_holders"])
        self.role_nouns = {role: _words(spec["nouns"]) for role, spec in v["roles"].items()}
        self.role_passive = {role: re.compile(_words(spec["passive"]).pattern + r"\s+(?:jointly\s+)?by\s+(?:the\s+)?")
                             for role, spec in v["roles"].items() if spec["passive"]}
        self.role_as = re.compile(v["role_as_re"], re.I)
        self.copula = re.compile(v["role_copula_re"], re.I)
        self.subject_copula = re.compile(v["role_subject_copula_re"], re.I)
        self.role_labels = {role: _words(nouns) for role, nouns in v.get("role_label_nouns", {}).items()}
        # "Secretariat support [of the Regional Network] will be provided by UNDP"
        self.by_gap = re.compile(r"^[\s,]*(?:of\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){0,4}?)?(?:[\w-]+[\s,]+){0,5}?(?:"
                                 + "|".join(v["role_by_verbs"]) +
                                 r")\s+(?:jointly\s+)?by\s+(?:the\s+)?$", re.I)
        self.in_gap = re.compile(v["role_in_re"], re.I)
        self.take = re.compile(r"\b(?:" + "|".join(v["role_take_verbs"]) +
                               r")\s+(?:the\s+|its\s+|their\s+|a\s+)?(?:[\w-]+\s+)?$", re.I)
        self.modal = re.compile(r"\b(?:" + "|".join(v["role_verb_modals"]) + r")\s+$", re.I)
        self.foreign = re.compile(v["foreign_role_re"], re.I)
        self.member_cue = _words(v["member_cues"])
        self.composition = re.compile(v["composition_re"], re.I)
        self.ec_composition = re.compile(v["ec_composition_re"], re.I)
        self.network_noun = re.compile(v["network_nouns_re"], re.I)
        self.bodies = {k: _words(p, tuple(v["body_case_sensitive"])) for k, p in v["bodies"].items()}
        self.decision_cue = _words(v["decision_cues"])
        self.rules = {k: _words(p) for k, p in v["decision_rules"].items()}
        self.negated = re.compile(v["negated_rule_re"], re.I)
        self.guided_cue = _words(v["guidance_cues"])
        self.principle = _words(v["principle_cues"])
        self.principles_lead = re.compile(v["principles_lead_in_re"], re.I)
        self.global_network = re.compile(v["global_network_re"], re.I)
        self.global_principles = re.compile(v["global_principles_re"], re.I)
        self.legend_phrase = re.compile(v["legend_phrase_re"], re.I)
        self.member_heading = _words(v["member_heading_cues"])
        own = [v["own_network_re"]["any"], v["own_network_re"].get(meta.level or "", "(?!)")]
        generic = r"(?:the\s+)?(?:global\s+)?(?:UN|United\s+Nations)(?:\s*\(UN\))?\s+(?:Network\s+on\s+Migration|Migration\s+Network)"
        if meta.network_name and not re.fullmatch(generic, meta.network_name.strip(), re.I):
            own.append(re.escape(meta.network_name))                     # a generic name says nothing
        self.own_network = re.compile("|".join(own), re.I)
        # a network named as a body ("Migration Working Group of the UNCT") calls itself "the Working Group"
        names = " ".join(n for n in (meta.network_name, meta.title) if n)
        self.own_bodies = {b for b, p in self.bodies.items() if names and p.search(names)}
        lead = len(layout.text) - len(layout.text.lstrip())
        first = re.split(r"\n[ \t]*\n", layout.text[lead:], maxsplit=1)[0]
        self.masthead_end = lead + min(len(first), MASTHEAD_CHARS)          # the title paragraph
        self.adopt = _words(v["adopt_cues"])
        self.meeting = _words(v["meeting_cues"])
        self.open_membership = re.compile(v["open_membership_re"], re.I)
        self.engagement = _words(v["engagement_cues"])
        self.marker_legend = re.compile(v["legend_markers_re"])
        self.line_marker = re.compile(v["line_marker_re"])

    # -- helpers --------------------------------------------------------------------------
    def add(self, key: str, value: str, span: tuple[int, int], body: str | None = None) -> None:
        self.facts.setdefault((key, value, body), Fact(key, value, span[0], span[1], body))

    def inside(self, start: int, end: int, kind: str | None = None) -> list[Mention]:
        """Mentions in a span, without those of footnotes inside it (unless it is a footnote)."""
        footnote = self.layout.in_footnote(start, end)
        near = self.mentions[bisect_left(self._starts, start):bisect_right(self._starts, end)]
        return [m for m in near if m.end <= end and (kind is None or m.kind == kind)
                and (footnote or not self.layout.in_footnote(m.start, m.end))]

    def entities(self, start: int, end: int) -> list[Mention]:
        """UN entities in a span that can hold a role or membership (not posts like the SG)."""
        return [m for m in self.inside(start, end, "un-entity") if m.key not in self.not_holders]

    def enumeration(self, ents: list[Mention], i: int, forward: bool = True) -> list[Mention]:
        """The entities listed together with ``ents[i]`` ("A, B and C"), forwards or backwards."""
        text = self.layout.text
        run = [ents[i]]
        j = i
        while 0 <= j + (1 if forward else -1) < len(ents):
            a, b = (ents[j], ents[j + 1]) if forward else (ents[j - 1], ents[j])
            if not _SEP.match(text[a.end:b.start]):
                break
            j += 1 if forward else -1
            run.append(ents[j])
        return run

    def enumerations(self, ents: list[Mention]) -> list[list[Mention]]:
        runs, i = [], 0
        while i < len(ents):
            run = self.enumeration(ents, i)
            runs.append(run)
            i += len(run)
        return runs

    # -- roles ----------------------------------------------------------------------------
    def roles(self, clause: Clause) -> None:
        text, start = self.layout.clause_text(clause), clause.start
        ents = self.entities(clause.start, clause.end)
        taken = [(m.start - start, m.end - start) for m in self.inside(clause.start, clause.end)
                 if m.kind in ("un-entity", "instrument")]
        for role, pattern in self.role_passive.items():
            for match in pattern.finditer(text):
                after = [k for k, m in enumerate(ents) if m.start >= start + match.end()]
                if after and ents[after[0]].start - start - match.end() <= 4:
                    self._hold(role, self.enumeration(ents, after[0]), clause)
        for role, pattern in self.role_labels.items():      # "Coordination: IOM", "| Coordination | IOM |"
            for match in pattern.finditer(text):
                after = [k for k, m in enumerate(ents) if m.start >= start + match.end()]
                if after and _LINE_START.search(text[:match.start()]) and \
                        _LABEL.match(text[match.end():ents[after[0]].start - start]):
                    self._hold(role, self.enumeration(ents, after[0]), clause)
        for group_start, group_end, roles in self._role_groups(text, taken):
            before, after = text[:group_start], text[group_end:]
            if self.foreign.match(after) or self._theirs(before, text):
                continue
            holders = self._holders(text, start, group_start, group_end, before, ents)
            for role in roles:
                self._hold(role, holders, clause)

    def _theirs(self, before: str, text: str) -> bool:
        """"Working Groups with IOM serving as their Secretariat": the role of other bodies."""
        return bool(re.search(r"\btheir\s+(?:[\w-]+\s+)?$", before, re.I)) and any(
            self.bodies[b].search(text) for b in ("working-group", "task-team"))

    def _role_groups(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, set[str]]]:
        found = sorted((m.start(), m.end(), role) for role, p in self.role_nouns.items() for m in p.finditer(text)
                       if not any(s < m.end() and m.start() < e for s, e in taken))
        groups: list[tuple[int, int, set[str]]] = []
        joiner = re.compile(r"^\s*(?:,|and|&|/|or)\s*(?:the\s+|its\s+)?(?:network\s+)?$", re.I)
        for s, e, role in found:
            if groups and (s < groups[-1][1] or joiner.match(text[groups[-1][1]:s])):
                groups[-1] = (groups[-1][0], max(e, groups[-1][1]), groups[-1][2] | {role})
            else:
                groups.append((s, e, {role}))
        return groups

    def _holders(self, text: str, start: int, gs: int, ge: int, before: str, ents: list[Mention]) -> list[Mention]:
        prior = [k for k, m in enumerate(ents) if m.end - start <= gs]
        later = [k for k, m in enumerate(ents) if m.start - start >= ge]
        as_match = self.role_as.search(before)                 # "IOM will serve as the Coordinator"
        if as_match:
            subjects = [k for k in prior if ents[k].end - start <= as_match.start()]
            if subjects:
                return self.enumeration(ents, subjects[-1], forward=False)
        if later:                                   # "Secretariat: UNDP", "... is IOM", "... hosted by UNHCR"
            gap = text[ge:ents[later[0]].start - start]
            if _LABEL.match(gap) or self.copula.match(gap) or self.by_gap.match(gap) or self.in_gap.match(gap):
                return self.enumeration(ents, later[0])
        if prior and _ADJACENT.match(text[ents[prior[-1]].end - start:gs]):     # "IOM (Coordinator)"
            return [ents[prior[-1]]]
        copula = self.subject_copula.search(before)            # "IOM is the coordinator", "UNDP will be the ..."
        if copula and prior:
            subjects = [k for k in prior if ents[k].end - start <= copula.start()]
            if subjects and _SUBJECT_GAP.match(text[ents[subjects[-1]].end - start:copula.start()]):
                return self.enumeration(ents, subjects[-1], forward=False)
        take = self.take.search(before)                        # "IOM, which also provides the secretariat"
        if take and prior:
            candidates = [k for k in prior if ents[k].end - start <= take.start()]
            if candidates:
                k = candidates[-1]                             # "IOM, together with UNHCR, ensures ..."
                joint = k > 0 and _TOGETHER.search(self.layout.text[ents[k - 1].end:ents[k].start])
                return [ents[k - 1], ents[k]] if joint else [ents[k]]
        if self.modal.search(before) and prior:       # "A and B will co-chair the Network"
            return self.enumeration(ents, prior[-1], forward=False)
        return []

    def _hold(self, role: str, holders: list[Mention], clause: Clause) -> None:
        for m in holders:
            self.add(role, m.key, (clause.start, clause.end))

    # -- membership -----------------------------------------------------------------------
    def _targets(self, text: str, section: str | None) -> set[str]:
        """Which lists an enumeration in this text feeds: members and/or executive_committee."""
        text = re.sub(r"\bmember\s+states?\b", " ", text, flags=re.I)
        targets = set()
        ec = self.bodies["executive-committee"]
        composition = bool(self.composition.search(text))
        if (ec.search(text) or (section and ec.search(section))) and (
                composition or self.ec_composition.search(text) or self.member_cue.search(text)):
            targets.add("executive_committee")
        if self.member_cue.search(text) or (composition and self.network_noun.search(text) and not ec.search(text)):
            targets.add("members")
        return targets

    def members_inline(self, clause: Clause) -> None:
        text = self.layout.clause_text(clause)
        runs = [r for r in self.enumerations(self.entities(clause.start, clause.end)) if len({m.key for m in r}) >= 2]
        if not runs:
            return
        run = max(runs, key=len)
        for key in self._targets(text, clause.section):
            for m in run:
                self.add(key, m.key, (clause.start, clause.end))

    def member_lines(self) -> None:
        """Annex-style lists: one entity a line, under a membership heading or lead line."""
        legend = self._legend()
        lines = self.layout.lines
        i = 0
        while i < len(lines):
            if self._entity_line(lines[i]) is None:
                i += 1
                continue
            j = i
            while j < len(lines) and (self._entity_line(lines[j]) is not None or self._is_legend(lines[j])):
                j += 1
            run = [ln for ln in lines[i:j] if self._entity_line(ln) is not None]
            lead = lines[i - 1].text if i > 0 else ""
            section = self.layout.section_at(lines[i].start)
            context = lead if lead.rstrip().endswith(":") else ""
            targets = set()
            if self.bodies["executive-committee"].search(context) or (
                    not context and section and self.bodies["executive-committee"].search(section)):
                targets.add("executive_committee")
            elif self.member_heading.search(context or section or ""):
                targets.add("members")
            if len(run) >= 2 and targets and not self.layout.is_background(lines[i].start):
                for line in run:
                    entity = self._entity_line(line)
                    for key in targets:
                        self.add(key, entity.key, (line.start, line.end))
                    marker = self._line_marker(line)
                    if marker and marker in legend:
                        self.add(legend[marker], entity.key, (line.start, line.end))
            i = j

    def _entity_line(self, line: Line) -> Mention | None:
        """The one UN entity that a line names (a member-list line), or None."""
        if line.start not in self._entity_lines:
            m = entity_only(self.layout.text, line.start, line.end, self.inside(line.start, line.end, "un-entity"))
            self._entity_lines[line.start] = m if m is None or m.key not in self.not_holders else None
        return self._entity_lines[line.start]

    def _line_marker(self, line: Line) -> str | None:
        match = self.line_marker.search(_unbold(line.text))
        return match.group("marker").strip("()") if match else None

    def _is_legend(self, line: Line) -> bool:
        return self._legend_of(line) is not None

    def _legend_of(self, line: Line) -> tuple[str, str] | None:
        """``("*", "executive_committee")`` for "* Executive Committee" or "Members of the
        Executive Committee are marked with an asterisk"."""
        plain = _unbold(line.text).strip()
        match = self.marker_legend.match(plain)
        if self._entity_line(line) is not None:
            return None
        if match:
            marker, text = match.group("marker"), match.group("text")
        elif self.legend_phrase.search(plain):
            marker, text = "*", plain
        else:
            return None
        for body, key in (("executive-committee", "executive_committee"), ("co-chairs", "co_chairs"),
                          ("coordinator", "coordinator"), ("secretariat", "secretariat")):
            match = self.bodies[body].search(text)
            if match and not self.foreign.match(text[match.end():]):   # not "co-chairs of working groups"
                return marker.strip("()"), key
        return None

    def _legend(self) -> dict[str, str]:
        return dict(filter(None, (self._legend_of(line) for line in self.layout.lines)))

    # -- other facts ----------------------------------------------------------------------
    def decision(self, clause: Clause, text: str) -> None:
        if not self.decision_cue.search(text):
            return
        for rule, pattern in self.rules.items():
            for match in pattern.finditer(text):
                if not self.negated.search(text[:match.start()]):
                    self.add("decision_rule", rule, (clause.start, clause.end))
                    break

    def guidance(self, clause: Clause, text: str) -> None:
        if self.guided_cue.search(text):
            for m in self.inside(clause.start, clause.end, "instrument"):
                value = self.v["guided_by_values"].get(m.key)
                if value:
                    self.add("guided_by", value, (clause.start, clause.end))

    def principles(self, clause: Clause, text: str) -> None:
        lead = self.layout.text[clause.lead_in[0]:clause.lead_in[1]] if clause.lead_in else ""
        start, end = clause.start, clause.end
        if self.principles_lead.search(lead.strip()) or (clause.section and self.principle.search(clause.section)):
            label = re.match(r"^[^:]{1,90}:", text)   # "**Coherence:** The Network will ..."
            if label:
                end = start + label.end()
        elif not self.principle.search(text) and not self._principle_run(start, end):
            return
        for m in self.inside(start, end, "working-principle"):
            self.add("working_principles", m.key, (clause.start, clause.end))
        refers = self.global_network.search(text) or (
            self.meta.level in ("regional", "country") and self.global_principles.search(text))
        if self.principle.search(text) and refers and self.adopt.search(text):
            self.add("adopts_global_principles", "true", (clause.start, clause.end))

    def _principle_run(self, start: int, end: int) -> bool:
        """Three or more working principles listed together ("with accountability, coherence and
        inclusivity") name them even without the word "principles"."""
        found = self.inside(start, end, "working-principle")
        text, run = self.layout.text, 1
        for a, b in zip(found, found[1:]):
            run = run + 1 if _SEP.match(text[a.end:b.start]) and a.key != b.key else 1
            if run >= 3:
                return True
        return False

    def bodies_named(self, clause: Clause, text: str) -> None:
        if clause.footnote:
            return
        blocked = [(m.start, m.end) for m in self.inside(clause.start, clause.end)
                   if m.kind in ("un-entity", "instrument", "network")]
        for body, pattern in self.bodies.items():
            if body in self.v["global_only_bodies"] and self.meta.level != "global":
                continue
            for match in pattern.finditer(text):
                s, e = clause.start + match.start(), clause.start + match.end()
                if any(a < e and s < b for a, b in blocked) or self._foreign_body(text, match, blocked, clause.start):
                    continue
                if body in self.own_bodies and not match.group(0).lower().endswith("s") and (
                        _SELF_REFERENCE.search(text[:match.start()]) or s < self.masthead_end):
                    continue                         # the title or "the Working Group" of a "Migration Working Group" ToR
                self.add("bodies", body, (clause.start, clause.end))
                break

    def _foreign_body(self, text: str, match: re.Match, blocked: list[tuple[int, int]], offset: int) -> bool:
        """A body of someone else: "the global Network Secretariat", "(UNSDG) Secretariat",
        "co-chair of the Network's Working Groups", "working groups of the UNCT"."""
        before, after = text[:match.start()], text[match.end():]
        if self.global_network.search(before) and re.search(r"network(?:'s|\u2019s)?\s+$", before, re.I):
            return True
        if any(b <= offset + match.start() and offset + match.start() - b <= 2 for _, b in blocked):
            return True
        if re.search(r"(?<!network)(?:'s|\u2019s)\s+(?:[\w-]+\s+)?$", before, re.I) and \
                not re.search(r"network(?:'s|\u2019s)\s+(?:[\w-]+\s+)?$", before, re.I):
            return True
        if self.foreign.match(after) or _DATED.match(after):
            return True
        of = re.match(r"^\s+(?:of|for)\s+(?:the\s+)?", after)
        if of and any(a == offset + match.end() + of.end() for a, _ in blocked):
            return True
        return bool(re.match(r"^\s+(?:of|for)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+(?:'s|\u2019s)\s+)?"
                             r"(?:working\s+groups?|task\s+teams?)\b", after, re.I))

    def meetings(self, clause: Clause, text: str) -> None:
        """"an annual meeting" -> meeting_frequency P1Y of the annual-meeting; "The Network will
        meet quarterly" -> P3M of the network; "The Executive Committee meets monthly" -> P1M of it."""
        span = (clause.start, clause.end)
        annual = self.bodies["annual-meeting"]
        if annual.search(text):
            self.add("meeting_frequency", "P1Y", span, "annual-meeting")
            self.add("bodies", "annual-meeting", span)
            text = annual.sub(lambda m: " " * len(m.group()), text)
        # "- Monthly, first Tuesday of the month" under a "Meetings" heading; not the frequency of
        # something else done to meetings ("Chair of meetings: rotates every six months")
        about = self.meeting.search(text) or (clause.section and self.meeting.search(clause.section))
        found = find_frequency(text) if about and not _NOT_MEETING.search(text) else None
        if not found:
            return
        body = "network"
        for kind, pattern in self.bodies.items():    # "The Executive Committee will meet", "meetings of the CBM"
            if re.match(r"^\W*(?:the\s+)?(?:(?:network|regional|country)\s+)?" + pattern.pattern, text, re.I) or \
                    re.search(r"\bmeetings?\s+of\s+(?:the\s+|its\s+)?" + pattern.pattern, text, re.I):
                body = kind
                break
        self.add("meeting_frequency", found[0], span, body)
        if found[0] == "P1Y" and body == "network":           # "The Network will meet once a year"
            self.add("bodies", "annual-meeting", span)

    def stakeholders(self, clause: Clause, text: str) -> None:
        lead = self.layout.text[clause.lead_in[0]:clause.lead_in[1]] if clause.lead_in else ""
        if not (self.engagement.search(text) or self.engagement.search(lead)):
            return
        keys = {m.key for m in self.inside(clause.start, clause.end, "stakeholder")}
        if len(keys) >= 2 or keys - {"migrants"}:
            for key in sorted(keys):
                self.add("stakeholders", key, (clause.start, clause.end))

    def membership_openness(self, clause: Clause, text: str) -> None:
        if self.open_membership.search(text) and (self.member_cue.search(text) or self.composition.search(text)
                                                   or self.network_noun.search(text)):
            self.add("open_membership", "true", (clause.start, clause.end))

    # -- the whole document ---------------------------------------------------------------
    def run(self) -> list[Fact]:
        for clause in self.layout.clauses:
            text = self.layout.clause_text(clause)
            if self.layout.is_background(clause.start) and not self.own_network.search(text):
                continue
            self.roles(clause)
            self.members_inline(clause)
            self.decision(clause, text)
            self.guidance(clause, text)
            self.principles(clause, text)
            self.bodies_named(clause, text)
            self.meetings(clause, text)
            self.stakeholders(clause, text)
            self.membership_openness(clause, text)
        self.member_lines()
        for fact in list(self.facts.values()):
            body = self.v["body_of_role"].get(fact.key)
            if body:
                self.add("bodies", body, (fact.start, fact.end))
        if self.meta.level in ("regional", "country"):
            for m in self.mentions:
                if m.kind == "network" and m.key == "global":
                    self.add("parent_network", "global", (m.start, m.end))
                    break
        return sorted(self.facts.values(), key=lambda f: (f.key, f.start, f.value))


def _unbold(line: str) -> str:
    """A line without bold or italic markup: "*** Executive Committee**" -> "* Executive Committee",
    "*IOM*" -> "IOM" (a lone "*" is kept: it is a marker)."""
    line = re.sub(r"__(.+?)__", r"\1", re.sub(r"\*\*(.+?)\*\*", r"\1", line.replace("\\*", "*")))
    return re.sub(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])", r"\1", line)


def extract_facts(doc, seg, mentions: list[Mention], provisions: list[Provision],
                  meta: DocumentMeta) -> list[Fact]:
    """Structure facts of one document. ``doc`` is the spaCy Doc (its text is the document's
    text), ``seg`` the Segmentation of ``torkg.ingest.segment`` (or None: lines and sentences
    are then read from the text), ``provisions`` are not needed by the current rules."""
    vocabulary = load_vocabulary()
    text = seg.text if seg is not None and hasattr(seg, "text") else doc.text
    layout = build_layout(text, seg, mentions, vocabulary["background_sections"])
    return FactFinder(layout, list(mentions), meta, vocabulary).run()


SCORED_KEYS = ("coordinator", "secretariat", "co_chairs", "members", "executive_committee",
               "decision_rule", "guided_by", "working_principles", "bodies")


def main(argv: list[str] | None = None) -> int:
    """Dev entry point: segment + mentions + facts for every document of a folder, as the
    SCHEMA.md ``doc,key,value`` CSV (plus ``network`` and ``level`` from inferred metadata)."""
    import spacy

    from torkg.ingest.entities import mentions_of
    from torkg.ingest.infer import infer_meta
    from torkg.ingest.segment import segment

    ap = argparse.ArgumentParser(prog="python -m torkg.ingest.structure", description=main.__doc__)
    ap.add_argument("corpus", type=Path, help="folder of .md/.txt documents (file stem = doc id)")
    ap.add_argument("--out", type=Path, help="CSV to write (default: standard output)")
    ap.add_argument("--all-keys", action="store_true", help="also write the unscored keys")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        ap.error(f"{args.corpus} is not a folder: give the folder that holds the documents")
    nlp = spacy.blank("en")
    nlp.add_pipe("torkg_mentions")
    rows = []
    for path in sorted(p for p in args.corpus.iterdir() if p.suffix in (".md", ".txt")):
        with open(path, encoding="utf-8", newline=None) as f:
            text = f.read()
        meta = infer_meta(path.stem, text)
        doc = nlp(text)
        facts = extract_facts(doc, segment(text), mentions_of(doc), [], meta)
        rows += [(path.stem, "network", meta.network), (path.stem, "level", meta.level)]
        rows += [(path.stem, f.key, f.value) for f in facts if args.all_keys or f.key in SCORED_KEYS]
    out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
    try:
        writer = csv.writer(out)
        writer.writerow(("doc", "key", "value"))
        writer.writerows(r for r in dict.fromkeys(rows) if r[2] is not None)
    finally:
        if args.out:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
