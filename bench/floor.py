"""The bare floor of ingestion: spaCy's own ``nlp.pipe`` over a folder's documents, same model.

``python -m bench.floor DIR [--model NAME]`` loads the model torkg would load (by name, without
torkg's components), reads every document the way torkg does, streams the texts through
``nlp.pipe`` and prints ``{"documents", "words", "load_s", "pipe_s"}`` as JSON.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n\n")[0])
    p.add_argument("folder")
    p.add_argument("--model", default=None)
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    import os

    import spacy

    from torkg.ingest import nlp as nlp_loader
    from torkg.ingest.read import SUPPORTED_SUFFIXES, read_document
    name = (args.model or os.environ.get(nlp_loader.ENV_VARIABLE)
            or next(m for m in nlp_loader.DEFAULT_MODELS if spacy.util.is_package(m)))
    nlp = spacy.load(name)
    load_s = time.perf_counter() - t0
    files = sorted(f for f in Path(args.folder).iterdir() if f.suffix.lower() in SUPPORTED_SUFFIXES)
    counts = {"documents": 0, "words": 0}

    def texts():
        for f in files:
            text = read_document(f).text
            counts["documents"] += 1
            counts["words"] += len(text.split())
            if len(text) >= nlp.max_length:
                nlp.max_length = len(text) + 1
            yield text

    t1 = time.perf_counter()
    for _ in nlp.pipe(texts()):
        pass
    pipe_s = time.perf_counter() - t1
    print(json.dumps({**counts, "model": name, "load_s": round(load_s, 3), "pipe_s": round(pipe_s, 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
