"""Ingesting files into a store: discovery, change detection, parallel extraction, transactions.

Each document's graph is replaced in one transaction; a document that fails (unreadable, empty,
binary, too large...) is reported and leaves the store as it was, and the other documents of the
run are still ingested. An unchanged document (same content hash, same extractor version) is
skipped. Documents are streamed: the corpus is never held in memory as a whole.
"""
from __future__ import annotations

import functools
import hashlib
import multiprocessing as mp
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SKOS

from torkg import __version__, iris
from torkg.catalog import CATALOG_NAME, load_catalog
from torkg.ingest.models import installed_model_info
from torkg.ingest.model import Extraction
from torkg.ingest.read import SUPPORTED_SUFFIXES, ReadError, doc_id_for, read_document
from torkg.ingest.to_rdf import Run, document_triples
from torkg.iris import TOR
from torkg.store import Store, nquads_of

BATCH_DOCUMENTS = 32
BATCH_SECONDS = 10.0
HASHES = """
PREFIX tor: <https://w3id.org/torkg/def#>
SELECT ?doc ?hash ?version WHERE { GRAPH ?g { ?doc tor:contentHash ?hash ; tor:extractorVersion ?version } }
"""
GRAPH_HASH = """
PREFIX tor: <https://w3id.org/torkg/def#>
SELECT ?hash WHERE { GRAPH ?g { ?g tor:contentHash ?hash } }
"""


class IngestError(Exception):
    """The run cannot start (bad catalog, nothing to ingest...)."""


@dataclass(frozen=True)
class Task:
    path: str
    doc_id: str
    entry: dict[str, str] | None
    flags: dict[str, str | None]


@dataclass
class Outcome:
    doc_id: str
    path: str
    status: str                       # ingested | unchanged | failed
    error: str | None = None
    nquads: bytes | None = None       # the document graph, as the store loads it
    modalities: dict[str, int] = field(default_factory=dict)
    mentions: int = 0
    facts: int = 0
    words: int = 0


@dataclass
class Summary:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    modalities: Counter = field(default_factory=Counter)
    mentions: int = 0
    facts: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        prov = sum(self.modalities.values())
        by = ", ".join(f"{k} {v}" for k, v in sorted(self.modalities.items())) or "none"
        out = [f"documents: {len(self.ingested)} ingested, {len(self.unchanged)} unchanged, "
               f"{len(self.failed)} failed",
               f"provisions: {prov} ({by})",
               f"entity mentions: {self.mentions}; structure facts: {self.facts}",
               f"seconds: {self.seconds:.1f}"]
        out += [f"failed: {path}: {err}" for path, err in self.failed.items()]
        return out


# --- discovery ------------------------------------------------------------------------------
def discover(paths: Iterable[str | Path], flags: dict[str, str | None] | None = None,
             doc_id: str | None = None) -> list[Task]:
    """The documents named by files and folders, with their catalog entries (validated first)."""
    flags = flags or {}
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                            and f.name != CATALOG_NAME and not f.name.startswith("."))
        elif p.exists():
            files.append(p)
        else:
            raise IngestError(f"{p}: no such file or folder")
    if doc_id and len(files) != 1:
        raise IngestError("--id names one document; give exactly one file with it")
    catalogs: dict[Path, dict] = {}
    tasks, seen = [], {}
    for f in files:
        folder = f.parent.resolve()
        if folder not in catalogs:
            catalogs[folder] = load_catalog(folder)
        did = doc_id or doc_id_for(f)
        if did in seen:
            raise IngestError(f"{f} and {seen[did]} would both be document {did!r}; rename one")
        seen[did] = f
        tasks.append(Task(str(f), did, catalogs[folder].get(did), dict(flags)))
    return tasks


# --- extraction (runs in worker processes with --jobs) ---------------------------------------
_STATE: dict = {}


def _init_worker(model: str | None, run: Run) -> None:
    # spaCy is imported here, in the workers: the parent process only reads, hashes and writes.
    # A pool initializer that raises is restarted for ever: a model that cannot be loaded is
    # kept as the error every document of this worker reports instead.
    from torkg.ingest.pipeline import load_pipeline
    try:
        nlp, error = load_pipeline(model), None
    except Exception as e:
        nlp, error = None, f"the spaCy model could not be loaded ({type(e).__name__}: {e})"
    _STATE.update(nlp=nlp, error=error, known=known_entities(), run=run)


def extract_task(task: Task) -> Outcome:
    from torkg.ingest.pipeline import extract, resolve_meta
    nlp, known, run = _STATE["nlp"], _STATE["known"], _STATE["run"]
    if nlp is None:
        return Outcome(task.doc_id, task.path, "failed", error=f"{task.path}: {_STATE['error']}")
    try:
        source = read_document(task.path)
        meta = resolve_meta(task.doc_id, source.text, task.entry, task.flags)
        ex = extract(source, meta, nlp)
        return outcome_of(ex, task.path, run, known)
    except ReadError as e:
        return Outcome(task.doc_id, task.path, "failed", error=str(e))
    except Exception as e:  # an extraction bug must not lose the rest of the run
        return Outcome(task.doc_id, task.path, "failed",
                       error=f"{task.path}: extraction failed ({type(e).__name__}: {e})")


def outcome_of(ex: Extraction, path: str, run: Run, known: frozenset[str]) -> Outcome:
    graph = str(iris.doc_graph(ex.meta.id))
    return Outcome(ex.meta.id, path, "ingested", nquads=nquads_of(graph, document_triples(ex, run, known)),
                   modalities=dict(Counter(p.modality for p in ex.provisions)),
                   mentions=len(ex.mentions), facts=len(ex.facts), words=len(ex.text.split()))


# --- static graphs --------------------------------------------------------------------------
@functools.cache
def known_entities() -> frozenset[str]:
    """Notations of the UN entities the reference data describes, of whatever class (a regional
    commission, a UN post...): a document graph names them and does not describe them again."""
    g = reference_graph()
    return frozenset(str(n) for e, n in g.subject_objects(SKOS.notation) if e == iris.un_entity_iri(str(n)))


_GRAPHS: dict[str, Graph] = {}


def reference_graph() -> Graph:
    if "reference" not in _GRAPHS:
        from torkg.ontology import load_reference_graph
        _GRAPHS["reference"] = load_reference_graph()
    return _GRAPHS["reference"]


def _digest(paths: list[Path]) -> str:
    """The static graphs' version: a hash of their Turtle sources (stable, unlike blank nodes)."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def ensure_static_graphs(store: Store) -> bool:
    """Load or refresh the ontology and reference graphs. True if anything was written."""
    from torkg.ontology import ontology_path, reference_paths
    todo = {}
    for graph, paths in ((iris.ONTOLOGY_GRAPH, [ontology_path()]), (iris.REFERENCE_GRAPH, reference_paths())):
        digest = _digest(paths)
        _, rows = store.select(GRAPH_HASH, {"g": graph})
        if not rows or str(rows[0]["hash"]) != digest:
            todo[str(graph)] = _turtle_as_nquads(str(graph), paths, digest)
    if todo:
        store.load_graphs(todo)
    return bool(todo)


def _turtle_as_nquads(graph: str, paths: list[Path], digest: str) -> bytes:
    """The Turtle files' triples in ``graph``, with its content hash, as N-Quads (pyoxigraph's
    parser: the same triples as rdflib's, several times faster)."""
    g = ox.NamedNode(graph)
    quads = [ox.Quad(g, ox.NamedNode(str(TOR.contentHash)), ox.Literal(digest), g)]
    for path in sorted(paths):
        try:
            quads += [ox.Quad(t.subject, t.predicate, t.object, g)
                      for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        except (SyntaxError, OSError) as e:
            raise ValueError(f"{path}: not valid Turtle ({e}); fix the file and reload") from e
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


# --- the run --------------------------------------------------------------------------------
def stored_hashes(store: Store) -> dict[str, tuple[str, str]]:
    _, rows = store.select(HASHES)
    prefix = str(iris.doc_iri(""))
    return {str(r["doc"])[len(prefix):]: (str(r["hash"]), str(r["version"])) for r in rows}


def _file_hash(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def ingest(store: Store, tasks: list[Task], *, jobs: int = 1, model: str | None = None,
           force: bool = False, progress: Callable[[Outcome], None] | None = None) -> Summary:
    t0 = time.perf_counter()
    summary = Summary()
    ensure_static_graphs(store)
    hashes = {} if force else stored_hashes(store)
    todo = []
    for task in tasks:
        stored = hashes.get(task.doc_id)
        if stored and stored == (_file_hash(task.path), __version__) and not any(v is not None for v in task.flags.values()):
            summary.unchanged.append(task.doc_id)
            if progress:
                progress(Outcome(task.doc_id, task.path, "unchanged"))
        else:
            todo.append(task)
    if todo:
        run = Run.now(*installed_model_info(model))      # the workers load the model
        batch: dict[str, list] = {}
        last = time.monotonic()
        for outcome in _outcomes(todo, jobs, model, run):
            if outcome.status == "failed":
                summary.failed[outcome.path] = outcome.error or "failed"
            else:
                batch[str(iris.doc_graph(outcome.doc_id))] = outcome.nquads or b""
                summary.ingested.append(outcome.doc_id)
                summary.modalities.update(outcome.modalities)
                summary.mentions += outcome.mentions
                summary.facts += outcome.facts
                summary.words += outcome.words
            if progress:
                progress(outcome)
            if batch and (len(batch) >= BATCH_DOCUMENTS or time.monotonic() - last > BATCH_SECONDS):
                store.load_graphs(batch)
                batch, last = {}, time.monotonic()
        if batch:
            store.load_graphs(batch)
    summary.seconds = time.perf_counter() - t0
    return summary


def _outcomes(tasks: list[Task], jobs: int, model: str | None, run: Run) -> Iterator[Outcome]:
    if jobs <= 1 or len(tasks) == 1:
        _init_worker(model, run)
        yield from map(extract_task, tasks)
        return
    ctx = mp.get_context("forkserver")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(model, run)) as pool:
        yield from pool.imap(extract_task, tasks, chunksize=1)


def remove(store: Store, doc_ids: Iterable[str]) -> list[str]:
    """Drop documents (and their alignment reports). Returns the ids that were not stored."""
    present = set(store.named_graphs())
    ids = list(doc_ids)
    missing = [d for d in ids if str(iris.doc_graph(d)) not in present]
    drop = [str(g) for d in ids if d not in missing
            for g in (iris.doc_graph(d), iris.alignment_graph(d)) if str(g) in present]
    if drop:
        store.remove_graphs(drop)
    return missing
