"""The knowledge planner: a scripted executor that needs no LLM.

Closed loop, GITM style: decompose the goal against the *current* inventory, take the first sub-goal
(dependencies come first), map it to actions with fixed rules, run them, and decompose again. A
failure's reason steers the next try (nothing within reach -> go to the ore's height or explore;
missing materials -> the next decomposition plans them). Rules:
  mine  -> ores: dig down to the ore's usual height when above it, mine nearby, else branch-mine;
           everything else: mine nearby, else explore the surface;
  craft -> craft (the skill places and picks up the crafting table when the recipe needs one);
  smelt -> smelt (the skill places and picks up the furnace; fuel: what the inventory holds).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot_bridge.actions import ActionResult, mine_targets
from gitm.errors import GitmError
from gitm.plan.decomposer import SubGoal, decompose
from gitm.plan.goals import resolve_goal
from gitm.record.events import ActionFinished, ActionStarted, Message, Observation, SubgoalFinished, SubgoalStarted
from knowledge.facts import MILESTONES, held_wood_variant, milestone_reached, wood_normalized

MAX_STEP_FAILURES = 4
# Items dug on the way down (dig_down until enough), never below this feet y.
DIG_FOR = {"cobblestone": 20, "cobbled_deepslate": -50}
OBSERVE_RADIUS = 16  # blocks around the bot listed in the observation after each action


@dataclass
class RunReport:
    goal: str
    success: bool = False
    outcome: str = "running"  # success / failure / interrupted
    reason: str = ""
    start_age: int = 0
    ticks: int = 0
    wall_s: float = 0.0
    milestones: dict[str, int] = field(default_factory=dict)  # milestone -> ticks since start
    actions: int = 0
    subgoals_done: int = 0  # sub-goals reached (a measure of progress when the goal is not)
    action_counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)  # reason (numbers stripped) -> count
    deaths: int = 0
    reconnects: int = 0
    final_inventory: dict[str, int] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def _reason_key(reason: str) -> str:
    import re

    return re.sub(r"-?\d+(\.\d+)?", "N", reason)[:100]


class KnowledgeExecutor:
    def __init__(self, body: Any, goal: str = "diamond", count: int = 1, max_ticks: int = 12000,
                 max_wall_s: float | None = None, echo: Callable[[str], None] | None = print,
                 emit: Callable[[Any], Any] | None = None):
        self.body = body
        self.goal = goal
        self.count = count
        self.max_ticks = max_ticks
        self.max_wall_s = max_wall_s
        self.echo = echo or (lambda s: None)
        self.emit = emit or (lambda ev: None)  # run events (gitm.record.events) for the record and the dashboard
        self.item = resolve_goal(goal, body.kb)
        self.report = RunReport(goal=goal)
        self._step_failures: Counter[str] = Counter()
        self._t0 = 0.0

    # -- bookkeeping ---------------------------------------------------------------------------------

    @property
    def inv(self) -> dict[str, int]:
        return self.body.inventory

    def elapsed_ticks(self) -> int:
        return self.body.age - self.report.start_age

    def _out_of_time(self) -> bool:
        if self.elapsed_ticks() >= self.max_ticks:
            return True
        return self.max_wall_s is not None and time.monotonic() - self._t0 > self.max_wall_s

    def _limit(self, action: str) -> float:
        """An action's wall-time limit, never much past the run's tick budget (20 ticks a second)."""
        default = self.body.limits.get(action, 60)
        left = (self.max_ticks - self.elapsed_ticks()) / 20 + 5
        return max(5.0, min(default, left))

    def _do(self, action: str, **args: Any) -> ActionResult:
        self.emit(ActionStarted(action=action, args=args, tick=self.elapsed_ticks()))
        r = self.body.act(action, timeout=self._limit(action), **args)
        self.emit(ActionFinished.from_result(r, tick=self.elapsed_ticks()))
        rep = self.report
        rep.actions += 1
        rep.action_counts[action] = rep.action_counts.get(action, 0) + 1
        if not r.ok:
            key = f"{action}: {_reason_key(r.reason)}"
            rep.failures[key] = rep.failures.get(key, 0) + 1
        rep.log.append({"t": self.elapsed_ticks(), "args": args, **r.to_json()})
        self._observe()
        self._milestones()
        self.echo(f"[{self.elapsed_ticks():5d} t] {action} {args}: {r.summary()}")
        return r

    def _observe(self) -> None:
        """An observation after every action, for the record and the dashboard (time of day, health, food,
        nearby blocks change while acting); a small radius keeps it cheap."""
        try:
            obs = self.body.observe(radius=OBSERVE_RADIUS)
        except ConnectionError as e:  # the next action reconnects or fails with its own reason
            self.emit(Message(text=f"observation failed: {e}", level="warn"))
            return
        self.emit(Observation.from_obs(obs, tick=self.elapsed_ticks()))

    def _milestones(self) -> None:
        for name in MILESTONES:
            if name not in self.report.milestones and milestone_reached(name, self.inv):
                self.report.milestones[name] = self.elapsed_ticks()

    def _done(self) -> bool:
        return self.inv.get(self.item, 0) >= self.count

    # -- the loop -------------------------------------------------------------------------------------

    def run(self) -> RunReport:
        self._t0 = time.monotonic()
        obs = self.body.observe()
        self.report.start_age = self.body.age
        self.emit(Observation.from_obs(obs, tick=0))
        rep = self.report
        try:
            while True:
                if self._done():
                    rep.success = True
                    rep.reason = f"holds {self.count} {self.item}"
                    break
                if self._out_of_time():
                    rep.reason = f"out of time ({self.elapsed_ticks()} ticks)"
                    break
                try:
                    plan = decompose(self.goal, self.count, self.planning_inventory())
                except GitmError as e:
                    rep.reason = f"cannot plan: {e}"
                    break
                if not plan.steps:
                    rep.reason = "the plan is empty but the goal is not held"
                    break
                step = plan.steps[0]
                key = f"{step.action} {step.object}"
                self.emit(SubgoalStarted(object=step.object, count=step.count, action=step.action,
                                         tick=self.elapsed_ticks()))
                n_log = len(rep.log)
                ok = self.execute(step)
                last = next((e for e in reversed(rep.log[n_log:]) if not e["ok"]), None)
                self.emit(SubgoalFinished(object=step.object, ok=ok, count=step.count, tick=self.elapsed_ticks(),
                                          reason="" if ok else (last["reason"] if last else "no progress")))
                if ok:
                    rep.subgoals_done += 1
                    self._step_failures[key] = 0
                else:
                    self._step_failures[key] += 1
                    if self._step_failures[key] >= MAX_STEP_FAILURES:
                        last = next((e for e in reversed(rep.log) if not e["ok"]), None)
                        rep.reason = f"gave up on {key}: {last['reason'] if last else 'no progress'}"
                        break
        except KeyboardInterrupt:
            rep.reason = "interrupted"
            rep.outcome = "interrupted"
        finally:
            if rep.outcome != "interrupted":
                rep.outcome = "success" if rep.success else "failure"
            rep.ticks = self.elapsed_ticks()
            rep.wall_s = round(time.monotonic() - self._t0, 1)
            rep.deaths = self.body.deaths
            rep.reconnects = self.body.reconnects
            rep.final_inventory = dict(self.inv)
            self._milestones()
        return rep

    # -- rules ------------------------------------------------------------------------------------------

    def planning_inventory(self) -> dict[str, int]:
        """The inventory as the decomposer should see it (any wood works in the recipes on the way to a
        diamond; the decomposer would otherwise ask for oak)."""
        return wood_normalized(self.inv)

    def wood_variant(self, obj: str) -> str:
        """oak_planks -> the planks of the log the inventory holds most of."""
        return held_wood_variant(obj, self.inv)

    def execute(self, step: SubGoal) -> bool:
        if step.action == "mine":
            return self.gather(step)
        if step.action == "craft":
            return self._do("craft", object=self.wood_variant(step.object), count=step.count).ok
        if step.action == "smelt":
            inputs = [m for m in step.material if self.body.kb.smelting_for(step.object)
                      and m in {s.input for s in self.body.kb.smelting_for(step.object)}]
            return self._do("smelt", object=step.object, count=step.count,
                            **({"input": inputs[0]} if inputs else {})).ok
        return self.step_failed(step.action, f"the knowledge planner has no rule for '{step.action}' ({step.info})",
                                f"{step.action}: no rule")

    def step_failed(self, action: str, reason: str, key: str) -> bool:
        """A sub-goal attempt that ran no action: logged like a failed action, so the run's reason says why."""
        r = ActionResult.failure(action, reason)
        self.report.log.append({"t": self.elapsed_ticks(), "args": {}, **r.to_json()})
        self.report.failures[key] = self.report.failures.get(key, 0) + 1
        self.emit(Message(text=r.summary(), level="warn"))
        self.echo(r.summary())
        return False

    def gather(self, step: SubGoal) -> bool:
        obj = step.object
        y = self.body.history[-1].y if self.body.history and self.body.history[-1].y is not None else None
        if obj in DIG_FOR and y is not None and y > DIG_FOR[obj] + 2:
            # stone comes from digging down towards the iron: no walking around for it
            want = self.inv.get(obj, 0) + step.count
            r = self._do("dig_down", y=max(DIG_FOR[obj], y - step.count - 12), until_item=obj, until_count=want)
            if self.inv.get(obj, 0) >= want:
                return True
        blocks, _, _ = mine_targets(self.body.kb, obj)
        ore_y = self.body.kb.search_y(obj)
        y = self.body.history[-1].y if self.body.history and self.body.history[-1].y is not None else None
        if ore_y is not None and y is not None and y > ore_y + 6:
            # an ore: try close by first (exposed or shallow), then go to its height
            r = self._do("mine", object=obj, count=step.count, radius=12)
            if r.ok:
                return True
            if "need " in r.reason:
                return False
            r = self._do("dig_down", y=ore_y)
            if not r.ok and "bedrock" not in r.reason:
                return False
        radius = 24 if ore_y is not None else 48
        r = self._do("mine", object=obj, count=step.count, radius=radius)
        if r.ok:
            return True
        if r.reason.startswith("no ") or "could not reach" in r.reason or "within" in r.reason:
            strategy = "underground" if ore_y is not None else "surface"
            e = self._do("explore", object=obj, strategy=strategy, radius=16 if ore_y is not None else 32)
            if e.ok:
                r = self._do("mine", object=obj, count=step.count, radius=radius)
                return r.ok or any(v > 0 for v in r.delta.values())
        # partial progress counts as progress
        return any(v > 0 for k, v in r.delta.items() if k in blocks or k == obj)


def knowledge_actions(step: SubGoal, y: float | None, kb: Any) -> list[dict[str, Any]]:
    """The knowledge planner's nominal actions for one sub-goal (pure: no body, no world), as {name, args}
    in the LLM planner's action vocabulary: the reference plan `--planner llm` offers when memory has none.
    The executor's fallbacks (explore when nothing is within reach, retries) are not part of it."""
    obj, n = step.object, step.count
    if step.action == "mine":
        acts: list[dict[str, Any]] = []
        ore_y = kb.search_y(obj)
        if obj in DIG_FOR and (y is None or y > DIG_FOR[obj] + 2):
            acts.append({"name": "dig_down", "args": {"y": int(DIG_FOR[obj] if y is None
                                                                 else max(DIG_FOR[obj], y - n - 12))}})
        elif ore_y is not None and (y is None or y > ore_y + 6):
            acts.append({"name": "dig_down", "args": {"y": ore_y}})
        return acts + [{"name": "mine", "args": {"object": obj, "count": n}}]
    if step.action == "craft":
        return [{"name": "craft", "args": {"object": obj, "count": n}}]
    if step.action == "smelt":
        inputs = {s.input for s in kb.smelting_for(obj)}
        inp = next((m for m in step.material if m in inputs), None)
        return [{"name": "smelt", "args": {"object": obj, "count": n, **({"input": inp} if inp else {})}}]
    return [{"name": step.action, "args": {"object": obj}}]
