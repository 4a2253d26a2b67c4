"""The embedded world's furnace, driven by a real Mineflayer bot through `bot.openFurnace` (no mocks)."""

from __future__ import annotations

import json

import pytest

from knowledge.base import DATA_DIR, KnowledgeBase
from knowledge.version import MC_VERSION

from .conftest import inventory, wait_until

# Generated from the knowledge base's tables (knowledge/generate.py); the furnace plugin reads it.
TABLE = DATA_DIR / MC_VERSION / "furnace.json"
SMELT_TICKS = 200
SMELT_SECONDS = SMELT_TICKS / 20  # at 20 TPS


def _item_id(bot, name: str) -> int:
    return bot.registry.itemsByName[name].id


def _give(server, bot, **counts: int) -> None:
    for name, count in counts.items():
        server.command(f"give {bot.username} minecraft:{name} {count}")
    assert wait_until(lambda: all(inventory(bot).get(n, 0) >= c for n, c in counts.items()), 5), inventory(bot)


def _clear_spot(server, bot, dx: int, dz: int = 0):
    """An air column at (dx, dz) from the bot, on a stone floor; returns (floor, spot) positions.

    Each test uses its own offset: every bot spawns at the same place and the furnaces stay."""
    assert wait_until(lambda: bot.entity.onGround, 10), "the bot never landed"
    spot = bot.entity.position.floored().offset(dx, 0, dz)
    server.command(f"setblock {spot.x} {spot.y - 1} {spot.z} minecraft:stone")
    for dy in (0, 1):
        server.command(f"setblock {spot.x} {spot.y + dy} {spot.z} minecraft:air")
    floor = spot.offset(0, -1, 0)
    assert wait_until(lambda: bot.blockAt(floor).name == "stone" and bot.blockAt(spot).name == "air", 5)
    return floor, spot


def _furnace_by_setblock(server, bot, dx: int, dz: int = 0):
    _, spot = _clear_spot(server, bot, dx, dz)
    server.command(f"setblock {spot.x} {spot.y} {spot.z} minecraft:furnace")
    assert wait_until(lambda: bot.blockAt(spot).name == "furnace", 5)
    return spot


def _slot(window, index: int) -> tuple[str, int] | None:
    item = window.slots[index]
    return (item.name, item.count) if item else None


def test_smelting_table_covers_vanilla_basics():
    table = json.loads(TABLE.read_text())
    # the knowledge base's items are minecraft-data's 1.21.4 list; no node_modules needed for a pure test
    known = set(KnowledgeBase.load().data["items"])
    recipes, fuels = table["recipes"], table["fuelTicks"]
    assert table["cookTicks"] == 200
    names = set(recipes) | {r["result"] for r in recipes.values()} | set(fuels)
    assert names <= known, sorted(names - known)
    expected = {
        "raw_iron": "iron_ingot", "raw_gold": "gold_ingot", "raw_copper": "copper_ingot",
        "deepslate_iron_ore": "iron_ingot", "nether_gold_ore": "gold_ingot", "ancient_debris": "netherite_scrap",
        "sand": "glass", "cobblestone": "stone", "clay_ball": "brick", "netherrack": "nether_brick",
        "wet_sponge": "sponge", "cactus": "green_dye", "kelp": "dried_kelp", "potato": "baked_potato",
        "beef": "cooked_beef", "porkchop": "cooked_porkchop", "chicken": "cooked_chicken", "mutton": "cooked_mutton",
        "cod": "cooked_cod", "salmon": "cooked_salmon", "rabbit": "cooked_rabbit",
    }
    for wood in ("oak", "spruce", "birch", "jungle", "acacia", "dark_oak", "mangrove", "cherry", "pale_oak"):
        expected[f"{wood}_log"] = expected[f"stripped_{wood}_wood"] = "charcoal"
    assert {k: recipes[k]["result"] for k in expected} == expected
    assert "crimson_stem" not in recipes and "crimson_planks" not in fuels  # nether wood does not burn
    assert {k: fuels[k] for k in ("coal", "charcoal", "oak_log", "birch_planks", "stick", "coal_block", "lava_bucket",
                                  "blaze_rod", "wooden_pickaxe", "oak_slab", "dried_kelp_block")} == {
        "coal": 1600, "charcoal": 1600, "oak_log": 300, "birch_planks": 300, "stick": 100, "coal_block": 16000,
        "lava_bucket": 20000, "blaze_rod": 2400, "wooden_pickaxe": 200, "oak_slab": 150, "dried_kelp_block": 4001}


@pytest.mark.slow
def test_raw_iron_and_coal_make_an_iron_ingot(server, bot):
    from javascript import require

    from bot_bridge.node_env import module_path

    vec3 = require(module_path("node_modules/vec3"))
    _give(server, bot, raw_iron=1, coal=1, furnace=1)
    floor, spot = _clear_spot(server, bot, 2)
    bot.equip(_item_id(bot, "furnace"), "hand", timeout=10)
    bot.placeBlock(bot.blockAt(floor), vec3(0, 1, 0), timeout=10)
    assert wait_until(lambda: bot.blockAt(spot).name == "furnace", 5)
    assert bot.blockAt(spot).getProperties().lit is False

    furnace = bot.openFurnace(bot.blockAt(spot), timeout=20)
    assert furnace.type == "minecraft:furnace" and furnace.inventoryStart == 3 and furnace.slots.length == 39
    furnace.putFuel(_item_id(bot, "coal"), None, 1, timeout=10)
    furnace.putInput(_item_id(bot, "raw_iron"), None, 1, timeout=10)
    assert wait_until(lambda: bot.blockAt(spot).getProperties().lit is True, 10), "the furnace did not light"
    # Smelting runs on server ticks: count them by the world age (sent once a second), not by the wall clock,
    # which a loaded machine stretches.
    started = bot.time.age

    fuel_seen, progress_seen = [], []
    def smelted() -> bool:
        fuel_seen.append(furnace.fuel)
        progress_seen.append(furnace.progress)
        return furnace.outputItem() is not None

    assert wait_until(smelted, 6 * SMELT_SECONDS, every=0.5), f"no output after {6 * SMELT_SECONDS:.0f} s"
    took = bot.time.age - started  # ticks; the age arrives every 20 ticks and is polled every 0.5 s
    assert SMELT_TICKS - 30 <= took <= SMELT_TICKS + 50, took
    assert _slot(furnace, 2) == ("iron_ingot", 1)
    assert _slot(furnace, 0) is None and _slot(furnace, 1) is None  # input smelted, the one coal burning
    # Mineflayer's fractions, from the window properties: fuel left falls from 1, progress climbs from 0.
    fuel_values = [f for f in fuel_seen if f is not None]
    progress_values = [p for p in progress_seen if p is not None]
    # (the first fuel update can read 0: the fuel left arrives before the new total, as on vanilla)
    assert 0.8 < fuel_values[-1] < 0.95, fuel_values  # 200 of the coal's 1600 ticks burnt
    assert any(0.2 < p < 0.8 for p in progress_values), progress_values
    assert furnace.totalFuel == 1600 and furnace.totalProgress == 200

    furnace.takeOutput(timeout=10)
    furnace.close()
    assert wait_until(lambda: inventory(bot).get("iron_ingot") == 1, 3), inventory(bot)
    assert "coal" not in inventory(bot) and "raw_iron" not in inventory(bot)


@pytest.mark.slow
def test_charcoal_from_logs_keeps_smelting_with_the_window_closed(server, bot):
    _give(server, bot, oak_log=2, oak_planks=2)
    spot = _furnace_by_setblock(server, bot, -2)
    furnace = bot.openFurnace(bot.blockAt(spot), timeout=20)
    furnace.putFuel(_item_id(bot, "oak_planks"), None, 2, timeout=10)
    furnace.putInput(_item_id(bot, "oak_log"), None, 2, timeout=10)
    started = bot.time.age
    furnace.close()
    assert inventory(bot) == {}

    # 2 logs take 400 ticks; 2 planks burn 600. Server ticks, by the world age (which lags up to 20 ticks).
    assert wait_until(lambda: bot.time.age - started >= 2 * SMELT_TICKS + 30, 12 * SMELT_SECONDS), bot.time.age
    assert bot.blockAt(spot).getProperties().lit is True  # the second plank still burns

    furnace = bot.openFurnace(bot.blockAt(spot), timeout=20)
    assert _slot(furnace, 2) == ("charcoal", 2)
    assert _slot(furnace, 0) is None and _slot(furnace, 1) is None
    furnace.takeOutput(timeout=10)
    furnace.close()
    assert wait_until(lambda: inventory(bot) == {"charcoal": 2}, 3), inventory(bot)


@pytest.mark.slow
def test_breaking_a_furnace_drops_its_contents(server, bot):
    _give(server, bot, raw_iron=3, diamond_pickaxe=1)
    spot = _furnace_by_setblock(server, bot, 0, 1)  # next to the bot, so it picks up what drops
    furnace = bot.openFurnace(bot.blockAt(spot), timeout=20)
    # Shift-click: the server's quick-move sends smeltables to the input slot (no fuel: it just sits there).
    bot.clickWindow(furnace.findInventoryItem(_item_id(bot, "raw_iron")).slot, 0, 1, timeout=10)
    assert wait_until(lambda: _slot(furnace, 0) == ("raw_iron", 3), 2), _slot(furnace, 0)
    furnace.close()
    assert "raw_iron" not in inventory(bot)

    bot.equip(_item_id(bot, "diamond_pickaxe"), "hand", timeout=10)
    bot.dig(bot.blockAt(spot), timeout=10)
    assert wait_until(lambda: bot.blockAt(spot).name == "air", 3)
    # Step into the hole: the stacks pop out with a random push and are picked up within ~1.75 blocks.
    center = spot.offset(0.5, 0, 0.5)
    bot.lookAt(center.offset(0, 1.6, 0), True)
    bot.setControlState("forward", True)
    wait_until(lambda: bot.entity.position.xzDistanceTo(center) < 0.4, 2, every=0.05)
    bot.clearControlStates()
    assert wait_until(lambda: inventory(bot).get("raw_iron") == 3 and inventory(bot).get("furnace") == 1, 5), (
        inventory(bot), bot.blockAt(spot).name, server.log_tail(8))
