"""A deterministic generator of synthetic but realistic ToRs, work plans and minutes.

Document ``i`` of seed ``s`` is always the same text, whatever N is, so the corpus of 100 is the
first 100 documents of the corpus of 1,000. Places come from ``ontology/reference/places.ttl``,
agencies from ``un-entities.ttl``; each ToR varies its structure (heading and numbering styles,
bullets, tables, paragraph numbers), its wording ("will"/"shall"/"is to", active or passive
voice, paraphrases from ``bench/phrases.py``), what it omits (no working principles, no executive
committee, ...) and what it contradicts (another secretariat or coordinator, majority voting, a
biennial instead of an annual meeting). One document in ten is a work plan and one a set of
minutes; a place seen again gets a new version of its ToR. Sizes follow real ToRs (1,500-3,500
words).

>>> spec = document_spec(3)
>>> spec == document_spec(3) and spec.doc_id != document_spec(4).doc_id
True
>>> 1200 <= len(render(spec).split()) <= 4200
True
"""
from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib.namespace import RDF, SKOS

from bench import phrases as P
from torkg.catalog import CATALOG_NAME, load_catalog
from torkg.ingest.infer import place_slug
from torkg.ingest.reference import load_reference
from torkg.iris import TOR

REPO = Path(__file__).resolve().parent.parent
GLOBAL_TOR = REPO / "corpus" / "global-tor.md"
GLOBAL_ID = "global-tor"
HEADINGS = ("markdown", "upper", "numbered", "article", "bold", "roman", "plain")
BULLETS = ("-", "\u2022", "*", "(a)", "a)", "i.", "1.", "1.1")
OMISSIONS = ("principles", "core", "groups", "guided", "stakeholders", "reporting", "annual", "decisions")
CONFLICT_KINDS = tuple(P.CONFLICTS)
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi",
         "xvii", "xviii", "xix", "xx")


@dataclass(frozen=True)
class Place:
    key: str            # ISO alpha-2 or region notation
    name: str           # as written in the text
    kind: str           # country | region
    slug: str           # network id


@dataclass(frozen=True)
class DocSpec:
    """Everything that decides one generated document (plain data, JSON-able)."""

    index: int
    doc_id: str
    doc_type: str                       # terms-of-reference | workplan | minutes
    level: str                          # country | regional
    place: Place
    version: int
    catalogued: bool                    # has a catalog.toml entry (else metadata is inferred)
    target_words: int
    modal: str = "will"
    heading: str = "markdown"
    bullet: str = "-"
    numbered_paragraphs: bool = False
    passive: bool = False
    tables: bool = False
    omissions: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    year: int = 2020
    extra: dict = field(default_factory=dict)


# --- reference data -----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Countries and regions of the reference data, in a fixed order."""
    ref = load_reference()
    out, seen = [], set()
    for kind in ("country", "region"):
        for e in sorted(ref.of_kind(kind), key=lambda e: e.key):
            if kind == "region" and e.key == "001":
                continue
            name = re.sub(r"\s*\([^)]*\)", "", e.label or e.key).strip()
            slug = place_slug(e)
            if slug in seen:                      # e.g. a region and a country of the same name
                slug = f"{slug}-{e.key.lower()}"
            seen.add(slug)
            out.append(Place(e.key, name, kind, slug))
    return tuple(out)


@lru_cache(maxsize=1)
def agencies() -> tuple[str, ...]:
    """Acronyms of the UN entities and regional commissions (not posts) of the reference data."""
    from torkg.ontology import load_reference_graph
    g = load_reference_graph()
    found = {str(n) for cls in (TOR.UNEntity, TOR.RegionalCommission)
             for s in g.subjects(RDF.type, cls) for n in g.objects(s, SKOS.notation)}
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def topics() -> tuple[str, ...]:
    """Subjects for activity sentences: the GCM objectives and stakeholders of the reference data."""
    ref = load_reference()
    out = []
    for e in sorted(ref.of_kind("gcm-objective"), key=lambda e: e.key):
        if e.label:
            goal = e.label[0].lower() + e.label[1:]
            out += [f"efforts to {goal}", f"joint action to {goal}"]
    for e in sorted(ref.of_kind("stakeholder"), key=lambda e: e.key):
        if e.label and e.label[0].isupper():
            out.append(f"engagement with {e.label[0].lower() + e.label[1:]}")
    return tuple(out)


# --- specs --------------------------------------------------------------------------------------
def document_spec(index: int, seed: int = 0) -> DocSpec:
    """The spec of document ``index`` (deterministic in ``index`` and ``seed``)."""
    rng = random.Random(f"{seed}:{index}")
    pool = places()
    order = list(range(len(pool)))
    random.Random(f"{seed}:places").shuffle(order)
    place = pool[order[index % len(pool)]]
    version = index // len(pool) + 1
    kind_roll = index % 10
    doc_type = "workplan" if kind_roll == 7 else "minutes" if kind_roll == 9 else "terms-of-reference"
    suffix = {"terms-of-reference": "tor", "workplan": "workplan", "minutes": "minutes"}[doc_type]
    doc_id = f"{place.slug}-{suffix}" + (f"-v{version}" if version > 1 else "")
    omissions = tuple(o for o in OMISSIONS if rng.random() < 0.15)
    conflicts: tuple[str, ...] = ()
    roll = rng.random()
    if doc_type == "terms-of-reference" and roll < 0.25:
        conflicts = tuple(rng.sample(CONFLICT_KINDS, 2 if roll < 0.05 else 1))
    return DocSpec(
        index=index, doc_id=doc_id, doc_type=doc_type,
        level="country" if place.kind == "country" else "regional", place=place, version=version,
        catalogued=rng.random() < 0.7, target_words=rng.randint(1500, 3500),
        modal=rng.choice(P.MODALS), heading=rng.choice(HEADINGS), bullet=rng.choice(BULLETS),
        numbered_paragraphs=rng.random() < 0.3, passive=rng.random() < 0.35, tables=rng.random() < 0.4,
        omissions=omissions if doc_type == "terms-of-reference" else (), conflicts=conflicts,
        year=rng.randint(2019, 2025))


# --- rendering ----------------------------------------------------------------------------------
class _Writer:
    """Builds one document's Markdown in the spec's style."""

    def __init__(self, spec: DocSpec):
        self.spec = spec
        self.rng = random.Random(f"text:{spec.index}:{spec.doc_id}")
        self.blocks: list[str] = []
        self.section = 0
        self.paragraph = 0
        self.item = 0
        names = P.NETWORK_NAMES[spec.level]
        self.fullname = self.rng.choice(names).format(place=spec.place.name)
        short = self.rng.choice(P.SHORT_NAMES)
        gov = self.rng.choice(P.GOVERNMENT_BODIES).format(place=spec.place.name)
        members = self.rng.sample(agencies(), k=min(len(agencies()), self.rng.randint(6, 16)))
        if "IOM" not in members:
            members[0] = "IOM"
        self.members = members
        others = [a for a in members if a != "IOM"]
        self.slots = {"net": short, "Net": short[0].upper() + short[1:], "modal": spec.modal,
                      "place": spec.place.name, "gov": gov, "fullname": self.fullname,
                      "Net_short": "UNNM" if spec.level == "country" else "the Regional Network",
                      "coord": "IOM", "sec": "IOM", "other": self.rng.choice(others),
                      "hub": self.rng.choice(P.HUBS)}

    def fill(self, template: str, **extra: str) -> str:
        text = template.format(**{**self.slots, **extra})
        return text[0].upper() + text[1:]

    def pick(self, pool, **extra: str) -> str:
        return self.fill(self.rng.choice(pool), **extra)

    def words(self) -> int:
        return sum(len(b.split()) for b in self.blocks)

    # -- layout ----------------------------------------------------------------------------------
    def heading(self, key: str, title: str | None = None) -> None:
        self.section += 1
        self.paragraph = 0
        self.item = 0
        t = title or self.rng.choice(P.SECTION_TITLES[key])
        n, style = self.section, self.spec.heading
        self.blocks.append({"markdown": f"## {t}", "upper": t.upper(), "numbered": f"{n}. {t}",
                            "article": f"Article {n} \u2013 {t}", "bold": f"**{t}**",
                            "roman": f"{ROMAN[(n - 1) % len(ROMAN)].upper()}. {t}", "plain": t}[style])

    def para(self, text: str) -> None:
        self.paragraph += 1
        if self.spec.numbered_paragraphs:
            text = f"{self.section}.{self.paragraph} {text}"
        self.blocks.append(text)

    def items(self, items: list[str], end: str = ";") -> None:
        lines = []
        for k, item in enumerate(items, start=self.item if self.spec.bullet in ("1.", "1.1") else 0):
            mark = {"(a)": f"({chr(97 + k % 26)})", "a)": f"{chr(97 + k % 26)})", "i.": f"{ROMAN[k % len(ROMAN)]}.",
                    "1.": f"{k + 1}.", "1.1": f"{self.section}.{k + 1}"}.get(self.spec.bullet, self.spec.bullet)
            lines.append(f"{mark} {item}{end}")
        self.item += len(items)
        lines[-1] = lines[-1][:-len(end)] + "."
        self.blocks.append("\n".join(lines))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        self.blocks.append("\n".join(lines))

    def activity(self) -> str:
        verb = self.rng.choice(P.ACTIVITY_VERBS)
        topic = self.rng.choice(topics())
        qual = self.fill(self.rng.choice(P.ACTIVITY_QUALIFIERS))
        return f"{verb} {topic}, {qual[0].lower() + qual[1:]}"

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def _masthead(w: _Writer, type_line: str) -> None:
    s = w.spec
    if s.heading == "markdown":
        w.blocks += [f"# {w.fullname}", type_line]
    elif s.heading == "bold":
        w.blocks.append(f"**{type_line}\n{w.fullname}**")
    else:
        w.blocks += [w.fullname, type_line]


def _tor(w: _Writer) -> None:
    s, rng = w.spec, w.rng
    _masthead(w, rng.choice(P.TITLE_LINES))
    if rng.random() < 0.8:
        w.heading("background")
        for t in rng.sample(P.BACKGROUND, k=rng.randint(3, 6)):
            w.para(w.fill(t))
    w.heading("mission")
    w.para(w.pick(P.MISSION) + " " + w.pick(P.RIGHTS))
    if "guided" not in s.omissions:
        keys = [k for k in P.GUIDES if rng.random() < 0.85] or ["gcm"]
        named = [rng.choice(P.GUIDES[k]) for k in keys]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        w.para(w.pick(P.GUIDED_LEAD) + listed + ".")
    w.heading("objectives")
    w.para(w.pick(P.OBJECTIVE_LEADS))
    objectives = rng.sample(P.OBJECTIVES[:9], k=rng.randint(4, 9)) + rng.sample(P.OBJECTIVES[9:], k=rng.randint(1, 4))
    if "stakeholders" in s.omissions:
        objectives = [o for o in objectives if not o.startswith("Engage")]
    if "reporting" in s.omissions:
        objectives = [o for o in objectives if not o.startswith("Report")]
    w.items([w.fill(o) for o in objectives])
    if "principles" not in s.omissions:
        w.heading("principles")
        if rng.random() < 0.3:
            w.para(w.pick(P.PRINCIPLES_BY_REFERENCE))
        else:
            chosen = rng.sample(P.PRINCIPLES, k=rng.randint(3, 8))
            w.para(w.fill("In its work, {net} {modal} be guided by the following principles:"))
            w.items([f"**{name}:** {w.fill(text)}" for name, text in chosen])
    w.heading("membership")
    w.para(w.pick(P.OPEN_MEMBERSHIP))
    if s.tables and rng.random() < 0.5:
        w.table(["Entity", "Role"], [[a, "Coordinator and Secretariat" if a == "IOM" else "Member"] for a in w.members])
    else:
        w.para(w.pick(P.MEMBERS_LIST, members=", ".join(w.members[:-1]) + " and " + w.members[-1]))
    w.heading("coordination")
    voice = "passive" if s.passive else "active"
    w.para(w.fill(P.CONFLICTS["coordinator"][rng.randrange(2)]) if "coordinator" in s.conflicts
           else w.pick(P.COORDINATOR[voice]))
    if rng.random() < 0.4:
        w.para(w.pick(P.CO_CHAIR))
    w.para(w.fill("The Coordinator {modal}:"))
    w.items([w.fill(d) for d in rng.sample(P.COORD_DUTIES, k=rng.randint(3, 6))])
    w.para(w.fill(P.CONFLICTS["secretariat"][rng.randrange(2)]) if "secretariat" in s.conflicts
           else w.pick(P.SECRETARIAT[voice]))
    if "core" not in s.omissions:
        core = rng.choice(P.SECTION_TITLES["core"])
        w.heading("core", core)
        cmembers = rng.sample(w.members, k=min(len(w.members), rng.randint(3, 7)))
        w.para(w.pick(P.CORE_GROUP, core=core, members=", ".join(cmembers[:-1]) + " and " + cmembers[-1]))
    if "groups" not in s.omissions:
        w.heading("groups")
        w.para(w.pick(P.WORKING_GROUPS))
    w.heading("decisions")
    if "decisions" not in s.omissions:
        w.para(w.pick(P.CONSENSUS) + " " + w.pick(P.MANDATES))
    if "majority" in s.conflicts:
        w.para(w.pick(P.CONFLICTS["majority"]))
    w.heading("meetings")
    w.para(w.pick(P.MEETINGS))
    if "biennial" in s.conflicts:
        w.para(w.pick(P.CONFLICTS["biennial"]))
    elif "annual" not in s.omissions:
        w.para(w.pick(P.ANNUAL))
    if "stakeholders" not in s.omissions:
        w.para(w.pick(P.STAKEHOLDERS))
    if "reporting" not in s.omissions:
        w.heading("reporting")
        w.para(w.pick(P.REPORTING))
    w.heading("workplan", rng.choice(("Priority Areas", "Areas of Work", "Work Plan", "Thematic Priorities")))
    w.para(w.fill("{Net} {modal} develop a work plan around the following priority areas:"))
    while w.words() < s.target_words - 120:
        w.items([w.activity() for _ in range(rng.randint(4, 8))])
        if w.words() < s.target_words - 200:
            w.para(w.fill(rng.choice(P.BACKGROUND)))
    if s.tables:
        w.heading("annex")
        w.table(["Entity", "Focal point", "Role"],
                [[a, f"Head of {a} office", "Coordinator" if a == "IOM" else "Member"] for a in w.members])
    w.heading("review")
    w.para(w.fill("These Terms of Reference {modal} be reviewed after one year and may be amended by decision of {net}."))
    w.blocks.append(f"{rng.choice(('January', 'March', 'June', 'September', 'November'))} {s.year}")


def _workplan(w: _Writer) -> None:
    s, rng = w.spec, w.rng
    _masthead(w, f"Work Plan {s.year}\u2013{s.year + 1}")
    w.heading("background", "Introduction")
    w.para(w.fill("This work plan sets out the joint activities of {net} for {y1} and {y2}, in line with its "
                  "Terms of Reference.", y1=str(s.year), y2=str(s.year + 1)))
    while w.words() < s.target_words - 150:
        topic = rng.choice(topics())
        w.heading("workplan", f"Outcome {w.section + 1}: {topic[:1].upper()}{topic[1:]}")
        rows = [[w.activity(), rng.choice(w.members), f"Q{rng.randint(1, 4)} {s.year + rng.randint(0, 1)}",
                 rng.choice(("planned", "ongoing", "completed"))] for _ in range(rng.randint(5, 10))]
        w.table(["Activity", "Lead", "Timeline", "Status"], rows)
        w.para(w.fill(rng.choice(P.BACKGROUND)))


def _minutes(w: _Writer) -> None:
    s, rng = w.spec, w.rng
    day = rng.randint(1, 28)
    month = rng.choice(("January", "March", "May", "July", "October", "December"))
    _masthead(w, f"Minutes of the meeting of {day} {month} {s.year}")
    w.heading("background", "Participants")
    w.para(", ".join(w.members) + ", and the Resident Coordinator Office.")
    while w.words() < s.target_words - 100:
        w.heading("background", rng.choice(P.MINUTES_ITEMS))
        for _ in range(rng.randint(3, 6)):
            w.para(w.fill(rng.choice(P.MINUTES_POINTS), org=rng.choice(w.members), topic=rng.choice(topics())))
        act = w.activity()
        w.para(w.fill("Decision: the members agreed to {a}.", a=act[0].lower() + act[1:]))


def _build(spec: DocSpec) -> _Writer:
    w = _Writer(spec)
    {"terms-of-reference": _tor, "workplan": _workplan, "minutes": _minutes}[spec.doc_type](w)
    return w


def render(spec: DocSpec) -> str:
    """The Markdown text of one document."""
    return _build(spec).text()


# --- the corpus ---------------------------------------------------------------------------------
def catalog_entry(spec: DocSpec, fullname: str) -> dict[str, str]:
    entry = {"title": fullname, "type": spec.doc_type, "level": spec.level, "network": spec.place.slug,
             "network_name": fullname, "date": str(spec.year), "language": "en"}
    if spec.place.kind == "country":
        entry["country"] = spec.place.key
    elif spec.place.key.isdigit():
        entry["region"] = spec.place.key
    if spec.doc_type == "terms-of-reference":
        entry["parent"] = GLOBAL_ID
    return entry


def _toml(doc_id: str, entry: dict[str, str]) -> str:
    return f"[documents.{doc_id}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in entry.items()) + "\n"


def specs(n: int, seed: int = 0) -> Iterator[DocSpec]:
    return (document_spec(i, seed) for i in range(n))


def generate_corpus(n: int, out: str | Path, seed: int = 0, *, include_global: bool = True) -> dict:
    """Write ``n`` documents (plus the global ToR they are checked against) to ``out``, with a
    ``catalog.toml`` for the catalogued ones and ``manifest.jsonl`` (one spec per line).
    Streams: one document in memory at a time. Returns counts (documents, words, by type)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stats = {"documents": 0, "words": 0, "by_type": {}, "conflicts": 0, "omissions": 0, "catalogued": 0}
    with open(out / CATALOG_NAME, "w", encoding="utf-8") as cat, open(out / "manifest.jsonl", "w") as man:
        cat.write("# Synthetic corpus written by bench/generate.py; documents without an entry are inferred.\n\n")
        if include_global:
            shutil.copyfile(GLOBAL_TOR, out / GLOBAL_TOR.name)
            cat.write(_toml(GLOBAL_ID, load_catalog(GLOBAL_TOR.parent)[GLOBAL_ID]))
        for spec in specs(n, seed):
            w = _build(spec)
            text = w.text()
            (out / f"{spec.doc_id}.md").write_text(text, encoding="utf-8")
            if spec.catalogued:
                cat.write(_toml(spec.doc_id, catalog_entry(spec, w.fullname)))
                stats["catalogued"] += 1
            man.write(json.dumps({**asdict(spec), "words": len(text.split())}) + "\n")
            stats["documents"] += 1
            stats["words"] += len(text.split())
            stats["by_type"][spec.doc_type] = stats["by_type"].get(spec.doc_type, 0) + 1
            stats["conflicts"] += bool(spec.conflicts)
            stats["omissions"] += bool(spec.omissions)
    return stats


def main(argv: list[str] | None = None) -> int:
    import argparse
    p = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    print(json.dumps(generate_corpus(args.n, args.out, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
