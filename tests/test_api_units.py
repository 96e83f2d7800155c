"""The API's pure parts without a server: SERVICE verification, the lexical view of SPARQL text,
content negotiation, protocol parameters and settings from the environment."""
from __future__ import annotations

import pytest

from torkg.api import negotiation, protocol, sparqltext
from torkg.api.federation import FederationRefused, check_query, check_update
from torkg.api.responses import ApiError
from torkg.api.settings import Settings, SettingsError

OK = "http://ok.example/sparql"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o }",
    f"SELECT * WHERE {{ SERVICE <{OK}> {{ ?s ?p ?o }} }}",
    "BASE <http://ok.example/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "PREFIX : <http://ok.example/> SELECT * WHERE { SERVICE :sparql { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/>" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil.example/>",
    "SELECT ?service WHERE { ?service ?p ?o }",
])
def test_allowed_queries(query):
    check_query(query, (OK,))


@pytest.mark.parametrize("query,reason", [
    ("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", "not an allowed endpoint"),
    ("BASE <http://evil.example/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", "not an allowed endpoint"),
    ("PREFIX e: <http://evil.example/> SELECT * { SERVICE SILENT e:x { ?s ?p ?o } }", "not an allowed endpoint"),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", "variable endpoint"),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://evil.example/> { ?s ?p ?o } } }", "not an allowed"),
    (r"SELECT * WHERE { \u0053ERVICE <http://evil.example/> { ?s ?p ?o } }", "not an allowed endpoint"),
    (f"SELECT * WHERE {{ SERVICE <{OK}> {{ SERVICE <http://evil.example/> {{ ?s ?p ?o }} }} }}", "verified"),
    ("SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o ", "verified"),
])
def test_refused_queries(query, reason):
    with pytest.raises(FederationRefused, match=reason):
        check_query(query, (OK,))


def test_nothing_is_allowed_by_default():
    with pytest.raises(FederationRefused, match="allows none"):
        check_query(f"SELECT * WHERE {{ SERVICE <{OK}> {{ ?s ?p ?o }} }}", ())


@pytest.mark.parametrize("update", ["LOAD <http://example.org/data.ttl>", "load silent <http://x/> into graph <http://g/>",
                                    "INSERT { ?s ?p ?o } WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }"])
def test_refused_updates(update):
    with pytest.raises(FederationRefused):
        check_update(update, (OK,))


def test_an_update_mentioning_load_in_a_string_is_fine():
    check_update('INSERT DATA { <http://a/> <http://b/> "load me" }', (OK,))


def test_dataset_clause_and_query_form_are_read_lexically():
    assert sparqltext.has_dataset_clause("SELECT * FROM <http://g> WHERE {}")
    assert not sparqltext.has_dataset_clause('SELECT ?from WHERE { ?from :from "FROM" } # FROM')
    assert sparqltext.query_form("PREFIX x: <y> # SELECT\nCONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"


@pytest.mark.parametrize("family,accept,formats,expected", [
    (negotiation.RESULTS, None, [], "json"),
    (negotiation.RESULTS, "text/csv;q=0.2, application/sparql-results+xml", [], "xml"),
    (negotiation.RESULTS, "text/*", [], "csv"),
    (negotiation.RESULTS, "text/turtle", [], None),
    (negotiation.RESULTS, "application/sparql-results+json;q=0", [], None),
    (negotiation.GRAPHS, "application/json", [], "jsonld"),
    (negotiation.GRAPHS, "text/n3", [], "turtle"),
    (negotiation.GRAPHS, None, ["json-ld", "application/ld+json"], "jsonld"),
    (negotiation.GRAPHS, "text/turtle", ["xml"], "rdfxml"),
    (negotiation.RESULTS, "text/turtle", ["tsv", "text/tab-separated-values"], "tsv"),
    (negotiation.RESULTS, None, ["turtle"], None),
])
def test_negotiation(family, accept, formats, expected):
    assert negotiation.choose(family, accept, formats) == expected


def test_unknown_format_is_an_error():
    with pytest.raises(negotiation.UnknownFormat):
        negotiation.choose(negotiation.RESULTS, None, ["pdf"])


def test_protocol_parameters():
    r = protocol.parse([("query", "ASK {}"), ("default-graph-uri", "http://g/1"), ("named-graph-uri", "http://g/2"),
                        ("format", "json"), ("output", "json"), ("results", "json")])
    assert (r.default_graph, r.named_graphs, r.formats) == (["http://g/1"], ["http://g/2"], ["json"] * 3)
    for bad in ([("query", "ASK {}"), ("update", "CLEAR ALL")], [("query", "ASK {}"), ("using-graph-uri", "http://g")],
                [("update", "CLEAR ALL"), ("default-graph-uri", "http://g")], [("q", "ASK {}")]):
        with pytest.raises(ApiError) as e:
            protocol.parse(bad)
        assert e.value.status == 400


def test_settings_from_the_environment():
    s = Settings.from_env({"TORKG_QUERY_TIMEOUT": "2.5", "TORKG_MAX_RESULTS": "7", "TORKG_WRITABLE": "yes",
                           "TORKG_UPDATE_TOKEN": "x" * 16, "TORKG_SERVICE_ALLOW": "http://a/sparql,http://b/sparql",
                           "TORKG_CORS_ORIGINS": "https://a.org https://b.org"})
    assert (s.query_timeout, s.max_results, s.writable) == (2.5, 7, True)
    assert s.service_allow == ("http://a/sparql", "http://b/sparql")
    assert s.cors_origins == ("https://a.org", "https://b.org")
    assert "update_token" not in s.public()
    with pytest.raises(SettingsError, match="TORKG_MAX_RESULTS must be a number"):
        Settings.from_env({"TORKG_MAX_RESULTS": "many"})
    with pytest.raises(SettingsError, match="true or false"):
        Settings.from_env({"TORKG_WRITABLE": "perhaps"})
    with pytest.raises(SettingsError, match="positive"):
        Settings.from_env({"TORKG_QUERY_TIMEOUT": "0"})
