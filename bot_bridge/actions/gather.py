"""Actions that get things from the world: hold a tool, find, reach, break, use an item on, farm, go down and up."""

from __future__ import annotations

from typing import Any

from knowledge.facts import MAX_Y, MIN_Y, has_tool

from .base import STRATEGIES, WOOL, ActionArgError, Arg, action, canon, count, mine_targets, wool, y_level

EQUIP_DESTINATIONS = ("hand", "off-hand", "head", "torso", "legs", "feet")  # mineflayer's bot.equip
RADIUS = Arg("radius", "number", False, "search radius (blocks)")


@action("equip", "hold an item from the inventory (a tool or weapon)", limit_s=10, subgoal_kinds=("mine", "kill"),
        args=(Arg("object", "item"),),
        body_args=(Arg("destination", "choice", False, f"one of {', '.join(EQUIP_DESTINATIONS)}"),))
def equip(kb, a, inv):
    obj = canon(kb, a.get("object", ""))
    if inv is not None and inv.get(obj, 0) == 0:
        raise ActionArgError(f"no {obj} in inventory")
    dest = a.get("destination") or "hand"
    if dest not in EQUIP_DESTINATIONS:
        raise ActionArgError(f"destination must be one of {', '.join(EQUIP_DESTINATIONS)}, not {dest!r}")
    return {"object": obj, "destination": dest}


@action("explore", "walk around until the object (a block or a mob) is in sight", limit_s=120,
        subgoal_kinds=("mine", "kill", "use"),
        args=(Arg("object", "target"), Arg("strategy", "strategy", False, "surface or underground")),
        body_args=(Arg("y", "number", False, "underground: the feet level to staircase down to first (default: where "
                       "the object is most common; a mob: a little below the surface)"), RADIUS,
                   Arg("also", "items", False, "a mob: other mobs that will do as well"), WOOL))
def explore(kb, a, inv):
    strategy = a.get("strategy", "surface")
    if strategy not in STRATEGIES:
        raise ActionArgError(f"strategy must be surface or underground, not {strategy!r}")
    name = a.get("object", "").removeprefix("minecraft:") if isinstance(a.get("object"), str) else ""
    if name in kb.data.get("mobs", {}):
        mobs = [name, *(m.removeprefix("minecraft:") for m in a.get("also") or ())]
        if unknown := [m for m in mobs if m not in kb.data["mobs"]]:
            raise ActionArgError(f"unknown mob {unknown[0]!r}")
        # mobs roam where the bot walks; only monsters are found underground (caves are dark at any time of day)
        if strategy == "underground" and not all(kb.is_hostile(m) for m in mobs):
            strategy = "surface"
        out = {"object": name, "entities": mobs, "strategy": strategy, "radius": int(a.get("radius", 32)), **wool(a)}
        if strategy == "underground" and a.get("y") is not None:
            out["y"] = y_level(a["y"], "explore")
        return out
    if name in kb.data["blocks"] and not kb.has_item(name):  # a block that is no item: water, lava
        obj = name
    else:
        obj = canon(kb, a.get("object", "")) if a.get("object") not in ("log", "logs") else a["object"]
    try:
        blocks, _, _ = mine_targets(kb, obj)
    except ActionArgError:
        blocks = [obj]
    out = {"object": obj, "blocks": blocks, "strategy": strategy, "radius": int(a.get("radius", 32))}
    if strategy == "underground":
        y = a["y"] if a.get("y") is not None else _search_y(kb, obj)
        if y is not None:
            if not isinstance(y, int) or not MIN_Y <= y <= MAX_Y:
                raise ActionArgError(f"y must be a whole number within {MIN_Y}..{MAX_Y}, not {y!r}")
            out["y"] = y  # the skill staircases down to it before branch-mining
    return out


def _search_y(kb, obj: str) -> int | None:
    """Where to look for `obj` (an ore, or what an ore drops); None for anything else (logs...)."""
    if obj in ("log", "logs"):
        return None
    return kb.search_y(obj)


@action("approach", "walk next to a visible block or mob", limit_s=60, subgoal_kinds=("mine", "kill", "use"),
        args=(Arg("object", "target"),), body_args=(Arg("distance", "number", False, "how close (blocks)"), RADIUS))
def approach(kb, a, inv):
    obj = a.get("object", "")
    if not isinstance(obj, str) or not obj:
        raise ActionArgError("approach needs an object (a block or an entity name)")
    obj = obj.removeprefix("minecraft:")
    if obj not in kb.data.get("mobs", {}):
        obj = canon(kb, obj, "block or entity")
        if kb.how_to_mine(obj) is None:
            raise ActionArgError(f"{obj} is neither a block nor an entity")
    return {"object": obj, "distance": float(a.get("distance", 2)), "radius": int(a.get("radius", 64))}


@action("mine", "break blocks of/dropping the object and collect the drops", limit_s=150, subgoal_kinds=("mine",),
        args=(Arg("object", "mineable"), Arg("count", "count", False), Arg("tool", "tool", False)), body_args=(RADIUS,))
def mine(kb, a, inv):
    obj = a["object"] if a.get("object") in ("log", "logs") else canon(kb, a.get("object", ""))
    blocks, items, need = mine_targets(kb, obj)
    tool = canon(kb, a["tool"]) if a.get("tool") else None
    if need == "shears":
        if inv is not None and inv.get("shears", 0) == 0:
            raise ActionArgError(f"need shears to get {obj}")
        if tool not in (None, "shears"):
            raise ActionArgError(f"{obj} drops only when broken with shears, not {tool}")
        tool = "shears"
    if inv is not None and need and not has_tool(inv, need):
        raise ActionArgError(f"need {need} to mine {obj}")
    if inv is not None and tool and inv.get(tool, 0) == 0:
        raise ActionArgError(f"no {tool} in inventory")
    return {"blocks": blocks, "items": items, "count": count(a.get("count", 1)), "tool": tool,
            "radius": int(a.get("radius", 32)), "object": obj}


@action("use", "hold an item and right-click a mob or block with it (shears on a sheep, a bucket on a cow or water)",
        limit_s=60, subgoal_kinds=("use",), args=(Arg("object", "item"), Arg("target", "target")),
        body_args=(RADIUS, WOOL))
def use(kb, a, inv):
    obj = canon(kb, a.get("object", ""))
    if inv is not None and inv.get(obj, 0) == 0:
        raise ActionArgError(f"no {obj} in inventory")
    target = a.get("target")
    if not isinstance(target, str) or not target:
        raise ActionArgError("use needs a target (a mob or a block)")
    target = target.removeprefix("minecraft:")
    if target not in kb.data.get("mobs", {}) and target not in kb.data["blocks"]:
        raise ActionArgError(f"{target} is neither a mob nor a block")
    return {"object": obj, "target": target, "entity": target in kb.data.get("mobs", {}),
            "radius": int(a.get("radius", 32)), **wool(a)}


@action("farm", "till soil near water with a hoe, plant the seeds held, wait until the crop is ripe (bone meal helps) "
        "and harvest and replant until count more of the object is held", limit_s=300, subgoal_kinds=("farm",),
        args=(Arg("object", "item"), Arg("count", "count", False)), body_args=(RADIUS,))
def farm(kb, a, inv):
    obj = canon(kb, a.get("object", ""))
    crops = kb.grown_from(obj)
    if not crops:
        raise ActionArgError(f"no crop grows {obj}")
    land = kb.farmland()
    if inv is not None and not has_tool(inv, land["hoe"]):
        raise ActionArgError("need a hoe to till farmland")
    crop = crops[0]
    return {"object": obj, "crop": crop.block, "seed": crop.seed, "ripe": crop.max_age,
            "count": count(a.get("count", 1)), "soil": land["tilled"], "waterReach": land["water_reach"],
            "waterUp": land["water_up"], "radius": int(a.get("radius", 24))}


@action("collect", "pick up dropped items of the object lying near, waiting by the mobs that lay them (chickens lay "
        "eggs) when none lies about", limit_s=300, subgoal_kinds=("collect",), args=(Arg("object", "item"),),
        body_args=(RADIUS,))
def collect(kb, a, inv):
    obj = canon(kb, a.get("object", ""))
    special = kb.special(obj)
    near = list(special.near) if special is not None else []
    return {"object": obj, "near": near, "radius": int(a.get("radius", 32))}


@action("dig_down", "dig straight down to level y", limit_s=300, subgoal_kinds=("mine",),
        args=(Arg("y", "y_below"), Arg("tool", "tool", False)),
        body_args=(Arg("until_item", "item", False, "stop early once the inventory holds until_count of it"),
                   Arg("until_count", "count", False)))
def dig_down(kb, a, inv):
    out: dict[str, Any] = {"y": y_level(a.get("y"), "dig_down")}
    out["tool"] = canon(kb, a["tool"]) if a.get("tool") else None
    if a.get("until_item"):
        item = canon(kb, a["until_item"])
        out["until"] = {"items": [item], "count": count(a.get("until_count", 1))}
    return out


@action("go_up", "climb up to level y", limit_s=120, subgoal_kinds=("mine",), args=(Arg("y", "y_above"),))
def go_up(kb, a, inv):
    return {"y": y_level(a.get("y"), "go_up")}
