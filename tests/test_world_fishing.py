"""Fishing (plugins/fishing.js) and /fill (plugins/fillCommand.js) on the real server with a real Mineflayer bot."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator

import pytest
from javascript import eval_js

from bot_bridge.node_env import BRIDGE_DIR, ensure_node_modules, node_environ, node_executable

from .conftest import a_bot, a_world, inventory, wait_until
from .test_world_drops import _spot, _vec
from .test_world_other_players import _listen, _texts

pytestmark = pytest.mark.slow

FISH = {"cod", "salmon", "tropical_fish", "pufferfish"}
JUNK = {"lily_pad", "leather_boots", "leather", "bone", "potion", "string", "fishing_rod", "bowl", "stick", "ink_sac",
        "tripwire_hook", "rotten_flesh"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator:
    """A server of this module's own: it floods the ground at the spawn."""
    yield from a_world(tmp_path_factory, "fishing")


@pytest.fixture
def bot(server) -> Iterator:
    yield from a_bot(server, "f")


def test_fishing_rules_unit_tests_pass():
    """lib/fishing.js on its own (node --test): loot odds, open water, timers, the throw towards the player."""
    ensure_node_modules()
    run = subprocess.run([node_executable(), "--test", "server/lib/fishing.test.js"], cwd=BRIDGE_DIR,
                         capture_output=True, text=True, timeout=60, env=node_environ())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def _pond(server, bot) -> tuple[int, int, int]:
    """The ground layer around the bot flooded with vanilla's /fill from the bot (relative coordinates), as
    Mineflayer's fishing test does; the bot sinks into it. Mineflayer 4.25's use_item says the player looks south
    and level (rotation 0, 0), which the server applies as vanilla does: the pond reaches 10 blocks south, further
    than a level cast flies."""
    x, y, z = _spot(server, bot)
    heard = _listen(bot)
    bot.chat("/fill ~-3 ~-1 ~-3 ~3 ~-1 ~10 minecraft:water")
    assert wait_until(lambda: all(bot.blockAt(_vec(x + dx, y - 1, z + dz)).name == "water"
                                  for dx in (-3, 0, 3) for dz in (-3, 0, 10)), 10)

    def filled() -> list[int]:
        said = (re.fullmatch(r"Successfully filled (\d+) block\(s\)", line) for line in _texts(heard))
        return [int(m.group(1)) for m in said if m]

    assert wait_until(filled, 10), _texts(heard)
    assert 0 < filled()[0] <= 98, filled()  # the 7x14 layer, less what already was water
    return x, y, z


def _hold_rod(server, bot):
    server.command(f"give {bot.username} minecraft:fishing_rod 1")
    assert wait_until(lambda: inventory(bot).get("fishing_rod") == 1, 10)
    bot.equip(next(i for i in bot.inventory.items() if i.name == "fishing_rod"), "hand")
    assert wait_until(lambda: bot.heldItem is not None and bot.heldItem.name == "fishing_rod", 5)


def _bobbers(bot) -> list[dict]:
    return json.loads(eval_js("""return JSON.stringify(Object.values(bot.entities)
        .filter(e => e.name === 'fishing_bobber').map(e => ({ id: e.id, y: e.position.y })))"""))


def test_a_fish_bites_and_reeling_in_brings_up_a_catch(server, bot):
    # flying-squid had no fishing: a rod cast nothing, and Mineflayer's bot.fish() waited forever for the bite.
    x, y, z = _pond(server, bot)
    _hold_rod(server, bot)
    before = inventory(bot)
    xp = bot.experience.points or 0
    # Mineflayer casts, waits for the bite's 6 fishing particles at its bobber and reels in (vanilla: 5-30 s lure,
    # 1-4 s approach; generous for a loaded machine)
    bot.fish(timeout=150)
    assert wait_until(lambda: inventory(bot) != before, 15), inventory(bot)
    after = inventory(bot)
    gained = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) > before.get(k, 0)}
    assert len(gained) == 1, gained
    (name, count), = gained.items()
    assert name in FISH | JUNK and count == (10 if name == "ink_sac" else 1), gained
    assert wait_until(lambda: (bot.experience.points or 0) > xp, 10)  # 1-6 points
    assert bot.heldItem.name == "fishing_rod" and bot.heldItem.durabilityUsed == 1
    assert _bobbers(bot) == []


def test_reeling_in_before_a_bite_catches_nothing(server, bot):
    _pond(server, bot)
    _hold_rod(server, bot)
    before = inventory(bot)
    bot.activateItem()
    assert wait_until(lambda: len(_bobbers(bot)) == 1, 10), "no bobber was cast"
    time.sleep(1)  # the bobber settles at the water surface
    bobber = _bobbers(bot)[0]
    assert bobber["y"] < bot.entity.position.y + 1.62  # it fell from the eyes
    bot.activateItem()
    assert wait_until(lambda: _bobbers(bot) == [], 10), "the bobber was not reeled in"
    time.sleep(1)
    assert inventory(bot) == before
    assert bot.heldItem.durabilityUsed == 0  # no damage for an empty reel from the water
