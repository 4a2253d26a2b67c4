"""Goal -> sub-goal tree -> post-order execution list, with GITM's (object, count, material, tool, info).

decompose() walks the tech tree's AND-OR graph (gitm.tree.techtree) as seen from the inventory (a `View`: what
is held is free), in three passes:
1. choose: walk from the goal, picking one way per item node (its cheapest way in the view) and one member per
   slot (the cheapest beyond what is held), and record each item's dependencies;
2. count: visit items parents-first and turn demand into actions: subtract what the inventory holds,
   round up to whole recipe yields, multiply through materials, ask for one of each tool/station
   however often it is used (they are kept), and add fuel for all smelts together;
3. order: execution list = items sorted by height in the dependency DAG (every dependency strictly
   before its user), ties broken by the depth-first visit order.

Which view: when the goal can be made from the inventory alone, the craft-and-smelt view, whose costs count
actions, and a bounded search over the walk's choices (ways, tag members for all slots of a tag or for one slot,
fuels: _walks) give the plan with the fewest crafts and smelts; otherwise the full view, whose costs are gathering
effort. Where a walk runs short, the search also splits a slot between two made members (Spill). One way per item:
a plan never makes part of an item one way and the rest another (bench/inventory_tasks.py measures what that
costs: a brown carpet dyed beside three cut from brown wool).
A held item is free only up to its count: when a plan wants more of one than is held, the walk is repeated with
that item priced at what making it costs. Items the world cannot supply (quartz, blaze_rod) are usable only from
the inventory; a plan short of them raises MissingItemsError, a goal that needs something the Overworld cannot
supply at all raises UnobtainableError.

Fuel: coal-like fuels the inventory holds (HELD_FUELS, longest burning first, none another step needs; one coal
smelts 8 items), then the view's cheapest fuel to make per smelt, which from nothing is planks (1.5 smelts each):
logs are gathered anyway and coal ore may not be in reach. The crafting-only search also tries any held fuel, and
a fuel smelted from what is held may burn some of itself (a held coal starts the furnace and is made again).
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from gitm.errors import GitmError
from gitm.tree.goals import resolve_goal
from gitm.tree.techtree import FUEL, HELD_FUELS, TechTree, View, Way, tech_tree
from knowledge.base import TICKS_PER_SMELT
from knowledge.facts import has_tool
from knowledge.version import MC_VERSION

# The crafting-only search: how many of the cheapest walk's choices it changes at once, and how many walks in all.
SEARCH_DEPTH, SEARCH_WALKS = 3, 48


class UnobtainableError(GitmError):
    """The goal needs something the Overworld cannot supply and the inventory does not hold."""

    def __init__(self, item: str, kind: str, reason: str, via: str | None):
        self.item, self.kind, self.reason, self.via = item, kind, reason, via
        chain = f" (it needs {via})" if via else ""
        super().__init__(f"'{item}' cannot be obtained{chain}: {reason}")


class MissingItemsError(GitmError):
    """The goal cannot be made from this inventory: without gathering, or because only the inventory can supply
    some of its materials. `missing`: what the best attempt lacked, item -> count."""

    def __init__(self, item: str, count: int, missing: dict[str, int], gather: bool):
        self.item, self.count, self.missing, self.gather = item, count, dict(missing), gather
        what = ", ".join(f"{n} {m}" for m, n in self.missing.items())
        how = "" if gather else " without gathering"
        super().__init__(f"cannot make {count} {item} from this inventory{how}: missing {what}")


@dataclass(frozen=True)
class SubGoal:
    """One node of the plan; GITM's (object, count, material, tool, info) plus the action to take."""

    object: str
    count: int  # how many the actions produce (whole recipe yields; for chance drops, the need)
    material: dict[str, int]  # consumed, totals for all `times` actions (fuel included)
    tool: str | None  # kept: a tool, crafting_table or furnace
    info: str
    action: str  # mine / craft / smelt / kill / farm / use / collect
    times: int  # how many actions (crafts, smelts, blocks, kills; expected number for chance drops)
    needs: tuple[str, ...] = ()  # the sub-goals this one depends on (the tree's children)

    @property
    def key(self) -> str:
        """"mine diamond": how failures are counted and plan memory files it."""
        return f"{self.action} {self.object}"


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


@dataclass(frozen=True)
class Spill:
    """A search choice for one slot: at most `cap` of `member` in all, the rest made as `rest` (a bookshelf's 6
    planks: the 5 spruce that the held spruce wood leaves over, and 1 bamboo)."""

    member: str
    cap: int
    rest: str


@dataclass
class _Choice:
    way: Way | None  # None: nothing makes it in this view (held only, or missing)
    materials: list[tuple[tuple[str, ...], str, int]]  # (alternatives, chosen default, count per action)
    fuel: str | None = None
    spills: dict[int, Spill] = field(default_factory=dict)  # slot index -> its split between two made members


class _Planner:
    def __init__(self, view: View, inventory: dict[str, int], forced: dict | None = None, explore: bool = False):
        self.view = view
        self.tt = view.tt
        self.inventory = inventory
        # The search's choices: item -> the way to take, slot alternatives -> the member to make for every slot
        # that takes them, (item, slot index) -> the member for that one slot.
        self.forced: dict[Any, Any] = forced or {}
        self.explore = explore  # record the other choices the walk could have made, in `options`
        self.options: dict[Any, list[Any]] = {}
        self.picked: dict[Any, str | None] = {}  # a slot key (or FUEL, item) -> the member the walk chose
        self.sharing: dict[tuple[str, ...], dict[tuple[str, int], list[str]]] = defaultdict(dict)  # alts -> slots
        self.spills: dict[tuple[str, int], Spill] = {}
        self.counted: dict[str, tuple[int, int, dict[str, int]]] = {}
        self.made: dict[str, int] = {}  # item -> how many its step had to make
        self.result: Plan | None = None
        self._below: dict[str, set[str]] = {}
        self.choice: dict[str, _Choice] = {}
        self.visit_order: list[str] = []
        self.shortage: dict[str, int] = defaultdict(int)
        self.overdrawn: set[str] = set()  # held items priced free that the plan wants more of than is held
        self.cut: dict[str, set[str]] = {}  # item -> the items above it its cheapest way went through

    def pick(self, alts: tuple[str, ...], avoid: set[str], slot: tuple[str, int]) -> str:
        """The member that makes up what the inventory lacks: cheapest to make, then one already held, then the
        preferred one; with none to make, the one held most. The search chooses for all the slots that take the
        same alternatives at once and, where there are several, for each alone (a stick's planks of one wood, the
        crafting table's of another: neither held wood makes them all)."""
        ranked = [a for a in self.view.ranked(alts) if a not in avoid]
        if self.explore and len(ranked) > 1:
            self.options[alts] = ranked
            sharing = self.sharing[alts]
            sharing[slot] = ranked
            if len(sharing) > 1:
                self.options.update(sharing)
        forced = self.forced.get(slot, self.forced.get(alts))
        if isinstance(forced, Spill) and {forced.member, forced.rest} <= set(ranked):
            member = forced.member
            self.spills[slot] = forced
        elif forced in ranked:
            member = forced
        elif ranked:
            cost = self.view.remainder_cost
            cheapest = [a for a in ranked if cost(a) == cost(ranked[0])]
            member = self.picked[alts] = max(cheapest, key=lambda a: self.inventory.get(a, 0))  # first on ties
        else:
            return max((a for a in alts if a not in avoid), key=lambda a: self.inventory.get(a, 0), default=alts[0])
        self.picked[slot] = member
        return member

    def deps(self, item: str) -> list[str]:
        c = self.choice[item]
        if c.way is None:
            return []
        mats = [chosen for _, chosen, _ in c.materials] + [s.rest for s in c.spills.values()]
        station = [c.way.tool] if c.way.tool else []
        fuel = [c.fuel] if c.fuel and c.fuel != item else []  # burning its own product is no dependency
        # Crafting: place the table first; smelting: gather what to smelt, then build the furnace.
        return station + mats if c.way.action == "craft" else mats + station + fuel

    def choose(self, item: str, stack: tuple[str, ...] = ()) -> None:
        """Depth-first: one way per item, dependencies before the item in visit_order. A way through an item
        being planned above (iron_ingot <- iron_block <- iron_ingot, with a block held) is never taken."""
        if item in self.choice:
            return
        if stack and item in self.tt.tools and has_tool(self.inventory, item):
            self.choice[item] = _Choice(None, [])  # held: kept, never made, and no cycle runs through it
            self.visit_order.append(item)
            return
        avoid = {*stack, item}
        way = self.view.best_way(item)
        if self.explore:
            self.options[item] = self.view.ways(item, avoid)
        if (forced := self.forced.get(item)) in self.options.get(item, ()):
            way = forced
        if way is not None and (way.tool in avoid or any(set(alts) <= avoid for alts, _ in way.materials)):
            self.cut[item] = {n for alts, _ in way.materials for n in alts if n in avoid} | ({way.tool} & avoid)
            way = self.view.best_way(item, avoid)
        if way is None and self.view.craft_only and not self.inventory.get(item):
            way = self.view.partial_way(item, avoid)
        if way is None:
            self.choice[item] = _Choice(None, [])
            self.visit_order.append(item)
            return
        materials = [(alts, self.pick(alts, avoid, (item, i)), n) for i, (alts, n) in enumerate(way.materials)]
        fuel = self.fuel(item, avoid) if way.needs_fuel and not self.view.fuel_free else None
        spills = {i: s for i in range(len(materials)) if (s := self.spills.get((item, i)))}
        self.choice[item] = _Choice(way, materials, fuel, spills)
        for dep in self.deps(item):
            self.choose(dep, stack + (item,))
        self.visit_order.append(item)

    def fuel(self, item: str, avoid: set[str]) -> str | None:
        """The fuel to make more of (planks or a coal-like fuel: a boat or a bookshelf is not made to be burnt);
        else the held one that burns longest, the item itself last when it is a held fuel (coal smelted from ore: a
        held one starts the furnace and is made again, see count); else the tree's default (which the plan will
        lack). The search may burn any held fuel instead (a held log rather than planks made from it), but no tool
        or station."""
        spent = frozenset(f for f in HELD_FUELS if self.inventory.get(f, 0) > 0)
        # Gathering, planks: logs are gathered anyway, and a coal block is not worth nine coal for a few smelts.
        made = self.view.default_fuel(self.tt.plain_fuels if self.view.craft_only else self.tt.planks, spent)
        fuels = self.tt.fuels
        held = sorted((f for f, n in self.inventory.items() if n > 0 and f in fuels and f not in avoid | self.tt.tools),
                      key=lambda f: -fuels[f])
        if self.inventory.get(item, 0) > 0 and fuels.get(item, 0) > TICKS_PER_SMELT:  # it smelts more than itself
            held.append(item)
        key = (FUEL, item)  # the search's choice of the fuel for this item's smelts
        if self.explore and held:
            self.options[key] = [*([made] if made is not None and made not in avoid else []), *held]
        if self.forced.get(key) in self.options.get(key, ()):
            return self.forced[key]
        if made is not None and made not in avoid:
            self.picked[key] = made
            return made
        self.picked[key] = held[0] if held else self.tt.default_fuel
        return self.picked[key]

    def count(self, goal: str, goal_count: int) -> dict[str, tuple[int, int, dict[str, int]]]:
        """item -> (times, produced, materials consumed); parents are settled before children. What nothing in the
        view makes goes to self.shortage."""
        heights = self.heights()
        demand: dict[str, int] = defaultdict(int)
        demand[goal] = goal_count
        tool_need: set[str] = set()
        available = dict(self.inventory)
        reserved = {chosen for c in self.choice.values() for _, chosen, _ in c.materials} if self.inventory else set()
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
            if item in self.view.free:
                self.overdrawn.add(item)
            if c.way is None:
                self.shortage[item] += need
                continue
            # Chance drops (apple from leaves): `times` is the expected number of blocks or kills.
            times = math.ceil(need / (c.way.yield_ * c.way.chance))
            used: dict[str, int] = defaultdict(int)
            if c.fuel == item:  # burns some of what it makes: the held ones its users take are made again
                per_item = self.tt.fuels[item] / TICKS_PER_SMELT
                while used[item] != (burnt := math.ceil(times / per_item)):
                    used[item] = burnt
                    times = math.ceil((need + burnt) / c.way.yield_)
            for i, (alts, chosen, n) in enumerate(c.materials):
                qty = times * n
                # The chosen member as far as it is held, then what other held members can spare (not what a step
                # above asks for, nor one that another step uses as its own: the cherry planks of a cherry boat);
                # the rest is made as the chosen one.
                others = [a for a in alts if a != chosen and available.get(a, 0) > 0] if self.inventory else []
                if others:  # what the chosen member is made from is no other step's own
                    others = [a for a in others if a not in reserved or a in self.below(chosen)]
                for alt in (chosen, *others):
                    spare = available.get(alt, 0) - (demand[alt] if alt != chosen else 0)
                    if (got := min(spare, qty)) > 0:
                        available[alt] -= got
                        used[alt] += got
                        qty -= got
                if (spill := c.spills.get(i)) and (rest := qty - max(0, min(qty, spill.cap - used.get(chosen, 0)))):
                    demand[spill.rest] += rest
                    used[spill.rest] += rest
                    qty -= rest
                if qty:
                    demand[chosen] += qty
                    used[chosen] += qty
            if c.fuel and c.fuel != item:
                self.burn(times, c.fuel, available, demand, used, reserved)
            if c.way.tool:
                tool_need.add(c.way.tool)
            produced = need if c.way.chance < 1 else times * c.way.yield_
            result[item] = (times, produced, dict(used))
            self.made[item] = need
        self.counted = result
        return result

    def spill_options(self) -> dict[tuple[str, int], list[Spill]]:
        """Where the walk runs short of what a material is made from (9 spruce planks wanted, 8 from the spruce wood
        held), the slots of another tag member that could take the difference (a bookshelf's planks)."""
        out: dict[tuple[str, int], list[Spill]] = {}
        for m, (times, _, _) in self.counted.items():
            w = self.choice[m].way
            assert w is not None
            lost = max((math.ceil(self.shortage[x] / n) for _, x, n in self.choice[m].materials if x in self.shortage),
                       default=0)
            if not lost or (over := self.made[m] - (times - lost) * w.yield_) <= 0:
                continue
            for user, (_, _, used) in self.counted.items():
                for i, (alts, chosen, _) in enumerate(self.choice[user].materials):
                    if chosen == m and len(alts) > 1:
                        cap = max(0, used.get(m, 0) - over)
                        out[(user, i)] = [Spill(m, cap, a) for a in self.view.ranked(alts) if a != m]
        return out

    def below(self, item: str) -> set[str]:
        """The item and everything its chosen ways need, down to the leaves."""
        if item not in self._below:
            out, todo = set(), [item]
            while todo:
                if (x := todo.pop()) not in out:
                    out.add(x)
                    todo += self.deps(x) if x in self.choice else []
            self._below[item] = out
        return self._below[item]

    def burn(self, smelts: float, default: str, available: dict[str, int], demand: dict[str, int],
             used: dict[str, int], reserved: set[str]) -> None:
        """Fuel for `smelts` smelts: held coal-like fuels first (longest burning first, a material of the plan
        last), then the default. What a step above already asks for (the blaze_rod of a copper bulb) is not
        burnt. Crafting only, with no fuel to make, any other held fuel the plan does not use goes in too (a slab
        and a carpet together smelt one item)."""
        fuels = self.tt.fuels
        order = sorted(HELD_FUELS, key=lambda f: (f in reserved, -fuels[f]))
        if self.view.craft_only and self.view.remainder_cost(default) == math.inf:
            order += sorted((f for f in available if f in fuels and f not in HELD_FUELS and f not in self.tt.tools
                             and f not in reserved and f != default), key=lambda f: -fuels[f])
        for fuel in order:
            per_item = fuels[fuel] / TICKS_PER_SMELT
            spare = available.get(fuel, 0) - demand.get(fuel, 0)
            if smelts > 0 and (got := min(spare, math.ceil(smelts / per_item))) > 0:
                available[fuel] -= got
                used[fuel] += got
                smelts -= got * per_item
        if smelts > 0:
            n = math.ceil(smelts * TICKS_PER_SMELT / fuels[default])
            demand[default] += n
            used[default] += n

    def heights(self) -> dict[str, int]:
        h: dict[str, int] = {}
        for item in self.visit_order:  # post-order: dependencies already have a height
            h[item] = 1 + max((h[d] for d in self.deps(item) if d in h), default=-1)
        return h

    def effort(self, plan: Plan) -> float:
        """What a plan costs to carry out: its actions, each weighted by its effort (a craft or a smelt is 1)."""
        return sum(s.times * self.choice[s.object].way.effort for s in plan.steps)

    def plan(self, goal: str, count: int) -> Plan:
        counted = self.count(goal, count)
        heights = self.heights()
        order = sorted(counted, key=lambda i: (heights[i], self.visit_order.index(i)))
        steps = []
        for obj in order:
            times, produced, used = counted[obj]
            c = self.choice[obj]
            w = c.way
            assert w is not None
            info = w.info + (f" with {c.fuel} as fuel" if c.fuel else "")
            needs = tuple(d for d in self.deps(obj) if d in counted)
            steps.append(SubGoal(obj, produced, used, w.tool, info, w.action, times, needs))
        return Plan(goal, count, steps, self.inventory)


def _walks(view: View, goal: str, count: int, inventory: dict[str, int], search: bool) -> Iterator[_Planner]:
    """The walk with the cheapest choices, then (search) walks with up to SEARCH_DEPTH of its choices changed, breadth
    first, at most SEARCH_WALKS in all: per-item costs cannot see that whole recipe yields make a dearer way need
    fewer crafts (a red carpet dyed from a white one), nor that a held item runs out (sticks from the bamboo held)."""

    def walk(forced: dict) -> _Planner:
        p = _Planner(view, inventory, forced, explore=search)
        p.choose(goal)
        p.result = p.plan(goal, count)
        if search and p.shortage:  # repairs first: they split a slot that ran short
            spills = p.spill_options()
            p.options = {**{k: [*v, *p.options.get(k, [])] for k, v in spills.items()},
                         **{k: v for k, v in p.options.items() if k not in spills}}
        return p

    first = walk({})
    yield first
    if not search:
        return
    queue = deque([({}, first)])
    seen = {frozenset()}
    walks = 1
    while queue:
        forced, p = queue.popleft()
        for key, options in p.options.items():
            current = p.choice[key].way if key in p.choice else p.picked.get(key)
            for option in options:
                changed = {**forced, key: option}
                if key in forced or option == current or (frozen := frozenset(changed.items())) in seen:
                    continue
                seen.add(frozen)
                q = walk(changed)
                yield q
                walks += 1
                if walks >= SEARCH_WALKS:
                    return
                if len(changed) < SEARCH_DEPTH:
                    queue.append((changed, q))


def _attempt(tt: TechTree, goal: str, count: int, inventory: dict[str, int], craft_only: bool,
             fuel_free: bool) -> tuple[Plan | None, dict[str, int], View]:
    """The plan in one kind of view, or None with what the first walk lacked and its view. Crafting only, the
    plan with the fewest crafts and smelts of a bounded search (_walks).

    A held item is free only up to its count: when a walk wants more of one than is held, it is walked again with
    that item priced at its making, and the cheaper complete plan wins. Held-only items (quartz) stay free: priced
    at their making they could not be had at all."""
    if not inventory and not craft_only:
        free: frozenset[str] = frozenset()
    else:
        free = frozenset(inventory) | {t for t in tt.tools if has_tool(inventory, t)}
    first: tuple[dict[str, int], View] | None = None
    best: Plan | None = None
    best_effort = math.inf
    while True:
        view = tt.base if not free and not craft_only and not fuel_free else tt.view(free, craft_only, fuel_free)
        walks = _walks(view, goal, count, inventory, craft_only)
        greedy = next(walks)
        for p in (greedy, *walks):
            if p.shortage:
                first = first or (dict(p.shortage), view)
            elif p.effort(p.result) < best_effort:
                best, best_effort = p.result, p.effort(p.result)
        over = set(greedy.overdrawn)
        over |= set(greedy.shortage).union(*(greedy.cut.get(x, set()) for x in greedy.shortage))
        retry = {x for x in over if x in free and (craft_only or tt.obtainable(x))}
        if not retry and best is None and not craft_only and any(tt.obtainable(x) for x in greedy.shortage):
            retry = {x for x in free if tt.obtainable(x)}  # last resort: price every held item at its making
        if not retry:
            return (best, {}, view) if best is not None else (None, *first)
        free = free - retry


def decompose(
    goal: str, count: int = 1, inventory: dict[str, int] | None = None, version: str = MC_VERSION,
    gather: bool = True, furnace: bool = False,
) -> Plan:
    """Plan how to obtain `count` of `goal` (an item name or a GITM goal such as ObtainDiamond) from `inventory`.

    gather=False: craft and smelt only; furnace=True: a furnace and its fuel are at hand. Raises MissingItemsError
    when the inventory cannot make it (without gathering, or for want of what only the inventory supplies) and
    UnobtainableError when it needs something the Overworld cannot supply."""
    if count < 1:
        raise GitmError(f"count must be at least 1, not {count}")
    tt = tech_tree(version)
    item = resolve_goal(goal, tt.kb)
    inv: dict[str, int] = {}
    for k, v in (inventory or {}).items():
        if v > 0:
            name = tt.kb.canonical(k)
            inv[name] = inv.get(name, 0) + v
    if furnace and not inv.get("furnace"):
        inv["furnace"] = 1
    if inv or not gather:
        # Made from the inventory alone: the fewest crafts and smelts.
        plan, missing, _ = _attempt(tt, item, count, inv, craft_only=True, fuel_free=furnace)
        if plan is not None:
            return plan
        if not gather:
            raise MissingItemsError(item, count, missing, gather=False)
    plan, missing, view = _attempt(tt, item, count, inv, craft_only=False, fuel_free=furnace)
    if plan is not None:
        return plan
    # In the gathering view only what the Overworld cannot supply can be short: held too few, or not held at all.
    for x in sorted(missing, key=lambda x: x != item):
        if not inv.get(x):
            root = _blocking_root(view, x)
            b = tt.blocked.get(root) or tt.why_not(root)
            kind, reason = (b.kind, b.reason) if b else ("no_source", "no known source")
            raise UnobtainableError(item, kind, reason, None if root == item else root)
    raise MissingItemsError(item, count, missing, gather=True)


def _blocking_root(view: View, item: str) -> str:
    """The first item down from `item` that nothing in the view can make: what the Overworld cannot supply."""
    seen = set()
    while item not in seen:
        seen.add(item)
        deps = []
        for w in view.tt.ways_of(item):
            deps += [a for alts, _ in w.materials if not any(view.obtainable(x) for x in alts) for a in alts[:1]]
            deps += [w.tool] if w.tool and not view.obtainable(w.tool) else []
        nxt = next((d for d in deps if d not in seen), None)
        if nxt is None:
            return item
        item = nxt
    return item
