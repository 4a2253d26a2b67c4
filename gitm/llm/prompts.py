"""GITM's planner prompt, built by pure functions (no I/O, no knowledge base access: callers pass text in).

System message: the role, the action set with its arguments, the rules, the reply format.
User message: the sub-goal (object, count, material, tool, info), its knowledge sentences, the inventory,
the environment (biome, y, surface/underground), the reference plan from memory and, when re-planning,
the feedback of the last plan, in one of GITM's three situations:
- first:    no plan yet, "explanation" is null;
- continue: every action of the last plan succeeded but the sub-goal is not reached yet;
- revise:   an action failed; explain why from the feedback and plan again.

The conversation is not accumulated: every query re-states the situation, so a 2048-token context
(the local SmolLM2 server) holds system + user + reply. `fit_messages()` trims the least important parts
(extra knowledge sentences, older feedback, then the reference plan) until the estimate is within budget.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot_bridge.actions import Action, planner_actions
from gitm.llm.reply import ReplyLimits

DEFAULT_REPLY_LIMITS = ReplyLimits()

SITUATIONS = ("first", "continue", "revise")

RULES = (
    "Use only the actions listed, with their argument names; names are Minecraft ids like oak_log.",
    "Before mine, explore for the block (or approach it when it is in sight).",
    "Mining needs the tool the knowledge names; equip it or pass it as tool.",
    "Recipes bigger than 2x2 need a crafting_table: craft it, place it, then craft.",
    "Smelting needs a furnace placed nearby and fuel in the inventory.",
    "Ores lie underground: dig_down to their y level first; go_up to return.",
    "Do not repeat an action that failed for the same reason; change the plan.",
)

REPLY_FORMAT = (
    '{"explanation": "why the last plan failed, or null", "thoughts": "your short reasoning", '
    '"action_list": [{"name": "action", "args": {"arg": "value"}, "expectation": "what should happen"}]}'
)


# -- inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubGoalView:
    """GITM's sub-goal (object, count, material, tool, info); built from a decomposer SubGoal or a dict."""

    object: str
    count: int = 1
    material: Mapping[str, int] = field(default_factory=dict)
    tool: str | None = None
    info: str = ""
    action: str | None = None  # the decomposer's mine / craft / smelt / kill / ... (None: not known)

    @classmethod
    def of(cls, g: Any) -> SubGoalView:
        if isinstance(g, SubGoalView):
            return g
        if isinstance(g, str):
            return cls(g)
        get = g.get if isinstance(g, Mapping) else (lambda k, d=None: getattr(g, k, d))
        return cls(str(get("object")), int(get("count", 1) or 1), dict(get("material", {}) or {}),
                   get("tool"), str(get("info", "") or ""), get("action"))


@dataclass(frozen=True)
class Environment:
    biome: str | None = None
    y: float | None = None
    underground: bool | None = None  # None: guessed from y (below 50 counts as underground)

    @classmethod
    def of(cls, e: Any) -> Environment:
        if e is None:
            return cls()
        if isinstance(e, Environment):
            return e
        get = e.get if isinstance(e, Mapping) else (lambda k, d=None: getattr(e, k, d))
        return cls(get("biome"), get("y"), get("underground"))

    def where(self) -> str:
        under = self.underground if self.underground is not None else (self.y is not None and self.y < 50)
        return "underground" if under else "on the surface"


@dataclass(frozen=True)
class ActionFeedback:
    """What one executed action did: the planner's feedback line."""

    action: str  # the call as text, e.g. mine(object=oak_log)
    success: bool
    reason: str = ""
    delta: Mapping[str, int] = field(default_factory=dict)  # inventory change
    biome: str | None = None
    y: float | None = None

    @classmethod
    def of(cls, f: Any) -> ActionFeedback:
        if isinstance(f, ActionFeedback):
            return f
        get = f.get if isinstance(f, Mapping) else (lambda k, d=None: getattr(f, k, d))
        action = get("action")
        if not isinstance(action, str) and action is not None:
            action = action.call() if hasattr(action, "call") else str(action)
        return cls(action or "?", bool(get("success", get("ok", False))), str(get("reason", "") or ""),
                   dict(get("delta", get("inventory_delta", {})) or {}), get("biome"), get("y"))


# -- renderers ------------------------------------------------------------------------------------


def estimate_tokens(text: str) -> int:
    """A conservative token estimate for small BPE vocabularies (ids with underscores split a lot)."""
    return math.ceil(len(text) / 3.2) + 4


def render_actions(specs: Iterable[Action]) -> str:
    kinds = {"y_level": "int", "y_below": "int below you", "y_above": "int above you", "count": "int",
             "tool": "item|null"}
    lines = []
    for s in specs:
        args = ", ".join(f"{a.name}{'' if a.required else '?'}: {kinds.get(a.kind, a.kind)}" for a in s.args)
        lines.append(f"- {s.name}({args}): {s.doc}")
    return "\n".join(lines)


def render_inventory(inventory: Mapping[str, int]) -> str:
    items = [(k, v) for k, v in inventory.items() if v]
    if not items:
        return "empty"
    return ", ".join(f"{n} {k}" for k, n in sorted(items, key=lambda kv: (-kv[1], kv[0])))


def render_environment(env: Environment) -> str:
    parts = [f"biome {env.biome}" if env.biome else "biome unknown"]
    if env.y is not None:
        parts.append(f"y={round(env.y)}")
    parts.append(env.where())
    return ", ".join(parts)


def render_subgoal(g: SubGoalView, knowledge: bool = True) -> str:
    """`knowledge=False`: without the decomposer's info line (where an ore lies...), which is knowledge too."""
    parts = [f"obtain {g.count} {g.object}"]
    if g.material:
        parts.append("material: " + ", ".join(f"{n} {m}" for m, n in g.material.items()))
    if g.tool:
        parts.append(f"tool: {g.tool}")
    if g.info and knowledge:
        parts.append(f"info: {g.info}")
    return "; ".join(parts)


def render_plan(plan: Any) -> str:
    """A reference plan from memory: text as is, or a list of actions (dicts / PlannedAction) as calls."""
    if plan is None:
        return ""
    if isinstance(plan, str):
        return plan.strip()
    if isinstance(plan, Mapping) and "action_list" in plan:
        plan = plan["action_list"]
    lines = []
    for i, a in enumerate(plan, 1):
        if hasattr(a, "call"):
            lines.append(f"{i}. {a.call()}")
        elif isinstance(a, Mapping):
            args = a.get("args") or {}
            shown = ", ".join(f"{k}={v}" for k, v in args.items() if v is not None)
            lines.append(f"{i}. {a.get('name')}({shown})")
        else:
            lines.append(f"{i}. {a}")
    return "\n".join(lines)


def render_delta(delta: Mapping[str, int]) -> str:
    if not delta:
        return "no change"
    return ", ".join(f"{'+' if n > 0 else ''}{n} {k}" for k, n in delta.items() if n)


def render_feedback(feedback: Sequence[ActionFeedback]) -> str:
    lines = []
    for f in feedback:
        status = "succeeded" if f.success else f"FAILED: {f.reason or 'no reason given'}"
        where = []
        if f.biome:
            where.append(f"biome {f.biome}")
        if f.y is not None:
            where.append(f"y={round(f.y)}")
        tail = f"; inventory {render_delta(f.delta)}" + (f"; {', '.join(where)}" if where else "")
        ok_reason = f" ({f.reason})" if f.success and f.reason else ""
        lines.append(f"- {f.action} {status}{ok_reason}{tail}")
    return "\n".join(lines)


# -- messages -------------------------------------------------------------------------------------


def system_prompt(specs: Iterable[Action] | None = None, limits: ReplyLimits = DEFAULT_REPLY_LIMITS) -> str:
    specs = list(planner_actions() if specs is None else specs)
    return (
        "You are a Minecraft agent's planner. Plan actions that reach the sub-goal.\n"
        f"Actions:\n{render_actions(specs)}\n"
        "Rules:\n" + "\n".join(f"- {r}" for r in RULES) + "\n"
        f"Reply with one JSON object and nothing else, at most {limits.max_actions} actions:\n{REPLY_FORMAT}"
    )


def situation_text(situation: str, feedback: Sequence[ActionFeedback], detail: bool = True,
                   hints: Sequence[str] = (), avoid: Sequence[str] = ()) -> str:
    """The situation's instruction; `detail=False` (the no-feedback ablation) says only that the last plan
    failed or did not finish, without the actions' results and failure reasons. A revise carries `hints`, the
    knowledge to recover (gitm.llm.recovery), and `avoid`, the calls that just failed in this same state."""
    if situation == "first":
        return "Make the first plan for this sub-goal. Set explanation to null."
    if not detail and situation in SITUATIONS:
        if situation == "continue":
            return "Your last plan ran, but the sub-goal is not reached yet. Plan the next actions."
        return "Your last plan failed. In explanation, guess why; then plan again."
    if situation == "continue":
        return ("Every action of your last plan succeeded, but the sub-goal is not reached yet:\n"
                f"{render_feedback(feedback)}\nPlan the next actions.")
    if situation == "revise":
        failed = next((f for f in feedback if not f.success), None)
        why = f"{failed.action} failed because {failed.reason or 'of an unknown reason'}" if failed else "it failed"
        recover = "".join(f"\n- {h}" for h in hints)
        banned = f"\nDo not call again now (they failed here): {'; '.join(avoid)}." if avoid else ""
        return (f"Your last plan failed: {why}.\nFeedback:\n{render_feedback(feedback)}\n"
                + (f"To recover:{recover}\n" if recover else "")
                + f"In explanation, say why it failed; then plan again, fixing the cause.{banned}")
    raise ValueError(f"situation must be one of {SITUATIONS}, got {situation!r}")


def user_prompt(
    subgoal: Any,
    sentences: Sequence[str],
    inventory: Mapping[str, int],
    env: Any = None,
    reference_plan: Any = None,
    situation: str = "first",
    feedback: Sequence[Any] = (),
    knowledge: bool = True,
    feedback_detail: bool = True,
    hints: Sequence[str] = (),
    avoid: Sequence[str] = (),
) -> str:
    """`knowledge=False` leaves the knowledge sentences out; `feedback_detail=False` the last plan's results
    (the ablations of GITM's knowledge and feedback). `hints`, `avoid`: see situation_text."""
    g = SubGoalView.of(subgoal)
    fb = [ActionFeedback.of(f) for f in feedback]
    parts = [f"Sub-goal: {render_subgoal(g, knowledge)}"]
    if sentences and knowledge:
        parts.append("Knowledge:\n" + "\n".join(f"- {s}" for s in sentences))
    parts.append(f"Inventory: {render_inventory(inventory)}")
    parts.append(f"Environment: {render_environment(Environment.of(env))}")
    ref = render_plan(reference_plan)
    if ref:
        parts.append(f"Reference plan (worked before for {g.object}):\n{ref}")
    parts.append(situation_text(situation, fb, feedback_detail, hints, avoid))
    return "\n".join(parts)


def build_messages(
    subgoal: Any,
    sentences: Sequence[str],
    inventory: Mapping[str, int],
    env: Any = None,
    reference_plan: Any = None,
    situation: str = "first",
    feedback: Sequence[Any] = (),
    specs: Iterable[Action] | None = None,
    limits: ReplyLimits = DEFAULT_REPLY_LIMITS,
    budget: int | None = None,
    knowledge: bool = True,
    feedback_detail: bool = True,
    hints: Sequence[str] = (),
    avoid: Sequence[str] = (),
) -> list[dict[str, str]]:
    """System + user messages for one query; trimmed to `budget` estimated prompt tokens when given.
    `knowledge` / `feedback_detail` / `hints` / `avoid`: see user_prompt (hints and avoid are never trimmed)."""
    specs = list(planner_actions() if specs is None else specs)
    system = system_prompt(specs, limits)
    sentences = list(sentences) if knowledge else []
    feedback = list(feedback) if feedback_detail else []

    def make() -> list[dict[str, str]]:
        user = user_prompt(subgoal, sentences, inventory, env, reference_plan, situation, feedback,
                           knowledge, feedback_detail, hints, avoid)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    msgs = make()
    if budget is None:
        return msgs
    while messages_tokens(msgs) > budget:
        # least useful first: extra knowledge sentences, older feedback, then the reference plan (what a small
        # model copies best) line by line
        if len(sentences) > 1:
            sentences = sentences[:-1]
        elif len(feedback) > 1:
            drop = next((i for i, f in enumerate(feedback) if ActionFeedback.of(f).success), 0)  # oldest success
            feedback = feedback[:drop] + feedback[drop + 1 :]
        elif isinstance(reference_plan, str) and reference_plan and "\n" in reference_plan.strip():
            reference_plan = reference_plan.strip().rsplit("\n", 1)[0]
        elif reference_plan and not isinstance(reference_plan, str) and len(list(reference_plan)) > 1:
            reference_plan = list(reference_plan)[:-1]
        elif reference_plan:
            reference_plan = None
        else:
            break  # system + the essentials; nothing more to drop
        msgs = make()
    return msgs


def messages_tokens(messages: Sequence[Mapping[str, str]]) -> int:
    return sum(estimate_tokens(m["content"]) + 4 for m in messages)


def invalid_reply_messages(bad_reply: str, error_message: str, max_chars: int = 600) -> list[dict[str, str]]:
    """What to append after a rejected reply: the reply (shortened) and what was wrong with it."""
    shown = bad_reply if len(bad_reply) <= max_chars else bad_reply[:max_chars] + "..."
    return [{"role": "assistant", "content": shown}, {"role": "user", "content": error_message}]


def summary_messages(subgoal: str, plans: Sequence[Any], specs: Iterable[Action] | None = None,
                     limits: ReplyLimits = DEFAULT_REPLY_LIMITS) -> list[dict[str, str]]:
    """GITM's memory summary query: the successful plans of one sub-goal in, one general plan out."""
    shown = "\n".join(f"Plan {i}:\n{render_plan(p)}" for i, p in enumerate(plans, 1))
    user = (f"These plans each reached the sub-goal '{subgoal}':\n{shown}\n"
            "Write one general plan that reaches it: keep the steps they share, drop what only one of them did. "
            "Set explanation to null.")
    return [{"role": "system", "content": system_prompt(specs, limits)}, {"role": "user", "content": user}]
