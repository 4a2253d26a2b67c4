"""Game facts that are rules rather than tables: tool tiers and tool checks, wood families, world bounds, stack
limits, where to dig for an ore, and GITM's ObtainDiamond milestones. The one home of each: the agent, the body and
the benchmarks read them from here."""

from __future__ import annotations

from collections.abc import Mapping

# Tool tiers from worst to best. A golden tool harvests what a wooden one does (vanilla's harvest level 0).
TOOL_TIERS = ("wooden", "stone", "iron", "diamond", "netherite")
TIER_ALIASES = {"golden": "wooden"}

# The Overworld's build limits (1.18+): the floor is bedrock at y=-64, the last buildable layer is y=319.
WORLD_MIN_Y, WORLD_MAX_Y = -64, 319
# The levels a player's feet can stand at (one above the floor at the lowest).
MIN_Y, MAX_Y = WORLD_MIN_Y + 1, WORLD_MAX_Y
# Bedrock fills y=-64 and, thinning out, reaches y=-60: the lowest level a player's feet surely reach by digging
# is the one above it (a planner offers no deeper dig).
BEDROCK_TOP_Y = WORLD_MIN_Y + 4
DIG_FLOOR_Y = BEDROCK_TOP_Y + 1
# Most of one item a player can hold: 36 inventory slots of 64.
MAX_COUNT = 36 * 64

# Where the agent digs for an ore: its most common height less two (the bot's feet, so its eyes are at the ore),
# never above SEARCH_Y_CAP (a typical surface is higher: an ore most common in mountains, such as coal or emerald,
# is still common there) nor below SEARCH_Y_FLOOR (a block above the deepest sure dig, clear of bedrock's noise).
SEARCH_Y_CAP, SEARCH_Y_FLOOR = 40, DIG_FLOOR_Y + 1

# GITM's ObtainDiamond milestones, in tech-tree order; "log" is any log.
MILESTONES = ("log", "crafting_table", "wooden_pickaxe", "cobblestone", "stone_pickaxe", "raw_iron", "furnace",
              "iron_ingot", "iron_pickaxe", "diamond")

# Overworld trees' logs; the decomposer plans with oak, the body uses whichever wood it holds.
LOGS = ("oak_log", "birch_log", "spruce_log", "jungle_log", "acacia_log", "dark_oak_log", "mangrove_log",
        "cherry_log")
DEFAULT_LOG, DEFAULT_PLANKS = "oak_log", "oak_planks"


# Melee weapons: (attack damage in hit points, attacks a second at full strength), vanilla 1.21. A bare hand deals 1.
# Swords hit faster than axes, so a sword of a tier out-damages that tier's axe over a fight.
WEAPONS: dict[str, tuple[float, float]] = {
    "wooden_sword": (4, 1.6), "golden_sword": (4, 1.6), "stone_sword": (5, 1.6), "iron_sword": (6, 1.6),
    "diamond_sword": (7, 1.6), "netherite_sword": (8, 1.6),
    "wooden_axe": (7, 0.8), "golden_axe": (7, 1.0), "stone_axe": (9, 0.8), "iron_axe": (9, 0.9),
    "diamond_axe": (9, 1.0), "netherite_axe": (10, 1.0),
}


# Foods a player does not eat for hunger: they poison, starve (hunger effect) or nauseate, or are worth more
# otherwise (golden apples are kept for their effects).
NOT_EATEN = ("rotten_flesh", "spider_eye", "poisonous_potato", "pufferfish", "chicken", "suspicious_stew",
             "golden_apple", "enchanted_golden_apple", "chorus_fruit")
# Eat when the food bar falls to this (of 20): vanilla heals only from 18 up, sprinting stops at 6.
EAT_AT_FOOD = 14


DAY_TICKS = 24000
# A new world's time of day is 0 (sunrise); `/time set`'s names for times of day (ticks).
TIMES_OF_DAY = {"day": 1000, "noon": 6000, "night": 13000, "midnight": 18000}


def time_of_day(text: str) -> int:
    """A time of day from a name of TIMES_OF_DAY or ticks 0..23999; ValueError naming what is allowed."""
    if text in TIMES_OF_DAY:
        return TIMES_OF_DAY[text]
    if text.isdigit() and int(text) < DAY_TICKS:
        return int(text)
    raise ValueError(f"a time of day is {', '.join(TIMES_OF_DAY)} or ticks from 0 to {DAY_TICKS - 1}, not {text!r}")


# The time of day (ticks, 0..23999) a bed can be slept in, clear weather (vanilla); a night slept through ends at 0.
SLEEP_FROM, SLEEP_UNTIL = 12542, 23459


def can_sleep_at(time_of_day: int | None) -> bool:
    return time_of_day is not None and SLEEP_FROM <= time_of_day % DAY_TICKS <= SLEEP_UNTIL


# A hostile mob this close (blocks) is dealt with between actions: fought, or fled below FLEE_BELOW_HEALTH (of 20)
# and always from those that explode.
DEFEND_RADIUS = 6
FLEE_BELOW_HEALTH = 8
FLEE_FROM = ("creeper",)


def best_weapon(inventory: Mapping[str, int]) -> str | None:
    """The held weapon that deals the most damage a second (None: fists)."""
    held = [w for w in WEAPONS if inventory.get(w, 0) > 0]
    return max(held, key=lambda w: WEAPONS[w][0] * WEAPONS[w][1], default=None)


def tool_tier(name: str) -> tuple[str, int] | None:
    """(kind, tier index) of a tiered tool: golden_pickaxe -> ("pickaxe", 0); None for anything else."""
    tier, _, kind = name.partition("_")
    tier = TIER_ALIASES.get(tier, tier)
    return (kind, TOOL_TIERS.index(tier)) if tier in TOOL_TIERS and kind else None


def has_tool(inventory: Mapping[str, int], tool: str | None) -> bool:
    """Whether the inventory meets a tool need: that tool, or one of the same kind at least as good (an iron or a
    golden pickaxe for a wooden_pickaxe; shears only for shears)."""
    if not tool or inventory.get(tool, 0) > 0:
        return True
    need = tool_tier(tool)
    if need is None:
        return False
    return any(n > 0 and (have := tool_tier(item)) is not None and have[0] == need[0] and have[1] >= need[1]
               for item, n in inventory.items())


def cheapest_tool(tools: list[str]) -> str:
    """The lowest-tier tool of a list (wooden_pickaxe before iron_pickaxe)."""
    return min(tools, key=lambda t: (tool_tier(t) or ("", len(TOOL_TIERS)))[1])


def is_log(name: str) -> bool:
    return name in LOGS


def as_default_wood(name: str) -> str:
    """birch_log -> oak_log, birch_planks -> oak_planks: the names plans are made in; anything else as is."""
    if name in LOGS:
        return DEFAULT_LOG
    if name.endswith("_planks"):
        return DEFAULT_PLANKS
    return name


def wood_normalized(inventory: Mapping[str, int]) -> dict[str, int]:
    """The inventory in plan terms: any log counts as oak_log, any planks as oak_planks."""
    out: dict[str, int] = {}
    for k, v in inventory.items():
        k = as_default_wood(k)
        out[k] = out.get(k, 0) + v
    return out


def held_wood_variant(name: str, inventory: Mapping[str, int]) -> str:
    """oak_planks -> the planks of the log the inventory holds most of (birch_planks with birch logs held)."""
    if name != DEFAULT_PLANKS:
        return name
    logs = sorted(((v, k) for k, v in inventory.items() if k in LOGS and v > 0), reverse=True)
    return logs[0][1].replace("_log", "_planks") if logs else name


def milestone_reached(milestone: str, inventory: Mapping[str, int]) -> bool:
    if milestone == "log":
        return any(inventory.get(n, 0) > 0 for n in LOGS)
    return inventory.get(milestone, 0) > 0


def search_y(best_y: int) -> int:
    """The feet level to dig for an ore at, from its most common height (see SEARCH_Y_CAP)."""
    return max(SEARCH_Y_FLOOR, min(SEARCH_Y_CAP, best_y - 2))


# The time of day (ticks) the surface is dark enough for monsters to spawn, clear weather (vanilla's sky darkening
# brings the surface's light to 7 or less). By day they are found where the sky cannot reach: underground, in caves.
MONSTERS_OUT_FROM, MONSTERS_OUT_UNTIL = 13188, 22812
# A monster hunt by day goes below the surface: a pickaxe digs the way down (a tool of the hostile mobs' kill ways).
HUNT_UNDERGROUND_TOOL = "wooden_pickaxe"


def monsters_out(time_of_day: int | None) -> bool:
    """Whether monsters spawn on the surface now (unknown time: assumed not)."""
    return time_of_day is not None and MONSTERS_OUT_FROM <= time_of_day % 24000 <= MONSTERS_OUT_UNTIL


# Dye colours in DyeColor id order (a sheep's wool metadata keeps the id in its low 4 bits). A sheep drops, and is
# sheared for, the wool of its own colour.
DYE_COLORS = ("white", "orange", "magenta", "light_blue", "yellow", "lime", "pink", "gray", "light_gray", "cyan",
              "purple", "blue", "brown", "green", "red", "black")


def wool_color(item: str) -> str | None:
    """The sheep colour that gives `item` (a wool), else None."""
    color = item.removesuffix("_wool")
    return color if item.endswith("_wool") and color in DYE_COLORS else None
