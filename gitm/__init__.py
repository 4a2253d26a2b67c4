"""gitm: a Ghost-in-the-Minecraft style agent, in rooms that follow the pipeline:

- `gitm.tree`: the tech tree, the decomposer and goal names (pure: no world, no LLM);
- `gitm.llm`: the LLM endpoint (settings, client, local server), prompts, the reply schema and its validation,
  and the LLM planner;
- `gitm.agent`: the run loop with its planners (the rules and the LLM), one episode, sweeps;
- `gitm.record`: run events, the run record, reports and the dashboard;
- `gitm.cli`: the `gitm` command, a table of verbs.

Below it: `knowledge` (game facts), `bot_bridge` (the body and the world) and `memory_store` (plan memory).
"""

__version__ = "0.1.0"
