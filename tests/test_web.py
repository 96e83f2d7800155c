"""The web pages of ``torkg serve``, in a real browser against the real server.

The server is ``python -m torkg.api.server`` (what ``torkg serve`` runs) over a store built from
the ontology, the reference data and ``tests/data/web-fixture.trig`` (a hand-made graph: a global,
a regional and a country ToR, two alignment reports, and a country ToR whose title and text
carry ``<script>`` and ``onerror=`` HTML). The browser is Debian's Chromium (``/usr/bin/chromium``,
or ``TORKG_CHROMIUM``) driven by Playwright for Python; no browser is downloaded. Every test
fails on a console error, an uncaught page error or a JavaScript dialog. Screenshots go to
``tests/screenshots/``.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlencode, urlparse

import httpx
import pyoxigraph as ox
import pytest

from torkg import iris
from torkg.api.testing import start_server
from torkg.ontology import load_ontology_graph, load_reference_graph
from torkg.store import OxigraphStore

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "data" / "web-fixture.trig"
SHOTS = HERE / "screenshots"
CHROMIUM = os.environ.get("TORKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS_DOC = "ruritania-tor"
CONFLICT = ("ruritania-tor", "secretariat-iom")
CHECKED_CLAUSE = "UNDP will provide the secretariat of the Network."
GLOBAL_CLAUSE = "IOM will serve as the Coordinator and Secretariat of the Network."
RECORD_ALERTS = """
window.__alerts = [];
for (const name of ["alert", "confirm", "prompt"]) {
  const original = window[name].bind(window);
  window[name] = (...args) => { window.__alerts.push(name + ":" + String(args[0])); return original(...args); };
}
"""


# --- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "store"
    store = OxigraphStore(path)
    store.replace_graphs({str(iris.ONTOLOGY_GRAPH): list(load_ontology_graph()),
                          str(iris.REFERENCE_GRAPH): list(load_reference_graph())})
    store.db.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.publish()
    store.close()
    return path


@pytest.fixture(scope="module")
def server(store_path, tmp_path_factory):
    log = tmp_path_factory.mktemp("web-log") / "server.log"
    with start_server(store_path, env={"TORKG_WORKERS": "1"}, log_path=log, timeout=90) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's (apt-get install chromium) or set "
                    "TORKG_CHROMIUM to a Chromium executable")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it must not: console errors, page errors, dialogs, requests for x."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text} {m.location}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("dialog", self._dialog)
        page.on("request", lambda r: self.requests.append(r.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check(self, page) -> None:
        alerts = page.evaluate("window.__alerts || []")
        assert not self.dialogs and not alerts, f"a dialog was opened: {self.dialogs or alerts}"
        assert not self.errors, "\n".join(self.errors)
        stray = [u for u in self.requests if urlparse(u).path.rstrip("/").endswith("/x")]
        assert not stray, f"an injected <img src=x> was loaded: {stray}"


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=server.url)
    context.add_init_script(RECORD_ALERTS)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.watch = Watch(pg)
    yield pg
    pg.watch.check(pg)
    context.close()


@pytest.fixture(scope="module")
def yasgui(server) -> None:
    """The editor's YASGUI build is served (installed by scripts/install-web.sh)."""
    r = httpx.get(server.url + "/static/vendor/yasgui/yasgui.min.js")
    if r.status_code != 200:
        pytest.fail("YASGUI is not installed: run scripts/install-web.sh (npm ci) and rerun")


def shot(page, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000
    return path


def browse(iri) -> str:
    return "/browse?" + urlencode({"iri": str(iri)})


# --- the fixture itself ----------------------------------------------------------------------------
def test_fixture_spans_match_the_text(store_path):
    """Every span of the hand-made fixture quotes its document's text at its offsets."""
    store = OxigraphStore(store_path, read_only=True)
    _, rows = store.select("""
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT ?span ?b ?e ?anchor ?text WHERE {
          ?span nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor .
          ?doc nif:isString ?text }""")
    assert len(rows) > 40
    bad = [str(r["span"]) for r in rows if str(r["text"])[int(r["b"]):int(r["e"])] != str(r["anchor"])]
    assert not bad, f"spans whose anchorOf is not the text at their offsets: {bad}"


# --- every page ----------------------------------------------------------------------------------
PAGES = {
    "home": "/",
    "editor": "/editor",
    "dashboard": "/dashboard",
    "evidence-conflict": f"/dashboard/{CONFLICT[0]}/{CONFLICT[1]}",
    "document-viewer": "/view/pacifica-tor",
    "document-xss": f"/view/{XSS_DOC}",
    "draft": "/draft",
    "resource": browse(iris.un_entity_iri("IOM")),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_with_landmarks_and_no_errors(page, name):
    response = page.goto(PAGES[name])
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    page.wait_for_load_state("networkidle")
    for landmark in ("banner", "main", "navigation", "contentinfo"):
        assert page.get_by_role(landmark).count() >= 1, f"{name}: no {landmark} landmark"
    assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().strip()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main a:not([href]):not(#yasgui a)").count() == 0     # our links all lead somewhere
    shot(page, name)


def test_unknown_things_are_404_pages(page):
    for path in ("/view/no-such-doc", "/dashboard/no-such-doc/consensus", browse("https://example.org/nothing")):
        response = page.goto(path)
        assert response.status == 404
        assert "Not found" in page.locator("h1").inner_text()
    page.watch.errors = [e for e in page.watch.errors if "404" not in e]    # the pages' own status


def test_home_says_what_the_graph_holds(page):
    page.goto("/")
    cards = {c.locator("h2").inner_text(): c.inner_text() for c in page.locator(".card").all()}
    assert "3" in cards["Documents"] and "regional: 1" in cards["Documents"] and "country: 1" in cards["Documents"]
    assert "13" in cards["Provisions"]
    for line in ("obligation: 10", "permission: 1", "prohibition: 1", "recommendation: 1"):
        assert line in cards["Provisions"]
    assert "Regional Network on Migration for Pacifica" in cards["Networks"]
    assert "2025-01-01" in cards["Last ingest"]
    assert re.search(r"conflict\s*2", cards["Alignment verdicts"])
    for target in ("/editor", "/dashboard", "/draft", "/view/global-tor"):
        assert page.locator(f'main a[href="{target}"]').count() >= 1, f"no link to {target}"


def test_home_still_answers_json_to_machines(server):
    r = httpx.get(server.url + "/", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json()["links"]["sparql"] == "/sparql"


# --- SPARQL editor -------------------------------------------------------------------------------------
def test_named_query_runs_in_the_editor(page, yasgui):
    page.goto("/editor")
    tabs = page.locator(".yasgui .tabsList .tab")
    tabs.first.wait_for()
    names = [t.strip().split("\n")[0] for t in tabs.all_inner_texts()]
    from torkg import queries
    assert set(queries.names()) <= set(names), f"named queries without a tab: {set(queries.names()) - set(names)}"
    page.locator(".yasgui .tabsList .tab", has_text=re.compile(r"^\s*provisions\W*$")).click()
    editor = page.locator(".tabPanel.active .yasqe")
    assert "tor:inDocument" in editor.inner_text()
    editor.locator(".yasqe_queryButton").click()
    rows = page.locator(".tabPanel.active .yasr_results table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 13                                    # the fixture's provisions
    table = page.locator(".tabPanel.active .yasr_results table").inner_text()
    assert "ruritania-tor" in table and "un-entity:UNDP" in table and "prohibition" in table
    shot(page, "editor-results", full_page=False)


def test_editor_draws_a_chart_for_counts(page, yasgui):
    page.goto("/editor")
    page.locator(".yasgui .tabsList .tab").first.wait_for()
    page.evaluate("""() => {
        const tab = window.torkgYasgui.getTab();
        tab.getYasqe().setValue('PREFIX tor: <https://w3id.org/torkg/def#>\\n'
          + 'SELECT ?modality (COUNT(?p) AS ?provisions) WHERE { ?p tor:inDocument ?d ; a ?modality }\\n'
          + 'GROUP BY ?modality ORDER BY DESC(?provisions)');
    }""")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .yasr_results table tbody tr").first.wait_for()
    page.locator(".tabPanel.active .yasr_btn.select_chart").click()
    bars = page.locator(".tabPanel.active .chart svg rect.bar")
    bars.first.wait_for()
    assert bars.count() == 4
    assert "Obligation" in page.locator(".tabPanel.active .chart svg").text_content()
    page.locator(".tabPanel.active .yasr_btn.select_response").click()
    assert '"bindings"' in page.locator(".tabPanel.active .yasr_results").inner_text()


# --- alignment dashboard and evidence -----------------------------------------------------------------
def test_dashboard_matrix_labels_every_cell(page):
    page.goto("/dashboard")
    columns = page.locator("table.matrix thead th[scope=col]")
    assert columns.count() == 3                                   # requirement + 2 checked ToRs
    rows = page.locator("table.matrix tbody tr:not(.faq)")
    assert rows.count() == 19
    cells = page.locator("table.matrix tbody td a.status")
    assert cells.count() == 38
    for text in cells.all_inner_texts():
        assert text.strip().split()[-1] in ("aligned", "missing", "conflict")   # a word, not only a colour
    colours = {page.locator(f"table.matrix a.status-{s}").first.evaluate(
        "e => getComputedStyle(e).backgroundColor") for s in ("aligned", "missing", "conflict")}
    assert len(colours) == 3
    coverage = page.locator("table.matrix tbody tr", has_text="objectives-coverage")
    assert "3 / 9" in coverage.inner_text() and "1 / 9" in coverage.inner_text()


def test_conflict_cell_opens_both_clauses(page):
    page.goto("/dashboard")
    cell = page.locator(f'table.matrix a.status-conflict[href="/dashboard/{CONFLICT[0]}/{CONFLICT[1]}"]')
    assert cell.count() == 1 and "conflict" in (cell.get_attribute("aria-label") or "")
    cell.click()
    page.wait_for_url(f"**/dashboard/{CONFLICT[0]}/{CONFLICT[1]}")
    assert "conflict" in page.locator("h1").inner_text()
    checked, glob = page.locator("section.evidence-checked"), page.locator("section.evidence-global")
    assert checked.locator("blockquote.clause").inner_text().strip() == CHECKED_CLAUSE
    assert glob.locator("blockquote.clause").inner_text().strip() == GLOBAL_CLAUSE
    assert checked.locator("mark.clause").inner_text() == CHECKED_CLAUSE         # highlighted in its document
    assert glob.locator("mark.clause").inner_text() == GLOBAL_CLAUSE
    assert checked.locator("mark.clause").is_visible() and glob.locator("mark.clause").is_visible()
    box_c, box_g = checked.bounding_box(), glob.bounding_box()
    assert box_g["x"] > box_c["x"] + box_c["width"] - 1                          # side by side
    shot(page, "evidence-conflict")


# --- document viewer ------------------------------------------------------------------------------------
def test_document_viewer_highlights_provisions_and_links_mentions(page):
    page.goto("/view/pacifica-tor")
    provisions = page.locator("#doctext .prov")
    assert provisions.count() == 4
    assert page.locator("#doctext .prov-permission").count() == 1
    assert page.locator("#doctext .prov-recommendation").inner_text() == "Decisions should be taken by consensus."
    permission = page.locator("#doctext .prov-permission")
    desc = page.locator("#" + permission.get_attribute("aria-describedby"))
    assert desc.text_content().startswith("Permission; bearer: ")            # hidden, for aria-describedby
    assert "condition: where such action would add value" in desc.text_content()
    mention = page.locator("#doctext a.mention", has_text="UNICEF")
    assert mention.get_attribute("href") == browse(iris.un_entity_iri("UNICEF"))
    aside = page.locator("aside").inner_text()
    assert re.search(r"Coordinator\s+International Organization for Migration", aside)
    assert re.search(r"Members\s+United Nations Children's Fund\s+United Nations Development Programme", aside)
    assert page.locator("aside a", has_text="Working group").count() == 1
    permission.hover()
    tip = page.locator("#provision-tooltip")
    tip.wait_for(state="visible")
    assert "condition: where such action would add value" in tip.inner_text()
    shot(page, "document-viewer-hover", full_page=False)
    mention.click()
    page.wait_for_url("**/browse?iri=*UNICEF*")
    assert "United Nations Children" in page.locator("h1").inner_text()


def test_keyboard_reaches_highlights_and_cells(page):
    page.goto("/view/pacifica-tor")
    reached = None
    for _ in range(60):
        page.keyboard.press("Tab")
        cls = page.evaluate("document.activeElement.className || ''")
        if "prov" in cls.split():
            reached = page.evaluate("document.activeElement.id")
            break
    assert reached, "Tab never reached a provision highlight"
    tip = page.locator("#provision-tooltip")
    tip.wait_for(state="visible")
    assert "bearer:" in tip.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    shot(page, "document-viewer-focus", full_page=False)

    page.goto("/dashboard")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('status')"):
            break
    else:
        pytest.fail("Tab never reached a dashboard cell")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/dashboard/[^/]+/[^/]+$"))


# --- XSS ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [f"/view/{XSS_DOC}", "/", "/dashboard", f"/dashboard/{CONFLICT[0]}/{CONFLICT[1]}",
                                  browse(iris.doc_iri(XSS_DOC)), browse(iris.network_iri("ruritania"))])
def test_document_html_is_shown_as_text_and_runs_nothing(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)                              # give an injected handler time to fire
    main = page.locator("main")
    assert main.locator("img").count() == 0, "an <img> from document text became an element"
    assert main.locator("b").count() == 0, "a <b> from a label became an element"
    assert main.locator("script").count() == 0
    text = main.inner_text()
    if path.startswith("/view/"):
        assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert "<img src=x onerror=alert(2)>" in text or "<b>bold</b>" in text
    if path == f"/view/{XSS_DOC}":
        shot(page, "xss-inert")


def test_editor_results_show_document_html_as_text(page, yasgui):
    page.goto("/editor")
    page.locator(".yasgui .tabsList .tab").first.wait_for()
    page.evaluate("""() => window.torkgYasgui.getTab().getYasqe().setValue(
        'PREFIX dct: <http://purl.org/dc/terms/>\\nPREFIX tor: <https://w3id.org/torkg/def#>\\n'
        + 'SELECT ?title ?bearer WHERE { ?d dct:title ?title . OPTIONAL { ?p tor:inDocument ?d ; tor:bearerText ?bearer } }')""")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    results = page.locator(".tabPanel.active .yasr_results")
    results.locator("table tbody tr").first.wait_for()
    page.wait_for_timeout(300)
    assert results.locator("img, script, b").count() == 0
    assert "<img src=x onerror=alert(2)>" in results.inner_text()
    page.locator(".tabPanel.active .yasr_btn.select_response").click()
    assert results.locator("img, script, b").count() == 0


# --- draft check ---------------------------------------------------------------------------------------
DRAFT_TIMEOUT = 300_000          # ms: reading, NLP and SHACL on a cold worker
DRAFT = b"""Terms of Reference of the UN Migration Network in Freedonia

1. The Network will support the Government of Freedonia in implementing the Global Compact for Migration.
2. UNDP will provide the secretariat of the Network.
3. Decisions shall be taken by a majority vote of the members.
"""


def test_draft_upload_shows_verdicts_and_is_not_stored(page, server, tmp_path):
    graphs_before = httpx.get(server.url + "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"},
                              headers={"Accept": "text/csv"}).text
    draft = tmp_path / "freedonia-draft.md"
    draft.write_bytes(DRAFT)
    page.goto("/draft")
    page.set_input_files("#draft-file", str(draft))
    page.select_option("#draft-level", "country")
    with page.expect_navigation(timeout=DRAFT_TIMEOUT):
        page.locator("#draft-form button[type=submit]").click(timeout=DRAFT_TIMEOUT)
    errors = page.locator("main p.error")
    assert errors.count() == 0, errors.first.inner_text()
    rows = page.locator("#result table.report tbody tr")
    assert rows.count() == 19
    shown = {r.locator("th code").inner_text(): (r.locator("td .status .label").inner_text(),
                                                 r.locator("td.clause").first.inner_text())
             for r in rows.all()}
    assert {status for status, _ in shown.values()} <= {"aligned", "missing", "conflict"}
    assert "freedonia-draft.md" in page.locator("#h-result").inner_text()
    shot(page, "draft-report")
    # the page shows what the API's report of the same draft says, verdict by verdict
    api = httpx.post(server.url + "/alignment", files={"file": ("freedonia-draft.md", DRAFT)},
                     data={"level": "country"}, headers={"Accept": "application/json"},
                     timeout=DRAFT_TIMEOUT / 1000).json()
    (report,) = api.values()
    assert set(shown) == set(report)
    for req, verdict in report.items():
        assert shown[req][0] == verdict["status"], req
        for clause in verdict["evidence"]["checked"]:
            assert " ".join(clause["text"].split()) in " ".join(shown[req][1].split()), req
    graphs_after = httpx.get(server.url + "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"},
                             headers={"Accept": "text/csv"}).text
    assert sorted(graphs_after.split()) == sorted(graphs_before.split()), "the draft was stored"


def test_draft_form_explains_an_empty_submission(page):
    page.goto("/draft")
    page.locator("#draft-form button[type=submit]").click()
    page.wait_for_url("**/draft")
    assert "Paste the text" in page.locator("main p.error").inner_text()
    page.watch.errors = [e for e in page.watch.errors if "400" not in e]   # the page says so itself


def test_pasted_draft_text_is_checked(page):
    page.goto("/draft")
    page.fill("#draft-text", DRAFT.decode())
    page.select_option("#draft-level", "country")
    with page.expect_navigation(timeout=DRAFT_TIMEOUT):
        page.locator("#draft-form button[type=submit]").click(timeout=DRAFT_TIMEOUT)
    assert page.locator("main p.error").count() == 0
    assert page.locator("#result table.report tbody tr").count() == 19


# --- without JavaScript, and browsing onward ---------------------------------------------------------------
def test_pages_read_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, base_url=server.url)
    pg = context.new_page()
    try:
        pg.goto("/dashboard")
        assert pg.locator("table.matrix tbody a.status").count() == 38
        pg.goto(f"/dashboard/{CONFLICT[0]}/{CONFLICT[1]}")
        assert CHECKED_CLAUSE in pg.locator("main").inner_text()
        pg.goto("/view/pacifica-tor")
        assert pg.locator("#doctext .prov").count() == 4
        assert pg.locator("#doctext .prov-permission").get_attribute("title").startswith("Permission")
        pg.goto("/editor")
        assert pg.locator("form[action='/sparql'] textarea[name=query]").count() >= 1
    finally:
        context.close()


def test_resource_pages_link_onward(server):
    """From the home page, every internal page reached in a short walk has links to follow."""
    seen, queue, client = set(), ["/"], httpx.Client(base_url=server.url, headers={"Accept": "text/html"})
    kinds = set()
    while queue and len(seen) < 40:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        r = client.get(path)
        assert r.status_code == 200, f"{path}: {r.status_code}"
        main = r.text.split("<main", 1)[1].split("</main>", 1)[0]
        links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"#]+)"', main)]
        assert links, f"{path} links nowhere"
        for h in links:
            if h.startswith(("/browse?", "/view/", "/dashboard")) and h not in seen:
                kinds.add(h.split("?")[0].split("/")[1])
                queue.append(h)
    assert {"browse", "view", "dashboard"} <= kinds
    client.close()
