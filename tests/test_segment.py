"""Segmentation: parts and units of each numbering, list, footnote and table style (exact spans)."""
from __future__ import annotations

from pathlib import Path

import pytest

from torkg.ingest.segment import segment

STYLES = Path(__file__).parent / "data" / "styles"


def units(text: str) -> list[str]:
    seg = segment(text)
    return [text[u.start:u.end] for u in seg.units]


def parts(text: str, kind: str) -> list[str]:
    seg = segment(text)
    return [text[p.start:p.end] for p in seg.parts if p.kind == kind]


def test_clean_text_keeps_offsets_and_drops_markup():
    text = "# Title\n\n**Bold** and *italic* and _under_ text¹ with <sup>2</sup> and [^3] and [a link](#).\n"
    seg = segment(text)
    assert len(seg.clean) == len(text)
    assert "*" not in seg.clean and "#" not in seg.clean and "¹" not in seg.clean and "<sup>" not in seg.clean
    assert "[^3]" not in seg.clean and "](#)" not in seg.clean
    assert seg.clean.split() == ["Title", "Bold", "and", "italic", "and", "under", "text", "with", "and", "and", "a",
                                 "link", "."]


def test_title_headings_and_sections():
    text = ("Terms of Reference for the Network\n\nMission Statement\n\nThe Network will meet.\n\n"
            "## Membership\n\nMembers will attend.\n\n**Secretariat**\n\nThe Secretariat will record.\n\n"
            "Annex I: Background\n\nIt was created in 2018.\n")
    seg = segment(text)
    assert parts(text, "title") == ["Terms of Reference for the Network"]
    assert parts(text, "heading") == ["Mission Statement", "## Membership", "**Secretariat**", "Annex I: Background"]
    sections = [p for p in seg.parts if p.kind in ("section", "annex")]
    assert [p.heading for p in sections] == ["Mission Statement", "Membership", "Secretariat", "Annex I: Background"]
    assert sections[-1].kind == "annex"
    assert text[sections[0].start:sections[0].end] == "Mission Statement\n\nThe Network will meet."
    assert [u.section for u in seg.units] == ["Mission Statement", "Membership", "Secretariat", "Annex I: Background"]
    paragraph = seg.parts[seg.units[1].part]
    assert paragraph.kind == "paragraph" and seg.parts[paragraph.parent].heading == "Membership"


@pytest.mark.parametrize("marker, number, kind", [
    ("7.", "7", "numbered-paragraph"), ("1.1", "1.1", "numbered-paragraph"), ("1.1.1", "1.1.1", "numbered-paragraph"),
    ("(a)", "(a)", "numbered-paragraph"), ("a)", "a)", "numbered-paragraph"), ("a.", "a.", "numbered-paragraph"),
    ("i.", "i.", "numbered-paragraph"), ("(iv)", "(iv)", "numbered-paragraph"), ("1)", "1)", "numbered-paragraph"),
])
def test_numbering_styles(marker, number, kind):
    text = f"Rules\n\n{marker} The Secretariat shall keep the records of the Network.\n"
    seg = segment(text)
    part = next(p for p in seg.parts if p.kind == kind)
    assert part.number == number
    assert text[part.start:part.end] == f"{marker} The Secretariat shall keep the records of the Network."
    assert units(text) == ["The Secretariat shall keep the records of the Network."]


@pytest.mark.parametrize("bullet", ["-", "•", "✓", "*", "+"])
def test_bullets_continue_their_lead_in(bullet):
    text = f"Roles\n\nThe Secretariat will:\n\n{bullet} prepare agendas;\n{bullet} keep records.\n"
    seg = segment(text)
    assert [text[u.start:u.end] for u in seg.units] == ["prepare agendas;", "keep records."]
    lead = text.index("The Secretariat will:")
    assert {u.lead_in for u in seg.units} == {(lead, lead + len("The Secretariat will:"))}
    assert parts(text, "lead-in") == ["The Secretariat will:"]
    assert parts(text, "list-item") == [f"{bullet} prepare agendas;", f"{bullet} keep records."]


def test_nested_items_take_the_nearest_lead_in():
    text = ("Functions\n\nThe Network will:\n\na) coordinate support;\n\nb) work with these partners:\n"
            "   i. the Ministry;\n   ii. the Institute;\n\nc) report annually.\n")
    seg = segment(text)
    outer = text.index("The Network will:")
    inner = text.index("work with these partners:")
    got = {text[u.start:u.end]: u.lead_in for u in seg.units}
    assert got == {"coordinate support;": (outer, outer + 17), "the Ministry;": (inner, inner + 25),
                   "the Institute;": (inner, inner + 25), "report annually.": (outer, outer + 17)}
    assert seg.outer[(inner, inner + 25)] == (outer, outer + 17)


def test_numbered_items_resume_their_lead_in_after_a_paragraph():
    text = ("Actions\n\nThe Network will undertake these actions:\n\n1. Hold a briefing.\n\nThe briefing will be online.\n\n"
            "2. Organize consultations.\n")
    seg = segment(text)
    lead = text.index("The Network will undertake")
    by_text = {text[u.start:u.end]: u.lead_in for u in seg.units}
    span = (lead, lead + len("The Network will undertake these actions:"))
    assert by_text["Hold a briefing."] == by_text["Organize consultations."] == span
    assert by_text["The briefing will be online."] is None


def test_lead_in_without_colon_is_also_a_unit():
    text = "Modalities\n\nThe Network will hire a focal point to\n\n- draft concept notes;\n- produce reports.\n"
    seg = segment(text)
    assert units(text) == ["The Network will hire a focal point to", "draft concept notes;", "produce reports."]
    assert seg.units[1].lead_in == (seg.units[0].start, seg.units[0].end)


def test_bold_label_is_not_part_of_the_unit():
    text = "Principles\n\nThe Network will be guided by:\n\n- **Accountability:** The Network will be accountable.\n"
    assert units(text) == ["The Network will be accountable."]


def test_footnotes_are_parts_not_units():
    text = ("Mission\n\nThe Network will support States.¹ It will meet<sup>2</sup> often[^3].\n\n"
            "¹ A footnote that will not count.\n\n<sup>2</sup> Another one.\n\n[^3]: A third one.\n")
    assert parts(text, "footnote") == ["¹ A footnote that will not count.", "<sup>2</sup> Another one.",
                                       "[^3]: A third one."]
    assert units(text) == ["The Network will support States.¹", "It will meet<sup>2</sup> often[^3]."]


def test_sentence_split_respects_abbreviations_and_numbers():
    text = ("Rules\n\nMembers (e.g. UNDP, i.e. a member) will report, see para. 36 and No. 5 of the U.N. rules. "
            "The budget is 2.5 million. Meetings follow (a) the agenda. The Chair will open them.\n")
    assert units(text) == ["Members (e.g. UNDP, i.e. a member) will report, see para. 36 and No. 5 of the U.N. rules.",
                           "The budget is 2.5 million.", "Meetings follow (a) the agenda.", "The Chair will open them."]


def test_paragraph_cut_by_a_page_break_is_joined():
    text = ("Mission\n\nThe Regional Network is committed to\n\n---\n\n<sup>1</sup> A footnote.\n\n"
            "enabling the engagement of stakeholders.\n")
    seg = segment(text)
    start = text.index("The Regional")
    assert [(u.start, u.end) for u in seg.units] == [(start, len(text) - 1)]
    assert seg.clean[start:].split() == ["The", "Regional", "Network", "is", "committed", "to", "enabling", "the",
                                         "engagement", "of", "stakeholders."]
    assert parts(text, "footnote") == ["<sup>1</sup> A footnote."]


def test_pipe_table_rows_and_cells():
    text = ("Roles\n\n| Body | Responsibilities |\n|---|---|\n| Secretariat | Keeps the records. Circulates minutes. |\n"
            "| Co-Chairs | Convene meetings of the Network |\n")
    seg = segment(text)
    assert parts(text, "table") == [text[text.index("| Body"):len(text) - 1]]
    assert parts(text, "table-row") == ["| Body | Responsibilities |", "| Secretariat | Keeps the records. Circulates minutes. |",
                                        "| Co-Chairs | Convene meetings of the Network |"]
    got = [(text[u.start:u.end], text[slice(*u.lead_in)]) for u in seg.units]
    assert got == [("Keeps the records.", "Secretariat"), ("Circulates minutes.", "Secretariat"),
                   ("Convene meetings of the Network", "Co-Chairs")]


def test_pipe_table_with_the_body_in_the_last_column():
    text = "Tasks\n\n| Task | Lead |\n|---|---|\n| Prepare the agenda of meetings | Secretariat |\n"
    seg = segment(text)
    assert [(text[u.start:u.end], text[slice(*u.lead_in)]) for u in seg.units] == [
        ("Prepare the agenda of meetings", "Secretariat")]


def test_member_lists_with_executive_committee_markers():
    text = ("Annex II: Network membership\n\nFood and Agriculture Organization (FAO)\n\n"
            "International Labour Organization (ILO) *\n\nUnited Nations Population Fund (UNFPA)\n\nWorld Bank\n")
    seg = segment(text)
    lists = [p for p in seg.parts if p.kind == "member-list"]
    assert len(lists) == 1
    index = seg.parts.index(lists[0])
    items = [(text[p.start:p.end], p.marker) for p in seg.parts if p.parent == index]
    assert items == [("Food and Agriculture Organization (FAO)", None), ("International Labour Organization (ILO) *", "*"),
                     ("United Nations Population Fund (UNFPA)", None), ("World Bank", None)]
    assert seg.units == []


def test_member_list_as_consecutive_lines():
    text = "Members\n\nThe following entities are members:\n\nIOM *\nUNHCR *\nUNICEF\nUN Women\n"
    seg = segment(text)
    assert [text[p.start:p.end] for p in seg.parts if p.kind == "list-item"] == ["IOM *", "UNHCR *", "UNICEF", "UN Women"]
    assert [p.marker for p in seg.parts if p.kind == "list-item"] == ["*", "*", None, None]
    assert units(text) == ["The following entities are members:"]


def test_question_heading_is_not_a_unit():
    text = "FAQ\n\ni. What is the purpose of the Network?\n\nThe Network supports States.\n"
    assert units(text) == ["The Network supports States."]


@pytest.mark.parametrize("name", sorted(p.name for p in STYLES.glob("*.md")))
def test_style_documents_segment_without_markup_in_units(name):
    text = (STYLES / name).read_text(encoding="utf-8")
    seg = segment(text)
    assert len(seg.clean) == len(text)
    for u in seg.units:
        raw, body = text[u.start:u.end], seg.clean[u.start:u.end]
        assert raw == raw.strip() and body[:1].strip() and "*" not in body and "|" not in body
    for p in seg.parts:
        assert p.parent is None or 0 <= p.parent < len(seg.parts)


def test_numbered_headings_and_numbered_items():
    text = ("Terms of Reference\n\n1. Background\n\n1.1 The Network was set up in 2019.\n\n2. Membership and structure\n\n"
            "2.1 The Network shall consist of UN entities.\n\n3. Duties of the co-chairs\n\n1. Convene meetings\n"
            "2. Keep records\n\n4. Meetings\n\nThe Network will meet monthly.\n")
    seg = segment(text)
    assert [(p.number, p.heading) for p in seg.parts if p.kind == "section"] == [
        ("1", "Background"), ("2", "Membership and structure"), ("3", "Duties of the co-chairs"), ("4", "Meetings")]
    assert [(text[u.start:u.end], u.section) for u in seg.units] == [
        ("The Network was set up in 2019.", "Background"),
        ("The Network shall consist of UN entities.", "Membership and structure"),
        ("Convene meetings", "Duties of the co-chairs"), ("Keep records", "Duties of the co-chairs"),
        ("The Network will meet monthly.", "Meetings")]


def test_page_numbers_do_not_break_a_list():
    text = "Roles\n\nThe Secretariat will:\n\n- prepare agendas;\n\nPage 2 of 5\n\n- keep records.\n\n12\n\nThe Network will meet.\n"
    seg = segment(text)
    lead = (text.index("The Secretariat"), text.index("The Secretariat") + len("The Secretariat will:"))
    assert [(text[u.start:u.end], u.lead_in) for u in seg.units] == [
        ("prepare agendas;", lead), ("keep records.", lead), ("The Network will meet.", None)]
    assert "Page" not in seg.clean
