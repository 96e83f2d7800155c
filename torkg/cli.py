"""The ``torkg`` command line.

Errors go to stderr as one sentence with a non-zero exit code (2 for bad input), never as a
traceback; ``TORKG_DEBUG=1`` shows the traceback for bug reports.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
from pathlib import Path

from torkg import __version__

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A user-facing error: printed as one sentence, exit code 2 unless given."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def _store(args, read_only: bool = False):
    from torkg.store import open_store
    return open_store(args.store, read_only=read_only)


def _meta_flags(args) -> dict[str, str | None]:
    return {"level": args.level, "network": args.network, "parent": args.parent,
            "doc_type": args.type, "title": args.title, "country": args.country}


# --- commands ---------------------------------------------------------------------------------
def cmd_ingest(args) -> int:
    from torkg.ingest.run import discover, ingest
    tasks = discover(args.paths or ["corpus"], _meta_flags(args), doc_id=args.id)
    if not tasks:
        raise CliError(f"no documents found in {', '.join(args.paths or ['corpus'])}")
    progress = _progress(len(tasks)) if sys.stderr.isatty() and not args.quiet else None
    with _store(args) as store:
        summary = ingest(store, tasks, jobs=args.jobs, model=args.model, force=args.force,
                         progress=progress)
    if progress:
        sys.stderr.write("\n")
    for line in summary.lines():
        print(line, file=sys.stderr if line.startswith("failed:") else sys.stdout)
    return EXIT_OK if summary.ok else EXIT_FOUND


def _progress(total: int):
    done = [0]

    def show(outcome) -> None:
        done[0] += 1
        width = 30
        filled = int(width * done[0] / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done[0]}/{total} "
                         f"{outcome.doc_id[:40]:40s} {outcome.status}")
        sys.stderr.flush()
    return show


def cmd_remove(args) -> int:
    from torkg.ingest.run import remove
    with _store(args) as store:
        missing = remove(store, args.ids)
    if missing:
        raise CliError(f"not in the store: {', '.join(missing)}", EXIT_FOUND)
    print(f"removed {len(args.ids)} document(s)")
    return EXIT_OK


def cmd_stats(args) -> int:
    from torkg import iris
    with _store(args, read_only=True) as store:
        stats = store.stats()
    docs = sorted(d for g in stats["graphs"] if (d := iris.doc_id_of_graph(g)))
    if args.format == "json":
        print(json.dumps({"documents": docs, **stats}, indent=1))
        return EXIT_OK
    print(f"documents: {len(docs)}")
    print(f"graphs:    {len(stats['graphs'])}")
    print(f"triples:   {stats['triples']}")
    for g, n in stats["graphs"].items():
        print(f"  {n:8d}  {g}")
    return EXIT_OK


def cmd_export(args) -> int:
    from torkg import iris
    graph = args.graph
    if graph and not graph.startswith(("http://", "https://")):
        graph = str(iris.doc_graph(graph))       # a document id
    out = open(args.output, "wb") if args.output else sys.stdout.buffer
    try:
        with _store(args, read_only=True) as store:
            store.dump(out, args.format, graph)
    finally:
        if args.output:
            out.close()
    return EXIT_OK


def cmd_query(args) -> int:
    from torkg import queries
    q = queries.load(args.name)
    values = {}
    for item in args.param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise CliError(f"--param {item!r}: write KEY=VALUE")
        values[key.strip()] = value
    bindings = queries.bind_params(q, values)
    with _store(args, read_only=True) as store:
        names, rows = store.select(q.text, bindings)
    fmt = args.format or ("table" if sys.stdout.isatty() else "csv")
    print_rows(names, rows, fmt)
    return EXIT_OK


def print_rows(names: list[str], rows: list[dict], fmt: str) -> None:
    values = [[("" if r.get(n) is None else str(r[n])) for n in names] for r in rows]
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(names)
        w.writerows(values)
    elif fmt == "json":
        print(json.dumps([dict(zip(names, v)) for v in values], indent=1, ensure_ascii=False))
    else:
        cols = shutil.get_terminal_size((120, 20)).columns
        widths = [min(max([len(n)] + [len(v[i]) for v in values]), max(12, cols // max(1, len(names))))
                  for i, n in enumerate(names)]
        line = lambda cells: "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths))  # noqa: E731
        print(line(names))
        print(line(["-" * w for w in widths]))
        for v in values:
            print(line(v))
        print(f"({len(values)} rows)")


def cmd_check(args) -> int:
    from torkg.shapes import report as render
    from torkg.shapes import workflow
    targets = args.targets or []
    files = [t for t in targets if Path(t).suffix and Path(t).exists()]
    ids = [t for t in targets if t not in files]
    with _store(args, read_only=not ids and bool(files)) as store:
        reports = []
        for f in files:
            data = Path(f).read_bytes()
            reports.append(workflow.check_draft(store, data, Path(f).name, _meta_flags(args)))
        if ids or not files:
            reports += workflow.check_stored(store, ids or None, save=True)
    fmt = args.format or ("table" if sys.stdout.isatty() else "json")
    if fmt == "json":
        print(json.dumps(render.to_json(reports), indent=1, ensure_ascii=False))
    elif fmt == "html":
        print(render.to_html(reports))
    elif fmt == "turtle":
        for r in reports:
            print(render.to_turtle(r))
    else:
        print(render.to_table(reports, shutil.get_terminal_size((120, 20)).columns))
    statuses = {v for r in reports for v in workflow.statuses(r)}
    if "conflict" in statuses or (args.fail_on == "missing" and "missing" in statuses):
        return EXIT_FOUND
    return EXIT_OK


def cmd_serve(args) -> int:
    from torkg.api.server import run
    store = args.store or os.environ.get("TORKG_STORE", "var/store")
    run(store, host=args.host, port=args.port)
    return EXIT_OK


def cmd_reason(args) -> int:
    from torkg.ontology.reason import reason
    extra = None
    store = None
    if args.data:
        from rdflib import Graph
        store = _store(args, read_only=not args.write)
        extra = Graph()
        for g in store.named_graphs():
            for t in store.graph(g):
                extra.add(t)
    result = reason(extra, write_inferred=args.write)
    for line in result.lines():
        print(line)
    if args.write and result.consistent and store is not None:
        from torkg import iris
        store.close()
        with _store(args) as writer:
            writer.replace_graphs({str(iris.GRAPH["inferred"]): result.inferred_triples()})
        print(f"wrote {len(result.inferred)} inferred types to {iris.GRAPH['inferred']}")
    elif store is not None:
        store.close()
    return EXIT_OK if result.consistent else EXIT_FOUND


# --- parser -----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="torkg", description="A knowledge graph of migration-governance "
                                "Terms of Reference: ingest, check alignment, query, serve.")
    p.add_argument("--version", action="version", version=f"torkg {__version__}")
    p.add_argument("--store", help="store directory (default: $TORKG_STORE or var/store), or "
                   "sparql+http(s)://... for a remote SPARQL 1.1 server")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def meta_options(sp):
        g = sp.add_argument_group("document metadata (overrides the catalog and the text)")
        g.add_argument("--level", choices=["global", "regional", "country"])
        g.add_argument("--network", help="network id, e.g. ghana")
        g.add_argument("--parent", help="parent ToR id (default global-tor for regional/country ToRs)")
        g.add_argument("--type", help="document type, e.g. terms-of-reference")
        g.add_argument("--title")
        g.add_argument("--country", help="ISO 3166-1 alpha-2 code")

    sp = sub.add_parser("ingest", help="read documents into the store")
    sp.add_argument("paths", nargs="*", help="files or folders (default: corpus/)")
    sp.add_argument("--id", help="document id (one file only; default: the file stem)")
    sp.add_argument("--jobs", "-j", type=int, default=1, help="worker processes")
    sp.add_argument("--model", help="spaCy model name (default: $TORKG_SPACY_MODEL or the small English model)")
    sp.add_argument("--force", action="store_true", help="re-ingest unchanged documents too")
    sp.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    meta_options(sp)
    sp.set_defaults(func=cmd_ingest)

    sp = sub.add_parser("remove", help="drop documents from the store")
    sp.add_argument("ids", nargs="+")
    sp.set_defaults(func=cmd_remove)

    sp = sub.add_parser("check", help="check regional and country ToRs against the global ToR")
    sp.add_argument("targets", nargs="*", help="stored document ids (default: all) or draft files")
    sp.add_argument("--format", choices=["table", "json", "html", "turtle"])
    sp.add_argument("--fail-on", choices=["conflict", "missing"], default="conflict")
    meta_options(sp)
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("query", help="run a named query or a .rq file")
    sp.add_argument("name", help="query name (see queries/) or FILE.rq")
    sp.add_argument("--param", "-p", action="append", metavar="KEY=VALUE")
    sp.add_argument("--format", choices=["csv", "json", "table"])
    sp.set_defaults(func=cmd_query)

    sp = sub.add_parser("export", help="dump the store or one graph")
    sp.add_argument("--format", default="nquads", choices=["nquads", "trig", "turtle", "ntriples", "rdfxml"])
    sp.add_argument("--graph", help="a graph IRI or a document id")
    sp.add_argument("--output", "-o", help="file (default: stdout)")
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("stats", help="documents, graphs and triples")
    sp.add_argument("--format", choices=["text", "json"], default="text")
    sp.set_defaults(func=cmd_stats)

    sp = sub.add_parser("reason", help="check the ontology (and data) with the HermiT reasoner")
    sp.add_argument("--data", action="store_true", help="include the stored graph")
    sp.add_argument("--write", action="store_true", help="write inferred types back to the store")
    sp.set_defaults(func=cmd_reason)

    sp = sub.add_parser("serve", help="serve the SPARQL endpoint, API and pages")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=8000)
    sp.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("torkg: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # one clear sentence, not a traceback
        if os.environ.get("TORKG_DEBUG"):
            raise
        code = getattr(e, "code", EXIT_USAGE)
        print(f"torkg {args.command}: {e}", file=sys.stderr)
        return code if isinstance(code, int) else EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
