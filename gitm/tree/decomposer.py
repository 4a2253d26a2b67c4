"""Goal -> sub-goal tree -> post-order execution list, with GITM's (object, count, material, tool, info).

decompose() works in three passes over the tech tree's cheapest ways:
1. choose: walk from the goal, picking one way per item (group alternatives: the member the inventory
   holds, else the default/cheapest) and record each item's dependencies;
2. count: visit items parents-first and turn demand into actions: subtract what the inventory holds,
   round up to whole recipe yields, multiply through materials, ask for one of each tool/station
   however often it is used (they are kept), and add fuel for all smelts together;
3. order: execution list = items sorted by height in the dependency DAG (every dependency strictly
   before its user), ties broken by the depth-first visit order.

Fuel: coal-like fuels the inventory holds (HELD_FUELS, longest burning first; one coal smelts 8 items),
then the tech tree's cheapest fuel per smelt, which is planks (1.5 smelts each): logs are gathered anyway
and coal ore may not be in reach.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from gitm.errors import GitmError
from gitm.tree.goals import resolve_goal
from gitm.tree.techtree import TechTree, Way, tech_tree
from knowledge.base import TICKS_PER_SMELT
from knowledge.facts import has_tool
from knowledge.version import MC_VERSION

# Held items burnt as fuel before making more; other burnable items (planks, tools) are kept for their use.
HELD_FUELS = ("coal_block", "coal", "charcoal", "blaze_rod", "dried_kelp_block", "lava_bucket")


class UnobtainableError(GitmError):
    def __init__(self, item: str, kind: str, reason: str, via: str | None):
        self.item, self.kind, self.reason, self.via = item, kind, reason, via
        chain = f" (it needs {via})" if via else ""
        super().__init__(f"'{item}' cannot be obtained{chain}: {reason}")


@dataclass(frozen=True)
class SubGoal:
    """One node of the plan; GITM's (object, count, material, tool, info) plus the action to take."""

    object: str
    count: int  # how many the actions produce (whole recipe yields; for chance drops, the need)
    material: dict[str, int]  # consumed, totals for all `times` actions (fuel included)
    tool: str | None  # kept: a tool, crafting_table or furnace
    info: str
    action: str  # mine / craft / smelt / kill / use / collect
    times: int  # how many actions (crafts, smelts, blocks, kills; expected number for chance drops)
    needs: tuple[str, ...] = ()  # the sub-goals this one depends on (the tree's children)


@dataclass
class Plan:
    goal: str
    count: int
    steps: list[SubGoal]  # post-order: dependencies first
    inventory: dict[str, int] = field(default_factory=dict)

    def step(self, obj: str) -> SubGoal:
        return next(s for s in self.steps if s.object == obj)

    def tree(self) -> dict[str, Any]:
        """The sub-goal tree rooted at the goal; a shared node (crafting_table) appears under each user."""
        by_obj = {s.object: s for s in self.steps}

        def node(obj: str) -> dict[str, Any]:
            s = by_obj[obj]
            return {"object": obj, "count": s.count, "action": s.action,
                    "children": [node(c) for c in s.needs if c in by_obj]}

        return node(self.goal) if self.goal in by_obj else {"object": self.goal, "count": 0, "children": []}

    def to_json(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "count": self.count,
            "inventory": self.inventory,
            "steps": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(s).items()} for s in self.steps],
            "tree": self.tree(),
        }


@dataclass
class _Choice:
    way: Way | None  # None: taken from the inventory, nothing to do
    materials: list[tuple[tuple[str, ...], str, int]]  # (alternatives, chosen default, count per action)
    fuel: str | None = None


class _Planner:
    def __init__(self, tt: TechTree, inventory: dict[str, int]):
        self.tt = tt
        self.inventory = {k: v for k, v in inventory.items() if v > 0}
        self.choice: dict[str, _Choice] = {}
        self.visit_order: list[str] = []

    def pick(self, alts: tuple[str, ...]) -> str:
        """The member that makes up what the inventory lacks: cheapest, then one already held, then oak."""
        ranked = self.tt.ranked(alts)
        if not ranked:
            return alts[0]
        cheapest = [a for a in ranked if self.tt.cost[a] == self.tt.cost[ranked[0]]]
        return max(cheapest, key=lambda a: self.inventory.get(a, 0))  # max keeps the first on ties

    def deps(self, item: str) -> list[str]:
        c = self.choice[item]
        if c.way is None:
            return []
        mats = [chosen for _, chosen, _ in c.materials]
        station = [c.way.tool] if c.way.tool else []
        fuel = [c.fuel] if c.fuel else []
        # Crafting: place the table first; smelting: gather what to smelt, then build the furnace.
        return station + mats if c.way.action == "craft" else mats + station + fuel

    def choose(self, item: str, stack: tuple[str, ...] = ()) -> None:
        """Depth-first: one way per item, dependencies before the item in visit_order."""
        if item in self.choice:
            return
        if item in stack:  # cannot happen with cost-chosen ways; guard against bad data
            raise GitmError(f"recipe cycle through {' -> '.join(stack + (item,))}")
        way = self.tt.best_way(item)
        if way is None:
            if self.inventory.get(item, 0) > 0:
                self.choice[item] = _Choice(None, [])
                self.visit_order.append(item)
                return
            b = self.tt.why_not(item)
            kind, reason, via = (b.kind, b.reason, b.via) if b else ("no_source", "no known source", None)
            raise UnobtainableError(item, kind, reason, via)
        materials = [(alts, self.pick(alts), n) for alts, n in way.materials]
        self.choice[item] = _Choice(way, materials, self.tt.default_fuel if way.needs_fuel else None)
        for dep in self.deps(item):
            self.choose(dep, stack + (item,))
        self.visit_order.append(item)

    def count(self, goal: str, goal_count: int) -> dict[str, tuple[int, int, dict[str, int]]]:
        """item -> (times, produced, materials consumed); parents are settled before children."""
        heights = self.heights()
        demand: dict[str, int] = defaultdict(int)
        demand[goal] = goal_count
        tool_need: set[str] = set()
        available = dict(self.inventory)
        result: dict[str, tuple[int, int, dict[str, int]]] = {}
        # A user is always higher than what it needs, so highest first settles every demand in time.
        for item in sorted(self.visit_order, key=lambda i: -heights[i]):
            want = demand[item]
            if item in tool_need and want == 0 and not has_tool(self.inventory, item):
                want = 1  # one tool or station serves every use
            take = min(available.get(item, 0), want)
            available[item] = available.get(item, 0) - take
            need = want - take
            if need <= 0:
                continue
            c = self.choice[item]
            if (held := self.held_way(item, need, available)) is not None:
                c = self.choice[item] = held
            if c.way is None:
                b = self.tt.why_not(item)
                raise UnobtainableError(item, b.kind, b.reason, b.via) if b else GitmError(f"no way to get {item}")
            # Chance drops (apple from leaves): `times` is the expected number of blocks or kills.
            times = math.ceil(need / (c.way.yield_ * c.way.chance))
            used: dict[str, int] = defaultdict(int)
            for alts, chosen, n in c.materials:
                qty = times * n
                # Other members of a group that the inventory holds count first; the rest is the default.
                for alt in alts:
                    if alt != chosen and (got := min(available.get(alt, 0), qty)):
                        available[alt] -= got
                        used[alt] += got
                        qty -= got
                if qty:
                    demand[chosen] += qty
                    used[chosen] += qty
            if c.fuel:
                self.burn(times, c.fuel, available, demand, used)
            if c.way.tool:
                tool_need.add(c.way.tool)
            produced = need if c.way.chance < 1 else times * c.way.yield_
            result[item] = (times, produced, dict(used))
        return result

    def held_way(self, item: str, need: int, available: dict[str, int]) -> _Choice | None:
        """The cheapest way that makes all of `need` from what the inventory still holds, with a held tool and
        no fuel (iron_ingot from a held iron_block: one craft, not mining and smelting). It creates no demand,
        so it can never close a recipe cycle."""
        if not self.inventory:
            return None
        usable = []
        for w in self.tt.ways[item]:
            if not w.materials or w.needs_fuel or w.chance < 1 or (w.tool and not has_tool(self.inventory, w.tool)):
                continue
            times = math.ceil(need / w.yield_)
            left = dict(available)
            for alts, n in w.materials:
                qty = times * n
                for alt in alts:
                    got = min(left.get(alt, 0), qty)
                    left[alt] = left.get(alt, 0) - got
                    qty -= got
                if qty:
                    break
            else:
                usable.append(w)
        if not usable:
            return None
        way = min(usable, key=self.tt.way_cost)
        # The held member of each slot is the one to use; the count pass takes held alternatives first anyway.
        materials = [(alts, max(alts, key=lambda a: available.get(a, 0)), n) for alts, n in way.materials]
        return _Choice(way, materials)

    def burn(self, smelts: float, default: str, available: dict[str, int], demand: dict[str, int],
             used: dict[str, int]) -> None:
        """Fuel for `smelts` smelts: held coal-like fuels first (longest burning first), then the default."""
        for fuel in sorted(HELD_FUELS, key=lambda f: -self.tt.fuels[f]):
            per_item = self.tt.fuels[fuel] / TICKS_PER_SMELT
            if smelts > 0 and (got := min(available.get(fuel, 0), math.ceil(smelts / per_item))):
                available[fuel] -= got
                used[fuel] += got
                smelts -= got * per_item
        if smelts > 0:
            n = math.ceil(smelts * TICKS_PER_SMELT / self.tt.fuels[default])
            demand[default] += n
            used[default] += n

    def heights(self) -> dict[str, int]:
        h: dict[str, int] = {}
        for item in self.visit_order:  # post-order: dependencies already have a height
            # A held way's materials come from the inventory and may have no height of their own.
            h[item] = 1 + max((h[d] for d in self.deps(item) if d in h), default=-1)
        return h


def decompose(
    goal: str, count: int = 1, inventory: dict[str, int] | None = None, version: str = MC_VERSION
) -> Plan:
    """Plan how to obtain `count` of `goal` (an item name or a GITM goal such as ObtainDiamond)."""
    if count < 1:
        raise GitmError(f"count must be at least 1, not {count}")
    tt = tech_tree(version)
    item = resolve_goal(goal, tt.kb)
    inv = {tt.kb.canonical(k): v for k, v in (inventory or {}).items()}
    planner = _Planner(tt, inv)
    planner.choose(item)
    counted = planner.count(item, count)
    heights = planner.heights()
    order = sorted(counted, key=lambda i: (heights[i], planner.visit_order.index(i)))
    steps = []
    for obj in order:
        times, produced, used = counted[obj]
        c = planner.choice[obj]
        w = c.way
        assert w is not None
        info = w.info + (f" with {c.fuel} as fuel" if c.fuel else "")
        needs = tuple(d for d in planner.deps(obj) if d in counted)
        steps.append(SubGoal(obj, produced, used, w.tool, info, w.action, times, needs))
    return Plan(item, count, steps, inv)
