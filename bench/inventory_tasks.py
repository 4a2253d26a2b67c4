"""Inventory tasks: does `gitm plan --no-gather` give the right verdict and the fewest crafts and smelts?

    python bench/inventory_tasks.py --tasks 2000 --seed 1   # writes bench/results/inventory_tasks.json

A task is a target and a starting inventory built backwards from it: k recipe or smelt applications expanded
from the target (a random way each, a random member of each tag), the stations they use, coal for the smelts,
then 0-3 distractor items; about a third lose some of a material, so that many cannot be made. Each task is
decided twice over the same recipes (the tech tree's craft and smelt ways):
- decompose(target, count, inventory, gather=False), whose plan is replayed against the inventory (every
  material and station present when its step runs) and counted in recipe applications (`times`);
- an exhaustive breadth-first search over inventories, one recipe application per step (burning fuel is free, as
  in the plan, and what is left burning serves only the next smelts of the same item, as in the plan), over the
  ways that can lead to the target and the ways that make planks or coal-like fuel.
Agreement: the same verdict, and for solvable tasks the same (minimal) number of applications.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import statistics
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path

from gitm.tree.decomposer import MissingItemsError, Plan, decompose
from gitm.tree.techtree import CRAFTING, HELD_FUELS, TechTree, Way, tech_tree
from knowledge.base import TICKS_PER_SMELT
from knowledge.facts import has_tool
from knowledge.version import MC_VERSION

RESULTS = Path(__file__).parent / "results"
MAX_STATES = 50_000  # a search that visits more is left undecided (reported, not counted)

# (sorted inventory, fuel ticks left in the furnace, the item it smelts): as in the plans, the fuel of one step's
# smelts is not counted on for another's (the furnace may go out in between).
State = tuple[tuple[tuple[str, int], ...], int, str | None]


def crafting_ways(tt: TechTree, item: str) -> list[Way]:
    return [w for w in tt.ways_of(item) if w.action in CRAFTING]


def make_task(rng: random.Random, tt: TechTree, targets: list[str], items: list[str]) -> dict:
    target = rng.choice(targets)
    count = rng.choice((1, 1, 1, 2, 4))
    k = rng.randint(1, 4)
    need: Counter[str] = Counter({target: count})
    kept: Counter[str] = Counter()
    frontier = [target]
    for _ in range(k):
        frontier = [i for i in frontier if crafting_ways(tt, i) and need[i] > 0]
        if not frontier:
            break
        item = frontier.pop(rng.randrange(len(frontier)))
        way = rng.choice(crafting_ways(tt, item))
        times = math.ceil(need.pop(item) / way.yield_)
        for alts, n in way.materials:
            member = rng.choice(alts)
            need[member] += times * n
            frontier.append(member)
        if way.tool:
            kept[way.tool] = 1
        if way.needs_fuel:
            kept["coal"] += math.ceil(times / 8)
    inventory = need + kept
    for name in rng.sample(items, rng.randint(0, 3)):
        if name != target:
            inventory[name] += rng.randint(1, 4)
    if rng.random() < 0.35:  # take some of one thing away: often no longer enough
        lose = rng.choice(sorted(inventory))
        inventory[lose] -= rng.randint(1, inventory[lose])
    inventory.pop(target, None)
    return {"target": target, "count": count, "k": k, "inventory": dict(sorted((+inventory).items()))}


def relevant_ways(tt: TechTree, target: str) -> list[Way]:
    """Every craft or smelt way from which the target can be reached, with those of its stations, and the ways
    that make planks or coal-like fuel (the fuels worth making)."""
    ways: list[Way] = []
    seen: set[str] = set()
    todo = [target, *(f for f in tt.fuels if f.endswith("_planks") or f in HELD_FUELS)]
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        for w in crafting_ways(tt, item):
            ways.append(w)
            todo += [a for alts, _ in w.materials for a in alts]
            todo += [w.tool] if w.tool else []
    return ways


def takes(held: dict[str, int], alts: tuple[str, ...], n: int) -> Iterator[dict[str, int]]:
    """Every way to take n items from the held members of a slot (members may be mixed)."""
    members = [a for a in alts if held.get(a, 0) > 0]

    def rec(i: int, left: int) -> Iterator[dict[str, int]]:
        if left == 0:
            yield {}
            return
        if i == len(members):
            return
        for k in range(min(left, held[members[i]]), -1, -1):
            for rest in rec(i + 1, left - k):
                yield {members[i]: k, **rest} if k else rest

    yield from rec(0, n)


def successors(tt: TechTree, ways: list[Way], state: State) -> Iterator[State]:
    """Inventories one recipe application away (fuel burnt on the way, just in time)."""
    inv, smelting = dict(state[0]), state[2]
    for w in ways:
        if w.tool and not has_tool(inv, w.tool):
            continue
        ticks = state[1] if w.needs_fuel and w.item == smelting else 0
        fuels = _burns(tt, inv, ticks) if w.needs_fuel else [({}, ticks)]
        for burnt, credit in fuels:
            after_fuel = dict(inv)
            for f, n in burnt.items():
                after_fuel[f] -= n
            for used in _materials(after_fuel, w.materials):
                new = dict(after_fuel)
                for m, n in used.items():
                    new[m] -= n
                new[w.item] = new.get(w.item, 0) + w.yield_
                left = credit - TICKS_PER_SMELT if w.needs_fuel else 0
                yield tuple(sorted((k, v) for k, v in new.items() if v > 0)), left, w.item if w.needs_fuel else None


def _burns(tt: TechTree, held: dict[str, int], ticks: int) -> list[tuple[dict[str, int], int]]:
    """Every set of held fuels burnt one by one until one smelt's time is reached (tools and stations are kept, as
    in the plans)."""
    if ticks >= TICKS_PER_SMELT:
        return [({}, ticks)]
    out = []
    for f, n in held.items():
        if n > 0 and f in tt.fuels and f not in tt.tools:
            for burnt, credit in _burns(tt, {**held, f: n - 1}, ticks + tt.fuels[f]):
                out.append(({f: burnt.get(f, 0) + 1, **{k: v for k, v in burnt.items() if k != f}}, credit))
    return out


def _materials(held: dict[str, int], slots) -> Iterator[dict[str, int]]:
    if not slots:
        yield {}
        return
    (alts, n), rest = slots[0], slots[1:]
    for first in takes(held, alts, n):
        left = {k: v - first.get(k, 0) for k, v in held.items()}
        for more in _materials(left, rest):
            total = dict(first)
            for k, v in more.items():
                total[k] = total.get(k, 0) + v
            yield total


def shortest(tt: TechTree, target: str, count: int, inventory: dict[str, int],
             max_states: int = MAX_STATES) -> int | None | str:
    """The fewest recipe applications that make `count` of the target; None if none do; 'undecided' past
    max_states."""
    ways = relevant_ways(tt, target)
    start: State = (tuple(sorted(inventory.items())), 0, None)
    depth = {start: 0}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if dict(state[0]).get(target, 0) >= count:
            return depth[state]
        for nxt in successors(tt, ways, state):
            if nxt not in depth:
                depth[nxt] = depth[state] + 1
                if len(depth) > max_states:
                    return "undecided"
                queue.append(nxt)
    return None


def replay(plan: Plan, inventory: dict[str, int]) -> bool:
    """Whether the plan runs: every material and station at hand when its step comes, and the goal made."""
    inv = Counter(inventory)
    for s in plan.steps:
        if s.tool and not has_tool(inv, s.tool):
            return False
        for m, n in s.material.items():
            if inv[m] < n:
                return False
            inv[m] -= n
        inv[s.object] += s.count
    return inv[plan.goal] >= plan.count


def run(n_tasks: int, seed: int, max_states: int = MAX_STATES) -> dict:
    tt = tech_tree()
    rng = random.Random(seed)
    targets = [i for i in tt.items() if crafting_ways(tt, i)]
    items = tt.items()
    rows = []
    for _ in range(n_tasks):
        task = make_task(rng, tt, targets, items)
        t0 = time.perf_counter()
        try:
            plan = decompose(task["target"], task["count"], task["inventory"], gather=False)
            ours: int | None = sum(s.times for s in plan.steps)
            valid = replay(plan, task["inventory"])
        except MissingItemsError:
            ours, valid = None, True
        t1 = time.perf_counter()
        truth = shortest(tt, task["target"], task["count"], task["inventory"], max_states)
        t2 = time.perf_counter()
        rows.append({**task, "plan_steps": ours, "plan_valid": valid, "search_steps": truth,
                     "plan_ms": 1000 * (t1 - t0), "search_ms": 1000 * (t2 - t1)})
    decided = [r for r in rows if r["search_steps"] != "undecided"]
    solvable = [r for r in decided if r["search_steps"] is not None]
    both = [r for r in solvable if r["plan_steps"] is not None]
    verdict_ok = [r for r in decided if (r["plan_steps"] is None) == (r["search_steps"] is None)]
    minimal = [r for r in both if r["plan_steps"] == r["search_steps"]]
    wrong = [r for r in decided if r not in minimal and (r["plan_steps"] is not None or r["search_steps"] is not None)]
    return {
        "minecraft_version": MC_VERSION,
        "seed": seed,
        "max_states": max_states,
        "tasks": len(rows),
        "undecided_by_search": len(rows) - len(decided),
        "solvable": len(solvable),
        "unsolvable": len(decided) - len(solvable),
        "by_k": dict(sorted(Counter(r["k"] for r in decided).items())),
        "verdict_agreement": f"{len(verdict_ok)}/{len(decided)}",
        "minimal_steps_agreement": f"{len(minimal)}/{len(both)}",
        "plans_replay_ok": f"{sum(r['plan_valid'] for r in rows)}/{len(rows)}",
        "plan_ms_mean": round(statistics.mean(r["plan_ms"] for r in rows), 3),
        "plan_ms_p95": round(sorted(r["plan_ms"] for r in rows)[int(0.95 * len(rows))], 3),
        "search_ms_mean": round(statistics.mean(r["search_ms"] for r in rows), 3),
        "plan_seconds_total": round(sum(r["plan_ms"] for r in rows) / 1000, 3),
        "search_seconds_total": round(sum(r["search_ms"] for r in rows) / 1000, 3),
        "python": platform.python_version(),
        "disagreements": wrong[:50],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "inventory_tasks.json")
    args = parser.parse_args(argv)
    report = run(args.tasks, args.seed)
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "disagreements"}, indent=1))
    print(f"{len(report['disagreements'])} disagreements listed in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
