"""The agent: one run loop with a planner behind a small interface (the rules or the LLM), an episode (world,
bot, loop), sweeps over items and seeds."""
