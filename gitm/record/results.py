"""A run's results, folded from its events: the one place they are counted.

`summary.json`, the line `gitm run` prints, `gitm run --json`, the dashboard's counters and the benchmarks all
read a `RunResults`; none counts on its own. Register it on the bus before the observers that read it:

    results = RunResults()
    with EventBus([results, RunRecorder(..., results=results), display]) as bus:
        run_episode(..., emit=bus.emit)
    results.to_json()    # outcome, reason, ticks, milestones, sub-goals, actions, LLM usage, inventory
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from gitm.record.events import (
    ActionFinished,
    Event,
    LLMCall,
    Observed,
    PlanStored,
    RunFinished,
    RunStarted,
    ServerRestarted,
    SubgoalFinished,
    SubgoalStarted,
)
from knowledge.facts import MILESTONES, milestone_reached

NUMBER = re.compile(r"-?\d+(\.\d+)?")
RUN_FIELDS = ("goal", "count", "item", "seed", "planner", "model", "server", "difficulty", "start_time", "username",
              "max_ticks")


def reason_key(action: str, reason: str) -> str:
    """A failure's reason with its numbers blanked, so the same failure counts once ('no iron_ore within N')."""
    return f"{action}: {NUMBER.sub('N', reason)[:100]}"


@dataclass
class LLMUsage:
    calls: int = 0
    invalid: int = 0
    repaired: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    last_seconds: float | None = None
    reference_plans: dict[str, int] = field(default_factory=dict)  # reference-plan source -> LLM calls

    def add(self, ev: LLMCall) -> None:
        u = ev.usage or {}
        self.calls += 1
        self.invalid += 0 if ev.ok else 1
        self.repaired += 1 if ev.ok and u.get("repaired") else 0
        self.prompt_tokens += int(u.get("prompt_tokens") or 0)
        self.completion_tokens += int(u.get("completion_tokens") or 0)
        if u.get("seconds") is not None:
            self.last_seconds = float(u["seconds"])
            self.seconds += self.last_seconds
        if ev.reference:
            self.reference_plans[ev.reference] = self.reference_plans.get(ev.reference, 0) + 1

    def to_json(self) -> dict[str, Any]:
        return {"calls": self.calls, "invalid": self.invalid, "repaired": self.repaired,
                "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "seconds": round(self.seconds, 2), "reference_plans": dict(self.reference_plans)}


@dataclass
class RunResults:
    run: dict[str, Any] = field(default_factory=dict)  # RunStarted's fields: goal, item, seed, planner...
    outcome: str = "running"  # success / timeout / failure / interrupted / error
    reason: str = ""
    started: float | None = None  # wall clock of the first event
    wall_s: float = 0.0
    ticks: int = 0  # game ticks of acting (the budget's)
    thinking_ticks: int = 0  # world ticks that passed while the planner thought (0 when gitm froze the world)
    milestones: dict[str, int] = field(default_factory=dict)  # GITM's milestones (knowledge.facts) -> tick
    acquired: list[dict[str, Any]] = field(default_factory=list)  # first time each item was held: item, tick, wall_s
    subgoals: list[dict[str, Any]] = field(default_factory=list)  # attempts: object, action, state, reason, tick
    actions: int = 0
    failed_actions: int = 0
    action_counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)  # reason_key -> count
    deaths: int = 0
    reconnects: int = 0
    server_restarts: int = 0  # the embedded server died and was started again on its saved world
    memory_stored: int = 0
    inventory: dict[str, int] = field(default_factory=dict)
    llm: LLMUsage = field(default_factory=LLMUsage)

    @property
    def success(self) -> bool:
        return self.outcome == "success"

    @property
    def subgoals_done(self) -> int:
        return sum(sg["state"] == "done" for sg in self.subgoals)

    # -- the fold ------------------------------------------------------------------------------------
    def handle(self, ev: Event) -> None:
        if self.started is None:
            self.started = ev.t or time.time()
        if ev.tick is not None:
            self.ticks = max(self.ticks, ev.tick)
        self.wall_s = round((ev.t or time.time()) - self.started, 2)
        if isinstance(ev, RunStarted):
            self.run.update({k: getattr(ev, k) for k in RUN_FIELDS if getattr(ev, k) is not None})
            self.run.update(ev.extra or {})
        elif isinstance(ev, SubgoalStarted):
            self.subgoals.append({"object": ev.object, "count": ev.count, "action": ev.action,
                                  "started_tick": ev.tick, "state": "running"})
        elif isinstance(ev, SubgoalFinished):
            sg = next((s for s in reversed(self.subgoals) if s["object"] == ev.object and s["state"] == "running"),
                      None)
            if sg is None:
                sg = {"object": ev.object, "count": ev.count, "action": None, "started_tick": None}
                self.subgoals.append(sg)
            sg.update(state="done" if ev.ok else "failed", reason=ev.reason, tick=ev.tick, wall_s=self.wall_s)
        elif isinstance(ev, ActionFinished):
            self._action(ev)
        elif isinstance(ev, Observed):
            self._inventory(ev.inventory, ev)
        elif isinstance(ev, LLMCall):
            self.llm.add(ev)
        elif isinstance(ev, PlanStored):
            self.memory_stored += 1
        elif isinstance(ev, ServerRestarted):
            self.server_restarts += 1
        elif isinstance(ev, RunFinished):
            self.outcome, self.reason = ev.outcome, ev.reason
            self.thinking_ticks = ev.thinking_ticks
            if ev.inventory is not None:
                self._inventory(ev.inventory, ev)

    __call__ = handle

    def _action(self, ev: ActionFinished) -> None:
        self.actions += 1
        self.action_counts[ev.action] = self.action_counts.get(ev.action, 0) + 1
        self.deaths += int(ev.result.get("died") or 0)
        self.reconnects += 1 if (ev.result.get("details") or {}).get("reconnected") else 0
        if not ev.ok:
            self.failed_actions += 1
            key = reason_key(ev.action, ev.reason)
            self.failures[key] = self.failures.get(key, 0) + 1
        if ev.inventory is not None:
            self._inventory(ev.inventory, ev)

    def _inventory(self, inv: dict[str, int], ev: Event) -> None:
        self.inventory = {k: v for k, v in inv.items() if v}
        held = {a["item"] for a in self.acquired}
        for item in sorted(k for k, v in inv.items() if v > 0 and k not in held):
            self.acquired.append({"item": item, "tick": ev.tick, "wall_s": self.wall_s,
                                  "key": item in MILESTONES or milestone_reached("log", {item: 1})})
        for m in MILESTONES:
            if m not in self.milestones and milestone_reached(m, inv):
                self.milestones[m] = ev.tick or 0

    # -- views -----------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            **self.run, "outcome": self.outcome, "success": self.success, "reason": self.reason,
            "ticks": self.ticks, "thinking_ticks": self.thinking_ticks, "wall_s": self.wall_s,
            "milestones": dict(self.milestones),
            "acquired": list(self.acquired), "subgoals": [dict(sg) for sg in self.subgoals],
            "subgoals_done": self.subgoals_done,
            "actions": {"total": self.actions, "failed": self.failed_actions, "by_name": dict(self.action_counts),
                        "failures": dict(self.failures)},
            "deaths": self.deaths, "reconnects": self.reconnects,
            "server_restarts": self.server_restarts, "memory_stored": self.memory_stored,
            "llm": self.llm.to_json(), "inventory": dict(self.inventory),
        }

    def one_line(self) -> str:
        """What `gitm run` prints at the end."""
        ms = ", ".join(f"{k}@{v}" for k, v in self.milestones.items())
        u = self.llm
        llm = (f"; llm {u.calls} calls ({u.invalid} invalid), {u.prompt_tokens}+{u.completion_tokens} tokens, "
               f"{u.seconds:.1f} s thinking" if u.calls else "")
        clock = self.run.get("clock")
        if clock:
            ran = f", {self.thinking_ticks} ticks passed meanwhile" if self.thinking_ticks else ""
            llm += f" (world clock {clock}{ran})"
        status = "SUCCESS" if self.success else "FAILED"
        restarts = f"; server restarted {self.server_restarts}x" if self.server_restarts else ""
        return (f"{status}: {self.reason}; {self.ticks} acting ticks, {self.wall_s:.1f} s wall, {self.actions} "
                f"actions; milestones: {ms or 'none'}{llm}{restarts}")
