"""Frequencies of provisions ("quarterly", "every four years") as xsd:duration strings.

Patterns are data (``patterns/frequency.json``).

>>> find_frequency("The Network will meet on a quarterly basis.")
('P3M', 'on a quarterly basis')
>>> find_frequency("reviewed, at a minimum, every four years")
('P4Y', 'every four years')
>>> find_frequency("At a minimum such reviews will take place every 12 months.")
('P1Y', 'every 12 months')
>>> find_frequency("at least once a year")
('P1Y', 'once a year')
>>> find_frequency("The Network will hold two meetings per year.")
('P6M', 'two meetings per year')
>>> find_frequency("three times a year")
('P4M', 'three times a year')
>>> find_frequency("as needed") is None
True
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

PATTERNS = Path(__file__).parent / "patterns" / "frequency.json"
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, dict, list[tuple[re.Pattern, str]]]:
    data = json.loads(PATTERNS.read_text(encoding="utf-8"))
    compiled = [(re.compile(p["regex"], re.I), p["duration"]) for p in data["patterns"]]
    return re.compile(data["every"], re.I), re.compile(data["per_period"], re.I), data["numbers"], compiled


def duration(count: int, unit: str) -> str:
    """An xsd:duration for ``count`` units ("month" 12 -> "P1Y", "week" 2 -> "P14D").

    >>> duration(12, "month"), duration(2, "week"), duration(4, "year")
    ('P1Y', 'P14D', 'P4Y')
    """
    if unit == "month" and count % 12 == 0:
        return f"P{count // 12}Y"
    if unit == "week":
        return f"P{count * 7}D"
    return f"P{count}{_UNITS[unit]}"


def find_frequency(text: str) -> tuple[str, str] | None:
    """``(duration, matched words)`` of the first frequency expression in ``text``, or None."""
    every, per_period, numbers, compiled = _patterns()
    m = every.search(text)
    if m:
        raw = m.group(1).lower()
        count = int(raw) if raw.isdigit() else numbers[raw]
        return duration(count, m.group(2).lower()), m.group(0)
    m = per_period.search(text)
    if m:
        raw = m.group(1).lower()
        times = int(raw) if raw.isdigit() else numbers[raw]
        months = 12 if m.group(2).lower() == "year" else 1
        if times and (months * 30) % times == 0:
            if months % times == 0:
                return duration(months // times, "month"), m.group(0)
            return f"P{months * 30 // times}D", m.group(0)
    for pattern, value in compiled:
        m = pattern.search(text)
        if m:
            return value, m.group(0)
    return None
