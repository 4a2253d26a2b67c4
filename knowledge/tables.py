"""The hand-made tables (knowledge/data/tables/*.json): loaded once, patterns expanded against the item list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Any

# Under data/ so that the package data (pyproject: knowledge = ["data/**/*"]) ships them.
TABLES_DIR = Path(__file__).parent / "data" / "tables"


@cache
def raw_table(name: str) -> dict[str, Any]:
    return json.loads((TABLES_DIR / f"{name}.json").read_text())


def matches(name: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(name, p) for p in patterns)


def expand_placeholders(pattern: str, known: set[str]) -> list[str]:
    """'@' = each wood type, '%' = each dye color (fuels.json); keeps only names that are real items."""
    fuels = raw_table("fuels")
    names = [pattern]
    for mark, values in (("@", fuels["woods"]), ("%", fuels["colors"])):
        names = [n.replace(mark, v) for n in names for v in values] if any(mark in n for n in names) else names
    return sorted(n for n in names if n in known)


def preference(name: str) -> tuple[int, int, str]:
    """Sort key for group members: the 'prefer' list of groups.json first, then the woods of prefer_woods
    (the embedded world grows oak and birch), then by name."""
    groups = raw_table("groups")
    prefer, woods = groups["prefer"], groups["prefer_woods"]
    wood = next((i for i, w in enumerate(woods) if name.startswith(w + "_") or name.startswith(f"stripped_{w}_")),
                len(woods))
    return (prefer.index(name) if name in prefer else len(prefer), wood, name)


@dataclass(frozen=True)
class Smelt:
    input: str
    result: str
    count: int
    kind: str


def smelting(known: set[str]) -> list[Smelt]:
    out = []
    for r in raw_table("smelting")["recipes"]:
        for name in expand_placeholders(r["input"], known):
            out.append(Smelt(name, r["result"], r["count"], r["kind"]))
    return out


def fuels(known: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for pattern, ticks in raw_table("fuels")["fuels"].items():
        for name in expand_placeholders(pattern, known):
            out.setdefault(name, ticks)
    return dict(sorted(out.items()))
