"""Tool-gated drops, vanilla dig times and readable item entities, on the real server with a real bot."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import pytest
from javascript import eval_js

from bot_bridge.node_env import BRIDGE_DIR, ensure_node_modules, node_environ, node_executable
from tests.conftest import a_bot, a_world, inventory, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator:
    """A server of this module's own: it counts the item entities near a spot, and other tests leave theirs lying at
    the shared spawn (a bed, clay balls)."""
    yield from a_world(tmp_path_factory, "drops")


@pytest.fixture
def bot(server) -> Iterator:
    yield from a_bot(server, "r")


def test_harvest_rules_unit_tests_pass():
    """lib/harvest.js on its own (node --test): tiers, loot, vanilla ticks, never slower than Mineflayer's timing."""
    ensure_node_modules()
    run = subprocess.run([node_executable(), "--test", "server/lib/harvest.test.js"], cwd=BRIDGE_DIR,
                         capture_output=True, text=True, timeout=60, env=node_environ())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def _vec(x: int, y: int, z: int):
    from javascript import require

    return require("vec3")(x, y, z)


def _spot(server, bot) -> tuple[int, int, int]:
    """The bot's feet block, bot centred on it, with a stone floor and clear air on the 5 blocks east of it."""
    wait_until(lambda: bot.entity.onGround, timeout=10)
    pos = bot.entity.position.floored()
    x, y, z = int(pos.x), int(pos.y), int(pos.z)
    # Centred, a block dug next to the feet drops within pickup range (spawn puts the bot on a block corner).
    bot.chat(f"/tp {x}.5 {y}.0 {z}.5")  # op test set-up; the console's /tp needs a player context
    assert wait_until(lambda: abs(bot.entity.position.x - x - 0.5) < 0.01 and bot.entity.onGround, timeout=10)
    for dx in range(0, 6):
        server.command(f"setblock {x + dx} {y - 1} {z} minecraft:stone")
        if dx > 0:
            server.command(f"setblock {x + dx} {y} {z} minecraft:air")
            server.command(f"setblock {x + dx} {y + 1} {z} minecraft:air")
    assert wait_until(lambda: bot.blockAt(_vec(x + 5, y - 1, z)).name == "stone", timeout=10)
    return x, y, z


def _place(server, bot, x: int, y: int, z: int, name: str):
    server.command(f"setblock {x} {y} {z} minecraft:{name}")
    assert wait_until(lambda: bot.blockAt(_vec(x, y, z)).name == name, timeout=10), f"{name} never appeared"
    return bot.blockAt(_vec(x, y, z))


def _hold(server, bot, item: str) -> None:
    server.command(f"give {bot.username} {item} 1")
    assert wait_until(lambda: inventory(bot).get(item) == 1, timeout=10)
    bot.equip(next(i for i in bot.inventory.items() if i.name == item), "hand")
    assert wait_until(lambda: bot.heldItem is not None and bot.heldItem.name == item, timeout=5)


def _items_near(bot, x: int, y: int, z: int, radius: float = 3.0) -> int:
    return eval_js("""return Object.values(bot.entities).filter(e => e.name === 'item' &&
        Math.hypot(e.position.x - x - 0.5, e.position.y - y - 0.5, e.position.z - z - 0.5) < radius).length""")


def _dig_next_to(server, bot, block_name: str, tool: str | None) -> dict[str, int]:
    """Dig `block_name` at the bot's feet level, one block east, with `tool` held; the inventory gained (tool aside)."""
    x, y, z = _spot(server, bot)
    if tool:
        _hold(server, bot, tool)
    block = _place(server, bot, x + 1, y, z, block_name)
    before = inventory(bot)
    bot.dig(block, timeout=120)  # generous: a loaded machine slows the server's ticks
    return _gained(bot, before, x + 1, y, z)


def _gained(bot, before: dict[str, int], x: int, y: int, z: int) -> dict[str, int]:
    # Picked up after vanilla's 0.5 s delay, or nothing: wait until an item arrives or 1.5 s pass with none in sight.
    wait_until(lambda: inventory(bot) != before, timeout=1.5)
    wait_until(lambda: not _items_near(bot, x, y, z), timeout=3)
    after = inventory(bot)
    return {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}


def test_bare_hand_on_stone_drops_nothing(server, bot):
    assert _dig_next_to(server, bot, "stone", None) == {}


def test_wooden_pickaxe_on_iron_ore_drops_nothing(server, bot):
    assert _dig_next_to(server, bot, "iron_ore", "wooden_pickaxe") == {}


def test_stone_pickaxe_on_iron_ore_drops_raw_iron(server, bot):
    assert _dig_next_to(server, bot, "iron_ore", "stone_pickaxe") == {"raw_iron": 1}


def test_iron_pickaxe_on_diamond_ore_drops_a_diamond(server, bot):
    assert _dig_next_to(server, bot, "diamond_ore", "iron_pickaxe") == {"diamond": 1}


def test_logs_and_dirt_by_hand(server, bot):
    assert _dig_next_to(server, bot, "oak_log", None) == {"oak_log": 1}
    assert _dig_next_to(server, bot, "dirt", None) == {"dirt": 1}


def test_nether_sprouts_need_shears(server, bot):
    assert _dig_next_to(server, bot, "nether_sprouts", None) == {}
    assert _dig_next_to(server, bot, "nether_sprouts", "shears") == {"nether_sprouts": 1}


def test_a_dig_finished_too_early_is_refused(server, bot):
    x, y, z = _spot(server, bot)
    block = _place(server, bot, x + 1, y, z, "oak_log")  # 3 s by hand
    before = inventory(bot)
    client = bot._client
    for status in (0, 2):
        client.write("block_dig", {"status": status, "location": block.position, "face": 1, "sequence": 0})
    time.sleep(1.5)
    assert inventory(bot) == before and not _items_near(bot, x + 1, y, z)
    # The server still has the log: a dig at the legitimate pace now gets it.
    bot.dig(bot.blockAt(_vec(x + 1, y, z)), timeout=120)
    assert _gained(bot, before, x + 1, y, z) == {"oak_log": 1}


def _nearest_item(bot):
    # The filter runs in JS: a Python callback across the bridge returns a proxy, always truthy, so the nearest entity
    # of any kind (a cow of the world's herds) came back.
    return eval_js("return bot.nearestEntity(e => e.name === 'item')")


def test_dropped_items_are_readable_and_picked_up_whole(server, bot):
    x, y, z = _spot(server, bot)
    block = _place(server, bot, x + 4, y, z, "clay")  # out of pickup range; drops 4 clay balls in one stack
    bot.dig(block, timeout=120)  # generous: a loaded machine slows the server's ticks
    assert wait_until(lambda: _nearest_item(bot) is not None, timeout=5)
    dropped = _nearest_item(bot).getDroppedItem()
    assert (dropped.name, dropped.count) == ("clay_ball", 4)
    bot.chat(f"/tp {x + 4}.5 {y}.0 {z}.5")
    assert wait_until(lambda: inventory(bot).get("clay_ball") == 4, timeout=10)
