"""Goal names: item names in any case, GITM/MineRL goals (ObtainDiamond) and a few generic words."""

from __future__ import annotations

import re

from knowledge.base import KnowledgeBase
from knowledge.errors import UnknownItemError

# Generic words GITM's goals use for a family of items; the default member stands in for it.
GENERIC = {
    "log": "oak_log",
    "logs": "oak_log",
    "wood": "oak_log",
    "plank": "oak_planks",
    "planks": "oak_planks",
    "sticks": "stick",
    "wool": "white_wool",
    "bed": "white_bed",
    "boat": "oak_boat",
    "iron": "iron_ingot",
    "gold": "gold_ingot",
    "copper": "copper_ingot",
    "stone_tools": "stone_pickaxe",
    "diamonds": "diamond",
}


def _snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", camel).lower()


def resolve_goal(goal: str, kb: KnowledgeBase) -> str:
    """The item a goal name means, or UnknownItemError listing close matches."""
    text = goal.strip()
    candidates = [text]
    if re.match(r"(?i)^obtain[_ ]?", text):
        rest = re.sub(r"(?i)^obtain[_ ]?", "", text)
        candidates.append(_snake(rest) if "_" not in rest else rest)
    for cand in candidates:
        key = cand.lower().replace(" ", "_").replace("-", "_")
        if kb.has_item(key):
            return key
        if key in GENERIC:
            return GENERIC[key]
    key = candidates[-1].lower().replace(" ", "_")
    raise UnknownItemError(goal, kb.suggest(key))
