"""Beds on the embedded world (plugins/beds.js), with a real Mineflayer bot: placing one sets both halves, sleeping
at night (`bot.sleep`) lies the bot down and the night is skipped once it has slept 100 ticks, `bot.wake()` gets it
up, by day the server refuses with vanilla's "You can sleep only at night", a /tick freeze keeps the day clock still
but not the sleeper, and breaking a bed takes both halves and drops one bed.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import pytest
from javascript import eval_js

from bot_bridge.node_env import BRIDGE_DIR, ensure_node_modules, node_environ, node_executable

from .conftest import a_bot, a_world, inventory, wait_until
from .test_world_drops import _spot, _vec

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator:
    """A server of this module's own: it reads the drops of a broken bed and respawns after a fall, and other tests dig,
    build and leave items at the shared spawn."""
    yield from a_world(tmp_path_factory, "beds")


@pytest.fixture
def bot(server) -> Iterator:
    yield from a_bot(server, "b")


def test_day_cycle_unit_tests_pass():
    """lib/dayCycle.test.js (node --test): a time set in the tick of the day cycle's step is kept. The night skipped
    by sleepers came back when their 100th tick was one of the day cycle's (1 in 20)."""
    ensure_node_modules()
    run = subprocess.run([node_executable(), "--test", "server/lib/dayCycle.test.js"], cwd=BRIDGE_DIR,
                         capture_output=True, text=True, timeout=60, env=node_environ())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def _place_bed(server, bot):
    """A white bed put down by the bot on the stone floor east of it, facing east; returns (foot, head) blocks."""
    x, y, z = _spot(server, bot)
    server.command(f"give {bot.username} minecraft:white_bed 1")
    assert wait_until(lambda: inventory(bot).get("white_bed") == 1, 10)
    bot.equip(next(i for i in bot.inventory.items() if i.name == "white_bed"), "hand")
    floor = bot.blockAt(_vec(x + 2, y - 1, z))
    bot.lookAt(_vec(x + 4, y, z).offset(0.5, 0.5, 0.5), True)  # facing east: the head goes one block further east
    bot.placeBlock(floor, _vec(0, 1, 0), timeout=20)
    assert wait_until(lambda: bot.blockAt(_vec(x + 3, y, z)).name == "white_bed", 10), "no head half"
    foot, head = bot.blockAt(_vec(x + 2, y, z)), bot.blockAt(_vec(x + 3, y, z))
    return foot, head


def _messages(bot):
    return eval_js("""
        const heard = []
        bot.on('messagestr', message => heard.push(message))
        return heard
    """)


def _wakes(bot):
    """The time of day at each of the bot's 'wake' events from now on."""
    return eval_js("const woke = []; bot.on('wake', () => woke.push(bot.time.timeOfDay)); return woke")


def _deaths(bot):
    return eval_js("const deaths = { n: 0 }; bot.on('death', () => deaths.n++); return deaths")


def _set_time(bot, ticks: int) -> None:
    bot.chat(f"/time set {ticks}")
    assert wait_until(lambda: abs(bot.time.timeOfDay - ticks) < 200, 10), bot.time.timeOfDay


def test_a_placed_bed_has_both_halves(server, bot):
    foot, head = _place_bed(server, bot)
    assert foot.name == head.name == "white_bed"
    assert foot.getProperties().part == "foot" and head.getProperties().part == "head"
    assert foot.getProperties().facing == head.getProperties().facing == "east"
    assert wait_until(lambda: "white_bed" not in inventory(bot), 10), "the bed was not used up"


def test_sleeping_at_night_skips_to_morning(server, bot):
    foot, head = _place_bed(server, bot)
    _set_time(bot, 13000)
    woke = _wakes(bot)
    bot.sleep(foot, timeout=20)
    assert bot.isSleeping
    assert wait_until(lambda: bot.blockAt(head.position).getProperties().occupied is True, 10)
    # 100 ticks asleep (5 s at 20 TPS) and the night is over
    assert wait_until(lambda: len(list(woke)) == 1, 60), "never woken"
    assert not bot.isSleeping
    # the new time comes with the next time sync (vanilla sends one every 20 ticks), maybe after the wake
    assert wait_until(lambda: bot.time.timeOfDay < 2000, 10), bot.time.timeOfDay
    assert wait_until(lambda: bot.blockAt(head.position).getProperties().occupied is False, 10)


def test_wake_gets_the_bot_up_before_morning(server, bot):
    foot, _ = _place_bed(server, bot)
    _set_time(bot, 14000)
    bot.sleep(foot, timeout=20)
    assert bot.isSleeping
    bot.wake()
    assert wait_until(lambda: not bot.isSleeping, 10)
    assert bot.time.timeOfDay > 13000  # the night goes on


def test_by_day_the_bed_is_refused(server, bot):
    foot, _ = _place_bed(server, bot)
    _set_time(bot, 1000)
    with pytest.raises(Exception, match="not night"):  # Mineflayer's own check, as against vanilla
        bot.sleep(foot, timeout=20)
    heard = _messages(bot)
    bot.activateBlock(foot)  # asked anyway: the server refuses as vanilla does
    assert wait_until(lambda: any("sleep only at night" in m for m in list(heard)), 10), list(heard)
    assert any("Respawn point set" in m for m in list(heard)), list(heard)
    time.sleep(1)
    assert not bot.isSleeping


def test_sleeping_through_a_frozen_world(server, bot):
    foot, _ = _place_bed(server, bot)
    _set_time(bot, 13000)
    with server.frozen():
        woke = _wakes(bot)
        day = bot.time.timeOfDay
        bot.sleep(foot, timeout=20)
        time.sleep(2)
        assert bot.time.timeOfDay == day  # the day clock stands still
        # players tick through a freeze (vanilla): the sleeper's 100 ticks run out and the night is skipped
        assert wait_until(lambda: len(list(woke)) == 1, 60), "never woken"
        assert bot.time.timeOfDay < 1000
        morning = bot.time.timeOfDay
        time.sleep(2)
        assert bot.time.timeOfDay == morning


def _drops_near(bot, pos) -> list[str]:
    return list(eval_js("""return Object.values(bot.entities).filter(e => e.name === 'item' &&
        e.position.distanceTo(pos.offset(0.5, 0.5, 0.5)) < 3).map(e => e.getDroppedItem()?.name)"""))


def test_breaking_a_bed_takes_both_halves_and_drops_one(server, bot):
    foot, head = _place_bed(server, bot)
    bot.dig(foot, timeout=60)
    assert wait_until(lambda: bot.blockAt(head.position).name == "air", 10), bot.blockAt(head.position).name
    assert bot.blockAt(foot.position).name == "air"
    assert wait_until(lambda: _drops_near(bot, foot.position) == ["white_bed"], 10), _drops_near(bot, foot.position)
    time.sleep(1.5)  # and no second one; the bot beside it may have picked the one up by now
    beds = _drops_near(bot, foot.position).count("white_bed") + inventory(bot).get("white_bed", 0)
    assert beds == 1, (_drops_near(bot, foot.position), inventory(bot))


def test_a_bed_is_where_the_player_respawns(server, bot):
    x, y, z = _spot(server, bot)  # the world spawn, where the bot stands
    _move_away(server, bot, x + 20, y, z)  # the bed goes far from it
    foot, head = _place_bed(server, bot)
    _set_time(bot, 13000)
    bot.sleep(foot, timeout=20)  # sets the respawn point (so does a refused use by day)
    bot.wake()
    assert wait_until(lambda: not bot.isSleeping, 10)
    spawn = bot.entity.position
    sx, sz = float(spawn.x), float(spawn.z)
    deaths = _deaths(bot)
    bot.chat(f"/tp {sx + 15:.2f} {float(spawn.y) + 40:.2f} {sz:.2f}")  # a deadly fall away from the bed
    assert wait_until(lambda: deaths.n == 1, 30), bot.health
    assert wait_until(lambda: bot.health == 20 and bot.entity.position.distanceTo(head.position) < 3, 30), (
        bot.health, bot.entity.position, head.position)
    assert bot.entity.position.distanceTo(_vec(x, y, z)) > 10  # not at the world spawn


def _move_away(server, bot, x: int, y: int, z: int) -> None:
    server.command(f"setblock {x} {y - 1} {z} minecraft:stone")
    for dy in range(0, 8):
        server.command(f"setblock {x} {y + dy} {z} minecraft:air")
    assert wait_until(lambda: bot.blockAt(_vec(x, y - 1, z)).name == "stone", 10)
    bot.chat(f"/tp {x}.5 {y} {z}.5")
    assert wait_until(lambda: abs(float(bot.entity.position.x) - x - 0.5) < 0.01 and bot.entity.onGround, 10)


def test_setblock_puts_a_blocks_default_state_and_the_bed_of_mineflayers_test_sleeps(server, bot):
    # flying-squid's /setblock put a block's first state: a bed named without properties (or with part=foot only)
    # was an occupied head, so Mineflayer refused to sleep in it ("the bed is occupied"). Vanilla uses the default
    # state: foot, not occupied, facing north; a log stands upright (axis=y).
    x, y, z = _spot(server, bot)
    server.command(f"setblock {x + 2} {y} {z} minecraft:white_bed[part=foot]")
    server.command(f"setblock {x + 2} {y} {z - 1} minecraft:white_bed[part=head]")
    server.command(f"setblock {x + 4} {y} {z} oak_log")
    assert wait_until(lambda: bot.blockAt(_vec(x + 4, y, z)).name == "oak_log", 10)
    assert bot.blockAt(_vec(x + 2, y, z)).getProperties().valueOf() == {
        "facing": "north", "occupied": False, "part": "foot"}
    assert bot.blockAt(_vec(x + 4, y, z)).getProperties().axis == "y"
    _set_time(bot, 18000)
    bot.sleep(bot.blockAt(_vec(x + 2, y, z)), timeout=20)
    assert wait_until(lambda: bot.isSleeping, 10)
    bot.wake(timeout=20)
    assert wait_until(lambda: not bot.isSleeping, 10)
    _set_time(bot, 1000)
