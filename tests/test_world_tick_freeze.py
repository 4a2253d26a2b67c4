"""Vanilla's `/tick freeze` on the embedded world (plugins/tickFreeze.js), with a real Mineflayer bot (no mocks).

A frozen world stands still (age, day clock, furnaces, the pickup delay of a drop) while players still act, and
clients are told with set_ticking_state. Waits are generous and nothing is asserted on wall-clock figures: the
checks compare the world's own state before and after a pause.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from javascript import eval_js

from bot_bridge.node_env import BRIDGE_DIR, node_environ, node_executable

from .conftest import inventory, wait_until
from .test_world_drops import _items_near, _place, _spot, _vec
from .test_world_furnace import _furnace_by_setblock, _give, _item_id, _slot

pytestmark = pytest.mark.slow

HOLD = 2.5  # seconds the world is held still: a 20 TPS world would run 50 ticks


def _round_trip(bot) -> str:
    """The bot asks the server `/tick query` and waits for the answer: the server wrote it after everything it
    sent before, so every earlier packet (window properties, time) has been handled when this returns."""
    return eval_js("""
        const answer = new Promise(resolve => {
          const heard = message => {
            if (!message.startsWith('The game is')) return
            bot.removeListener('messagestr', heard)
            resolve(message)
          }
          bot.on('messagestr', heard)
        })
        bot.chat('/tick query')
        return await answer
    """)


def _record_ticking_state(bot) -> None:
    # Mineflayer 4.25 does not read set_ticking_state: keep what arrives on the bot for the test to read.
    eval_js("""
        bot.gitmTicking = []
        bot._client.on('set_ticking_state', packet => bot.gitmTicking.push(packet))
    """)


def _told_frozen(bot) -> list[bool]:
    return list(eval_js("return bot.gitmTicking.map(packet => packet.is_frozen)"))


def test_a_furnace_stands_still_while_frozen(server, bot):
    _give(server, bot, raw_iron=1, coal=1)
    spot = _furnace_by_setblock(server, bot, 0, -2)
    furnace = bot.openFurnace(bot.blockAt(spot), timeout=20)
    furnace.putFuel(_item_id(bot, "coal"), None, 1, timeout=10)
    furnace.putInput(_item_id(bot, "raw_iron"), None, 1, timeout=10)
    assert wait_until(lambda: (furnace.progress or 0) > 0, 30), "the furnace did not start smelting"

    with server.frozen():
        assert _round_trip(bot).startswith("The game is frozen")
        before = (furnace.progress, furnace.fuel)
        assert 0 < before[0] < 1, before
        time.sleep(HOLD)
        _round_trip(bot)
        assert (furnace.progress, furnace.fuel) == before
        assert _slot(furnace, 2) is None and _slot(furnace, 0) == ("raw_iron", 1)
        assert bot.blockAt(spot).getProperties().lit is True  # still burning, just not in time

    assert wait_until(lambda: furnace.outputItem() is not None, 60, every=0.5), "no ingot after unfreezing"
    assert _slot(furnace, 2) == ("iron_ingot", 1)
    furnace.close()


def test_the_world_age_and_day_clock_stand_still_while_frozen(server, bot):
    with server.frozen() as age:
        # The time is still sent every second, with the age the world stopped at.
        assert wait_until(lambda: bot.time.age == age, 20), (bot.time.age, age)
        day = bot.time.timeOfDay
        time.sleep(HOLD)
        _round_trip(bot)
        assert (bot.time.age, bot.time.timeOfDay) == (age, day)
    assert wait_until(lambda: bot.time.age > age and bot.time.timeOfDay != day, 20), (bot.time.age, age)


def test_players_are_told_the_tick_state(server, bot):
    _record_ticking_state(bot)
    server.freeze()
    try:
        assert wait_until(lambda: _told_frozen(bot)[-1:] == [True], 10), _told_frozen(bot)
        joined = _join_and_report(server.port)
    finally:
        server.unfreeze()
    assert wait_until(lambda: _told_frozen(bot)[-1:] == [False], 10), _told_frozen(bot)
    assert joined == {"state": {"tick_rate": 20, "is_frozen": True}, "step": {"tick_steps": 0}}


# A client that joins while frozen is told so during login, before Mineflayer's 'spawn'.
JOIN_PROBE = r"""
const mineflayer = require('mineflayer')
const bot = mineflayer.createBot({ host: '127.0.0.1', port: +process.argv[1], username: 'freezeprobe',
                                   version: require('./server/lib/version').mcVersion(), auth: 'offline',
                                   hideErrors: true })
const seen = {}
bot._client.on('set_ticking_state', packet => { seen.state = packet })
bot._client.on('step_tick', packet => { seen.step = packet })
bot.once('spawn', () => { console.log(JSON.stringify(seen)); bot.quit() })
bot.once('error', err => { console.error(err); process.exit(1) })
"""


def _join_and_report(port: int) -> dict:
    probe = subprocess.run([node_executable(), "-e", JOIN_PROBE, str(port)], cwd=BRIDGE_DIR,
                           capture_output=True, text=True, timeout=60, env=node_environ())
    assert probe.returncode == 0, probe.stderr[-2000:]
    return json.loads(probe.stdout.strip().splitlines()[-1])


def test_a_player_digs_while_frozen_and_the_drop_waits(server, bot):
    x, y, z = _spot(server, bot)
    dirt = _place(server, bot, x + 1, y, z, "dirt")
    with server.frozen():
        bot.dig(dirt, timeout=60)
        assert wait_until(lambda: bot.blockAt(_vec(x + 1, y, z)).name == "air", 10)
        assert wait_until(lambda: _items_near(bot, x + 1, y, z) == 1, 10), "the dirt did not drop"
        # The drop's pickup delay is world time: it does not run out while frozen.
        time.sleep(HOLD)
        _round_trip(bot)
        assert "dirt" not in inventory(bot)
    assert wait_until(lambda: inventory(bot).get("dirt") == 1, 10), inventory(bot)


def test_a_player_who_is_not_op_cannot_freeze(server, bot):
    heard = eval_js("""
        const heard = []
        bot.on('messagestr', message => heard.push(message))
        return heard
    """)
    server.command(f"deop {bot.username}")
    assert wait_until(lambda: any("Deopped" in m for m in heard), 10), list(heard)
    _record_ticking_state(bot)
    age = bot.time.age
    bot.chat("/tick freeze")
    assert wait_until(lambda: "tick freeze<--[HERE]" in list(heard), 10), list(heard)  # vanilla: unknown to a non-op
    # The world runs on: its age goes on and no client was told otherwise.
    assert wait_until(lambda: bot.time.age > age + 20, 20), (bot.time.age, age)
    assert True not in _told_frozen(bot)



def test_a_step_runs_exactly_the_ticks_asked_for(server, bot):
    steps = eval_js("""
        const steps = []
        bot._client.on('step_tick', packet => steps.push(packet.tick_steps))
        return steps
    """)
    with server.frozen() as age:
        bot.chat("/tick step 40")  # the bot is op on the test server
        assert wait_until(lambda: 40 in list(steps), 10), list(steps)
        # the world ran 40 ticks and froze again: the time sent every second brings the new age
        assert wait_until(lambda: bot.time.age == age + 40, 20), (bot.time.age, age)
        time.sleep(HOLD)
        _round_trip(bot)
        assert bot.time.age == age + 40


def test_a_player_walks_to_a_drop_and_takes_it_while_frozen(server, bot):
    x, y, z = _spot(server, bot)
    dirt = _place(server, bot, x + 3, y, z, "dirt")  # out of pickup reach from where the bot stands
    bot.dig(dirt, timeout=60)
    assert wait_until(lambda: _items_near(bot, x + 3, y, z) == 1, 10), "the dirt did not drop"
    time.sleep(1)  # the drop's pickup delay (0.5 s) runs out before the freeze
    with server.frozen():
        start = bot.entity.position.x
        bot.lookAt(_vec(x + 10, y + 1, z).offset(0.5, 0.6, 0.5), True)
        bot.setControlState("forward", True)
        try:  # a player moves in a frozen world, and touching a drop whose delay ran out takes it (vanilla)
            assert wait_until(lambda: inventory(bot).get("dirt") == 1 or bot.entity.position.x > x + 4.5, 20)
        finally:
            bot.clearControlStates()
        assert bot.entity.position.x > start + 1
        assert wait_until(lambda: inventory(bot).get("dirt") == 1, 5), inventory(bot)
