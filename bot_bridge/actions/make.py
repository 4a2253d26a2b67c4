"""Actions that make things: craft, smelt, and place a station (or any block) to do it at."""

from __future__ import annotations

from knowledge.base import TICKS_PER_SMELT
from knowledge.facts import LOGS

from .base import ActionArgError, Arg, action, canon, count

KEEP_STATION = Arg("keep_station", "flag", False, "leave a station placed for this action standing")


@action("craft", "craft an item (big recipes need a crafting_table nearby)", limit_s=40, subgoal_kinds=("craft",),
        args=(Arg("object", "craftable"), Arg("count", "count", False)),
        body_args=(Arg("station", "choice", False, "crafting_table or none"),
              Arg("materials", "items", False, "items the recipe must use (birch_planks for sticks)"),
              KEEP_STATION))
def craft(kb, a, inv):
    obj = canon(kb, a.get("object", ""))
    recipes = kb.recipes_for(obj)
    if not recipes:
        raise ActionArgError(f"{obj} has no crafting recipe")
    station = a.get("station")
    if station is not None:
        station = "none" if station == "none" else canon(kb, station)
        if station == "furnace":
            raise ActionArgError(f"{obj} is crafted, not smelted: use smelt for what a furnace makes")
        if station not in ("crafting_table", "none"):
            raise ActionArgError(f"station must be crafting_table or none, not {station}")
        if station == "none" and all(r.table for r in recipes):
            raise ActionArgError(f"{obj} needs a crafting_table, not station none")
    materials = [canon(kb, m) for m in a.get("materials") or ()]
    if materials:
        recipes = [r for r in recipes if all(any(m in i.items for i in r.ingredients) for m in materials)]
        if not recipes:
            raise ActionArgError(f"no recipe for {obj} uses {', '.join(materials)}")
    return {"object": obj, "count": count(a.get("count", 1)), "materials": materials,
            "keepStation": bool(a.get("keep_station", False))}


@action("smelt", "smelt input into object in a furnace, with fuel", limit_s=120, subgoal_kinds=("smelt",),
        args=(Arg("object", "smeltable"), Arg("input", "smelt_input", False), Arg("count", "count", False),
              Arg("fuel", "fuel", False)),
        body_args=(Arg("material", "smelt_input", False, "another name for input"), KEEP_STATION))
def smelt(kb, a, inv):
    obj = canon(kb, a.get("object", ""))
    ways = kb.smelting_for(obj)
    if not ways:
        raise ActionArgError(f"{obj} is not made by smelting")
    given = a.get("input") or a.get("material")
    inp = canon(kb, given) if given else ways[0].input
    if inp not in {w.input for w in ways}:
        raise ActionArgError(f"{inp} does not smelt into {obj}")
    fuels = kb.fuels()
    fuel = canon(kb, a["fuel"]) if a.get("fuel") else None
    if fuel and fuel not in fuels:
        raise ActionArgError(f"{fuel} is not a fuel")
    order = sorted(fuels.items(), key=lambda kv: (-(kv[1] % TICKS_PER_SMELT == 0), -kv[1]))
    # best first among what is plausible to hold: coal/charcoal, then logs, then planks, then the rest
    prefer = ["coal", "charcoal", *LOGS, *(p.replace("_log", "_planks") for p in LOGS), "stick"]
    ranked = [f for f in prefer if f in fuels] + [f for f, _ in order if f not in prefer and "bucket" not in f]
    return {"object": obj, "input": inp, "count": count(a.get("count", 1)), "fuel": fuel,
            "fuels": [{"item": f, "smelts": fuels[f] / TICKS_PER_SMELT} for f in ranked],
            "keepStation": bool(a.get("keep_station", False))}


@action("place", "place a block from the inventory next to you", limit_s=15, subgoal_kinds=("craft", "smelt"),
        args=(Arg("object", "placeable"),))
def place(kb, a, inv):
    obj = canon(kb, a.get("object", ""))
    if kb.how_to_mine(obj) is None:
        raise ActionArgError(f"{obj} is not a block that can be placed")
    if inv is not None and inv.get(obj, 0) == 0:
        raise ActionArgError(f"no {obj} in inventory")
    return {"object": obj}
