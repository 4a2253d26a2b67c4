"""gitm's knowledge base: Minecraft facts for one version as structured data and as sentences."""

from knowledge.base import KnowledgeBase

__all__ = ["KnowledgeBase"]
