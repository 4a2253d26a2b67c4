"""Structured Minecraft knowledge for one version, loaded from knowledge/data/<version>/ (no node needed)."""

from __future__ import annotations

import difflib
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import knowledge.tables as tables
from knowledge.errors import UnknownItemError
from knowledge.facts import search_y
from knowledge.tables import Smelt
from knowledge.version import MC_VERSION

DATA_DIR = Path(__file__).parent / "data"
TICKS_PER_SMELT = 200  # one furnace smelt; fuel burn times are in ticks too
TOPICS = ("crafting", "smelting", "fuels", "mining", "ores", "sources")


@dataclass(frozen=True)
class Ingredient:
    count: int
    items: tuple[str, ...]  # alternatives, default choice first
    tag: str | None = None  # "planks", "logs"... when the alternatives come from a Minecraft tag

    @property
    def name(self) -> str:
        if self.tag or len(self.items) == 1:
            return self.tag or self.items[0]
        return f"{self.items[0]} (or {', '.join(self.items[1:])})"


@dataclass(frozen=True)
class Recipe:
    result: str
    count: int
    ingredients: tuple[Ingredient, ...]
    table: bool  # needs a crafting_table (grid larger than 2x2)
    shaped: bool


@dataclass(frozen=True)
class Drop:
    item: str
    min: int
    max: int
    chance: float  # per broken block
    grown: bool  # only from a fully grown crop


@dataclass(frozen=True)
class Block:
    name: str
    hardness: float | None
    diggable: bool
    tool: str | None  # pickaxe/axe/shovel/hoe/sword/shears, or None when nothing helps
    min_tier: str | None  # lowest tool tier that gets any drop; None = by hand
    harvest_tools: tuple[str, ...]
    drops: tuple[Drop, ...]  # without shears or silk touch
    shears: tuple[Drop, ...]  # instead of `drops` when broken with shears (leaves, cobweb, grass)
    silk_touch: tuple[str, ...]

    @property
    def min_tool(self) -> str | None:
        """The cheapest tool item needed for a drop (None = bare hand works)."""
        if self.tool == "shears" and self.harvest_tools:
            return "shears"
        return f"{self.min_tier}_{self.tool}" if self.min_tier else None


@dataclass(frozen=True)
class MobDrop:
    mob: str
    item: str
    chance: float
    min: int
    max: int


@dataclass(frozen=True)
class MobSpawn:
    """Where a hunted mob spawns (vanilla's spawn settings): its weight, and the biomes or places it is limited to
    (none: most Overworld land biomes)."""
    mob: str
    weight: int
    only: tuple[str, ...] = ()

    @property
    def commonness(self) -> tuple[bool, int]:
        """A sort key, most common first: mobs of most biomes before limited ones, then heavier spawn weights."""
        return bool(self.only), -self.weight


@dataclass(frozen=True)
class Ore:
    name: str
    dimension: str
    min_y: int
    max_y: int
    best_y: int
    note: str


@dataclass(frozen=True)
class Unobtainable:
    item: str
    kind: str  # creative / nether / end / mob_drop / loot
    reason: str


@dataclass(frozen=True)
class Special:
    item: str
    action: str
    material: dict[str, int]
    tool: str | None
    info: str
    target: tuple[str, ...] = ()  # what it is used on: mobs or blocks (collect: item entities); none: in hand
    near: tuple[str, ...] = ()  # collect: the mobs by which the items appear (chickens lay eggs)
    every: tuple[int, int] | None = None  # collect: ticks between two items a mob lays, fewest and most

    def __post_init__(self) -> None:
        object.__setattr__(self, "target", tuple(self.target))
        object.__setattr__(self, "near", tuple(self.near))
        if self.every is not None:
            object.__setattr__(self, "every", tuple(self.every))

    @property
    def held(self) -> str | None:
        """What the player holds to use on the target: the material used up (a bucket), else the tool (shears)."""
        return next(iter(self.material), self.tool)


@dataclass(frozen=True)
class Crop:
    """A crop block grown from `seed` planted on farmland (tables/crops.json)."""

    block: str
    seed: str
    max_age: int  # ripe at this age
    produce: str  # one from a ripe crop
    bonus: str  # bonus_tries tries at bonus_chance of one more, from a ripe crop
    bonus_tries: int
    bonus_chance: float
    skip_one_in: int | None = None  # skips one random tick in this many (beetroots: 3)
    rare: dict[str, float] = field(default_factory=dict)  # item -> chance, from a ripe crop (poisonous_potato)
    bone_meal_divisor: int = 1  # bone meal's 2-5 ages divided by this, rounded down (beetroots: 3)

    @property
    def bone_meal(self) -> tuple[int, int]:
        """The ages one bone meal advances the crop by, fewest and most."""
        lo, hi = tables.raw_table("crops")["growth"]["bone_meal"]
        return lo // self.bone_meal_divisor, hi // self.bone_meal_divisor

    @property
    def bonus_mean(self) -> float:
        return self.bonus_tries * self.bonus_chance

    def ripen_ticks(self, f: float, tick_speed: int | None = None) -> float:
        """Expected game ticks from planting to ripe at growth speed f (vanilla CropBlock.getGrowthSpeed: 1 alone on
        dry soil, 4 alone on hydrated farmland, 10 with hydrated farmland all around)."""
        growth = tables.raw_table("crops")["growth"]
        speed = tick_speed or growth["random_tick_speed"]
        per_tick = speed / growth["section_blocks"] / (math.floor(25 / f) + 1)
        if self.skip_one_in:
            per_tick *= 1 - 1 / self.skip_one_in
        return self.max_age / per_tick


@dataclass
class KnowledgeBase:
    data: dict[str, Any]
    sentences: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._items: dict[str, dict[str, Any]] = self.data["items"]
        known = set(self._items)
        self._recipes = {
            name: [
                Recipe(
                    name,
                    r["count"],
                    tuple(Ingredient(i["count"], tuple(i["items"]), i["tag"]) for i in r["ingredients"]),
                    r["table"],
                    r["shaped"],
                )
                for r in rs
            ]
            for name, rs in self.data["recipes"].items()
        }
        self._blocks = {
            name: Block(
                name,
                b["hardness"],
                b["diggable"],
                b["tool"],
                b["min_tier"],
                tuple(b["harvest_tools"]),
                _drops(b["drops"]),
                _drops(b["shears"]),
                tuple(b["silk_touch"]),
            )
            for name, b in self.data["blocks"].items()
        }
        self._smelting = tables.smelting(known)
        self._smelt_by_result: dict[str, list[Smelt]] = defaultdict(list)
        for s in self._smelting:
            self._smelt_by_result[s.result].append(s)
        self._smelted = set(self._smelt_by_result)
        self._fuels = tables.fuels(known)
        self._ores = {n: Ore(n, **o) for n, o in tables.raw_table("ores")["ores"].items()}
        sources = tables.raw_table("sources")
        self._special = {n: Special(n, **s) for n, s in sources["special"]["items"].items()}
        self._unobtainable: dict[str, Unobtainable] = {}
        for name in sorted(known):
            for kind, entry in sources["unobtainable"].items():
                if tables.matches(name, entry["items"]):
                    self._unobtainable[name] = Unobtainable(name, kind, entry["reason"])
                    break
        crops = tables.raw_table("crops")["crops"]
        self._crops = {b: Crop(b, **c, bonus_tries=crops["bonus_tries"], bonus_chance=crops["bonus_chance"])
                       for b, c in crops["blocks"].items() if {c["seed"], c["produce"]} <= known}
        self._mined_from = self._index_gathering(sources)
        self._spawn = {m: MobSpawn(m, s["weight"], tuple(s.get("only", ())))
                       for m, s in sources["hunt"]["spawn"].items()}
        self._in_structures = frozenset(sources["natural"]["structures"])
        self._hunted_from = self._index_hunting(sources["hunt"])
        self._aliases_lower = {n.lower(): n for n in known}

    # -- gathering indexes -------------------------------------------------------------------------

    def _is_gatherable_block(self, block: Block, natural: set[str]) -> bool:
        """Blocks the agent may break to gather items: found in the Overworld, not merely player-placed."""
        if not block.diggable or block.name in self._unobtainable:
            return False
        if block.name in natural:
            return True
        # A block without its own item (wall_torch, redstone_wire) or one that is crafted (oak_planks) or smelted
        # (smooth_stone, glazed terracotta) only exists where someone placed it.
        return block.name in self._items and block.name not in self._recipes and block.name not in self._smelted

    def _index_gathering(self, sources: dict[str, Any]) -> dict[str, list[tuple[Block, Drop]]]:
        natural = set(sources["natural"]["blocks"])
        index: dict[str, list[tuple[Block, Drop]]] = defaultdict(list)
        self._silk_from: dict[str, list[str]] = defaultdict(list)
        self._sheared_from: dict[str, list[tuple[Block, Drop]]] = defaultdict(list)
        for block in self._blocks.values():
            if self._is_gatherable_block(block, natural):
                for drop in block.drops:
                    index[drop.item].append((block, drop))
                for drop in block.shears:
                    self._sheared_from[drop.item].append((block, drop))
                for item in block.silk_touch:
                    self._silk_from[item].append(block.name)
        return index

    def _index_hunting(self, hunt: dict[str, Any]) -> dict[str, list[MobDrop]]:
        index: dict[str, list[MobDrop]] = defaultdict(list)
        for mob in sorted(hunt["mobs"], key=lambda m: self._spawn[m].commonness):
            drops = [MobDrop(mob, d["item"], d["chance"], d["min"], d["max"]) for d in self.mob_drops(mob)]
            drops += [MobDrop(mob, item, 1.0, 1, 1) for item in hunt["extra_drops"].get(mob, [])]
            for d in drops:
                if d.chance >= hunt["min_chance"]:
                    index[d.item].append(d)
        return index

    # -- loading -----------------------------------------------------------------------------------

    @classmethod
    def load(cls, version: str = MC_VERSION) -> KnowledgeBase:
        return _load(version)

    # -- lookups -----------------------------------------------------------------------------------

    def preference(self, name: str) -> tuple[int, int, str]:
        """Sort key putting the default member of a group first (oak_planks, birch_planks, acacia_planks)."""
        return tables.preference(name)

    def all_item_names(self) -> list[str]:
        return sorted(self._items)

    def has_item(self, name: str) -> bool:
        return name in self._items

    def food(self, name: str) -> tuple[float, float] | None:
        """(hunger points, saturation) eating the item restores; None when it is no food."""
        f = self.data["items"].get(name, {}).get("food")
        return (f["points"], f["saturation"]) if f else None

    def canonical(self, name: str) -> str:
        """The item's exact name, accepting any case; UnknownItemError with close matches otherwise."""
        found = self._aliases_lower.get(name.strip().lower().replace(" ", "_"))
        if found is None:
            raise UnknownItemError(name, self.suggest(name))
        return found

    def suggest(self, name: str, n: int = 5) -> list[str]:
        key = name.strip().lower().replace(" ", "_")
        close = difflib.get_close_matches(key, self._items, n=n, cutoff=0.6)
        return close or sorted(i for i in self._items if key and key in i)[:n]

    def item(self, name: str) -> dict[str, Any]:
        return self._items[self.canonical(name)]

    def recipes_for(self, name: str) -> list[Recipe]:
        return self._recipes.get(name, [])

    def smelting_for(self, result: str) -> list[Smelt]:
        return self._smelt_by_result.get(result, [])

    def smelting(self) -> list[Smelt]:
        return list(self._smelting)

    def fuels(self) -> dict[str, int]:
        """Fuel item -> burn time in ticks (200 ticks smelt one item)."""
        return dict(self._fuels)

    def how_to_mine(self, block: str) -> Block | None:
        return self._blocks.get(block)

    def blocks(self) -> dict[str, Block]:
        return dict(self._blocks)

    def drops(self, block: str) -> list[str]:
        b = self._blocks.get(block)
        return [d.item for d in b.drops] if b else []

    def mined_from(self, item: str) -> list[tuple[Block, Drop]]:
        """Natural Overworld blocks that drop the item without silk touch."""
        return self._mined_from.get(item, [])

    def in_structures_only(self, block: str) -> bool:
        """A natural block found only in generated structures (cobweb in mineshafts), not in the open terrain."""
        return block in self._in_structures

    def sheared_from(self, item: str) -> list[tuple[Block, Drop]]:
        """Natural Overworld blocks that drop the item when broken with shears (oak_leaves, cobweb)."""
        return self._sheared_from.get(item, [])

    def silk_touch_from(self, item: str) -> list[str]:
        """Natural blocks that drop the item only with silk touch."""
        return self._silk_from.get(item, [])

    def mob_drops(self, mob: str) -> list[dict[str, Any]]:
        return self.data["mobs"].get(mob, {}).get("drops", [])

    def is_hostile(self, mob: str) -> bool:
        """A mob that attacks players on sight (minecraft-data's category)."""
        return self.data["mobs"].get(mob, {}).get("category") == "Hostile mobs"

    def spawn(self, mob: str) -> MobSpawn | None:
        """Where a hunted mob spawns; None for a mob the agent does not hunt."""
        return self._spawn.get(mob)

    def hunted_from(self, item: str) -> list[MobDrop]:
        """Drops of the Overworld mobs the agent hunts, the most common mob first (MobSpawn.commonness)."""
        return self._hunted_from.get(item, [])

    def hunted_for(self, item: str) -> list[str]:
        """The hunted mobs that drop the item, each once, in the order of hunted_from."""
        return list(dict.fromkeys(d.mob for d in self.hunted_from(item)))

    def dropped_by(self, item: str) -> list[str]:
        """Every mob whose loot contains the item (hunted or not)."""
        return sorted(m for m, e in self.data["mobs"].items() if any(d["item"] == item for d in e["drops"]))

    def ore(self, name: str) -> Ore | None:
        return self._ores.get(name)

    def search_y(self, name: str) -> int | None:
        """The feet level to dig at for an Overworld ore or what it drops (raw_iron, diamond, coal): from the
        highest most-common height among the ore blocks (iron_ore's 16 before deepslate_iron_ore's -8)."""
        ores = [self._ores[name]] if name in self._ores else [
            self._ores[b.name] for b, _ in self.mined_from(name) if b.name in self._ores]
        best = [o.best_y for o in ores if o.dimension == "overworld"]
        return search_y(max(best)) if best else None

    def ores(self) -> dict[str, Ore]:
        return dict(self._ores)

    def crops(self) -> dict[str, Crop]:
        return dict(self._crops)

    def grown_from(self, item: str) -> list[Crop]:
        """The crops whose ripe harvest gives the item (its produce, its bonus or a rare drop)."""
        return [c for c in self._crops.values() if item in (c.produce, c.bonus, *c.rare)]

    def farmland(self) -> dict[str, Any]:
        """What a hoe tills into farmland and how near water keeps it hydrated (tables/crops.json)."""
        return dict(tables.raw_table("crops")["farmland"])

    def special(self, item: str) -> Special | None:
        return self._special.get(item)

    def unobtainable(self, item: str) -> Unobtainable | None:
        return self._unobtainable.get(item)

    def sentences_for(self, item: str) -> list[str]:
        name = self.canonical(item)
        out: list[str] = []
        for topic in TOPICS:
            out += self.sentences.get(topic, {}).get(name, [])
        return out


def _drops(entries: list[dict[str, Any]]) -> tuple[Drop, ...]:
    return tuple(Drop(d["item"], d["min"], d["max"], d["chance"], d["grown"]) for d in entries)


@cache
def _load(version: str) -> KnowledgeBase:
    root = DATA_DIR / version
    if not root.is_dir():
        raise FileNotFoundError(f"no knowledge data for Minecraft {version} in {root}")
    data = {n: json.loads((root / f"{n}.json").read_text()) for n in ("items", "recipes", "blocks", "mobs", "meta")}
    sentences = {t: json.loads((root / "sentences" / f"{t}.json").read_text()) for t in TOPICS}
    return KnowledgeBase(data, sentences)
