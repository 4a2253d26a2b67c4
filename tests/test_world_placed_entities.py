"""Entities put into the world by using an item on a block (plugins/placedEntities.js): spawn eggs, armor stands,
end crystals, on the real server with a real Mineflayer bot."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator

import pytest
from javascript import eval_js

from .conftest import a_bot, a_world, inventory, wait_until
from .test_world_drops import _spot, _vec
from .test_world_mobs import _items

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator:
    """A server of this module's own: an entity is placed only where no other stands, and the mob tests leave
    penned animals at the shared spawn."""
    yield from a_world(tmp_path_factory, "placed")


@pytest.fixture
def bot(server) -> Iterator:
    yield from a_bot(server, "p")


def _gone(bot, entity_id: int) -> bool:
    return bool(eval_js("return !bot.entities[entity_id]"))


# Uses the held item on a block's top face and waits for an entity of `name` to spawn in the cell above. Not
# Mineflayer's placeEntity: it stops listening at the first entity that spawns anywhere, and on this world an animal
# of the herds coming into view, or a top-up herd, made it fail.
_USE_ON_TOP = """
    return async (bot, block, face, name) => {
      const above = block.position.offset(0.5, 1, 0.5)
      const seen = []
      return await new Promise((resolve, reject) => {
        const done = () => { clearTimeout(timer); bot.off('entitySpawn', spawned) }
        const timer = setTimeout(() => { done(); reject(new Error(`no ${name} at ${above}; spawned: ${seen}`)) }, 15000)
        function spawned (e) {
          seen.push(e.name)
          if (e.name !== name || e.position.distanceTo(above) > 1) return
          done()
          resolve(JSON.stringify({ id: e.id, x: e.position.x, y: e.position.y, z: e.position.z }))
        }
        bot.on('entitySpawn', spawned)
        bot.activateBlock(block, face).catch(err => { done(); reject(err) })
      })
    }
"""


def _use_on_top(bot, item: str, x: int, y: int, z: int, name: str) -> dict:
    bot.equip(next(i for i in bot.inventory.items() if i.name == item), "hand")
    use = eval_js(_USE_ON_TOP)
    return json.loads(use(bot, bot.blockAt(_vec(x, y, z)), _vec(0, 1, 0), name, timeout=30))


def test_spawn_eggs_armor_stands_and_end_crystals_put_their_entities_into_the_world(server, bot):
    # flying-squid spawned nothing from these items (Mineflayer's placeEntity timed out). As vanilla: each uses one
    # item in survival and stands in the middle of the cell above the block used; an armor stand falls to two quick
    # hits and drops its item, an end crystal to one.
    x, y, z = _spot(server, bot)
    server.command(f"setblock {x + 4} {y - 1} {z} minecraft:obsidian")
    assert wait_until(lambda: bot.blockAt(_vec(x + 4, y - 1, z)).name == "obsidian", 10)
    for item in ("cow_spawn_egg", "armor_stand", "end_crystal"):
        server.command(f"give {bot.username} minecraft:{item} 1")
    assert wait_until(lambda: len(inventory(bot)) == 3, 10), inventory(bot)

    placed = {}
    for item, dx, name in (("cow_spawn_egg", 2, "cow"), ("armor_stand", 3, "armor_stand"),
                           ("end_crystal", 4, "end_crystal")):
        entity = _use_on_top(bot, item, x + dx, y - 1, z, name)
        if name != "cow":  # a cow may take a step at once
            assert math.hypot(entity["x"] - x - dx - 0.5, entity["z"] - z - 0.5) < 0.01, entity
            assert abs(entity["y"] - y) < 0.01, entity
        placed[name] = entity["id"]
        assert wait_until(lambda item=item: item not in inventory(bot), 10), inventory(bot)  # one used up

    bot.attack(bot.entities[placed["end_crystal"]])
    assert wait_until(lambda: _gone(bot, placed["end_crystal"]), 10)
    stand = bot.entities[placed["armor_stand"]]
    bot.attack(stand)
    time.sleep(1)  # a second hit more than 5 ticks later only wobbles it again
    assert not _gone(bot, placed["armor_stand"])
    bot.attack(stand)
    bot.attack(stand)
    assert wait_until(lambda: _gone(bot, placed["armor_stand"]), 10)
    assert wait_until(lambda: _items(bot, x + 3, z, radius=1.5).get("armor_stand") == 1, 10), _items(bot, x + 3, z)
