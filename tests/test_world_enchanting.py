"""The enchanting table and the anvil on the embedded world (plugins/enchantingTable.js, plugins/anvil.js), used by a
real Mineflayer bot through `bot.openEnchantmentTable` and `bot.openAnvil` (no mocks). Set-up uses op commands."""

from __future__ import annotations

import subprocess

import pytest

from bot_bridge.node_env import BRIDGE_DIR, ensure_node_modules, node_environ, node_executable
from tests.conftest import give_items, inventory, vec3, wait_until

pytestmark = pytest.mark.slow

PICKAXE_ENCHANTMENTS = {"efficiency", "unbreaking", "fortune", "silk_touch"}
SWORD_ENCHANTMENTS = {"sharpness", "smite", "bane_of_arthropods", "knockback", "fire_aspect", "looting",
                      "sweeping_edge", "unbreaking"}


def test_enchanting_rules_unit_tests_pass():
    """lib/enchanting.js on its own (node --test): java.util.Random, costs, offers only fitting enchantments."""
    ensure_node_modules()
    run = subprocess.run([node_executable(), "--test", "server/lib/enchanting.test.js"], cwd=BRIDGE_DIR,
                         capture_output=True, text=True, timeout=120, env=node_environ())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def _levels(server, bot, levels: int) -> None:
    server.command(f"xp set {bot.username} {levels} levels")  # vanilla's /experience syntax
    assert wait_until(lambda: bot.experience.level == levels, 10), bot.experience.level


def _setblock(server, bot, pos, block: str) -> None:
    server.command(f"setblock {pos.x} {pos.y} {pos.z} minecraft:{block}")
    assert wait_until(lambda: bot.blockAt(pos).name == block, 10), f"{block} never appeared at {pos}"


def _spot(server, bot, dx: int, dz: int):
    """A cell at the bot's feet level (dx, dz) away, emptied, with stone under it."""
    assert wait_until(lambda: bot.entity.onGround, 10), "the bot never landed"
    feet = bot.entity.position.floored()
    pos = vec3(feet.x + dx, feet.y, feet.z + dz)
    for dy in (0, 1):
        _setblock(server, bot, pos.offset(0, dy, 0), "air")
    _setblock(server, bot, pos.offset(0, -1, 0), "stone")
    return pos


def _enchantments(item) -> dict[str, int]:
    """An item's enchantments as the client decoded them (1.21 enchantments/stored_enchantments components)."""
    names = {}
    for kind in ("enchantments", "stored_enchantments"):
        component = item.componentMap.get(kind)
        if component:
            listed = component.data.enchantments
            for k in range(listed.length):
                names[_NAMES[listed[k].id]] = listed[k].level
    return names


_NAMES: dict[int, str] = {}


def _load_names(bot) -> None:
    if not _NAMES:
        for e in bot.registry.enchantmentsArray:
            _NAMES[e.id] = e.name


def _offers(table) -> list[tuple[int, str | None, int]]:
    return [(e.level, _NAMES.get(e.expected.enchant), e.expected.level) for e in table.enchantments]


def test_a_pickaxe_is_enchanted_at_a_table_for_lapis_and_levels(server, bot):
    _load_names(bot)
    give_items(server, bot, diamond_pickaxe=1, lapis_lazuli=3)
    _levels(server, bot, 30)
    pos = _spot(server, bot, 3, 0)
    _setblock(server, bot, pos, "enchanting_table")

    table = bot.openEnchantmentTable(bot.blockAt(pos), timeout=20)
    assert table.type == "minecraft:enchantment" and table.inventoryStart == 2
    table.putLapis(table.findInventoryItem(bot.registry.itemsByName.lapis_lazuli.id, None, False), timeout=10)
    table.putTargetItem(table.findInventoryItem(bot.registry.itemsByName.diamond_pickaxe.id, None, False), timeout=10)
    # No bookshelves: vanilla's costs are 1-2, 2-6 or none, 3-8 or none; the first option always shows a clue.
    assert wait_until(lambda: table.enchantments[0].level > 0 and table.enchantments[0].expected.enchant >= 0, 10), \
        _offers(table)
    offers = _offers(table)
    assert 1 <= offers[0][0] <= 2 and offers[1][0] <= 6 and offers[2][0] <= 8, offers
    assert all(name in PICKAXE_ENCHANTMENTS for cost, name, _ in offers if cost > 0), offers

    item = table.enchant(0, timeout=20)
    got = _enchantments(item)
    assert got and set(got) <= PICKAXE_ENCHANTMENTS, got
    assert got.get(offers[0][1]) == offers[0][2], (got, offers)  # the clue shown is among what it gave
    assert wait_until(lambda: bot.experience.level == 29, 10), bot.experience.level  # option 1 costs 1 level
    assert table.slots[1].name == "lapis_lazuli" and table.slots[1].count == 2
    # An enchanted item is offered nothing more.
    assert wait_until(lambda: all(e.level == 0 for e in table.enchantments), 10), _offers(table)
    table.takeTargetItem(timeout=10)
    table.close()
    pick = next(i for i in bot.inventory.items() if i.name == "diamond_pickaxe")
    assert _enchantments(pick) == got
    assert wait_until(lambda: inventory(bot).get("lapis_lazuli") == 2, 10), inventory(bot)


def test_fifteen_bookshelves_offer_level_30_and_the_third_option_takes_three_lapis(server, bot):
    """mineflayer's own external test (enchanting.js), with set-up by commands."""
    _load_names(bot)
    give_items(server, bot, diamond_sword=1, lapis_lazuli=3)
    _levels(server, bot, 31)
    pos = _spot(server, bot, -3, 4)
    _setblock(server, bot, pos, "enchanting_table")
    shelves = [(dx, dz) for dx in range(-2, 3) for dz in range(-2, 3) if abs(dx) == 2 or abs(dz) == 2][:15]
    for dx, dz in shelves:
        for dy in (0, 1):
            _setblock(server, bot, pos.offset(dx, dy + 1, dz), "air")  # nothing between them and the table
        _setblock(server, bot, pos.offset(dx, 0, dz), "bookshelf")
    for dx in (-1, 0, 1):
        for dz in (-1, 0, 1):
            if (dx, dz) != (0, 0):
                _setblock(server, bot, pos.offset(dx, 0, dz), "air")

    table = bot.openEnchantmentTable(bot.blockAt(pos), timeout=20)
    table.putLapis(table.findInventoryItem(bot.registry.itemsByName.lapis_lazuli.id, None, False), timeout=10)
    table.putTargetItem(table.findInventoryItem(bot.registry.itemsByName.diamond_sword.id, None, False), timeout=10)
    assert wait_until(lambda: table.enchantments[2].level == 30, 10), _offers(table)
    assert _offers(table)[2][1] in SWORD_ENCHANTMENTS, _offers(table)
    item = table.enchant(2, timeout=20)
    got = _enchantments(item)
    assert got and set(got) <= SWORD_ENCHANTMENTS, got
    assert wait_until(lambda: bot.experience.level == 28, 10), bot.experience.level  # option 3 costs 3 levels
    assert table.slots[1] is None  # all three lapis
    table.close()
    assert wait_until(lambda: "diamond_sword" in inventory(bot) and "lapis_lazuli" not in inventory(bot), 10)


def _till_with_each_hoe(server, bot, n: int, dz: int) -> list:
    """n wooden hoes, each used once on its own dirt block: n hoes with one durability point used."""
    give_items(server, bot, wooden_hoe=n)
    # flying-squid's /give makes one stack of n unstackable hoes: split it as a player would, one to each empty slot
    while sum(1 for i in bot.inventory.items() if i.name == "wooden_hoe") < n:
        stack = next(i for i in bot.inventory.items() if i.name == "wooden_hoe" and i.count > 1)
        bot.clickWindow(stack.slot, 1, 0, timeout=10)  # right click: half the stack on the cursor
        bot.clickWindow(bot.inventory.firstEmptyInventorySlot(), 0, 0, timeout=10)
    for k in range(n):
        hoe = next(i for i in bot.inventory.items() if i.name == "wooden_hoe" and i.durabilityUsed == 0)
        bot.equip(hoe, "hand", timeout=10)
        dirt = _spot(server, bot, 2, dz + k).offset(0, -1, 0)
        _setblock(server, bot, dirt, "dirt")
        bot.activateBlock(bot.blockAt(dirt), timeout=10)
        assert wait_until(lambda d=dirt: bot.blockAt(d).name == "farmland", 10)
    assert wait_until(lambda: sorted(i.durabilityUsed for i in bot.inventory.items() if i.name == "wooden_hoe")
                      == [1] * n, 10)
    return [i for i in bot.inventory.items() if i.name == "wooden_hoe"]


def _anvil(server, bot, dx: int, dz: int):
    pos = _spot(server, bot, dx, dz)
    _setblock(server, bot, pos, "anvil")
    return pos


def test_an_anvil_repairs_two_damaged_hoes_for_two_levels(server, bot):
    """Vanilla: the result keeps both durabilities plus 12% of the maximum; clicking the slots as a player would."""
    hoes = _till_with_each_hoe(server, bot, 2, -4)
    _levels(server, bot, 10)
    pos = _anvil(server, bot, -2, -2)
    anvil = bot.openAnvil(bot.blockAt(pos), timeout=20)
    assert anvil.type == "minecraft:anvil" and anvil.inventoryStart == 3
    bot.moveSlotItem(anvil.findInventoryItem(hoes[0].type, None, False).slot, 0, timeout=10)
    bot.moveSlotItem(anvil.findInventoryItem(hoes[0].type, None, False).slot, 1, timeout=10)
    assert wait_until(lambda: anvil.slots[2] is not None, 10), "no result"
    assert anvil.slots[2].name == "wooden_hoe" and anvil.slots[2].durabilityUsed == 0
    bot.putAway(2, timeout=10)
    assert wait_until(lambda: bot.experience.level == 8, 10), bot.experience.level
    anvil.close()
    assert wait_until(lambda: [i.durabilityUsed for i in bot.inventory.items() if i.name == "wooden_hoe"] == [0], 10)
    repaired = next(i for i in bot.inventory.items() if i.name == "wooden_hoe")
    assert repaired.repairCost == 1  # prior work penalty: 0 -> 1


def test_mineflayers_anvil_combine_with_a_name_and_rename(server, bot):
    hoes = _till_with_each_hoe(server, bot, 2, 4)
    give_items(server, bot, diamond_sword=1)
    _levels(server, bot, 10)
    pos = _anvil(server, bot, -2, 2)

    anvil = bot.openAnvil(bot.blockAt(pos), timeout=20)
    anvil.combine(hoes[0], hoes[1], "Tiller", timeout=30)  # 2 for the repair + 1 for the name
    assert bot.experience.level == 7
    anvil.close()
    assert wait_until(lambda: sum(1 for i in bot.inventory.items() if i.name == "wooden_hoe") == 1, 10)
    hoe = next(i for i in bot.inventory.items() if i.name == "wooden_hoe")
    assert hoe.durabilityUsed == 0 and hoe.customName.value == "Tiller"

    anvil = bot.openAnvil(bot.blockAt(pos), timeout=20)
    sword = anvil.findInventoryItem(bot.registry.itemsByName.diamond_sword.id, None, False)
    anvil.rename(sword, "hello", timeout=30)
    assert bot.experience.level == 6  # a rename alone: 1 level
    anvil.close()
    sword = next(i for i in bot.inventory.items() if i.name == "diamond_sword")
    assert sword.customName.value == "hello" and sword.repairCost == 0  # a rename adds no prior work penalty
