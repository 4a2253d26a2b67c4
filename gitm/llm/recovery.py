"""What the model needs to recover from a failed action, taken from the knowledge base (pure functions).

A small model given only "no iron_ore within 24 blocks" at y=64 repeats the call; told where iron_ore lies and
that it stands above it, it digs down. The hints name the ore's height when a search at the wrong height found
nothing, the tool a block needs when none is held, the station a recipe or smelt needs and how to make it,
and the fuels held. `relevant_first` orders a sub-goal's knowledge sentences so the ones its action needs
survive the prompt's trimming (which drops sentences from the end).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

STATIONS = ("crafting_table", "furnace")
NEAR_Y = 6  # within this many blocks of an ore's level the search height is not the problem

# Which knowledge sentences an action needs first: they start with / contain these words.
ACTION_WORDS = {
    "mine": ("is found", "Mining"),
    "smelt": ("Smelting", "fuel"),
    "craft": ("Crafting",),
}


def relevant_first(sentences: Sequence[str], action: str | None, obj: str) -> list[str]:
    """The sentences the sub-goal's action needs first (where an ore lies for mine; how to craft the object
    itself for craft), the rest after, each group in its original order."""
    words = ACTION_WORDS.get(action or "", ())

    def rank(s: str) -> int:
        own_recipe = action == "craft" and s.startswith("Crafting ") and f" {obj} requires" in s
        return 0 if own_recipe else 1 if any(w in s for w in words) else 2

    return sorted(sentences, key=rank)


def _held(inventory: Mapping[str, int], name: str) -> bool:
    return inventory.get(name, 0) > 0


def _blocks_for(kb: Any, obj: str) -> list[str]:
    """The block itself, or the natural blocks that drop the item."""
    if kb.how_to_mine(obj) is not None:
        return [obj]
    return [b.name for b, _ in kb.mined_from(obj)]


def _first_sentence(kb: Any, item: str, prefix: str) -> str | None:
    return next((s for s in kb.sentences_for(item) if s.startswith(prefix)), None)


def _height_hint(kb: Any, obj: str, y: float | None) -> list[str]:
    target = kb.search_y(obj)
    if target is None or (y is not None and abs(y - target) <= NEAR_Y):
        return []
    where = f"you are at y={round(y)}" if y is not None else "your level is unknown"
    return [f"{obj} lies underground, most at y={target}; {where}: dig_down(y={target}) first, then explore and mine."]


def _tool_hint(kb: Any, obj: str, inventory: Mapping[str, int]) -> list[str]:
    for name in _blocks_for(kb, obj)[:1]:
        block = kb.how_to_mine(name)
        if block is None or not block.harvest_tools or any(_held(inventory, t) for t in block.harvest_tools):
            continue
        tool = f"{block.min_tier}_{block.tool}" if block.min_tier else block.harvest_tools[0]
        recipe = _first_sentence(kb, tool, f"Crafting 1 {tool} ")
        return [f"mining {name} needs a {tool} or better, and you hold none." + (f" {recipe}" if recipe else "")]
    return []


def _station_hint(kb: Any, station: str, inventory: Mapping[str, int]) -> list[str]:
    if _held(inventory, station):
        return [f"you hold a {station}: place(object={station}) next to you first."]
    recipe = _first_sentence(kb, station, f"Crafting 1 {station} ")
    return [f"you need a {station} placed next to you." + (f" {recipe}" if recipe else "")]


def _fuel_hint(kb: Any, inventory: Mapping[str, int]) -> list[str]:
    held = sorted(n for n in kb.fuels() if _held(inventory, n))
    if held:
        return [f"fuels you hold: {', '.join(held[:5])}; pass one as fuel."]
    return ["you hold no fuel: get coal, or logs or planks, first."]


def recovery_hints(kb: Any, name: str, args: Mapping[str, Any], reason: str, inventory: Mapping[str, int],
                   y: float | None) -> list[str]:
    """Hints for re-planning after `name(args)` failed with `reason`, from the knowledge base."""
    obj = args.get("object") or args.get("entity")
    hints: list[str] = []
    if name in ("mine", "explore", "approach") and isinstance(obj, str):
        if reason.startswith(("no ", "could not reach", "explored", "branch-mined", "timed out")):
            hints += _height_hint(kb, obj, y)
        hints += _tool_hint(kb, obj, inventory)
    for station in STATIONS:
        if station in reason and name in ("craft", "smelt"):
            hints += _station_hint(kb, station, inventory)
    if name == "smelt" and "fuel" in reason:
        hints += _fuel_hint(kb, inventory)
    if name == "craft" and reason.startswith("missing") and isinstance(obj, str):
        recipe = _first_sentence(kb, obj, f"Crafting 1 {obj} ") or _first_sentence(kb, obj, "Crafting ")
        hints += [recipe] if recipe else []
    if name in ("dig_down", "go_up") and reason.startswith("already at"):
        hints.append("dig_down only goes down and go_up only climbs: compare y with where you are.")
    return list(dict.fromkeys(hints))
