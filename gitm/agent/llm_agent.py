"""The LLM planner in the run loop (`--planner llm`): one sub-goal attempt = `LLMPlanner.solve` (first plan /
continue / revise), each planned action run through the loop, every query an `LLMCall` event made while the
world stands still (RunLoop.thinking).

The prompt's reference plan, as in GITM: plan memory's for the sub-goal (its summary, latest success, or a close
neighbour's) when it has one, else none. `reference="scripted"` (`--reference scripted`, a labelled comparison,
never the default) falls back to the rule planner's nominal actions (gitm.agent.rules.knowledge_actions).
Memory that pays: a sub-goal with a stored plan of its own (summary or latest success) first replays that plan
without asking the model; the model is asked only when the replay fails or falls short, starting from the
replay's feedback. A stored plan that failed in this run is not replayed again in it.
Queries are capped per sub-goal over all its attempts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot_bridge.actions import ActionResult
from gitm.agent.rules import DIG_FOR, knowledge_actions
from gitm.errors import GitmError
from gitm.llm.planner import Ban, Feedback, LLMPlanner, QueryRecord, WorldState
from gitm.llm.reply import PlannedAction
from gitm.record.events import LLMCall, Message
from gitm.tree.decomposer import SubGoal
from knowledge.facts import has_tool, held_wood_variant, wood_normalized

if TYPE_CHECKING:
    from gitm.agent.loop import RunLoop

# A nearest-neighbour plan from another sub-goal is offered only this close (cosine distance); farther, the
# knowledge planner's actions are the better reference.
NEAREST_MAX_DISTANCE = 0.25
KNOWLEDGE_RULES = ("mine", "craft", "smelt")  # the sub-goal actions gitm.agent.rules.knowledge_actions plans
REFERENCES = ("memory", "scripted")
REPLAYABLE = ("memory:summary", "memory:exact")  # the sub-goal's own stored plan, not a neighbour's


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


class LLMSubgoalPlanner:
    name = "llm"

    def __init__(self, llm: LLMPlanner, memory: Any = None, seed: int | None = None,
                 emit: Callable[[Any], Any] = lambda ev: None, reference: str = "memory"):
        """`emit` takes the LLM calls made outside a run (none in `gitm run`: there the run's events do)."""
        if reference not in REFERENCES:
            raise GitmError(f"--reference must be one of {', '.join(REFERENCES)}, not {reference!r}")
        self.llm = llm
        self.memory = memory
        self.seed = seed
        self.emit = emit
        self.reference = reference
        self._queries: Counter[str] = Counter()  # LLM queries per sub-goal, over all its attempts
        self._replay_failed: set[str] = set()  # sub-goals whose stored plan failed in this run
        self._bans: dict[str, list[Ban]] = {}  # per sub-goal: calls that failed, kept across its attempts
        self._asking: tuple[str, str, RunLoop | None] = ("", "", None)  # sub-goal, reference source, run: for events
        llm.on_query = self._asked
        if memory is not None:  # GITM: the LLM summarizes a sub-goal's successes into its reference plan
            memory.summarizer = lambda key, records: llm.summarize_plans(key, [r.actions for r in records])

    def reference_for(self, step: SubGoal, run: RunLoop) -> tuple[list[dict[str, Any]], str]:
        """(reference actions, source): memory's plan for this sub-goal (summary / latest success, or a close
        neighbour's where the rules have no plan for such a sub-goal), else none; under reference="scripted" the
        knowledge planner's nominal actions (none under --no-knowledge)."""
        y, biome = run.where()
        if self.memory is not None:
            ctx = {"inventory": dict(run.inventory), "y": y, "biome": biome, "seed": self.seed}
            try:
                ref = self.memory.reference_plan(step.key, ctx, max_distance=NEAREST_MAX_DISTANCE)
            except Exception as e:  # noqa: BLE001 - memory must never stop the agent
                run.emit(Message(text=f"plan memory: lookup failed ({e})", level="warn"))
                ref = None
            if ref is not None and ref.source == "nearest" and step.action in KNOWLEDGE_RULES:
                ref = None  # another sub-goal's plan (wooden_pickaxe for stone_pickaxe) misleads; the rules fit
            if ref is not None and ref.actions:
                plan = prompt_plan(ref.actions, self.llm.specs)
                if plan:
                    return plan, f"memory:{ref.source}"
        if self.reference != "scripted" or not self.llm.use_knowledge:  # the rules' plan is knowledge too
            return [], "none"
        return prompt_plan(knowledge_actions(step, y, run.kb), self.llm.specs), "scripted"

    def attempt(self, step: SubGoal, run: RunLoop) -> bool:
        key = step.key
        self.llm.thinking = run.thinking
        target = wood_normalized(run.inventory).get(step.object, 0) + step.count

        def reached(state: WorldState) -> bool:
            return wood_normalized(state.inventory).get(step.object, 0) >= target

        ref, source = self.reference_for(step, run)
        prior: list[Feedback] = []
        if source in REPLAYABLE and key not in self._replay_failed:
            prior = self._replay(ref, step, run, reached)
            if reached(WorldState(dict(run.inventory))):
                run.emit(Message(text=f"plan memory: replayed the stored plan for {key} ({len(prior)} actions, "
                                 "no LLM query)"))
                return True
            self._replay_failed.add(key)
        left = self.llm.max_queries - self._queries[key]
        if left <= 0:
            return run.fail("plan", f"query cap: {self.llm.max_queries} LLM queries spent on {key}")
        self._asking = (key, source, run)
        self.llm.ticks.total = run.budget.max_ticks
        self.llm.ticks.used = run.elapsed_ticks()
        y, biome = run.where()
        out = self.llm.solve(step, WorldState(dict(run.inventory), biome, y), lambda a: self._act(a, step, run),
                             reference_plan=ref, max_queries=left, is_done=reached, prior=prior,
                             bans=self._bans.setdefault(key, []))
        self._queries[key] += len(out.queries)
        run.emit(Message(text=f"llm planner: {out.summary()} (reference: {source})",
                         level="info" if out.done else "warn"))
        if not out.done and out.status == "query_cap":
            run.fail("plan", f"no plan reached {key} within {len(out.queries)} LLM queries")
        return out.done and reached(WorldState(dict(run.inventory)))

    def _replay(self, plan: list[dict[str, Any]], step: SubGoal, run: RunLoop,
                reached: Callable[[WorldState], bool]) -> list[Feedback]:
        """Run a stored plan as it is, the sub-goal's own count in place of the stored one; stop at the first
        failure or once the sub-goal is reached. The feedback starts the model's re-plan if one is needed."""
        out = []
        for a in plan:
            args = dict(a["args"])
            if "count" in args and args.get("object") == step.object:
                args["count"] = step.count
            action = PlannedAction(name=a["name"], args=args)
            fb = Feedback.of(action, self._act(action, step, run))
            out.append(fb)
            if not fb.success or reached(WorldState(dict(run.inventory))):
                break
        return out

    def _asked(self, rec: QueryRecord) -> None:
        """Every query (plans, re-plans, invalid replies, memory summaries) as an LLMCall event."""
        key, source, run = self._asking
        emit = run.emit if run is not None else self.emit
        emit(LLMCall(prompt=rec.messages, reply=rec.text, ok=rec.ok, reference=source,
                          usage={"prompt_tokens": rec.prompt_tokens, "completion_tokens": rec.completion_tokens,
                                 "seconds": round(rec.seconds, 3), "repaired": rec.repaired,
                                 "errors": list(rec.errors[:5])},
                          thoughts=rec.reply.thoughts if rec.reply is not None else "",
                          label=f"{rec.situation} {key} [ref {source}]",
                          tick=run.elapsed_ticks() if run is not None else None))

    def _act(self, action: Any, step: SubGoal, run: RunLoop) -> ActionResult:
        """Run one planned action. Grounding as the rules do it: crafting oak_planks crafts the held wood's planks;
        digging down for the sub-goal's stone stops once there is enough; a tool the inventory lacks is dropped
        (the bot takes its best tool)."""
        if run.out_of_time():
            self.llm.ticks.used = self.llm.ticks.total  # the planner stops asking (tick_cap)
            return ActionResult.failure(action.name, f"out of time ({run.elapsed_ticks()} ticks)")
        args = {k: v for k, v in (action.args or {}).items() if v is not None}
        if "tool" in args and not has_tool(run.inventory, str(args["tool"])):
            del args["tool"]
        if action.name == "craft" and isinstance(args.get("object"), str):
            args["object"] = held_wood_variant(args["object"], run.inventory)
        if action.name == "dig_down" and step.action == "mine" and step.object in DIG_FOR:
            args.setdefault("until_item", step.object)
            args.setdefault("until_count", run.inventory.get(step.object, 0) + step.count)
        try:
            return run.act(action.name, **args)
        except (TypeError, ValueError, GitmError) as e:
            return ActionResult.failure(action.name, f"invalid action: {e}")


def open_memory(data_dir: Any, emit: Callable[[Any], Any] = lambda ev: None) -> Any:
    """The plan memory of `data_dir`; a corrupt one was moved aside for a fresh one, which `emit` hears of."""
    from memory_store import PlanMemory

    memory = PlanMemory.open_default(data_dir)
    if memory.warning:
        emit(Message(text=memory.warning, level="warn"))
    return memory


def check_endpoint(settings: Any) -> None:
    """One clear error when the configured endpoint cannot be used (before the world is started)."""
    from gitm.llm.config import endpoint_problem

    # the request timeout, not less: a local model busy with other runs' requests answers late, not never
    problem = endpoint_problem(settings.base_url, settings.api_key, timeout=float(settings.timeout or 60))
    if problem:
        src = settings.sources.get("base_url", "?") if getattr(settings, "sources", None) else "?"
        raise GitmError(f"the LLM endpoint {settings.base_url} (from {src}) {problem}; start or fix it, or use "
                        "--planner knowledge, or unset it to use the local model")
