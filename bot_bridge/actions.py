"""GITM's structured action set: typed arguments validated against the knowledge base, and typed results.

Validation happens in Python before anything moves: an unknown item, a block nobody can mine or a
recipe-less craft is a failed ActionResult with a reason, never an exception from the bridge.
The JavaScript side (bot_bridge/skills/actions.js) receives the validated, resolved arguments
(e.g. `mine raw_iron` -> blocks iron_ore/deepslate_iron_ore, counting raw_iron).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.base import TICKS_PER_SMELT, KnowledgeBase
from knowledge.errors import UnknownItemError

TOOL_TIERS = ("wooden", "stone", "iron", "diamond", "netherite")
LOG_BLOCKS = ("oak_log", "birch_log", "spruce_log", "jungle_log", "acacia_log", "dark_oak_log", "mangrove_log",
              "cherry_log")

# Per-action time limits (seconds of wall time): the JS skill stops itself at the limit, and the
# Python side gives up on the bridge call a little later.
DEFAULT_LIMITS: dict[str, float] = {
    "observe": 10,
    "equip": 10,
    "place": 15,
    "approach": 60,
    "mine": 150,
    "craft": 40,
    "smelt": 120,
    "explore": 120,
    "dig_down": 300,
    "go_up": 120,
    "attack": 60,
    "eat": 15,
}
ACTIONS = tuple(DEFAULT_LIMITS)
EQUIP_DESTINATIONS = ("hand", "off-hand", "head", "torso", "legs", "feet")  # mineflayer's bot.equip
# Where to look for an ore (feet y): its most common height, kept a little above the bedrock noise.
# The one table for both the knowledge planner (gitm/executor.py) and explore's staircase descent.
ORE_Y = {"raw_iron": 14, "iron_ore": 14, "diamond": -58, "diamond_ore": -58, "coal": 40, "raw_gold": -16,
         "redstone": -58, "lapis_lazuli": 0, "emerald": 100, "raw_copper": 48}


class ActionArgError(ValueError):
    """An action's arguments do not make sense (unknown item, nothing to mine, no recipe)."""


@dataclass
class ActionResult:
    """What one action did. `reason` is for a planner to act on when ok is False."""

    action: str
    ok: bool
    reason: str = ""
    delta: dict[str, int] = field(default_factory=dict)  # inventory change
    inventory: dict[str, int] = field(default_factory=dict)  # after the action
    pos: tuple[float, float, float] | None = None
    y: int | None = None
    biome: str | None = None
    age: int | None = None  # world age (ticks) at the end
    ticks: int = 0  # game ticks the action took
    wall_s: float = 0.0
    died: int = 0
    details: dict[str, Any] = field(default_factory=dict)  # action-specific extras (missing, needTool, found...)

    @classmethod
    def from_js(cls, action: str, raw: dict[str, Any]) -> ActionResult:
        known = {"action", "ok", "reason", "delta", "inventory", "pos", "y", "biome", "age", "ticks", "wallMs", "died"}
        pos = raw.get("pos")
        return cls(
            action=action,
            ok=bool(raw.get("ok")),
            reason=str(raw.get("reason") or ""),
            delta={k: int(v) for k, v in (raw.get("delta") or {}).items()},
            inventory={k: int(v) for k, v in (raw.get("inventory") or {}).items()},
            pos=(pos["x"], pos["y"], pos["z"]) if pos else None,
            y=raw.get("y"),
            biome=raw.get("biome"),
            age=raw.get("age"),
            ticks=int(raw.get("ticks") or 0),
            wall_s=float(raw.get("wallMs") or 0) / 1000,
            died=int(raw.get("died") or 0),
            details={k: v for k, v in raw.items() if k not in known},
        )

    @classmethod
    def failure(cls, action: str, reason: str, **details: Any) -> ActionResult:
        return cls(action=action, ok=False, reason=reason, details=details)

    def summary(self) -> str:
        gained = ", ".join(f"{'+' if v > 0 else ''}{v} {k}" for k, v in sorted(self.delta.items()))
        status = "ok" if self.ok else f"FAILED: {self.reason}"
        return f"{self.action}: {status} [{gained or 'no change'}] y={self.y} {self.ticks} ticks {self.wall_s:.1f} s"

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action, "ok": self.ok, "reason": self.reason, "delta": self.delta, "y": self.y,
            "pos": self.pos, "biome": self.biome, "age": self.age, "ticks": self.ticks, "wall_s": round(self.wall_s, 2),
            "died": self.died, **({"details": self.details} if self.details else {}),
        }


@dataclass
class Observation:
    inventory: dict[str, int]
    held: str | None
    pos: tuple[float, float, float]
    y: int
    biome: str | None
    time_of_day: int
    age: int
    health: float
    food: int
    blocks: dict[str, dict[str, Any]]  # name -> {count, nearest, at}
    entities: dict[str, float]  # name -> nearest distance
    deaths: int = 0

    @classmethod
    def from_js(cls, raw: dict[str, Any]) -> Observation:
        p = raw.get("pos") or {"x": 0, "y": 0, "z": 0}
        return cls(
            inventory={k: int(v) for k, v in (raw.get("inventory") or {}).items()},
            held=raw.get("held"),
            pos=(p["x"], p["y"], p["z"]),
            y=int(raw.get("y") or 0),
            biome=raw.get("biome"),
            time_of_day=int(raw.get("timeOfDay") or 0),
            age=int(raw.get("age") or 0),
            health=float(raw.get("health") or 0),
            food=int(raw.get("food") or 0),
            blocks=raw.get("blocks") or {},
            entities=raw.get("entities") or {},
            deaths=int(raw.get("deaths") or 0),
        )

    def to_prompt(self, max_blocks: int = 12) -> str:
        """A compact text for an LLM prompt."""
        inv = ", ".join(f"{v} {k}" for k, v in sorted(self.inventory.items())) or "nothing"
        near = sorted(self.blocks.items(), key=lambda kv: kv[1].get("nearest", 1e9))[:max_blocks]
        blocks = ", ".join(f"{k} x{v['count']} ({v['nearest']:.0f} m)" for k, v in near) or "none"
        ents = ", ".join(f"{k} ({d:.0f} m)" for k, d in sorted(self.entities.items(), key=lambda kv: kv[1])[:6])
        x, y, z = self.pos
        return (
            f"position: ({x:.0f}, {y:.0f}, {z:.0f}), biome: {self.biome}, time: {self.time_of_day}\n"
            f"health: {self.health:.0f}/20, food: {self.food}/20, holding: {self.held or 'nothing'}\n"
            f"inventory: {inv}\n"
            f"nearby blocks: {blocks}\n" + (f"nearby entities: {ents}\n" if ents else "")
        )


# -- validation ---------------------------------------------------------------------------------------

def _canon(kb: KnowledgeBase, name: str, what: str = "item") -> str:
    if not isinstance(name, str) or not name.strip():
        raise ActionArgError(f"{what} name missing")
    try:
        return kb.canonical(name.removeprefix("minecraft:"))
    except UnknownItemError as e:
        raise ActionArgError(str(e)) from None


def _count(n: Any) -> int:
    try:
        c = int(n)
    except (TypeError, ValueError):
        raise ActionArgError(f"count must be a whole number, not {n!r}") from None
    if c < 1 or c > 2304:
        raise ActionArgError(f"count must be between 1 and 2304, not {c}")
    return c


def has_tool(inventory: dict[str, int], tool: str | None) -> bool:
    """Whether the inventory holds `tool` or a better tier of the same kind."""
    if not tool:
        return True
    if inventory.get(tool, 0) > 0:
        return True
    tier, _, kind = tool.partition("_")
    if tier not in TOOL_TIERS:
        return False
    return any(inventory.get(f"{t}_{kind}", 0) > 0 for t in TOOL_TIERS[TOOL_TIERS.index(tier):])


def mine_targets(kb: KnowledgeBase, obj: str) -> tuple[list[str], list[str], str | None]:
    """(blocks to break, items that count, cheapest tool) for mining `obj` (an item or a block name)."""
    if obj.endswith("_log") or obj in ("logs", "log"):
        return list(LOG_BLOCKS), list(LOG_BLOCKS), None
    sources = kb.mined_from(obj)
    sheared = kb.sheared_from(obj)
    if sheared and not sources:
        # only shears drop it (oak_leaves, cobweb, short_grass): any other tool drops something else
        return sorted({b.name for b, _ in sheared}), [obj], "shears"
    if sources:
        blocks = sorted({b.name for b, _ in sources})
        tools = [b.min_tool for b, _ in sources]
        tool = None if any(t is None for t in tools) else min(tools, key=lambda t: TOOL_TIERS.index(t.split("_")[0]))
        return blocks, [obj], tool
    block = kb.how_to_mine(obj)
    if block is not None and block.diggable:
        items = [d.item for d in block.drops] or [obj]
        return [obj], items, block.min_tool
    raise ActionArgError(f"nothing in the Overworld can be mined for {obj}")


def ore_y(kb: KnowledgeBase, obj: str, blocks: list[str]) -> int | None:
    """The height to look for `obj` at: its own entry in ORE_Y, else that of a block's drop (coal_ore -> coal)."""
    for name in (obj, *blocks, *(d for b in blocks for d in kb.drops(b))):
        if name in ORE_Y:
            return ORE_Y[name]
    return None


def validate(kb: KnowledgeBase, action: str, args: dict[str, Any], inventory: dict[str, int] | None = None
             ) -> dict[str, Any]:
    """Checked and resolved arguments for the JS skill, or ActionArgError with a reason."""
    if action not in ACTIONS:
        raise ActionArgError(f"unknown action '{action}'; actions: {', '.join(ACTIONS)}")
    a = dict(args)
    inv = inventory
    if action == "observe":
        return {"radius": int(a.get("radius", 32))}
    if action == "mine":
        obj = a["object"] if a.get("object") in ("log", "logs") else _canon(kb, a.get("object", ""))
        blocks, items, need = mine_targets(kb, obj)
        tool = _canon(kb, a["tool"]) if a.get("tool") else None
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
        return {"blocks": blocks, "items": items, "count": _count(a.get("count", 1)), "tool": tool,
                "radius": int(a.get("radius", 32)), "object": obj}
    if action in ("equip", "place", "eat"):
        key = "food" if action == "eat" else "object"
        obj = _canon(kb, a.get(key, ""))
        if action == "place" and kb.how_to_mine(obj) is None:
            raise ActionArgError(f"{obj} is not a block that can be placed")
        if inv is not None and inv.get(obj, 0) == 0:
            raise ActionArgError(f"no {obj} in inventory")
        out = {key: obj}
        if action == "equip":
            dest = a.get("destination") or "hand"
            if dest not in EQUIP_DESTINATIONS:
                raise ActionArgError(f"destination must be one of {', '.join(EQUIP_DESTINATIONS)}, not {dest!r}")
            out["destination"] = dest
        return out
    if action == "craft":
        obj = _canon(kb, a.get("object", ""))
        recipes = kb.recipes_for(obj)
        if not recipes:
            raise ActionArgError(f"{obj} has no crafting recipe")
        station = a.get("station")
        if station is not None:
            station = "none" if station == "none" else _canon(kb, station)
            if station == "furnace":
                raise ActionArgError(f"{obj} is crafted, not smelted: use smelt for what a furnace makes")
            if station not in ("crafting_table", "none"):
                raise ActionArgError(f"station must be crafting_table or none, not {station}")
            if station == "none" and all(r.table for r in recipes):
                raise ActionArgError(f"{obj} needs a crafting_table, not station none")
        materials = [_canon(kb, m) for m in a.get("materials") or ()]
        if materials:
            recipes = [r for r in recipes if all(any(m in i.items for i in r.ingredients) for m in materials)]
            if not recipes:
                raise ActionArgError(f"no recipe for {obj} uses {', '.join(materials)}")
        return {"object": obj, "count": _count(a.get("count", 1)), "materials": materials,
                "keepStation": bool(a.get("keep_station", False))}
    if action == "smelt":
        obj = _canon(kb, a.get("object", ""))
        ways = kb.smelting_for(obj)
        if not ways:
            raise ActionArgError(f"{obj} is not made by smelting")
        given = a.get("input") or a.get("material")
        inp = _canon(kb, given) if given else ways[0].input
        if inp not in {w.input for w in ways}:
            raise ActionArgError(f"{inp} does not smelt into {obj}")
        fuels = kb.fuels()
        fuel = _canon(kb, a["fuel"]) if a.get("fuel") else None
        if fuel and fuel not in fuels:
            raise ActionArgError(f"{fuel} is not a fuel")
        order = sorted(fuels.items(), key=lambda kv: (-(kv[1] % TICKS_PER_SMELT == 0), -kv[1]))
        # best first among what is plausible to hold: coal/charcoal, then logs, then planks, then the rest
        prefer = ["coal", "charcoal", *LOG_BLOCKS, *(p.replace("_log", "_planks") for p in LOG_BLOCKS), "stick"]
        ranked = [f for f in prefer if f in fuels] + [f for f, _ in order if f not in prefer and "bucket" not in f]
        return {"object": obj, "input": inp, "count": _count(a.get("count", 1)), "fuel": fuel,
                "fuels": [{"item": f, "smelts": fuels[f] / TICKS_PER_SMELT} for f in ranked],
                "keepStation": bool(a.get("keep_station", False))}
    if action == "approach":
        obj = a.get("object", "")
        if not isinstance(obj, str) or not obj:
            raise ActionArgError("approach needs an object (a block or an entity name)")
        obj = obj.removeprefix("minecraft:")
        if obj not in kb.data.get("mobs", {}):
            obj = _canon(kb, obj, "block or entity")
            if kb.how_to_mine(obj) is None:
                raise ActionArgError(f"{obj} is neither a block nor an entity")
        return {"object": obj, "distance": float(a.get("distance", 2)), "radius": int(a.get("radius", 64))}
    if action == "explore":
        strategy = a.get("strategy", "surface")
        if strategy not in ("surface", "underground"):
            raise ActionArgError(f"strategy must be surface or underground, not {strategy!r}")
        obj = _canon(kb, a.get("object", "")) if a.get("object") not in ("log", "logs") else a["object"]
        try:
            blocks, _, _ = mine_targets(kb, obj)
        except ActionArgError:
            blocks = [obj]
        out = {"object": obj, "blocks": blocks, "strategy": strategy, "radius": int(a.get("radius", 32))}
        if strategy == "underground":
            y = a["y"] if a.get("y") is not None else ore_y(kb, obj, blocks)
            if y is not None:
                if not isinstance(y, int) or not -63 <= y <= 319:
                    raise ActionArgError(f"y must be a whole number within -63..319, not {y!r}")
                out["y"] = y  # the skill staircases down to it before branch-mining
        return out
    if action in ("dig_down", "go_up"):
        try:
            y = int(a.get("y"))
        except (TypeError, ValueError):
            raise ActionArgError(f"{action} needs a target y, not {a.get('y')!r}") from None
        if not -63 <= y <= 319:
            raise ActionArgError(f"y must be within -63..319, not {y}")
        out: dict[str, Any] = {"y": y}
        if action == "dig_down":
            out["tool"] = _canon(kb, a["tool"]) if a.get("tool") else None
            if a.get("until_item"):
                item = _canon(kb, a["until_item"])
                out["until"] = {"items": [item], "count": _count(a.get("until_count", 1))}
        return out
    if action == "attack":
        ent = a.get("entity", "")
        if not isinstance(ent, str) or not ent or ent not in kb.data.get("mobs", {}):
            raise ActionArgError(f"unknown entity {ent!r}")
        return {"entity": ent, "radius": int(a.get("radius", 32))}
    raise ActionArgError(f"unhandled action {action}")  # pragma: no cover
