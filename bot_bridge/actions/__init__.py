"""GITM's structured action set: one record per action (`Action`: name, doc, args, time limit, the sub-goal kinds
that may use it, and its check), the registry `ACTIONS`, and typed results.

Validation happens in Python before anything moves: an unknown item, a block nobody can mine or a
recipe-less craft is a failed ActionResult with a reason, never an exception from the bridge.
The JavaScript skill (bot_bridge/skills/<action>.js) receives the validated, resolved arguments
(e.g. `mine raw_iron` -> blocks iron_ore/deepslate_iron_ore, counting raw_iron).

Adding an action: its record and check (the `action` decorator, in one of the modules below) and its skill
file, bot_bridge/skills/<name>.js exporting `skill`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.base import KnowledgeBase

from . import gather, make, sense, survive  # noqa: F401 - each registers its actions, in the planner's order
from .base import (
    ACTIONS,
    BODY_KINDS,
    PLANNER_KINDS,
    STRATEGIES,
    Y_KINDS,
    Action,
    ActionArgError,
    Arg,
    action,
    mine_targets,
    register,
)
from .results import ActionResult, Observation

__all__ = ["ACTIONS", "BODY_KINDS", "PLANNER_KINDS", "STRATEGIES", "Y_KINDS", "Action", "ActionArgError",
           "ActionResult", "Arg", "Observation", "action", "default_limits", "mine_targets", "planner_actions",
           "register", "subgoal_actions", "validate"]


def validate(kb: KnowledgeBase, action: str, args: Mapping[str, Any], inventory: Mapping[str, int] | None = None
             ) -> dict[str, Any]:
    """Checked and resolved arguments for the JS skill, or ActionArgError with a reason."""
    record = ACTIONS.get(action)
    if record is None:
        raise ActionArgError(f"unknown action '{action}'; actions: {', '.join(ACTIONS)}")
    return record.check(kb, dict(args), inventory)


def default_limits() -> dict[str, float]:
    """Each action's time limit (wall seconds): the JS skill stops itself at it, Python gives up a little later."""
    return {name: a.limit_s for name, a in ACTIONS.items()}


def planner_actions() -> tuple[Action, ...]:
    """The actions the planner plans with (all but the body's own, such as observe)."""
    return tuple(a for a in ACTIONS.values() if a.planner)


def subgoal_actions() -> dict[str, tuple[str, ...]]:
    """Sub-goal kind (the decomposer's mine, craft, smelt, kill, use, farm, collect) -> the actions its plans use."""
    out: dict[str, tuple[str, ...]] = {}
    for a in planner_actions():
        for kind in a.subgoal_kinds:
            out[kind] = (*out.get(kind, ()), a.name)
    return out
