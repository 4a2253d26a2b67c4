"""Crafting on the embedded world with Mineflayer's own bot.craft: 2x2 in the inventory, 3x3 at a table.

After every step the bot's inventory must be exactly what vanilla leaves, and the server must agree with it
(read back through a vanilla full resync, see test_world_inventory.server_view).
"""

from __future__ import annotations

import pytest
from javascript import require

from bot_bridge.node_env import module_path
from tests.conftest import inventory, wait_until
from tests.test_world_inventory import give, server_view, slots

pytestmark = pytest.mark.slow


def item_id(bot, name: str) -> int:
    return bot.registry.itemsByName[name].id


def craft(bot, name: str, count: int = 1, table=None) -> None:
    recipes = bot.recipesFor(item_id(bot, name), None, 1, table)
    assert recipes.length > 0, f"no recipe for {name} with {inventory(bot)}"
    bot.craft(recipes[0], count, table, timeout=30)


def agreed_inventory(bot) -> dict[str, int]:
    """The bot's inventory once the server's view of the inventory window equals the client's."""
    assert wait_until(lambda: server_view(bot) == slots(bot), 5)
    return inventory(bot)


def place_table(server, bot):
    """Place the crafted table with the bot on a stone set next to it; returns the table block."""
    vec3 = require(module_path("node_modules/vec3"))
    feet = bot.entity.position.floored()
    x, y, z = int(feet.x) + 2, int(feet.y), int(feet.z)
    server.command(f"setblock {x} {y - 1} {z} minecraft:stone")
    server.command(f"setblock {x} {y} {z} minecraft:air")
    server.command(f"setblock {x} {y + 1} {z} minecraft:air")
    assert wait_until(lambda: bot.blockAt(vec3(x, y - 1, z)).name == "stone", 5)
    assert wait_until(lambda: bot.blockAt(vec3(x, y, z)).name == "air", 5)
    bot.equip(item_id(bot, "crafting_table"), "hand", timeout=10)
    bot.placeBlock(bot.blockAt(vec3(x, y - 1, z)), vec3(0, 1, 0), timeout=10)
    assert wait_until(lambda: bot.blockAt(vec3(x, y, z)).name == "crafting_table", 5)
    return bot.blockAt(vec3(x, y, z))


def test_logs_to_wooden_pickaxe(server, bot):
    give(server, bot, "oak_log", 1)
    craft(bot, "oak_planks")
    assert agreed_inventory(bot) == {"oak_planks": 4}
    craft(bot, "stick")
    assert agreed_inventory(bot) == {"oak_planks": 2, "stick": 4}
    give(server, bot, "oak_log", 1)
    craft(bot, "oak_planks")
    assert agreed_inventory(bot) == {"oak_planks": 6, "stick": 4}
    craft(bot, "crafting_table")
    assert agreed_inventory(bot) == {"oak_planks": 2, "stick": 4, "crafting_table": 1}

    table = place_table(server, bot)
    assert agreed_inventory(bot) == {"oak_planks": 2, "stick": 4}
    give(server, bot, "oak_log", 1)
    craft(bot, "oak_planks")
    assert bot.recipesFor(item_id(bot, "wooden_pickaxe"), None, 1, None).length == 0  # 3x3 needs the table
    craft(bot, "wooden_pickaxe", 1, table)
    assert agreed_inventory(bot) == {"oak_planks": 3, "stick": 2, "wooden_pickaxe": 1}


def test_repeated_and_shapeless_crafts(server, bot):
    give(server, bot, "oak_log", 3)
    craft(bot, "oak_planks", 3)
    assert agreed_inventory(bot) == {"oak_planks": 12}
    craft(bot, "stick", 2)
    assert agreed_inventory(bot) == {"oak_planks": 8, "stick": 8}
    give(server, bot, "iron_ingot", 2)
    give(server, bot, "flint", 2)
    craft(bot, "flint_and_steel", 2)  # shapeless, 2x2
    assert agreed_inventory(bot) == {"oak_planks": 8, "stick": 8, "flint_and_steel": 2}


def test_table_window_and_grid_rules(server, bot):
    """Raw clicks: a table's window type, mixed planks, log tags, shift-click crafting all, closing returns the grid."""
    give(server, bot, "oak_planks", 1)
    give(server, bot, "birch_planks", 1)
    give(server, bot, "oak_wood", 3)
    vec3 = require(module_path("node_modules/vec3"))
    feet = bot.entity.position.floored()
    x, y, z = int(feet.x) - 2, int(feet.y), int(feet.z)
    server.command(f"setblock {x} {y} {z} minecraft:crafting_table")
    server.command(f"setblock {x} {y + 1} {z} minecraft:air")
    assert wait_until(lambda: bot.blockAt(vec3(x, y, z)).name == "crafting_table", 5)
    assert wait_until(lambda: bot.blockAt(vec3(x, y + 1, z)).name == "air", 5)
    window = bot.openBlock(bot.blockAt(vec3(x, y, z)), timeout=10)
    assert window.type == "minecraft:crafting" and window.inventoryStart == 10
    assert bot.blockAt(vec3(x, y + 1, z)).name == "air"  # opening placed nothing

    def put(name: str, slot: int, button: int = 0) -> None:
        bot.clickWindow(window.findInventoryItem(name).slot, 0, 0)
        bot.clickWindow(slot, button, 0)

    # one oak and one birch plank, anywhere in the grid, make sticks (vanilla #planks)
    put("oak_planks", 6)
    put("birch_planks", 9)
    assert wait_until(lambda: window.slots[0] is not None and window.slots[0].name == "stick", 3)
    assert window.slots[0].count == 4
    bot.clickWindow(0, 0, 1)  # shift-click the result
    assert wait_until(lambda: window.slots[6] is None and window.slots[9] is None and window.slots[0] is None, 3)

    # 3 oak wood (vanilla #oak_logs) in one cell; shift-click crafts all three times
    put("oak_wood", 5)
    assert wait_until(lambda: window.slots[0] is not None and window.slots[0].name == "oak_planks", 3)
    bot.clickWindow(0, 0, 1)
    assert wait_until(lambda: window.slots[5] is None and window.slots[0] is None, 3)
    assert server_view(bot) == slots(bot)

    # items left in the grid go back to the player when the window closes
    put("oak_planks", 1, button=1)
    bot.closeWindow(window)
    assert agreed_inventory(bot) == {"stick": 4, "oak_planks": 12}
