"""The tech tree: every way to obtain every item (a recipe, a smelt, a block to break, a mob to kill, a special
use), each with its materials, tool or station and fuel, and a cost per item.

Costs come from a fixpoint over all ways (cheapest way wins), so
recipe cycles such as iron_block <-> iron_ingot never loop: a cycle can never be cheaper than the
way that entered it, and the chosen ways form an acyclic tree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from knowledge.base import TICKS_PER_SMELT, Block, Drop, KnowledgeBase, Recipe
from knowledge.version import MC_VERSION

KILL_EFFORT = 3.0
INF = math.inf


@dataclass(frozen=True)
class Way:
    """One way to obtain an item. materials: alternatives per slot, consumed per action."""

    item: str
    action: str  # mine / craft / smelt / kill / use / collect
    yield_: int  # items per action
    materials: tuple[tuple[tuple[str, ...], int], ...] = ()
    tool: str | None = None  # tool or station needed and kept: stone_pickaxe, crafting_table, furnace
    needs_fuel: bool = False
    source: str = ""  # the block, mob or recipe description
    chance: float = 1.0  # of getting the drop per action
    effort: float = 1.0  # time of one action, in actions
    info: str = ""

    @property
    def base_cost(self) -> float:
        return self.effort / self.chance


@dataclass(frozen=True)
class Blocked:
    """Why an item cannot be obtained: its own reason, or the first blocked item it depends on."""

    item: str
    kind: str  # creative / nether / end / mob_drop / loot / no_source
    reason: str
    via: str | None = None


@dataclass
class TechTree:
    kb: KnowledgeBase
    ways: dict[str, list[Way]] = field(default_factory=dict)
    cost: dict[str, float] = field(default_factory=dict)
    blocked: dict[str, Blocked] = field(default_factory=dict)
    fuels: dict[str, int] = field(default_factory=dict)
    fuel_unit_cost: float = INF  # cost of the fuel for one smelt, with the cheapest fuel
    default_fuel: str | None = None
    _best: dict[str, Way | None] = field(default_factory=dict)
    _ranked: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fuels = self.kb.fuels()
        for item in self.kb.all_item_names():
            self.ways[item] = [] if self.kb.unobtainable(item) else list(self._ways_for(item))
        self._compute_costs()
        self.fuel_unit_cost, self.default_fuel = self.fuel_cost_per_smelt()
        self._best = {item: self._cheapest_way(item) for item in self.ways}
        self._explain_blocked()

    # -- ways ----------------------------------------------------------------------------------------

    def _ways_for(self, item: str):
        kb = self.kb
        for r in kb.recipes_for(item):
            yield _craft_way(r)
        for s in kb.smelting_for(item):
            yield Way(item, "smelt", s.count, (((s.input,), 1),), "furnace", True, s.input,
                      info=f"smelt {s.input} in a furnace")
        for block, drop in kb.mined_from(item):
            yield _mine_way(kb, item, block, drop, block.min_tool)
        for block, drop in kb.sheared_from(item):
            yield _mine_way(kb, item, block, drop, "shears")
        for d in kb.hunted_from(item):
            # Finding and killing a mob takes a few actions' worth of time.
            yield Way(item, "kill", d.min, (), None, source=d.mob, chance=d.chance, effort=KILL_EFFORT,
                      info=f"kill {d.mob} (drops {d.min}-{d.max} {item})" if d.max > d.min else f"kill {d.mob}")
        if (sp := kb.special(item)) is not None:
            materials = tuple(((name,), n) for name, n in sp.material.items())
            yield Way(item, sp.action, 1, materials, sp.tool, source=sp.info, info=sp.info)

    # -- costs ---------------------------------------------------------------------------------------

    def fuel_cost_per_smelt(self) -> tuple[float, str | None]:
        best = (INF, None)
        for fuel, ticks in sorted(self.fuels.items(), key=lambda f: self.kb.preference(f[0])):
            c = self.cost.get(fuel, INF) * TICKS_PER_SMELT / ticks
            if c < best[0]:
                best = (c, fuel)
        return best

    def way_cost(self, w: Way, fuel_cost: float | None = None) -> float:
        c = w.base_cost
        for alts, n in w.materials:
            c += n * min(self.cost.get(a, INF) for a in alts)
        c /= w.yield_
        if w.tool:
            c += self.cost.get(w.tool, INF)
        if w.needs_fuel:
            c += (self.fuel_unit_cost if fuel_cost is None else fuel_cost) / w.yield_
        return c

    def _compute_costs(self) -> None:
        """Bellman-Ford style relaxation: every way costs at least 1, so the fixpoint exists and is reached."""
        self.cost = dict.fromkeys(self.ways, INF)
        changed = True
        while changed:
            changed = False
            fuel_cost = self.fuel_cost_per_smelt()[0]
            for item, ways in self.ways.items():
                best = min((self.way_cost(w, fuel_cost) for w in ways), default=INF)
                if best < self.cost[item] - 1e-9:
                    self.cost[item] = best
                    changed = True

    def best_way(self, item: str) -> Way | None:
        """The cheapest way to obtain the item (the preferred source on ties), None if it cannot be obtained."""
        return self._best.get(item)

    def _cheapest_way(self, item: str) -> Way | None:
        # On a tie the preferred source wins (charcoal from oak_log, apples from oak_leaves), then the listed order.
        ways = [(self.way_cost(w), self.kb.preference(w.source)[:2], i, w) for i, w in enumerate(self.ways[item])]
        ways = [x for x in ways if x[0] < INF]
        return min(ways, key=lambda x: x[:3])[3] if ways else None

    def ranked(self, alts: tuple[str, ...]) -> list[str]:
        """Obtainable alternatives, cheapest first (the preferred member first on ties)."""
        if alts not in self._ranked:
            ok = [a for a in alts if self.obtainable(a)]
            self._ranked[alts] = sorted(ok, key=lambda a: (self.cost[a], self.kb.preference(a)))
        return self._ranked[alts]

    def obtainable(self, item: str) -> bool:
        return self.cost.get(item, INF) < INF

    # -- reasons -------------------------------------------------------------------------------------

    def _explain_blocked(self) -> None:
        for item in self.ways:
            if (u := self.kb.unobtainable(item)) is not None:
                self.blocked[item] = Blocked(item, u.kind, u.reason)
        pending = [i for i in self.ways if not self.obtainable(i) and i not in self.blocked]
        for item in pending:
            if not self.ways[item]:
                self.blocked[item] = self._root_reason(item)
        changed = True
        while changed:
            changed = False
            for item in pending:
                if item in self.blocked:
                    continue
                for dep in self._blocking_deps(item):
                    if dep in self.blocked:
                        root = self.blocked[dep]
                        self.blocked[item] = Blocked(item, root.kind, root.reason, via=dep)
                        changed = True
                        break
        for item in pending:
            if item not in self.blocked:
                self.blocked[item] = self._root_reason(item)

    def _root_reason(self, item: str) -> Blocked:
        """For an item with no usable way of its own."""
        if mobs := self.kb.dropped_by(item):
            return Blocked(item, "mob_drop", f"mob drop only: from {', '.join(mobs)}, which the agent does not hunt")
        if blocks := self.kb.silk_touch_from(item):
            return Blocked(item, "silk_touch", f"needs silk touch on {', '.join(blocks[:3])}")
        return Blocked(item, "no_source", "no known source: not crafted, smelted, mined or dropped")

    def _blocking_deps(self, item: str) -> list[str]:
        deps = []
        for w in self.ways[item]:
            for alts, _ in w.materials:
                if not any(self.obtainable(a) for a in alts):
                    deps.extend(alts)
            if w.tool and not self.obtainable(w.tool):
                deps.append(w.tool)
        return deps

    def why_not(self, item: str) -> Blocked | None:
        return None if self.obtainable(item) else self.blocked.get(item)


def _craft_way(r: Recipe) -> Way:
    return Way(
        r.result,
        "craft",
        r.count,
        tuple((i.items, i.count) for i in r.ingredients),
        "crafting_table" if r.table else None,
        source="crafting_table" if r.table else "inventory",
        info="craft at a crafting_table" if r.table else "craft in the inventory",
    )


def _mine_way(kb: KnowledgeBase, item: str, block: Block, drop: Drop, tool: str | None) -> Way:
    where = ""
    if (ore := kb.ore(block.name)) is not None:
        where = f" between y={ore.min_y} and y={ore.max_y} (most often near y={ore.best_y})"
    grown = " (fully grown)" if drop.grown else ""
    rare = f", {drop.chance:.1%} per block" if drop.chance < 1 else ""
    # Harder blocks take longer to break: a tenth of an action per hardness point breaks ties
    # such as stone (1.5) over cobblestone (2.0) and diamond_ore over deepslate_diamond_ore.
    hardness = max(block.hardness or 0.0, 0.0)
    return Way(
        item,
        "mine",
        drop.min,
        (),
        tool,
        source=block.name,
        chance=drop.chance,
        effort=1 + hardness / 10,
        info=f"mine {block.name}{' with shears' if tool == 'shears' else ''}{grown}{where}{rare}",
    )


def tech_tree(version: str = MC_VERSION) -> TechTree:
    """The tree for a version, built once per process (tech_tree() and tech_tree("1.21.4") share it)."""
    return _tech_tree(version)


@cache
def _tech_tree(version: str) -> TechTree:
    return TechTree(KnowledgeBase.load(version))
