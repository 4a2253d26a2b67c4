"""The LLM planner for one sub-goal: GITM's first plan / continue / revise loop, with caps.

    planner = LLMPlanner.from_settings(settings, kb)          # or LLMPlanner(kb, reply_source)
    outcome = planner.solve(subgoal, state, execute)          # execute(PlannedAction) -> feedback

The loop: ask for a plan (situation "first"); run its actions in order through `execute`; after each one
update the state from the feedback (success, reason, inventory delta or full inventory, biome, y, ticks).
- the sub-goal is reached (inventory holds the target count) -> done;
- an action failed -> ask again in situation "revise" with the feedback (the failure reason);
- every action succeeded but the sub-goal is not reached -> ask again in situation "continue".
Every query counts against `max_queries` (default 30), invalid replies included: an invalid reply is
answered with what was wrong (gitm.llm.reply.errors_for_llm) and asked again. `ticks` is a budget shared
across sub-goals (12,000 for ObtainDiamond); the loop stops when it is spent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from bot_bridge.actions import ACTIONS, Action, planner_actions, subgoal_actions
from gitm.llm.prompts import ActionFeedback, SubGoalView, build_messages, invalid_reply_messages, summary_messages
from gitm.llm.recovery import recovery_hints, relevant_first
from gitm.llm.reply import (
    PlannedAction,
    PlanReply,
    ReplyLimits,
    Vocabulary,
    check_reply,
    errors_for_llm,
    reply_schema,
    same_call,
)
from knowledge.base import TICKS_PER_SMELT

DEFAULT_MAX_QUERIES = 30  # per sub-goal
# Plans that failed in one attempt at a sub-goal before it goes back to the decomposer, which plans again from the
# inventory as it is now (GITM re-decomposes; a small model asked a fourth time mostly repeats itself).
DEFAULT_MAX_FAILED_PLANS = 3
SUMMARY_QUERIES = 3  # tries for one memory summary
OBTAIN_DIAMOND_TICKS = 12_000

# A reply source: (messages, schema, max_tokens) -> reply text, or an object with .text and token counts.
ReplySource = Callable[[list[dict[str, str]], dict[str, Any], int], Any]
Execute = Callable[[PlannedAction], Any]


@dataclass
class TickBudget:
    """Game ticks for a whole run, shared by every sub-goal's planner."""

    total: int = OBTAIN_DIAMOND_TICKS
    used: int = 0

    @property
    def left(self) -> int:
        return max(0, self.total - self.used)

    @property
    def spent(self) -> bool:
        return self.used >= self.total

    def spend(self, ticks: int) -> None:
        self.used += max(0, int(ticks or 0))


@dataclass
class WorldState:
    inventory: dict[str, int] = field(default_factory=dict)
    biome: str | None = None
    y: float | None = None
    underground: bool | None = None

    def env(self) -> dict[str, Any]:
        return {"biome": self.biome, "y": self.y, "underground": self.underground}


@dataclass
class Feedback:
    """Normalized feedback of one executed action."""

    action: PlannedAction
    success: bool
    reason: str = ""
    delta: dict[str, int] = field(default_factory=dict)
    inventory: dict[str, int] | None = None
    biome: str | None = None
    y: float | None = None
    ticks: int = 0
    server_gone: bool = False  # it failed because the server died under it: not the call's fault

    @classmethod
    def of(cls, action: PlannedAction, raw: Any) -> Feedback:
        if isinstance(raw, Feedback):
            return raw
        get = raw.get if isinstance(raw, Mapping) else (lambda k, d=None: getattr(raw, k, d))
        success = get("success")
        if success is None:
            success = get("ok", False)
        inv = get("inventory")
        return cls(action, bool(success), str(get("reason", "") or ""),
                   dict(get("delta", None) or get("inventory_delta", None) or {}),
                   dict(inv) if inv else None, get("biome"), get("y"), int(get("ticks", 0) or 0),
                   bool((get("details", None) or {}).get("server_gone")))

    def view(self) -> ActionFeedback:
        return ActionFeedback(self.action.call(), self.success, self.reason, self.delta, self.biome, self.y)


@dataclass(frozen=True)
class Ban:
    """A call that failed: excluded from the schema while the state it failed in lasts (the same inventory, the
    same height band), since there it fails again for the same reason."""

    call: PlannedAction
    reason: str
    state: tuple[Any, ...]


def state_key(state: WorldState) -> tuple[Any, ...]:
    """What a failure depends on: the inventory and roughly the height (a search at y=64 for iron_ore fails there
    and not 50 blocks down)."""
    return (tuple(sorted((k, v) for k, v in state.inventory.items() if v)),
            None if state.y is None else int(state.y // 8))


@dataclass
class QueryRecord:
    situation: str
    ok: bool
    errors: list[str]
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    repaired: bool = False
    reply: PlanReply | None = None
    text: str = ""
    messages: list[dict[str, str]] = field(default_factory=list)  # the prompt as sent


@dataclass
class Outcome:
    status: str  # done / query_cap / tick_cap / replan_cap (max_failed_plans: back to the decomposer)
    subgoal: SubGoalView
    queries: list[QueryRecord] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    state: WorldState | None = None

    @property
    def done(self) -> bool:
        return self.status == "done"

    @property
    def invalid_replies(self) -> int:
        return sum(not q.ok for q in self.queries)

    def succeeded_actions(self) -> list[PlannedAction]:
        """The actions that worked, in order: what plan memory stores for the sub-goal."""
        return [f.action for f in self.feedback if f.success]

    def summary(self) -> str:
        return (f"{self.subgoal.object}: {self.status} after {len(self.queries)} queries "
                f"({self.invalid_replies} invalid), {len(self.feedback)} actions")


# What a sub-goal's plan may use, by the decomposer's action: a small model offered every action and item
# crafts a pickaxe when asked for planks; the action records' subgoal_kinds (bot_bridge.actions.subgoal_actions())
# say which actions fit the sub-goal, the knowledge base which names.
DEFAULT_FUELS = ("coal", "charcoal", "oak_planks", "oak_log")
STATIONS = ("crafting_table", "furnace")
DEFAULT_MOBS = ("cow", "pig", "sheep", "chicken")
TOOL_KINDS = ("_pickaxe", "_axe", "_shovel", "_hoe", "_sword")


def vocabulary_for(kb: Any, subgoal: SubGoalView, inventory: Mapping[str, int], y: float | None = None) -> Vocabulary:
    """The names (and actions) a constrained schema offers for this sub-goal. With the decomposer's action
    known: its actions only, and the names that action touches (the object, the blocks or mobs it comes
    from, the tools and fuels held); otherwise every action, with what the sub-goal, its materials and the
    inventory touch. `y`, where the bot stands, bounds the levels dig_down and go_up are offered."""
    held = {k for k, v in inventory.items() if v}
    actions = subgoal_actions().get(subgoal.action or "")
    vocab = (_subgoal_vocabulary(kb, subgoal, inventory, actions) if actions
             else _broad_vocabulary(kb, subgoal, held))
    return dataclasses.replace(vocab, y=y)


def _sources(kb: Any, item: str) -> set[str]:
    """The item itself when it is a block, and the blocks that drop it (with or without shears)."""
    out = {b.name for b, _ in kb.mined_from(item)[:4]} | {b.name for b, _ in kb.sheared_from(item)[:4]}
    if kb.how_to_mine(item) is not None:
        out.add(item)
    return out or {item}


def _enough_fuel(kb: Any, inventory: Mapping[str, int], smelts: int) -> list[str]:
    """The fuels held in enough quantity to smelt `smelts` items each on its own (none: the smelt skill picks)."""
    return sorted(n for n, ticks in kb.fuels().items() if inventory.get(n, 0) * ticks >= smelts * TICKS_PER_SMELT)


def _subgoal_vocabulary(kb: Any, g: SubGoalView, inventory: Mapping[str, int],
                        actions: tuple[str, ...]) -> Vocabulary:
    """Only calls that can work now: the fuels held in enough quantity, the stations held to place."""
    held = {k for k, v in inventory.items() if v}
    mineable = _sources(kb, g.object) if g.action == "mine" else set()
    mobs = set(kb.hunted_for(g.object)) if g.action == "kill" else set()
    special = kb.special(g.object) if g.action == "use" else None
    used_on = set(special.target) if special else set()  # what a use sub-goal's held item is used on
    use_items = {special.held} if special and special.held else set()
    farmed = {g.object} if g.action in ("farm", "collect") else set()  # what a farm sub-goal grows, collect picks up
    tools = sorted(n for n in held | ({g.tool} if g.tool else set()) if n == "shears" or n.endswith(TOOL_KINDS))
    smelt_inputs = ({g.object: sorted({w.input for w in kb.smelting_for(g.object)})}
                    if g.action == "smelt" else {})
    by_kind = {
        "item": sorted(set(tools) | use_items | farmed), "tool": tools, "mineable": sorted(mineable),
        "target": sorted(mineable | mobs | used_on),
        "mob": sorted(mobs), "craftable": [g.object] if g.action == "craft" else [],
        "smeltable": [g.object] if g.action == "smelt" else [],
        "smelt_input": sorted({i for v in smelt_inputs.values() for i in v}),
        "fuel": _enough_fuel(kb, inventory, max(1, g.count)),
        "placeable": sorted(held & set(STATIONS)),
    }
    # an action with a required name of which none is on offer cannot be planned (equip with nothing held...)
    actions = tuple(n for n in actions if not any(
        a.required and a.kind in by_kind and not by_kind[a.kind] for a in ACTIONS[n].args))
    # the decomposer's count (a whole recipe's yield): a small model over-crafts and over-mines otherwise
    return Vocabulary(by_kind, smelt_inputs, actions, count=max(1, min(g.count, 64)))


def _broad_vocabulary(kb: Any, subgoal: SubGoalView, held: set[str]) -> Vocabulary:
    core = {subgoal.object, *subgoal.material, *held}
    if subgoal.tool:
        core.add(subgoal.tool)
    core |= {"crafting_table", "furnace", "stick", "oak_planks", "oak_log", "cobblestone", "coal", "charcoal",
             "wooden_pickaxe", "stone_pickaxe", "iron_pickaxe", "raw_iron", "iron_ingot"}
    for name in list(core):
        for r in kb.recipes_for(name)[:1]:
            core |= {i.items[0] for i in r.ingredients}
        for s in kb.smelting_for(name)[:2]:
            core.add(s.input)
    items = {n for n in core if kb.has_item(n)}
    mineable = {n for n in items if kb.mined_from(n) or (kb.how_to_mine(n) and kb.how_to_mine(n).diggable)}
    for n in list(items):
        mineable |= {b.name for b, _ in kb.mined_from(n)[:3]}
    blocks = set(kb.blocks())
    mobs = {d.mob for n in items for d in kb.hunted_from(n)} or set(DEFAULT_MOBS)
    craftable = {n for n in items if kb.recipes_for(n)}
    smeltable = {n for n in items if kb.smelting_for(n)}
    food = {"cooked_beef", "cooked_porkchop", "bread", "apple", "beef", "porkchop"} | {
        n for n in items if n in ("apple", "bread", "beef", "porkchop", "chicken", "mutton", "cod", "salmon")}
    fuels = set(kb.fuels())
    fuel = sorted((items & fuels) | (set(DEFAULT_FUELS) & fuels))
    smelt_inputs = {n: sorted({w.input for w in kb.smelting_for(n)}) for n in smeltable}
    return Vocabulary({
        "fuel": fuel,
        "item": sorted(items), "tool": sorted(items), "food": sorted(f for f in food if kb.has_item(f)),
        "mineable": sorted(mineable), "placeable": sorted(items & blocks) or ["crafting_table"],
        "target": sorted(mineable | mobs), "mob": sorted(mobs),
        "craftable": sorted(craftable) or ["crafting_table"], "smeltable": sorted(smeltable) or ["iron_ingot"],
        "smelt_input": sorted({i for v in smelt_inputs.values() for i in v}),
    }, smelt_inputs)


class LLMPlanner:
    def __init__(
        self,
        kb: Any,
        source: ReplySource,
        *,
        specs: Sequence[Action] | None = None,
        limits: ReplyLimits | None = None,
        max_queries: int = DEFAULT_MAX_QUERIES,
        ticks: TickBudget | None = None,
        prompt_budget: int | None = 1300,
        max_tokens: int | None = None,
        narrow_vocabulary: bool = True,
        on_query: Callable[[QueryRecord], None] | None = None,
        use_knowledge: bool = True,
        use_feedback: bool = True,
        max_failed_plans: int = DEFAULT_MAX_FAILED_PLANS,
    ):
        self.kb = kb
        self.source = source
        self.specs = list(specs) if specs is not None else list(planner_actions())
        self.limits = limits = limits or ReplyLimits()
        self.max_queries = max_queries
        self.ticks = ticks if ticks is not None else TickBudget()
        self.prompt_budget = prompt_budget
        self.max_tokens = max_tokens or limits.max_reply_tokens()
        self.narrow_vocabulary = narrow_vocabulary
        self.on_query = on_query
        self.use_knowledge = use_knowledge  # False: prompts without knowledge sentences (ablation)
        self.use_feedback = use_feedback  # False: re-plans without the last plan's feedback (ablation)
        self.max_failed_plans = max_failed_plans
        # Every query runs inside thinking(): the run loop's, which stands the world still while the model thinks.
        self.thinking: Callable[[], AbstractContextManager[Any]] = contextlib.nullcontext
        self.client: Any = None  # the LLMClient when built from one (usage figures)

    @classmethod
    def from_client(cls, client: Any, kb: Any, **kw: Any) -> LLMPlanner:
        """A planner asking an gitm.llm.client.LLMClient."""

        def source(messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> Any:
            return client.complete(messages, schema, max_tokens=max_tokens)

        planner = cls(kb, source, **kw)
        planner.client = client
        return planner

    # -- one query, repeated while the reply is invalid -----------------------------------------------

    def sentences(self, g: SubGoalView) -> list[str]:
        try:
            return relevant_first(self.kb.sentences_for(g.object), g.action, g.object)
        except Exception:  # noqa: BLE001 - an unknown object still gets a prompt (validation will say more)
            return []

    def schema(self, g: SubGoalView, inventory: Mapping[str, int], situation: str = "first",
               excluded: Sequence[PlannedAction] = (), y: float | None = None) -> dict[str, Any]:
        vocab = vocabulary_for(self.kb, g, inventory, y) if self.narrow_vocabulary else None
        if vocab is not None and excluded:
            vocab = dataclasses.replace(vocab, excluded=tuple(excluded))
        return reply_schema(self.specs, vocab, self.limits, first=situation == "first")

    def propose(
        self,
        subgoal: Any,
        state: WorldState,
        situation: str = "first",
        feedback: Iterable[Any] = (),
        reference_plan: Any = None,
        queries_left: int | None = None,
        records: list[QueryRecord] | None = None,
        bans: Sequence[Ban] = (),
    ) -> PlanReply | None:
        """A valid plan, or None when `queries_left` (default max_queries) ran out on invalid replies. `bans`:
        calls that just failed in this state, excluded from the schema (and rejected if they come back)."""
        g = SubGoalView.of(subgoal)
        left = self.max_queries if queries_left is None else queries_left
        fb_views = [f.view() if isinstance(f, Feedback) else ActionFeedback.of(f) for f in feedback]
        hints = self.hints(feedback, state) if situation == "revise" and self.use_knowledge else []
        base = build_messages(g, self.sentences(g), state.inventory, state.env(), reference_plan, situation,
                              fb_views, self.specs, self.limits, self.prompt_budget,
                              knowledge=self.use_knowledge, feedback_detail=self.use_feedback, hints=hints,
                              avoid=[b.call.call() for b in bans])
        schema = self.schema(g, state.inventory, situation, [b.call for b in bans], state.y)
        return self._ask(base, schema, situation, left, records, bans)

    def hints(self, feedback: Iterable[Any], state: WorldState) -> list[str]:
        """Knowledge for recovering from the last failed action (gitm.llm.recovery)."""
        failed = next((f for f in feedback if isinstance(f, Feedback) and not f.success), None)
        if failed is None:
            return []
        return recovery_hints(self.kb, failed.action.name, failed.action.args, failed.reason, state.inventory,
                              state.y)

    def _ask(self, base: list[dict[str, str]], schema: dict[str, Any], situation: str, left: int,
             records: list[QueryRecord] | None, bans: Sequence[Ban] = ()) -> PlanReply | None:
        """Query until a reply validates or `left` queries are spent; an invalid reply is answered with what
        was wrong. Every query is recorded (and reported through on_query)."""
        messages = base
        records = records if records is not None else []
        while left > 0:
            left -= 1
            t0 = time.monotonic()
            with self.thinking():
                raw = self.source(messages, schema, self.max_tokens)
            text = raw if isinstance(raw, str) else getattr(raw, "text", "")
            v = check_reply(text, self.kb, self.specs, self.limits)
            if v.ok and v.reply is not None:  # an endpoint that ignores the schema may still send a banned call
                v.errors = [f"action {i}: {a.call()} failed just now ({b.reason}) and would fail again; plan "
                            "something else" for i, a in enumerate(v.reply.action_list, 1)
                            for b in bans if same_call(a, b.call, ACTIONS.get(a.name))]
            rec = QueryRecord(situation, v.ok, v.errors, int(getattr(raw, "prompt_tokens", 0) or 0),
                              int(getattr(raw, "completion_tokens", 0) or 0),
                              float(getattr(raw, "seconds", 0.0) or (time.monotonic() - t0)), v.repaired, v.reply,
                              text, messages)
            records.append(rec)
            if self.on_query:
                self.on_query(rec)
            if v.ok:
                return v.reply
            messages = base + invalid_reply_messages(text, errors_for_llm(v.errors, self.specs))
        return None

    def summarize_plans(self, subgoal: str, plans: Sequence[Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
        """GITM's memory summary: one general plan from a sub-goal's successful plans (plan memory's
        summarizer). Raises ValueError when no valid plan comes back (memory then keeps the most frequent)."""
        action, _, obj = subgoal.partition(" ")
        g = SubGoalView(obj or action)
        messages = summary_messages(subgoal, plans, self.specs, self.limits)
        reply = self._ask(messages, self.schema(g, {}, "first"), "summary", SUMMARY_QUERIES, None)
        if reply is None:
            raise ValueError(f"no valid summary plan for '{subgoal}' in {SUMMARY_QUERIES} queries")
        return [{"name": a.name, "args": dict(a.args)} for a in reply.action_list]

    # -- the sub-goal loop ----------------------------------------------------------------------------

    def solve(
        self,
        subgoal: Any,
        state: WorldState,
        execute: Execute,
        *,
        reference_plan: Any = None,
        is_done: Callable[[WorldState], bool] | None = None,
        max_queries: int | None = None,
        prior: Sequence[Feedback] = (),
        bans: list[Ban] | None = None,
    ) -> Outcome:
        """Plan, act and re-plan until the sub-goal is reached, `max_queries` (default self.max_queries: the
        caller passes what is left of a sub-goal's cap across its attempts), `max_failed_plans` plans have
        failed, or the tick budget is spent. `prior`: the feedback of a plan already run (a replayed memory
        plan): the first query re-plans from it instead of planning afresh. `bans`: the failed calls of earlier
        attempts at this sub-goal, kept across them (this attempt's failures are added to the list)."""
        g = SubGoalView.of(subgoal)
        cap = self.max_queries if max_queries is None else max_queries
        target = state.inventory.get(g.object, 0) + g.count
        done = is_done or (lambda s: s.inventory.get(g.object, 0) >= target)
        out = Outcome("done", g, state=state)
        situation, feedback = "first", list(prior)
        bans = bans if bans is not None else []
        failed_plans = 0
        if feedback:
            failed = next((f for f in feedback if not f.success), None)
            situation = "revise" if failed else "continue"
            if failed is not None and self.use_feedback and not failed.server_gone:
                bans.append(Ban(failed.action, failed.reason, state_key(state)))
        while not done(state):
            if self.ticks.spent:
                out.status = "tick_cap"
                return out
            if failed_plans >= self.max_failed_plans:
                out.status = "replan_cap"
                return out
            left = cap - len(out.queries)
            if left <= 0:
                out.status = "query_cap"
                return out
            now = state_key(state)
            plan = self.propose(g, state, situation, feedback, reference_plan, left, out.queries,
                                [b for b in bans if b.state == now])
            if plan is None:
                out.status = "query_cap"
                return out
            feedback = []
            situation = "continue"
            for action in plan.action_list:
                if self.ticks.spent:
                    out.status = "tick_cap"
                    return out
                fb = Feedback.of(action, execute(action))
                self._apply(state, fb)
                feedback.append(fb)
                out.feedback.append(fb)
                if not fb.success and fb.server_gone:  # the world died and came back: go on, nothing learnt
                    situation = "continue"
                    break
                if not fb.success:
                    situation = "revise"
                    failed_plans += 1
                    if self.use_feedback:  # the no-feedback ablation does not learn from the failure either
                        bans.append(Ban(action, fb.reason, state_key(state)))
                    break
                if done(state):
                    break
        return out

    def _apply(self, state: WorldState, fb: Feedback) -> None:
        if fb.inventory is not None:
            state.inventory = dict(fb.inventory)
        else:
            for k, n in fb.delta.items():
                state.inventory[k] = state.inventory.get(k, 0) + n
                if state.inventory[k] <= 0:
                    del state.inventory[k]
        if fb.biome:
            state.biome = fb.biome
        if fb.y is not None:
            state.y = fb.y
        self.ticks.spend(fb.ticks)


@contextlib.contextmanager
def llm_planner_session(flags: Any = None, kb: Any = None, **kw: Any) -> Iterator[LLMPlanner]:
    """What `gitm run --planner llm` uses: the endpoint from flags/env/config, else `gitm llm serve`'s,
    else a local child server (stopped on exit); the local model gets LOCAL_LIMITS.

        with llm_planner_session(args, kb, ticks=TickBudget(12_000)) as planner:
            outcome = planner.solve(subgoal, state, execute)
    """
    from gitm.llm.client import LLMClient
    from gitm.llm.config import load_settings
    from gitm.llm.local_server import MODEL_ALIAS, resolve_endpoint

    if kb is None:
        from knowledge.base import KnowledgeBase

        kb = KnowledgeBase.load()
    settings, server = resolve_endpoint(load_settings(flags))
    try:
        client = LLMClient(settings)
        if settings.model == MODEL_ALIAS:
            kw.setdefault("limits", LOCAL_LIMITS)
        yield LLMPlanner.from_client(client, kb, **kw)
    finally:
        if server is not None:
            server.stop()


# Reply bounds for a 2048-token context (the local SmolLM2 server): prompt ~1100 + reply <= ~600.
LOCAL_LIMITS = ReplyLimits(max_actions=4, explanation_chars=80, thoughts_chars=120, expectation_chars=50)
