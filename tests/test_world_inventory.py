"""Inventory clicks on the embedded world: the server applies each click to its own slots and the client agrees.

The check for agreement is vanilla's own resync: a click sent with a stale stateId makes the server answer
with the whole window (window_items); the client's slots before must equal the server's slots after.
"""

from __future__ import annotations

import json
import time

import pytest
from javascript import eval_js

from tests.conftest import give_items, inventory, wait_until

pytestmark = pytest.mark.slow


def slots(bot) -> list[str | None]:
    """The client's view of the open window (the inventory when none is open)."""
    return list(eval_js("return (bot.currentWindow || bot.inventory).slots.map(i => i && `${i.name}x${i.count}`)"))


# Mineflayer does not wait for the answers to most clicks: let those in flight arrive before our own click,
# so that the next window_items is the answer to it.
SETTLE = """
    let last = Date.now()
    const heard = () => { last = Date.now() }
    bot._client.on('window_items', heard)
    bot._client.on('set_slot', heard)
    while (Date.now() - last < 250) await new Promise(resolve => setTimeout(resolve, 50))
    bot._client.removeListener('window_items', heard)
    bot._client.removeListener('set_slot', heard)
"""


def server_view(bot) -> list[str | None]:
    """The server's copy of the open window, read back through a vanilla full resync."""
    return list(eval_js(SETTLE + """
        const got = new Promise(resolve => bot._client.once('window_items', resolve))
        const window = bot.currentWindow || bot.inventory
        bot._client.write('window_click', {
          windowId: window.id, stateId: -1, slot: -999, mouseButton: 0, mode: 0,
          changedSlots: [], cursorItem: { itemCount: 0 }
        })
        await got
        return window.slots.map(i => i ? `${i.name}x${i.count}` : null)
    """))


def give(server, bot, item: str, count: int) -> None:
    before = inventory(bot).get(item, 0)
    server.command(f"give {bot.username} {item} {count}")
    assert wait_until(lambda: inventory(bot).get(item, 0) == before + count, 5), inventory(bot)


def test_move_split_and_swap_keep_server_and_client_equal(server, bot):
    give(server, bot, "cobblestone", 10)
    give(server, bot, "oak_log", 3)
    source = bot.inventory.findInventoryItem("cobblestone").slot

    bot.moveSlotItem(source, 20)
    assert slots(bot)[20] == "cobblestonex10" and slots(bot)[source] is None
    bot.clickWindow(20, 1, 0)  # right click: pick up half
    bot.clickWindow(21, 0, 0)  # put it down
    bot.clickWindow(21, 1, 0)  # pick up half of that (3 of 5)
    bot.clickWindow(22, 1, 0)  # right click: place one
    bot.clickWindow(20, 0, 0)  # left click on the same item: merge the other two
    logs = bot.inventory.findInventoryItem("oak_log").slot
    assert 36 <= logs <= 44
    bot.clickWindow(9, logs - 36, 2)  # number key: swap the empty slot 9 with the logs' hotbar slot
    expected = {20: "cobblestonex7", 21: "cobblestonex2", 22: "cobblestonex1", 9: "oak_logx3", logs: None}
    view = slots(bot)
    for slot, item in expected.items():
        assert view[slot] == item, view
    assert server_view(bot) == view
    assert inventory(bot) == {"cobblestone": 10, "oak_log": 3}


def test_shift_click_moves_between_hotbar_and_main_inventory(server, bot):
    give(server, bot, "dirt", 5)
    hotbar = bot.inventory.findInventoryItem("dirt").slot
    assert 36 <= hotbar <= 44
    bot.clickWindow(hotbar, 0, 1)  # vanilla: hotbar -> first free main-inventory slot
    # mineflayer mispredicts this one (its window merges the stack into itself and loses it): the server's
    # correction (set_slot) restores it a round trip later, as a vanilla server's would
    assert wait_until(lambda: slots(bot)[9] == "dirtx5" and slots(bot)[hotbar] is None, 3), slots(bot)
    assert server_view(bot) == slots(bot)


def test_toss_and_transfer(server, bot):
    give(server, bot, "stick", 6)
    # far from the spawn point, so the bots of later tests do not pick up what this one throws
    # (numbers, not the live JS Vec3: mineflayer may move that very object with the bot)
    x, z = bot.entity.position.x, bot.entity.position.z
    bot.chat(f"/tp {int(x) + 300} 200 {int(z)}")  # flying-squid's tp is player-only
    assert wait_until(lambda: bot.entity.position.x > x + 250, 20)
    bot.toss(bot.registry.itemsByName.stick.id, None, 2)
    assert inventory(bot) == {"stick": 4}
    assert server_view(bot) == slots(bot)
    bot.tossStack(bot.inventory.findInventoryItem("stick"))
    assert inventory(bot) == {}
    assert server_view(bot) == slots(bot)


def raw_click(bot, slot: int, button: int, mode: int) -> None:
    """A click Mineflayer cannot send (drag, double click); the stale stateId makes the server resend everything."""
    eval_js(SETTLE + """
        const got = new Promise(resolve => bot._client.once('window_items', resolve))
        bot._client.write('window_click', {
          windowId: 0, stateId: -1, slot, mouseButton: button, mode, changedSlots: [], cursorItem: { itemCount: 0 }
        })
        await got
    """)


def test_drag_and_double_click(server, bot):
    give(server, bot, "dirt", 9)
    source = bot.inventory.findInventoryItem("dirt").slot
    bot.clickWindow(source, 0, 0)  # 9 dirt on the cursor
    raw_click(bot, -999, 0, 5)  # start a left drag: spread evenly
    for slot in (9, 10, 11):
        raw_click(bot, slot, 1, 5)
    raw_click(bot, -999, 2, 5)
    view = server_view(bot)
    assert [view[9], view[10], view[11], view[source]] == ["dirtx3", "dirtx3", "dirtx3", None]

    raw_click(bot, 9, 0, 0)  # pick up one pile, double click gathers the others
    raw_click(bot, 9, 0, 6)
    raw_click(bot, 20, 0, 0)
    view = server_view(bot)
    assert [view[9], view[10], view[11], view[20]] == [None, None, None, "dirtx9"]
    assert wait_until(lambda: inventory(bot) == {"dirt": 9}, 3)


def test_clear_takes_items_out_of_a_players_inventory(server, bot):
    # flying-squid had no /clear (Mineflayer's example tests start with `/clear <player>`).
    give_items(server, bot, dirt=10, stick=3)
    server.command(f"clear {bot.username} minecraft:dirt 4")  # at most 4 dirt
    assert wait_until(lambda: inventory(bot) == {"dirt": 6, "stick": 3}, 10), inventory(bot)
    bot.chat(f"/clear {bot.username}")  # everything, from the player's own command
    assert wait_until(lambda: inventory(bot) == {}, 10), inventory(bot)


def _slot_packets(bot):
    """The set_slot packets for the player's inventory from now on: [slot, item count] (a reader)."""
    eval_js("""
        bot.gitmSetSlots = []
        bot._client.on('set_slot', p => { if (p.windowId === 0) bot.gitmSetSlots.push([p.slot, p.item.itemCount]) })
    """)
    return lambda bot=bot: json.loads(eval_js("return JSON.stringify(bot.gitmSetSlots)"))


def _creative_item(bot, name: str, count: int):
    from javascript import require

    from bot_bridge.node_env import module_path

    item_class = require(module_path("node_modules/prismarine-item"))(bot.registry)
    return item_class(bot.registry.itemsByName[name].id, count)


def test_a_creative_players_slot_changes_are_taken_and_not_echoed(server, bot):
    # flying-squid echoed every set_creative_slot back (vanilla marks the slot as the client's, setRemoteSlot), and
    # Mineflayer 4.25 throws on an echoed empty slot.
    server.command(f"gamemode creative {bot.username}")
    time.sleep(1)
    seen = _slot_packets(bot)
    bot.creative.setInventorySlot(36, _creative_item(bot, "dirt", 5), timeout=10)
    bot.creative.setInventorySlot(37, _creative_item(bot, "stick", 2), timeout=10)
    bot.creative.setInventorySlot(37, None, timeout=10)
    time.sleep(1)
    assert seen() == [], seen()
    server.command(f"gamemode survival {bot.username}")
    time.sleep(1)
    server.command(f"give {bot.username} minecraft:dirt 1")  # lands on the server's 5 dirt
    assert wait_until(lambda: inventory(bot) == {"dirt": 6}, 10), inventory(bot)
