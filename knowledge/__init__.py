"""gitm's knowledge base: Minecraft facts for one version as structured data and as sentences; it imports nothing
of ours. `version` (the one MC_VERSION), `facts` (rules: tool tiers, wood, bounds, milestones, dig heights),
`base` (KnowledgeBase over data/<version>/), `tables` (hand-made tables), `sentences` (text for the LLM),
`generate` (rebuild data/ from minecraft-data), `errors`."""

from knowledge.base import KnowledgeBase

__all__ = ["KnowledgeBase"]
