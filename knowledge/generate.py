"""Regenerate knowledge/data/<version>/ from the pinned minecraft-data package.

    python -m knowledge.generate [--out DIR]

Runs knowledge/generate.js (node) for the raw extract, groups tag-expanded recipes back into
alternatives, derives tool tiers and drops per block, then renders the sentence files. Output is
deterministic (sorted keys, stable order) so a test can check that regenerating gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from knowledge.base import TICKS_PER_SMELT, KnowledgeBase
from knowledge.errors import KnowledgeError
from knowledge.facts import TOOL_TIERS
from knowledge.sentences import render_all
from knowledge.tables import matches, preference, raw_table
from knowledge.version import MC_VERSION

KNOWLEDGE_DIR = Path(__file__).parent
TOOL_KINDS = ["pickaxe", "axe", "shovel", "hoe", "sword", "shears"]
# Loot tables in minecraft-data 3.117.0 stop at 1.20, where the block and item short_grass were still called
# grass (bot_bridge/server/lib/harvest.js: LOOT_ALIASES, ITEM_RENAMES).
LOOT_RENAMES = {"short_grass": "grass"}
ITEM_RENAMES = {"grass": "short_grass"}


def run_node(version: str) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        raise KnowledgeError("node is not installed; it is needed only to regenerate the knowledge base")
    out = subprocess.run(  # the version is an argument: generate.js has no default of its own
        [node, str(KNOWLEDGE_DIR / "generate.js"), version], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def dump(obj: Any) -> bytes:
    return (json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _cells(recipe: dict[str, Any]) -> tuple[tuple, list[str]]:
    """A recipe's skeleton (what must match for two variants to be one recipe) and its ingredient cells."""
    if "shape" in recipe:
        shape = recipe["shape"]
        skeleton = ("shaped", tuple(tuple(c is None for c in row) for row in shape))
        return skeleton, [c for row in shape for c in row if c is not None]
    return ("shapeless", len(recipe["ingredients"])), list(recipe["ingredients"])


def _tag_name(items: list[str]) -> str | None:
    for tag, patterns in raw_table("groups")["tags"].items():
        if all(matches(i, patterns) for i in items):
            return tag
    return None


def _prefer_order(items: set[str]) -> list[str]:
    return sorted(items, key=preference)


def group_recipes(raw_recipes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Undo minecraft-data's tag expansion: variants with the same result, yield and shape become one
    recipe whose varying cells list every alternative (mixing members of a tag is allowed in game)."""
    variants: dict[tuple, list[list[str]]] = defaultdict(list)
    for r in raw_recipes:
        skeleton, cells = _cells(r)
        variants[(r["result"], r["count"], skeleton)].append(cells)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (result, count, skeleton), cell_lists in variants.items():
        # Cells that vary together come from the same tag; count a tag once per cell it fills.
        slots: dict[tuple[str, ...], int] = {}
        for pos in range(len(cell_lists[0])):
            alts = tuple(_prefer_order({cells[pos] for cells in cell_lists}))
            slots[alts] = slots.get(alts, 0) + 1
        ingredients = [
            {"count": n, "items": list(alts), "tag": _tag_name(list(alts)) if len(alts) > 1 else None}
            for alts, n in slots.items()
        ]
        if skeleton[0] == "shaped":
            rows = skeleton[1]
            table = len(rows) > 2 or max(len(r) for r in rows) > 2
        else:
            table = skeleton[1] > 4
        out[result].append(
            {"count": count, "ingredients": ingredients, "shaped": skeleton[0] == "shaped", "table": table}
        )
    return dict(sorted(out.items()))


def fix_recipes(recipes: dict[str, list[dict[str, Any]]], known: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Apply knowledge/data/tables/recipe_fixes.json (see its 'source' for why)."""
    fixes = raw_table("recipe_fixes")
    colors = raw_table("fuels")["colors"]
    for result, rs in recipes.items():
        for r in rs:
            items = [i["items"] for i in r["ingredients"]]
            for suffix in fixes["recolor_suffixes"]:
                colored = [f"{c}_{suffix}" for c in colors if f"{c}_{suffix}" in known]
                if result in colored and len(items) == 2 and items[1][0] in colored and items[0][0].endswith("_dye"):
                    r["ingredients"][1]["items"] = _prefer_order(set(colored) - {result})
    for result, rs in recipes.items():
        for r in rs:
            for ing in r["ingredients"]:
                for tag in fixes["tags"].values():
                    if result not in tag["exact"] and set(ing["items"]) & set(tag["items"]):
                        ing["items"] = _prefer_order(set(ing["items"]) | set(tag["items"]))
    for rs in recipes.values():
        for r in rs:
            for ing in r["ingredients"] if not r["shaped"] else ():
                if len(ing["items"]) == 1 and (family := _log_family(ing["items"][0], fixes["log_tags"], known)):
                    ing["tag"], ing["items"] = family
    for extra in fixes["extra"]:
        # '%' in the result: one recipe per color; '%' only in an ingredient: any color will do.
        for color in colors if "%" in extra["result"] else [None]:
            ingredients = []
            for alts, n in extra["ingredients"]:
                names = [a.replace("%", c) for a in alts for c in ([color] if color else colors)]
                ingredients.append({"count": n, "items": _prefer_order(set(names) & known), "tag": None})
            entry = {"count": extra["count"], "ingredients": ingredients, "shaped": False, "table": False}
            recipes.setdefault(extra["result"].replace("%", color or ""), []).append(entry)
    return dict(sorted(recipes.items()))


def _log_family(name: str, log_tags: dict[str, str], known: set[str]) -> tuple[str, list[str]] | None:
    """The vanilla tag a log belongs to (oak_log -> #oak_logs: oak_log, oak_wood, stripped_oak_log, ...)."""
    wood, _, kind = name.rpartition("_")
    if kind not in log_tags or not wood:
        return None
    bark = log_tags[kind]
    members = [f"{wood}_{kind}", f"{wood}_{bark}", f"stripped_{wood}_{kind}", f"stripped_{wood}_{bark}"]
    return f"{wood}_{kind}s", [m for m in members if m in known]


def _tool_tier(tool_item: str) -> tuple[str, str | None]:
    if tool_item == "shears":
        return "shears", None
    tier, kind = tool_item.rsplit("_", 1)
    return kind, ("wooden" if tier == "golden" else tier)


def _drop_rule(block: str) -> dict[str, Any] | None:
    for rule in raw_table("sources")["drop_rules"]["rules"]:
        if matches(block, rule["blocks"]):
            return rule
    return None


def _loot_drops(entries: list[dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """Drops without silk touch (item -> drop) and the silk-touch-only items, read the way the server's
    harvest.js reads the loot data: entries flagged noSilkTouch are alternatives (one is picked, at its
    range's minimum: the maximum is Fortune's), chances under 1/2 are real odds, larger ones mean 'always'."""
    alternatives = [d for d in entries if d.get("noSilkTouch")]
    drops: dict[str, dict[str, Any]] = {}
    silk: set[str] = set()
    for d in entries:
        item = ITEM_RENAMES.get(d["item"], d["item"])
        if d.get("silkTouch"):
            silk.add(item)
            continue
        lo, hi = d.get("stackSizeRange", [1, 1])
        # No usable range (nulls, glow_lichen's -1) means one item, as in harvest.js.
        lo, hi = (lo, hi) if lo and lo > 0 and hi and hi >= lo else (1, 1)
        if d.get("noSilkTouch"):
            hi = lo
            chance = sum(1 for a in alternatives if a["item"] == d["item"]) / len(alternatives)
        else:
            chance = d["dropChance"] if d.get("dropChance", 1) < 0.5 else 1.0
        prev = drops.get(item)
        drops[item] = {
            "item": item,
            "min": min(lo, prev["min"]) if prev else lo,
            "max": max(hi, prev["max"]) if prev else hi,
            "chance": max(chance, prev["chance"]) if prev else chance,
            "grown": bool(d.get("blockAge")) and (prev is None or prev["grown"]),
        }
    return drops, silk


def _apply_rule(rule: dict[str, Any], drops: dict[str, dict[str, Any]]) -> tuple[dict, dict]:
    """(drops without shears, drops with shears) for a block with a drop rule."""
    kept, sheared = {}, {}
    for item, d in drops.items():
        spec = next((v for pattern, v in rule["drops"].items() if fnmatchcase(item, pattern)), None)
        if spec is not None:
            kept[item] = {**d, **spec}
        elif matches(item, rule.get("shears", [])):
            sheared[item] = d
    return kept, sheared


def derive_blocks(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    loot = {entry["block"]: entry["drops"] for entry in raw["block_loot"]}
    known = {i["name"] for i in raw["items"]} - {"air"}
    out = {}
    for b in raw["blocks"]:
        name = b["name"]
        tool, tier = None, None
        if b["harvest_tools"]:
            kinds = [_tool_tier(t) for t in b["harvest_tools"]]
            # The kind that most harvest tools share is the one to use (cobweb: swords, plus shears).
            tool = max(TOOL_KINDS, key=lambda k: sum(1 for kind, _ in kinds if kind == k))
            tiers = [t for kind, t in kinds if kind == tool and t is not None]
            tier = min(tiers, key=TOOL_TIERS.index) if tiers else None
        else:
            tool = next((k for k in TOOL_KINDS if f"mineable/{k}" in b["material"]), None)
        entries = loot.get(name, loot.get(LOOT_RENAMES.get(name, ""), None))
        if entries is None:  # blocks newer than the loot tables: fall back to the block's drop list
            entries = [{"item": d, "stackSizeRange": [1, 1]} for d in b["drops"]]
        drops, silk = _loot_drops([d for d in entries if ITEM_RENAMES.get(d["item"], d["item"]) in known])
        sheared: dict[str, dict[str, Any]] = {}
        if (rule := _drop_rule(name)) is not None:
            drops, sheared = _apply_rule(rule, drops)
        out[name] = {
            "hardness": b["hardness"],
            "diggable": b["diggable"],
            "tool": tool,
            "min_tier": tier,
            "harvest_tools": b["harvest_tools"] or [],
            "drops": [drops[k] for k in sorted(drops)],
            "shears": [sheared[k] for k in sorted(sheared)],
            "silk_touch": sorted(silk - set(drops)),
        }
    return out


def derive_mobs(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    kinds = {e["name"]: e["category"] for e in raw["entities"]}
    out = {}
    for entry in raw["entity_loot"]:
        drops: dict[str, dict[str, Any]] = {}
        for d in entry["drops"]:
            lo, hi = d.get("stackSizeRange", [1, 1])
            drops.setdefault(
                d["item"], {"item": d["item"], "chance": round(d["dropChance"], 4), "min": lo, "max": hi}
            )
        out[entry["entity"]] = {
            "category": kinds.get(entry["entity"], ""),
            "drops": [drops[k] for k in sorted(drops)],
        }
    return out


def build(raw: dict[str, Any]) -> dict[str, bytes]:
    """Relative path -> file bytes for knowledge/data/<version>/."""
    # what eating restores: hunger points and saturation
    foods = {f["name"]: {"points": f["food_points"], "saturation": f["saturation"]} for f in raw["foods"]}

    structured = {
        "items": {
            i["name"]: {"id": i["id"], "display_name": i["display_name"], "stack_size": i["stack_size"],
                        **({"food": foods[i["name"]]} if i["name"] in foods else {})}
            for i in raw["items"]
        },
        "recipes": fix_recipes(group_recipes(raw["recipes"]), {i["name"] for i in raw["items"]}),
        "blocks": derive_blocks(raw),
        "mobs": derive_mobs(raw),
        "meta": {"minecraft_version": raw["version"], "minecraft_data": raw["minecraft_data"]},
    }
    files = {f"{name}.json": dump(obj) for name, obj in structured.items()}
    kb = KnowledgeBase(structured, sentences={})
    # The embedded server's furnace (bot_bridge/server/plugins/furnace.js) smelts and burns from this file, so it
    # and the knowledge base share one source: the tables smelting.json and fuels.json.
    files["furnace.json"] = dump({
        "cookTicks": TICKS_PER_SMELT,
        "recipes": {s.input: {"result": s.result} for s in kb.smelting()},
        "fuelTicks": kb.fuels(),
    })
    for topic, by_item in render_all(kb).items():
        files[f"sentences/{topic}.json"] = dump(by_item)
    return files


def write(files: dict[str, bytes], out_dir: Path) -> None:
    for rel, data in files.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default=MC_VERSION)
    parser.add_argument("--out", type=Path, help="output directory (default: knowledge/data/<version>)")
    args = parser.parse_args(argv)
    out_dir = args.out or KNOWLEDGE_DIR / "data" / args.version
    files = build(run_node(args.version))
    write(files, out_dir)
    print(f"wrote {len(files)} files to {out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
