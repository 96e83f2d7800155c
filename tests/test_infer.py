"""Metadata inference from a document's own text."""
from __future__ import annotations

from pathlib import Path

import pytest

from torkg.ingest.infer import infer_meta, place_slug, strip_markup
from torkg.ingest.reference import load_reference

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize("text, expected", [
    ("# UN Network on Migration in Ghana\n\nTerms of Reference\n\n1. Background\n",
     ("terms-of-reference", "country", "ghana", "GH", None, "global-tor")),
    ("**Terms of Reference\nRegional UN Network on Migration for Asia and the Pacific**\n\nMission\n",
     ("terms-of-reference", "regional", "asia-pacific", None, "asia-pacific", "global-tor")),
    ("TERMS OF REFERENCE\nUN NETWORK ON MIGRATION IN MEXICO\n\n1. Purpose\n",
     ("terms-of-reference", "country", "mexico", "MX", None, "global-tor")),
    ("United Nations Network on Migration in Türkiye – Terms of Reference (ToR)\n\nJune 2021\n\nText.\n",
     ("terms-of-reference", "country", "turkiye", "TR", None, "global-tor")),
    ("Terms of Reference of the Regional United Nations Network on Migration for the Arab States\n\nText.\n",
     ("terms-of-reference", "regional", "arab-states", None, "arab-states", "global-tor")),
    ("ToR: Country UN Network on Migration in the Republic of Moldova\n\nText.\n",
     ("terms-of-reference", "country", "moldova", "MD", None, "global-tor")),
    ("# Philippines UN Network on Migration \u2013 Terms of Reference\n\n## 1. Rationale\n",
     ("terms-of-reference", "country", "philippines", "PH", None, "global-tor")),
    ("REGIONAL UNITED NATIONS NETWORK ON MIGRATION FOR LATIN AMERICA AND THE CARIBBEAN\n\nTERMS OF REFERENCE\n",
     ("terms-of-reference", "regional", "latin-america-and-the-caribbean", None, "419", "global-tor")),
    ("**United Nations Network on Migration \u2013 Morocco**\n\n**Terms of Reference (ToR)**\n\n**1. Context**\n",
     ("terms-of-reference", "country", "morocco", "MA", None, "global-tor")),
    ("Terms of Reference for the UN Network on Migration\n\nMission Statement\n",
     ("terms-of-reference", "global", "global", None, None, None)),
    # a label's parenthetical left out, a place before the name with "and"/"da" and a comma,
    # a capital outside ASCII, a place the reference data does not know after a dash
    ("# UN Network on Migration \u2013 Sint Maarten\n\nTerms of Reference (ToR)\n\n## Context\n",
     ("terms-of-reference", "country", "sint-maarten", "SX", None, "global-tor")),
    ("Saint Helena, Ascension and Tristan da Cunha UN Network on Migration\n\nDraft Terms of Reference\n",
     ("terms-of-reference", "country", "saint-helena-ascension-and-tristan-da-cunha", "SH", None, "global-tor")),
    ("United Nations Country Network on Migration for \u00c5land Islands\n\nTERMS OF REFERENCE\n\nI. Context\n",
     ("terms-of-reference", "country", "aland-islands", "AX", None, "global-tor")),
    ("# UN Network on Migration \u2013 Zembla\n\nTerms of Reference\n\n1. Purpose\n",
     ("terms-of-reference", "country", "zembla", None, None, "global-tor")),
    ("UN Network on Migration \u2013 Terms of Reference\n\n1. Purpose\n",
     ("terms-of-reference", "global", "global", None, None, None)),
    ("FAQs on the United Nations Network on Migration at the country and regional levels\n\nOctober 2020\n",
     ("guidance", "global", "global", None, None, None)),
])
def test_headers_give_type_level_network_and_place(text, expected):
    meta = infer_meta("doc", text)
    assert (meta.doc_type, meta.level, meta.network, meta.country, meta.region, meta.parent) == expected
    assert {"doc_type", "level", "network"} <= set(meta.inferred)


def test_title_joins_the_masthead_and_strips_markup():
    meta = infer_meta("kg", "\n\nUnited Nations (UN) Migration Network in the Kyrgyz Republic\n\n"
                            "Terms of Reference\n\nBackground\n\nIn his report...\n")
    assert meta.title == "Terms of Reference: United Nations (UN) Migration Network in the Kyrgyz Republic"
    assert meta.network_name == "United Nations (UN) Migration Network in the Kyrgyz Republic"
    assert (meta.level, meta.network, meta.country) == ("country", "kyrgyzstan", "KG")
    assert strip_markup("## **Briefing on the *Regional Review***") == "Briefing on the Regional Review"


def test_a_briefing_names_its_network_in_the_body():
    text = ("## **Briefing of Stakeholders on the *Regional Review of the GCM***\n\n"
            "26 August 2020, 11:00-13:30 hrs.\n\n"
            "The UN Regional Network on Migration for Asia and the Pacific is committed to engagement.\n")
    meta = infer_meta("b", text)
    assert (meta.doc_type, meta.level, meta.network, meta.region, meta.date, meta.parent) == (
        "briefing", "regional", "asia-pacific", "asia-pacific", "2020-08-26", None)


def test_text_without_title_or_network_infers_little():
    meta = infer_meta("x", "The network shall meet. It will be long enough that it is not a title at all, "
                           "and it goes on and on for a while without any heading.\n\nMore.\n")
    assert (meta.title, meta.doc_type, meta.level, meta.network) == (None, "other", None, None)
    assert meta.inferred == ("doc_type",)


def test_place_slugs_follow_short_names():
    ref = load_reference()
    assert place_slug(ref.get("country", "KG")) == "kyrgyzstan"
    assert place_slug(ref.get("region", "asia-pacific")) == "asia-pacific"
    assert place_slug(ref.get("region", "002")) == "africa"


@pytest.mark.parametrize("doc, level, network", [
    ("global-tor", "global", "global"), ("kyrgyzstan-tor", "country", "kyrgyzstan"),
    ("asia-pacific-tor", "regional", "asia-pacific"), ("faq-networks-2020", "global", "global"),
    ("asia-pacific-review-briefing-2020", "regional", "asia-pacific"),
])
def test_corpus_documents(doc, level, network):
    meta = infer_meta(doc, (CORPUS / f"{doc}.md").read_text(encoding="utf-8"))
    assert (meta.level, meta.network) == (level, network)
    assert meta.title and "*" not in meta.title
