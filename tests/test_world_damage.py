"""Fall, lava and drowning damage, death and respawn, on the embedded world (plugins/fallDamage.js, lavaAndFire.js,
drowning.js, playerHealth.js), with a real Mineflayer bot on a peaceful server of this module's own (the shared
one's spawn is dug and built on by other tests, and a fall must land where it started): the environment hurts on
every difficulty. Health is read from what the server sent the bot (its lowest value, since peaceful heals 1 a
second); no wall-clock figure is asserted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from javascript import eval_js

from .conftest import a_bot, a_world, inventory, wait_until
from .test_world_drops import _items_near, _spot, _vec

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator:
    """A server of this module's own: the shared one's spawn is dug and built on by other tests."""
    yield from a_world(tmp_path_factory, "damage")


@pytest.fixture
def bot(server) -> Iterator:
    yield from a_bot(server, "d")


def _record(bot):
    """From now on: every health the bot is sent, and the damage events naming it."""
    return eval_js("""
        const seen = { health: [], hurt: 0, deaths: 0 }
        bot.on('health', () => seen.health.push(bot.health))
        bot.on('entityHurt', entity => { if (entity === bot.entity) seen.hurt++ })
        bot.on('death', () => seen.deaths++)
        return seen
    """)


def _fall(bot, height: int) -> None:
    """Teleported `height` blocks up, the bot falls back to where it stood."""
    p = bot.entity.position  # a live view of the bot's position: copy the figures
    x, y, z = float(p.x), float(p.y), float(p.z)
    top = eval_js("""
        const top = { y: -1e9 }
        const rise = () => { top.y = Math.max(top.y, bot.entity.position.y) }
        bot.on('move', rise)
        setTimeout(() => bot.removeListener('move', rise), 60000)
        return top
    """)
    bot.chat(f"/tp {x:.2f} {y + height:.2f} {z:.2f}")
    assert wait_until(lambda: top.y > y + height - 0.5, 10), "the teleport never arrived"
    assert wait_until(lambda: bot.entity.onGround and abs(bot.entity.position.y - y) < 0.01, 20), "never landed"


def test_a_ten_block_fall_hurts_by_vanillas_amount(server, bot):
    _spot(server, bot)
    seen = _record(bot)
    _fall(bot, 10)
    assert wait_until(lambda: seen.hurt >= 1, 10), "no damage event"
    # the damage event goes out at once, the health at the end of the player's tick
    assert wait_until(lambda: len(list(seen.health)) >= 1, 5), "no health update after the damage event"
    lowest = min(list(seen.health))
    assert 12 <= lowest <= 14, f"vanilla: ceil(10 - 3) = 7 damage; lowest health {lowest}"  # float/landing slack


def test_a_short_drop_does_not_hurt(server, bot):
    _spot(server, bot)
    seen = _record(bot)
    _fall(bot, 3)
    time.sleep(1)
    assert seen.hurt == 0 and min(list(seen.health) or [20]) == 20, list(seen.health)


def test_falling_into_water_does_not_hurt(server, bot):
    x, y, z = _spot(server, bot)
    server.command(f"setblock {x} {y - 1} {z} minecraft:water")
    try:
        assert wait_until(lambda: bot.blockAt(_vec(x, y - 1, z)).name == "water", 10)
        seen = _record(bot)
        bot.chat(f"/tp {x}.5 {y + 15} {z}.5")
        assert wait_until(lambda: bot.entity.position.y > y + 14, 10)
        assert wait_until(lambda: bot.entity.position.y < y, 20), "never reached the water"
        time.sleep(1)
        assert seen.hurt == 0, list(seen.health)
    finally:
        server.command(f"setblock {x} {y - 1} {z} minecraft:stone")


def test_lava_hurts_and_sets_on_fire(server, bot):
    x, y, z = _spot(server, bot)
    seen = _record(bot)
    server.command(f"setblock {x + 2} {y} {z} minecraft:lava")
    try:
        assert wait_until(lambda: bot.blockAt(_vec(x + 2, y, z)).name == "lava", 10)
        bot.chat(f"/tp {x + 2}.5 {y} {z}.5")
        assert wait_until(lambda: seen.hurt >= 1, 10), "lava did not hurt"
        assert wait_until(lambda: (bot.entity.metadata[0] or 0) & 1, 5), "not shown on fire"
        bot.chat(f"/tp {x}.5 {y} {z}.5")  # out again before it kills
        assert min(list(seen.health)) <= 16, list(seen.health)  # 4 a hit
        # burning goes on out of the lava: more damage events while the fire lasts
        hurt = seen.hurt
        assert wait_until(lambda: seen.hurt > hurt, 10), "the fire did not burn on"
    finally:
        server.command(f"setblock {x + 2} {y} {z} minecraft:air")


def test_drowning_uses_up_the_air_then_hurts(server, bot):
    x, y, z = _spot(server, bot)
    server.command(f"setblock {x + 1} {y} {z} minecraft:water")
    server.command(f"setblock {x + 1} {y + 1} {z} minecraft:water")
    server.command(f"setblock {x + 1} {y + 2} {z} minecraft:stone")
    try:
        assert wait_until(lambda: bot.blockAt(_vec(x + 1, y + 1, z)).name == "water", 10)
        seen = _record(bot)
        bot.chat(f"/tp {x + 1}.5 {y} {z}.5")
        assert wait_until(lambda: bot.oxygenLevel is not None and bot.oxygenLevel < 20, 10), bot.oxygenLevel
        assert seen.hurt == 0  # 300 ticks of air first
        assert wait_until(lambda: bot.oxygenLevel == 0, 40), bot.oxygenLevel
        assert wait_until(lambda: seen.hurt >= 1, 10), "out of air but no drowning damage"
        bot.chat(f"/tp {x}.5 {y} {z}.5")
        assert wait_until(lambda: bot.oxygenLevel == 20, 10), "the air did not come back"
    finally:
        for dy in (0, 1, 2):
            server.command(f"setblock {x + 1} {y + dy} {z} minecraft:air")


def test_death_drops_the_inventory_and_the_player_respawns(server, bot):
    x, y, z = _spot(server, bot)
    x += 12  # away from the spawn, where the bot comes back: it must not pick its things up again at once
    server.command(f"setblock {x} {y - 1} {z} minecraft:stone")
    for dy in range(0, 10):
        server.command(f"setblock {x} {y + dy} {z} minecraft:air")
    assert wait_until(lambda: bot.blockAt(_vec(x, y - 1, z)).name == "stone", 10)
    server.command(f"give {bot.username} minecraft:dirt 5")
    assert wait_until(lambda: inventory(bot).get("dirt") == 5, 10)
    seen = _record(bot)
    bot.chat(f"/tp {x}.5 {y + 40} {z}.5")  # 37 damage
    assert wait_until(lambda: seen.deaths == 1, 30), list(seen.health)
    assert wait_until(lambda: bot.health == 20 and bot.food == 20, 20), (bot.health, bot.food)
    assert "dirt" not in inventory(bot)
    assert bot.entity.position.distanceTo(_vec(x, y, z)) > 6, "respawned where it died, not at the spawn"
    # the drops fly out before they land; the respawned client is sent the ones in view after its health update
    assert wait_until(lambda: _items_near(bot, x, y, z, radius=4) >= 1, 10), \
        "the inventory was not dropped where the bot died"
