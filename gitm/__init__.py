"""gitm: a Ghost-in-the-Minecraft style agent, in rooms that follow the pipeline:

- `gitm.tree`: the tech tree, the decomposer and goal names (pure: no world, no LLM);
- `gitm.llm`: the LLM endpoint (settings, client, local server), prompts, the reply schema and its validation,
  and the LLM planner;
- `gitm.agent`: the run loop with its planners (the rules and the LLM), one episode, sweeps;
- `gitm.record`: run events, the run record, reports and the dashboard;
- `gitm.cli`: the `gitm` command, a table of verbs.

Below it: `knowledge` (game facts), `bot_bridge` (the body and the world) and `memory_store` (plan memory).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitm.tree.decomposer import Plan

__version__ = "0.1.0"


def plan(goal: str, count: int = 1, inventory: dict[str, int] | None = None, gather: bool = True) -> Plan:
    """The plan to obtain `count` of `goal` from `inventory` (README: "Python API"); the stable entry point.

    gather=False crafts and smelts only. Raises gitm.tree.decomposer.MissingItemsError (the inventory cannot make
    it: `.missing`), UnobtainableError (the Overworld cannot supply it: `.kind`, `.reason`, `.via`) or
    knowledge.errors.UnknownItemError (no such item: `.suggestions`)."""
    from gitm.tree.decomposer import decompose  # imported on use: `import gitm` stays light

    return decompose(goal, count, inventory, gather=gather)
