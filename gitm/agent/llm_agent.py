"""`gitm run --planner llm` and plan memory in the run loop (both planners).

`PlanningExecutor` keeps the knowledge executor's closed loop (decompose against the current inventory, take
the first sub-goal, retry it up to MAX_STEP_FAILURES times) and changes what one sub-goal does:
- planner "knowledge": the executor's fixed rules;
- planner "llm": `LLMPlanner.solve` (first plan / continue / revise) with `execute` = one body action, and a
  reference plan: memory's `reference_plan(subgoal)` when it has one, else the knowledge planner's nominal
  actions (`gitm.agent.rules.knowledge_actions`). Every LLM query is emitted as an `LLMCall` event.
After a sub-goal succeeds, its successful actions and context (inventory, y, biome, seed) go to plan memory
(`memory_store.PlanMemory`, under the data dir) unless memory is off.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from typing import Any

from bot_bridge.actions import ActionResult
from gitm.agent.rules import DIG_FOR, KnowledgeExecutor, knowledge_actions
from gitm.errors import GitmError
from gitm.plan.decomposer import SubGoal
from gitm.record.events import LLMCall, Message, Observation
from knowledge.facts import as_default_wood, has_tool, wood_normalized

# A nearest-neighbour plan from another sub-goal is offered only this close (cosine distance); farther, the
# knowledge planner's actions are the better reference.
NEAREST_MAX_DISTANCE = 0.25
KNOWLEDGE_RULES = ("mine", "craft", "smelt")  # the sub-goal actions gitm.agent.rules.knowledge_actions plans


def prompt_plan(actions: list[Mapping[str, Any]], specs: Any) -> list[dict[str, Any]]:
    """A stored/knowledge action list reduced to what the planner's actions take (drops executor-only
    arguments such as radius or until_item), so the LLM sees calls it can copy."""
    allowed = {s.name: {a.name for a in s.args} for s in specs}
    out = []
    for a in actions:
        name = a.get("name") or a.get("action")
        if name not in allowed:
            continue
        args = {k: v for k, v in (a.get("args") or {}).items() if k in allowed[name] and v is not None}
        out.append({"name": name, "args": args})
    return out


class LLMUsageTally:
    """What the run's LLM calls cost, for the report (summary.json sums the LLMCall events itself)."""

    def __init__(self) -> None:
        self.calls = self.invalid = self.repaired = self.prompt_tokens = self.completion_tokens = 0
        self.seconds = 0.0
        self.reference: dict[str, int] = {}  # reference-plan source -> sub-goal attempts

    def to_json(self) -> dict[str, Any]:
        return {"calls": self.calls, "invalid": self.invalid, "repaired": self.repaired,
                "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "seconds": round(self.seconds, 2), "reference_plans": dict(self.reference)}


class PlanningExecutor(KnowledgeExecutor):
    def __init__(self, body: Any, goal: str = "diamond", count: int = 1, *, planner: Any = None,
                 memory: Any = None, seed: int | None = None, **kw: Any):
        super().__init__(body, goal, count, **kw)
        self.planner = planner  # an LLMPlanner, or None for the knowledge rules
        self.memory = memory  # a memory_store.PlanMemory, or None (--no-memory)
        self.seed = seed
        self.llm = LLMUsageTally()
        self.stored = 0
        self._seen: tuple[float | None, str | None] = (None, None)  # y, biome of the last observation
        self._queries: Counter[str] = Counter()  # LLM queries per sub-goal, over all its attempts
        emit = self.emit

        def emit_and_note(ev: Any) -> Any:
            if isinstance(ev, Observation):
                self._seen = (ev.y, ev.biome)
            return emit(ev)

        self.emit = emit_and_note
        if planner is not None:
            self._hook_planner(planner)
            if memory is not None:  # GITM: the LLM summarizes a sub-goal's successes into its reference plan
                memory.summarizer = lambda key, records: planner.summarize_plans(key, [r.actions for r in records])

    def _limit(self, action: str) -> float:
        """The action's wall limit, also kept within the run's wall budget (--max-wall)."""
        limit = super()._limit(action)
        if self.max_wall_s is not None:
            limit = min(limit, max(5.0, self.max_wall_s - (time.monotonic() - self._t0) + 5))
        return limit

    # -- the LLM's queries as events ---------------------------------------------------------------

    def _hook_planner(self, planner: Any) -> None:
        last: dict[str, Any] = {}
        source = planner.source

        def asking(messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> Any:
            last["messages"] = messages
            return source(messages, schema, max_tokens)

        def answered(rec: Any) -> None:
            t = self.llm
            t.calls += 1
            t.invalid += 0 if rec.ok else 1
            t.repaired += 1 if rec.ok and rec.repaired else 0
            t.prompt_tokens += rec.prompt_tokens
            t.completion_tokens += rec.completion_tokens
            t.seconds += rec.seconds
            self.emit(LLMCall(prompt=last.get("messages"), reply=rec.text, ok=rec.ok,
                              usage={"prompt_tokens": rec.prompt_tokens, "completion_tokens": rec.completion_tokens,
                                     "seconds": round(rec.seconds, 3), "repaired": rec.repaired,
                                     "errors": list(rec.errors[:5])},
                              thoughts=rec.reply.thoughts if rec.reply is not None else "",
                              label=f"{rec.situation} {self._current} [ref {self._ref_source}]",
                              tick=self.elapsed_ticks()))

        planner.source = asking
        planner.on_query = answered

    # -- one sub-goal -----------------------------------------------------------------------------------

    _current = ""
    _ref_source = ""
    _step: SubGoal | None = None

    def _where(self) -> tuple[float | None, str | None]:
        last = self.body.history[-1] if self.body.history else None
        if last is None or last.y is None:
            return self._seen
        return last.y, last.biome or self._seen[1]

    def execute(self, step: SubGoal) -> bool:
        n_log = len(self.report.log)
        t0 = self.elapsed_ticks()
        y, biome = self._where()
        before = dict(self.inv)
        ok = self.plan_with_llm(step) if self.planner is not None else super().execute(step)
        if ok and self.memory is not None:
            self._remember(step, self.report.log[n_log:], before, y, biome, self.elapsed_ticks() - t0)
        return ok

    def _remember(self, step: SubGoal, log: list[dict[str, Any]], inventory: dict[str, int], y: Any, biome: Any,
                  ticks: int) -> None:
        from memory_store import PlanRecord

        actions = [{"name": e["action"], "args": {k: as_default_wood(v) if isinstance(v, str) else v
                                                  for k, v in (e.get("args") or {}).items()}}
                   for e in log if e.get("ok")]  # in oak terms, as plans are made (grounded again when run)
        if not actions:
            return
        ctx = {"inventory": {k: v for k, v in inventory.items() if v}, "y": y, "biome": biome, "seed": self.seed}
        try:
            self.memory.add_success(PlanRecord(f"{step.action} {step.object}", actions, ctx, ticks=ticks))
            self.stored += 1
        except Exception as e:  # noqa: BLE001 - memory must never stop the agent
            self.emit(Message(text=f"plan memory: could not store {step.object}: {e}", level="warn"))

    def reference_for(self, step: SubGoal, y: Any, biome: Any) -> tuple[list[dict[str, Any]], str]:
        """(reference actions, source): memory's plan for this sub-goal (summary / latest success) else the
        knowledge planner's nominal actions (none under --no-knowledge); a close neighbour's plan only where
        the rules have none."""
        if self.memory is not None:
            ctx = {"inventory": dict(self.inv), "y": y, "biome": biome, "seed": self.seed}
            try:
                ref = self.memory.reference_plan(f"{step.action} {step.object}", ctx, max_distance=NEAREST_MAX_DISTANCE)
            except Exception as e:  # noqa: BLE001
                self.emit(Message(text=f"plan memory: lookup failed ({e})", level="warn"))
                ref = None
            if ref is not None and ref.source == "nearest" and step.action in KNOWLEDGE_RULES:
                ref = None  # another sub-goal's plan (wooden_pickaxe for stone_pickaxe) misleads; the rules fit
            if ref is not None and ref.actions:
                plan = prompt_plan(ref.actions, self.planner.specs)
                if plan:
                    return plan, f"memory:{ref.source}"
        if not self.planner.use_knowledge:  # the ablation: the rules' plan is knowledge too
            return [], "none"
        return prompt_plan(knowledge_actions(step, y, self.body.kb), self.planner.specs), "knowledge"

    def plan_with_llm(self, step: SubGoal) -> bool:
        from gitm.llm.planner import WorldState

        planner = self.planner
        key = f"{step.action} {step.object}"
        left = planner.max_queries - self._queries[key]
        if left <= 0:
            return self.step_failed("plan", f"query cap: {planner.max_queries} LLM queries spent on {key}",
                                    "plan: query cap")
        y, biome = self._where()
        ref, source = self.reference_for(step, y, biome)
        self.llm.reference[source] = self.llm.reference.get(source, 0) + 1
        self._current = key
        self._ref_source = source
        self._step = step
        target = wood_normalized(self.inv).get(step.object, 0) + step.count
        planner.ticks.total = self.max_ticks
        planner.ticks.used = self.elapsed_ticks()  # the run's budget: game time passes while the LLM thinks too
        state = WorldState(dict(self.inv), biome, y)
        out = planner.solve(step, state, self._llm_action, reference_plan=ref,
                            is_done=lambda s: wood_normalized(s.inventory).get(step.object, 0) >= target,
                            max_queries=left)
        self._queries[key] += len(out.queries)
        self.emit(Message(text=f"llm planner: {out.summary()} (reference: {source})",
                          level="info" if out.done else "warn"))
        return out.done and wood_normalized(self.inv).get(step.object, 0) >= target

    def _llm_action(self, action: Any) -> ActionResult:
        """Run one planned action on the body. Grounding as the knowledge rules do it: crafting oak_planks
        crafts the held wood's planks; digging down for the sub-goal's stone stops once there is enough; a
        tool the inventory lacks is dropped (the bot takes its best tool)."""
        if self._out_of_time():
            self.planner.ticks.used = self.planner.ticks.total  # the planner stops asking (tick_cap)
            return ActionResult.failure(action.name, f"out of time ({self.elapsed_ticks()} ticks)")
        args = {k: v for k, v in (action.args or {}).items() if v is not None}
        step = self._step
        if "tool" in args and not has_tool(self.inv, str(args["tool"])):
            del args["tool"]
        if action.name == "craft" and isinstance(args.get("object"), str):
            args["object"] = self.wood_variant(args["object"])
        if action.name == "dig_down" and step.action == "mine" and step.object in DIG_FOR:
            args.setdefault("until_item", step.object)
            args.setdefault("until_count", self.inv.get(step.object, 0) + step.count)
        try:
            return self._do(action.name, **args)
        except (TypeError, ValueError, GitmError) as e:
            return ActionResult.failure(action.name, f"invalid action: {e}")


def open_memory(data_dir: Any) -> Any:
    from memory_store import PlanMemory

    return PlanMemory.open_default(data_dir)


def check_endpoint(settings: Any) -> None:
    """One clear error when the configured endpoint cannot be used (before the world is started)."""
    from gitm.llm.config import endpoint_problem

    problem = endpoint_problem(settings.base_url, settings.api_key, timeout=min(float(settings.timeout or 5), 5.0))
    if problem:
        src = settings.sources.get("base_url", "?") if getattr(settings, "sources", None) else "?"
        raise GitmError(f"the LLM endpoint {settings.base_url} (from {src}) {problem}; start or fix it, or use "
                        "--planner knowledge, or unset it to use the local model")
