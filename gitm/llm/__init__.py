"""The LLM side of planning: endpoint settings, the client, the local model server, prompts, the reply schema
and its validation, and the LLM planner (first plan, continue, revise)."""
