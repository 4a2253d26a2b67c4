"""Actions that keep the bot going: fight a mob, flee, eat, sleep through the night."""

from __future__ import annotations

from knowledge.facts import FLEE_BELOW_HEALTH, best_weapon

from .base import WOOL, ActionArgError, Arg, action, canon, wool


@action("attack", "attack the nearest such mob until it dies", limit_s=60, subgoal_kinds=("kill",),
        args=(Arg("entity", "mob"),), body_args=(Arg("radius", "number", False, "search radius (blocks)"), WOOL))
def attack(kb, a, inv):
    ent = a.get("entity", "")
    if not isinstance(ent, str) or not ent or ent.removeprefix("minecraft:") not in kb.data.get("mobs", {}):
        raise ActionArgError(f"unknown entity {ent!r}")
    # the best weapon held (unknown inventory: the skill's own pick among what it holds)
    weapon = best_weapon(inv) if inv is not None else None
    return {"entity": ent.removeprefix("minecraft:"), "radius": int(a.get("radius", 32)),
            "retreatBelow": FLEE_BELOW_HEALTH, **({"weapon": weapon} if weapon else {}), **wool(a)}


@action("eat", "eat food from the inventory", limit_s=15, args=(Arg("food", "food"),))
def eat(kb, a, inv):
    food = canon(kb, a.get("food", ""))
    if inv is not None and inv.get(food, 0) == 0:
        raise ActionArgError(f"no {food} in inventory")
    return {"food": food}


@action("sleep_in_bed", "sleep through the night in a bed (one near, else the held bed placed and picked up again)",
        limit_s=40, planner=False, body_args=(Arg("radius", "number", False, "search radius for a bed (blocks)"),))
def sleep_in_bed(kb, a, inv):
    return {"radius": int(a.get("radius", 8))}


@action("flee", "run away from the nearby hostile mobs", limit_s=20, planner=False,
        body_args=(Arg("distance", "number", False, "how far from them (blocks)"),))
def flee(kb, a, inv):
    return {"distance": int(a.get("distance", 16))}
