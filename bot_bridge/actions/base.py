"""One record per bot action (`Action`, its arguments `Arg`), the registry `ACTIONS` and the checks' helpers.

An action is declared once, with its check, by the `action` decorator:

    @action("go_up", "climb up to level y", limit_s=120, subgoal_kinds=("mine",), args=(Arg("y", "y_level"),))
    def go_up(kb, args, inventory):
        return {"y": y_level(args.get("y"), "go_up")}

plus its JavaScript skill, bot_bridge/skills/go_up.js (exporting `skill`). The registry feeds the bot's
validation (`validate`), the body's time limits, and the planner's reply schema, prompt and sub-goal actions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from knowledge.base import KnowledgeBase
from knowledge.errors import UnknownItemError
from knowledge.facts import DYE_COLORS, LOGS, MAX_COUNT, MAX_Y, MIN_Y, cheapest_tool

# Argument kinds the planner's schema and validation know:
#   item       any known item            mineable   a block, or an item some block drops
#   target     a block, item or mob      mob        a known mob
#   craftable  an item with a recipe     smeltable  an item a furnace produces
#   placeable  an item that is a block   tool       an item, or null for the bare hand
#   food       an item                   y_level    integer MIN_Y..MAX_Y
#   y_below    a y_level below the bot   y_above    a y_level above the bot (the planner's schema knows where it is)
#   count      integer 1..MAX_COUNT      strategy   one of STRATEGIES
#   fuel       a furnace fuel            smelt_input  what smelts into the action's smeltable object
# and kinds of the arguments only the body takes (an Action's body_args): number, flag, choice, items.
PLANNER_KINDS = ("item", "mineable", "target", "mob", "craftable", "smeltable", "placeable", "tool", "food", "y_level",
                 "y_below", "y_above", "count", "strategy", "fuel", "smelt_input")
Y_KINDS = ("y_level", "y_below", "y_above")
BODY_KINDS = ("number", "flag", "choice", "items")
STRATEGIES = ("surface", "underground")


class ActionArgError(ValueError):
    """An action's arguments do not make sense (unknown item, nothing to mine, no recipe)."""


@dataclass(frozen=True)
class Arg:
    name: str
    kind: str
    required: bool = True
    doc: str = ""

    def __post_init__(self) -> None:
        if self.kind not in PLANNER_KINDS + BODY_KINDS:
            raise ValueError(f"argument {self.name}: unknown kind {self.kind!r}")


Check = Callable[[KnowledgeBase, dict[str, Any], Mapping[str, int] | None], dict[str, Any]]


@dataclass(frozen=True)
class Action:
    """One bot action: what the planner sees (name, doc, args), the body's time limit, the decomposer's sub-goal
    kinds whose plans may use it, and its check: (kb, args, inventory or None) -> the resolved arguments for its
    JS skill (bot_bridge/skills/<name>.js), or ActionArgError. `body_args` are further knobs the check accepts
    that the planner is not offered (a search radius, a kept station)."""

    name: str
    doc: str
    args: tuple[Arg, ...]
    limit_s: float  # wall seconds: the JS skill stops itself at the limit
    subgoal_kinds: tuple[str, ...]
    check: Check = field(compare=False, repr=False)
    planner: bool = True  # False: the body uses it, the planner does not plan with it (observe)
    body_args: tuple[Arg, ...] = ()

    def __post_init__(self) -> None:
        for a in self.args:
            if a.kind not in PLANNER_KINDS:
                raise ValueError(f"{self.name}: argument {a.name} of kind {a.kind!r} belongs in body_args")

    def signature(self) -> str:
        parts = [a.name if a.required else f"{a.name}?" for a in self.args]
        return f"{self.name}({', '.join(parts)})"


ACTIONS: dict[str, Action] = {}  # name -> record, in the order the planner lists them


def register(record: Action) -> Action:
    if record.name in ACTIONS:
        raise ValueError(f"action {record.name!r} is registered already")
    ACTIONS[record.name] = record
    return record


def action(name: str, doc: str, *, limit_s: float, args: tuple[Arg, ...] = (), subgoal_kinds: tuple[str, ...] = (),
           planner: bool = True, body_args: tuple[Arg, ...] = ()) -> Callable[[Check], Action]:
    """Declare and register an action whose check is the decorated function."""

    def declare(check: Check) -> Action:
        return register(Action(name, doc, args, limit_s, subgoal_kinds, check, planner, body_args))

    return declare


# -- helpers for the checks ---------------------------------------------------------------------------

def canon(kb: KnowledgeBase, name: str, what: str = "item") -> str:
    if not isinstance(name, str) or not name.strip():
        raise ActionArgError(f"{what} name missing")
    try:
        return kb.canonical(name.removeprefix("minecraft:"))
    except UnknownItemError as e:
        raise ActionArgError(str(e)) from None


WOOL = Arg("wool", "choice", False, f"a sheep: only an unsheared one of this wool colour ({', '.join(DYE_COLORS)})")


def wool(a: Mapping[str, Any]) -> dict[str, int]:
    """The WOOL argument for the skill: the colour's DyeColor id, which a sheep's metadata holds."""
    color = a.get("wool")
    if color is None:
        return {}
    if color not in DYE_COLORS:
        raise ActionArgError(f"wool must be one of {', '.join(DYE_COLORS)}, not {color!r}")
    return {"wool": DYE_COLORS.index(color)}


def count(n: Any) -> int:
    try:
        c = int(n)
    except (TypeError, ValueError):
        raise ActionArgError(f"count must be a whole number, not {n!r}") from None
    if c < 1 or c > MAX_COUNT:
        raise ActionArgError(f"count must be between 1 and {MAX_COUNT}, not {c}")
    return c


def y_level(value: Any, action_name: str) -> int:
    try:
        y = int(value)
    except (TypeError, ValueError):
        raise ActionArgError(f"{action_name} needs a target y, not {value!r}") from None
    if not MIN_Y <= y <= MAX_Y:
        raise ActionArgError(f"y must be within {MIN_Y}..{MAX_Y}, not {y}")
    return y


def mine_targets(kb: KnowledgeBase, obj: str) -> tuple[list[str], list[str], str | None]:
    """(blocks to break, items that count, cheapest tool) for mining `obj` (an item or a block name)."""
    if obj.endswith("_log") or obj in ("logs", "log"):
        return list(LOGS), list(LOGS), None
    sources = kb.mined_from(obj)
    sheared = kb.sheared_from(obj)
    if sheared and not sources:
        # only shears drop it (oak_leaves, cobweb, short_grass): any other tool drops something else
        return sorted({b.name for b, _ in sheared}), [obj], "shears"
    if sources:
        blocks = sorted({b.name for b, _ in sources})
        tools = [b.min_tool for b, _ in sources]
        tool = None if any(t is None for t in tools) else cheapest_tool(tools)
        return blocks, [obj], tool
    block = kb.how_to_mine(obj)
    if block is not None and block.diggable:
        items = [d.item for d in block.drops] or [obj]
        return [obj], items, block.min_tool
    raise ActionArgError(f"nothing in the Overworld can be mined for {obj}")
