"""The tech tree: an AND-OR graph (networkx) of every way to obtain every item, and costs over it.

Nodes and edges of `TechTree.graph`:
- an item (its name) is an OR node: any one of its ways gives it; its in-edges come from its ways;
- a way (`Way`: a recipe, smelt, block to mine, mob to kill, crop to farm, special use) is an AND node: it needs
  every in-edge, one per material slot (attribute `count`), one from its tool or station (`tool`) and one from FUEL
  for a smelt; its one out-edge goes to the item it yields;
- a slot that takes any member of a tag (#planks, #coals) is an OR node `AnyOf(items)` between the members and
  the way;
- FUEL is the OR node over every fuel, each weighted by its burn time.

Costs (`View`) are a least fixpoint over that graph: a way costs its effort plus its inputs, an OR node its cheapest
input. They are relaxed along out-edges from wherever a cost drops, so recipe cycles such as iron_block <->
iron_ingot never loop: going round a cycle always costs more than entering it. A view is the tree seen from one
inventory: what it holds is free, and `craft_only` keeps recipes and smelts only (no gathering).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import networkx as nx

from knowledge.base import TICKS_PER_SMELT, Block, Crop, Drop, KnowledgeBase, Recipe
from knowledge.facts import HUNT_UNDERGROUND_TOOL
from knowledge.version import MC_VERSION

KILL_EFFORT = 3.0
# A block found only in generated structures (cobweb) takes finding one first: worse than a kill.
STRUCTURE_EFFORT = 10.0
# A crop takes tens of thousands of ticks to ripen (Crop.ripen_ticks) where an action takes a few hundred: farming is
# the dearest way, taken when nothing else gives the item.
FARM_EFFORT = 20.0
INF = math.inf
FUEL = "#fuel"  # item names never start with '#'
CRAFTING = ("craft", "smelt")
# Coal-like fuels: burnt first when held (one coal smelts 8 items); with the planks, the fuels worth making to burn
# (a boat or a bookshelf is made for its use).
HELD_FUELS = ("coal_block", "coal", "charcoal", "blaze_rod", "dried_kelp_block", "lava_bucket")
EPS = 1e-9


@dataclass(frozen=True)
class Way:
    """One way to obtain an item. materials: alternatives per slot, consumed per action."""

    item: str
    action: str  # mine / craft / smelt / kill / farm / use / collect
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
class AnyOf:
    """The OR node of a slot that takes any of several items."""

    items: tuple[str, ...]


def slot_node(alts: tuple[str, ...]) -> str | AnyOf:
    return alts[0] if len(alts) == 1 else AnyOf(alts)


@dataclass(frozen=True)
class Blocked:
    """Why an item cannot be obtained: its own reason, or the first blocked item it depends on."""

    item: str
    kind: str  # creative / nether / end / mob_drop / loot / no_source
    reason: str
    via: str | None = None


@dataclass
class View:
    """Costs over the graph for one inventory. `free`: held items (and tools a better held tool stands for);
    `craft_only`: recipes and smelts only; `fuel_free`: a lit furnace is assumed, smelts need no fuel."""

    tt: TechTree
    free: frozenset[str]
    craft_only: bool
    fuel_free: bool
    cost: dict[object, float] = field(default_factory=dict)
    _best: dict[str, Way | None] = field(default_factory=dict)
    _ranked: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    _fuel: dict[tuple, str | None] = field(default_factory=dict)

    def allowed(self, w: Way) -> bool:
        return not self.craft_only or w.action in CRAFTING

    def way_cost(self, w: Way) -> float:
        cost = self.cost
        c = w.base_cost
        for alts, n in w.materials:
            c += n * cost[slot_node(alts)]
        c /= w.yield_
        if w.tool:
            c += cost[w.tool]
        if w.needs_fuel and not self.fuel_free:
            c += cost[FUEL] / w.yield_
        return c

    def relax(self, dropped: Iterable[object]) -> None:
        """Push cost drops along out-edges until nothing drops any more (label-correcting)."""
        g, cost, fuels = self.tt.graph, self.cost, self.tt.fuels
        queue = deque(dropped)
        queued = set(queue)
        while queue:
            node = queue.popleft()
            queued.discard(node)
            for succ in g.successors(node):
                if isinstance(succ, Way):
                    if not self.allowed(succ):
                        continue
                    target, new = succ.item, self.way_cost(succ)
                elif succ == FUEL:
                    target, new = succ, cost[node] * TICKS_PER_SMELT / fuels[node]
                else:  # AnyOf
                    target, new = succ, cost[node]
                if new < cost[target] - EPS:
                    cost[target] = new
                    if target not in queued:
                        queued.add(target)
                        queue.append(target)

    def obtainable(self, item: str) -> bool:
        return self.cost.get(item, INF) < INF

    def best_way(self, item: str, avoid: Iterable[str] = ()) -> Way | None:
        """The cheapest allowed way (the preferred source on ties, then the listed order); none that needs an
        item of `avoid` (the items being planned above it: a way through them would close a cycle)."""
        if not avoid and item in self._best:
            return self._best[item]
        avoid = set(avoid)
        ways = []
        for i, w in enumerate(self.tt.ways_of(item)):
            if not self.allowed(w) or (c := self.way_cost(w)) == INF:
                continue
            if avoid and (w.tool in avoid or any(set(alts) <= avoid for alts, _ in w.materials)):
                continue
            ways.append((c, self.tt.kb.preference(w.source)[:2], i, w))
        best = min(ways, key=lambda x: x[:3])[3] if ways else None
        if not avoid:
            self._best[item] = best
        return best

    def ways(self, item: str, avoid: set[str]) -> list[Way]:
        """The item's allowed ways the view can pay for, cheapest first, none through an item of `avoid`."""
        ways = [(c, i, w) for i, w in enumerate(self.tt.ways_of(item))
                if self.allowed(w) and (c := self.way_cost(w)) < INF and w.tool not in avoid
                and not any(set(alts) <= avoid for alts, _ in w.materials)]
        return [w for _, _, w in sorted(ways, key=lambda x: x[:2])]

    def partial_way(self, item: str, avoid: set[str]) -> Way | None:
        """For an item the view cannot make: the allowed way with the fewest inputs it cannot make, if it can make
        some material of it (iron_pickaxe from held sticks and missing ingots), to say what is missing one level
        down. A held station or fuel is no such clue: iron_ingot is missing, not 27 iron_nugget."""
        ways = []
        for i, w in enumerate(self.tt.ways_of(item)):
            if not self.allowed(w) or w.tool in avoid or any(set(alts) <= avoid for alts, _ in w.materials):
                continue
            slots = [self.cost[slot_node(alts)] for alts, _ in w.materials]
            if any(c < INF for c in slots):
                ways.append((slots.count(INF) + (w.tool is not None and self.cost[w.tool] == INF), i, w))
        return min(ways, key=lambda x: x[:2])[2] if ways else None

    def remainder_cost(self, item: str) -> float:
        """What one more costs beyond what is held: its cheapest way (a held item is free only up to its count)."""
        if item not in self.free:
            return self.cost.get(item, INF)
        return min((self.way_cost(w) for w in self.tt.ways_of(item) if self.allowed(w)), default=INF)

    def ranked(self, alts: tuple[str, ...]) -> list[str]:
        """Alternatives that can be made beyond what is held, cheapest first (the preferred member on ties)."""
        if alts not in self._ranked:
            # A member made from another member (birch_wood from birch_log) is never worth it: use that one as is.
            costs = {a: self.remainder_cost(a) for a in alts
                     if not ((w := self.best_way(a)) and any(set(m) & set(alts) for m, _ in w.materials))}
            self._ranked[alts] = sorted((a for a, c in costs.items() if c < INF),
                                        key=lambda a: (costs[a], self.tt.kb.preference(a)))
        return self._ranked[alts]

    def default_fuel(self, candidates: tuple[str, ...] | None = None,
                     spent: frozenset[str] = frozenset()) -> str | None:
        """The fuel to make more of: of `candidates` (every fuel by default), the cheapest per smelt beyond what is
        held (the preferred one on ties), not one made from `spent` (held fuels that are burnt first: coal_block
        from the coal held)."""
        key = (candidates, spent)
        if key in self._fuel:
            return self._fuel[key]
        best: tuple[float, str | None] = (INF, None)
        for fuel in sorted(candidates or self.tt.fuels, key=self.tt.kb.preference):
            if spent and (w := self.best_way(fuel)) and any(set(alts) & spent for alts, _ in w.materials):
                continue
            c = self.remainder_cost(fuel) * TICKS_PER_SMELT / self.tt.fuels[fuel]
            if c < best[0]:
                best = (c, fuel)
        self._fuel[key] = best[1]
        return best[1]


@dataclass
class TechTree:
    kb: KnowledgeBase
    graph: nx.DiGraph = field(default_factory=nx.DiGraph)
    fuels: dict[str, int] = field(default_factory=dict)
    blocked: dict[str, Blocked] = field(default_factory=dict)
    tools: set[str] = field(default_factory=set)  # every tool and station some way needs
    planks: tuple[str, ...] = ()  # the planks that burn (Nether ones do not)
    plain_fuels: tuple[str, ...] = ()  # the fuels made to be burnt: planks and coal-like ones (see decomposer)
    base: View = field(init=False)  # the empty inventory's view, gathering allowed
    default_fuel: str | None = None

    def __post_init__(self) -> None:
        self.fuels = self.kb.fuels()
        self.planks = tuple(f for f in self.fuels if f.endswith("_planks"))
        self.plain_fuels = self.planks + HELD_FUELS
        self._build_graph()
        self.base = self._fresh_view(frozenset(), craft_only=False, fuel_free=False)
        self.default_fuel = self.base.default_fuel()
        self._explain_blocked()

    # -- the graph ------------------------------------------------------------------------------------

    def _build_graph(self) -> None:
        g = self.graph
        g.add_node(FUEL)
        for fuel in self.fuels:
            g.add_edge(fuel, FUEL)
        for item in self.kb.all_item_names():
            g.add_node(item)
            if self.kb.unobtainable(item):
                continue
            for w in self._ways_for(item):
                g.add_edge(w, item)
                for alts, n in w.materials:
                    node = slot_node(alts)
                    if isinstance(node, AnyOf) and node not in g:
                        g.add_edges_from((a, node) for a in alts)
                    g.add_edge(node, w, count=n)
                if w.tool:
                    g.add_edge(w.tool, w, tool=True)
                    self.tools.add(w.tool)
                if w.needs_fuel:
                    g.add_edge(FUEL, w, fuel=True)

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
            # Finding and killing a mob takes a few actions' worth of time; a monster by day is dug down to.
            tool = HUNT_UNDERGROUND_TOOL if kb.is_hostile(d.mob) else None
            yield Way(item, "kill", d.min, (), tool, source=d.mob, chance=d.chance, effort=KILL_EFFORT,
                      info=f"kill {d.mob} (drops {d.min}-{d.max} {item})" if d.max > d.min else f"kill {d.mob}")
        for crop in kb.grown_from(item):
            if crop.seed != item:  # a crop grown from its own produce (carrots) multiplies what is held: no way
                yield _farm_way(item, crop, kb.farmland()["hoe"])
        if (sp := kb.special(item)) is not None:
            materials = tuple(((name,), n) for name, n in sp.material.items())
            yield Way(item, sp.action, 1, materials, sp.tool, source=sp.info, info=sp.info)

    def ways_of(self, item: str) -> list[Way]:
        """The item's ways: its in-edges, in the order they were added."""
        return list(self.graph.predecessors(item)) if item in self.graph else []

    def items(self) -> list[str]:
        return self.kb.all_item_names()

    # -- costs ---------------------------------------------------------------------------------------

    def view(self, free: frozenset[str], craft_only: bool = False, fuel_free: bool = False) -> View:
        """Costs with `free` held. Gathering: from the base costs (holding things only makes them cheaper)."""
        if craft_only:
            return self._fresh_view(free, craft_only, fuel_free)
        v = View(self, free, craft_only, fuel_free, dict(self.base.cost))
        return self._settle(v, set())

    def _fresh_view(self, free: frozenset[str], craft_only: bool, fuel_free: bool) -> View:
        """Costs from nothing: the ways that need no input (breaking a block by hand, a kill) and the held items."""
        v = View(self, free, craft_only, fuel_free, dict.fromkeys(self.graph, INF))
        dropped = set()
        for w in self.graph:
            if isinstance(w, Way) and v.allowed(w) and self.graph.in_degree(w) == 0:
                v.cost[w.item] = min(v.cost[w.item], v.way_cost(w))
                dropped.add(w.item)
        return self._settle(v, dropped)

    @staticmethod
    def _settle(v: View, dropped: set[object]) -> View:
        for item in v.free:
            if v.cost.get(item, 0) > 0:
                v.cost[item] = 0.0
                dropped.add(item)
        v.relax(dropped)
        return v

    @property
    def cost(self) -> dict[object, float]:
        return self.base.cost

    def way_cost(self, w: Way) -> float:
        return self.base.way_cost(w)

    def best_way(self, item: str) -> Way | None:
        """The cheapest way to obtain the item from nothing (the preferred source on ties), None if none."""
        return self.base.best_way(item)

    def obtainable(self, item: str) -> bool:
        return self.base.obtainable(item)

    # -- reasons -------------------------------------------------------------------------------------

    def _explain_blocked(self) -> None:
        items = self.items()
        for item in items:
            if (u := self.kb.unobtainable(item)) is not None:
                self.blocked[item] = Blocked(item, u.kind, u.reason)
        pending = [i for i in items if not self.obtainable(i) and i not in self.blocked]
        for item in pending:
            if not self.ways_of(item):
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
        for w in self.ways_of(item):
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
        effort=1 + hardness / 10 + (STRUCTURE_EFFORT if kb.in_structures_only(block.name) else 0),
        info=f"mine {block.name}{' with shears' if tool == 'shears' else ''}{grown}{where}{rare}",
    )


def _farm_way(item: str, crop: Crop, hoe: str) -> Way:
    """One seed planted per item wanted (a ripe crop gives one produce, and its seed back on average; a rare drop by
    its chance); the hoe tills the farmland (any better hoe does too: has_tool)."""
    gives = f"1 {crop.produce} and 0-{crop.bonus_tries} {crop.bonus}"
    return Way(item, "farm", 1, (((crop.seed,), 1),), hoe, source=crop.block, chance=crop.rare.get(item, 1.0),
               effort=FARM_EFFORT,
               info=f"till dirt or grass near water with a hoe, plant {crop.seed}, wait until the {crop.block} is ripe "
                    f"(age {crop.max_age}; bone meal speeds it) and harvest it ({gives} each)")


def tech_tree(version: str = MC_VERSION) -> TechTree:
    """The tree for a version, built once per process (tech_tree() and tech_tree("1.21.4") share it)."""
    return _tech_tree(version)


@cache
def _tech_tree(version: str) -> TechTree:
    return TechTree(KnowledgeBase.load(version))
