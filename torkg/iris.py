"""The one home for IRIs: namespaces, well-known terms and the minting of data IRIs.

Every other module imports names from here; no IRI string is written anywhere else.

>>> str(doc_iri("global-tor"))
'https://w3id.org/torkg/id/doc/global-tor'
>>> str(span_iri("global-tor", 10, 42))
'https://w3id.org/torkg/id/doc/global-tor/char=10,42'
>>> str(doc_graph("global-tor"))
'https://w3id.org/torkg/graph/doc/global-tor'
>>> doc_id_of_graph(doc_graph("kyrgyzstan-tor"))
'kyrgyzstan-tor'
"""
from __future__ import annotations

import hashlib
import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VANN, XSD

BASE = "https://w3id.org/torkg/"

TOR = Namespace(BASE + "def#")
"""The torkg ontology (classes and properties)."""
ID = Namespace(BASE + "id/")
"""Data and reference resources."""
GRAPH = Namespace(BASE + "graph/")
"""Named graphs."""
SHAPES = Namespace(BASE + "shapes#")
"""Alignment and quality shapes."""

ORG = Namespace("http://www.w3.org/ns/org#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
OA = Namespace("http://www.w3.org/ns/oa#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
LRML = Namespace("http://docs.oasis-open.org/legalruleml/ns/v1.0/")
WD = Namespace("http://www.wikidata.org/entity/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, Namespace] = {
    "tor": TOR,
    "torid": ID,
    "torg": GRAPH,
    "torsh": SHAPES,
    "org": ORG,
    "nif": NIF,
    "oa": OA,
    "odrl": ODRL,
    "lrml": LRML,
    "prov": PROV,
    "dct": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "vann": VANN,
    "void": VOID,
    "sd": SD,
    "wd": WD,
}

# --- well-known named graphs -------------------------------------------------------------
ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_GRAPH = GRAPH["reference"]
SHAPES_GRAPH = GRAPH["shapes"]
ONTOLOGY_IRI = URIRef(BASE + "def")

_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str) -> str:
    """A lower-case IRI-safe token.

    >>> slug("Asia and the Pacific")
    'asia-and-the-pacific'
    """
    return _SLUG.sub("-", text.strip()).strip("-").lower()


# --- documents and their parts -------------------------------------------------------------
def doc_iri(doc_id: str) -> URIRef:
    return ID[f"doc/{doc_id}"]


def doc_id_of(iri: str) -> str | None:
    """The document id of a document IRI (None for other IRIs)."""
    prefix = str(ID["doc/"])
    rest = str(iri)[len(prefix):] if str(iri).startswith(prefix) else ""
    return rest if rest and "/" not in rest else None


def doc_graph(doc_id: str) -> URIRef:
    return GRAPH[f"doc/{doc_id}"]


def doc_id_of_graph(graph: str) -> str | None:
    prefix = str(GRAPH["doc/"])
    return graph[len(prefix):] if str(graph).startswith(prefix) else None


def span_iri(doc_id: str, start: int, end: int) -> URIRef:
    """A character span of a document's text, in the NIF/RFC 5147 ``char=`` style."""
    return ID[f"doc/{doc_id}/char={start},{end}"]


def provision_iri(doc_id: str, start: int, end: int) -> URIRef:
    return ID[f"doc/{doc_id}/provision/{start}-{end}"]


def mention_iri(doc_id: str, start: int, end: int) -> URIRef:
    return ID[f"doc/{doc_id}/mention/{start}-{end}"]


def statement_iri(doc_id: str, *key: str) -> URIRef:
    """A stable IRI for the reified statement of one structural fact of a document."""
    digest = hashlib.sha1("\x1f".join(map(str, key)).encode("utf-8")).hexdigest()[:16]
    return ID[f"doc/{doc_id}/fact/{digest}"]


def run_iri(run_id: str) -> URIRef:
    return ID[f"run/{run_id}"]


# --- networks and their bodies -------------------------------------------------------------
def network_iri(network_id: str) -> URIRef:
    return ID[f"network/{network_id}"]


def body_iri(network_id: str, kind: str) -> URIRef:
    """A body or post of a network, e.g. its executive committee or its coordinator."""
    return ID[f"network/{network_id}/{kind}"]


# --- reference data ------------------------------------------------------------------------
def un_entity_iri(notation: str) -> URIRef:
    return ID[f"un-entity/{notation}"]


_UN_ENTITY_PREFIX = str(ID["un-entity/"])


def is_un_entity_iri(iri: str) -> bool:
    """True for the IRI of a UN entity or post (minted by un_entity_iri, in reference data or not)."""
    return str(iri).startswith(_UN_ENTITY_PREFIX) and len(str(iri)) > len(_UN_ENTITY_PREFIX)


def instrument_iri(key: str) -> URIRef:
    return ID[f"instrument/{key}"]


def working_principle_iri(key: str) -> URIRef:
    return ID[f"working-principle/{key}"]


def gcm_principle_iri(key: str) -> URIRef:
    return ID[f"gcm-principle/{key}"]


def gcm_objective_iri(number: int) -> URIRef:
    return ID[f"gcm-objective/{number}"]


def stakeholder_iri(key: str) -> URIRef:
    return ID[f"stakeholder/{key}"]


def theme_iri(key: str) -> URIRef:
    return ID[f"theme/{key}"]


def bearer_kind_iri(kind: str) -> URIRef:
    return ID[f"bearer-kind/{kind}"]


def country_iri(iso2: str) -> URIRef:
    return ID[f"country/{iso2.upper()}"]


def region_iri(m49: str) -> URIRef:
    return ID[f"region/{m49}"]


# --- alignment -----------------------------------------------------------------------------
def requirement_iri(req_id: str) -> URIRef:
    return ID[f"requirement/{req_id}"]


def report_iri(doc_id: str) -> URIRef:
    return ID[f"alignment/{doc_id}"]


def verdict_iri(doc_id: str, req_id: str) -> URIRef:
    return ID[f"alignment/{doc_id}/{req_id}"]


def correspondence_iri(doc_id: str, objective: int, start: int, end: int) -> URIRef:
    return ID[f"alignment/{doc_id}/objective-{objective}/{start}-{end}"]


def alignment_graph(doc_id: str) -> URIRef:
    return GRAPH[f"alignment/{doc_id}"]


def shape_iri(name: str) -> URIRef:
    return SHAPES[name]
