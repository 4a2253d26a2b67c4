"""Farming on the embedded world (plugins/farming.js), played by a real Mineflayer bot (no mocks): a hoe tills,
seeds plant, bone meal and random ticks grow crops (not while the world is frozen), a grown crop drops its produce."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.conftest import a_bot, a_world, give_items, inventory, vec3, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator:
    """A server of this module's own: the shared one's spawn is dug and built on by other tests."""
    yield from a_world(tmp_path_factory, "farming")


@pytest.fixture
def bot(server) -> Iterator:
    yield from a_bot(server, "f")


def _hold(bot, name: str) -> None:
    bot.equip(bot.registry.itemsByName[name].id, "hand", timeout=10)
    assert wait_until(lambda: bot.heldItem is not None and bot.heldItem.name == name, 5)


def _setblock(server, bot, pos, block: str) -> None:
    server.command(f"setblock {pos.x} {pos.y} {pos.z} minecraft:{block}")
    name = block.split("[")[0]
    assert wait_until(lambda: bot.blockAt(pos).name == name, 10), f"{block} never appeared at {pos}"


def _centre(bot):
    """The bot's feet block, the bot moved to its centre: drops of a block dug next to it land within pickup reach."""
    assert wait_until(lambda: bot.entity.onGround, 10), "the bot never landed"
    feet = bot.entity.position.floored()
    x, y, z = int(feet.x), int(feet.y), int(feet.z)
    bot.chat(f"/tp {x}.5 {y}.0 {z}.5")  # op test set-up
    assert wait_until(lambda: abs(bot.entity.position.x - x - 0.5) < 0.01 and bot.entity.onGround, 10)
    return feet


def _ground(server, bot, dx: int, dz: int, floor: str = "dirt"):
    """A `floor` block at (dx, dz) from the bot at its feet level minus one, with two blocks of air above it.
    Each test uses its own offsets: every bot spawns at the same place and the blocks stay."""
    assert wait_until(lambda: bot.entity.onGround, 10), "the bot never landed"
    feet = bot.entity.position.floored()
    below = vec3(feet.x + dx, feet.y - 1, feet.z + dz)
    for dy in (1, 2):
        _setblock(server, bot, below.offset(0, dy, 0), "air")
    _setblock(server, bot, below, floor)
    return below


def _age(bot, pos) -> int:
    return int(bot.blockAt(pos).getProperties().age)


def test_a_hoe_tills_seeds_plant_bone_meal_grows_and_grown_wheat_drops_wheat(server, bot):
    give_items(server, bot, wooden_hoe=1, wheat_seeds=3, bone_meal=16)
    _centre(bot)
    dirt = _ground(server, bot, 1, 0, "dirt")
    grass = _ground(server, bot, 1, 1, "grass_block")
    covered = _ground(server, bot, 1, -1, "dirt")
    _setblock(server, bot, covered.offset(0, 1, 0), "stone")

    # Seeds do not take on plain dirt (mineflayer gives up when no block appears).
    _hold(bot, "wheat_seeds")
    with pytest.raises(Exception, match="did not fire|No block has been placed"):
        bot.placeBlock(bot.blockAt(dirt), vec3(0, 1, 0), timeout=30)
    assert inventory(bot)["wheat_seeds"] == 3

    _hold(bot, "wooden_hoe")
    for ground in (dirt, grass, covered):
        bot.activateBlock(bot.blockAt(ground), timeout=10)
    assert wait_until(lambda: bot.blockAt(dirt).name == "farmland" and bot.blockAt(grass).name == "farmland", 10), \
        (bot.blockAt(dirt).name, bot.blockAt(grass).name)
    assert wait_until(lambda: bot.heldItem.durabilityUsed == 2, 10), bot.heldItem.durabilityUsed  # one point each
    time.sleep(1)  # the covered dirt had as long: a block above keeps it from being tilled
    assert bot.blockAt(covered).name == "dirt"
    assert bot.heldItem.durabilityUsed == 2

    _hold(bot, "wheat_seeds")
    bot.placeBlock(bot.blockAt(dirt), vec3(0, 1, 0), timeout=30)
    crop = dirt.offset(0, 1, 0)
    assert bot.blockAt(crop).name == "wheat" and _age(bot, crop) == 0
    assert wait_until(lambda: inventory(bot).get("wheat_seeds") == 2, 10), inventory(bot)

    _hold(bot, "bone_meal")
    ages = [0]
    while ages[-1] < 7 and len(ages) < 8:
        bot.activateBlock(bot.blockAt(crop), timeout=10)
        assert wait_until(lambda: _age(bot, crop) > ages[-1], 10), f"bone meal did not grow the wheat from {ages[-1]}"
        ages.append(_age(bot, crop))
    steps = [b - a for a, b in zip(ages[:-1], ages[1:], strict=True)]
    assert ages[-1] == 7 and all(2 <= s <= 5 for s in steps[:-1]) and 1 <= steps[-1] <= 5, ages  # vanilla 2-5
    assert wait_until(lambda: inventory(bot).get("bone_meal") == 16 - len(steps), 10), (inventory(bot), ages)
    # A grown crop is no target: nothing happens, nothing is used.
    bot.activateBlock(bot.blockAt(crop), timeout=10)
    time.sleep(1)
    assert inventory(bot).get("bone_meal") == 16 - len(steps)

    before = inventory(bot)
    bot.dig(bot.blockAt(crop), timeout=60)
    assert wait_until(lambda: inventory(bot).get("wheat", 0) == 1, 10), inventory(bot)
    time.sleep(1)  # every drop of the crop pops together
    seeds = inventory(bot).get("wheat_seeds", 0) - before["wheat_seeds"]
    assert 0 <= seeds <= 3, inventory(bot)
    assert bot.blockAt(crop).name == "air" and bot.blockAt(dirt).name == "farmland"


def test_a_young_crop_drops_only_its_seed_and_carrots_plant_from_the_carrot(server, bot):
    give_items(server, bot, carrot=1)
    _centre(bot)
    farmland = _ground(server, bot, -1, 0, "farmland")
    crop = farmland.offset(0, 1, 0)
    _setblock(server, bot, crop, "wheat[age=3]")
    assert _age(bot, crop) == 3  # /setblock's vanilla state syntax

    bot.dig(bot.blockAt(crop), timeout=60)
    assert wait_until(lambda: inventory(bot).get("wheat_seeds") == 1, 10), inventory(bot)
    time.sleep(1)
    assert "wheat" not in inventory(bot) and inventory(bot)["wheat_seeds"] == 1

    _hold(bot, "carrot")
    bot.placeBlock(bot.blockAt(farmland), vec3(0, 1, 0), timeout=30)
    assert bot.blockAt(crop).name == "carrots" and _age(bot, crop) == 0
    assert wait_until(lambda: "carrot" not in inventory(bot), 10), inventory(bot)

    # Digging the farmland takes the crop with it, which drops as if broken.
    bot.dig(bot.blockAt(farmland), timeout=60)
    assert wait_until(lambda: bot.blockAt(crop).name == "air", 10), bot.blockAt(crop).name
    assert wait_until(lambda: inventory(bot).get("carrot") == 1 and inventory(bot).get("dirt") == 1, 10), inventory(bot)


def test_crops_grow_by_random_ticks_but_not_while_the_world_is_frozen(server, bot):
    """A high randomTickSpeed (vanilla's game rule) makes growth quick enough to watch; frozen, nothing grows and bare
    dry farmland stays; running again, the wheat grows to its last stage and bare farmland turns back to dirt."""
    assert wait_until(lambda: bot.entity.onGround, 10)
    feet = bot.entity.position.floored()
    # In the air above the bot, far from any water: dry farmland.
    planted = vec3(feet.x + 1, feet.y + 5, feet.z - 3)
    bare = planted.offset(2, 0, 0)
    crop = planted.offset(0, 1, 0)
    for pos in (crop, bare.offset(0, 1, 0)):
        _setblock(server, bot, pos, "air")
    try:
        with server.frozen():
            _setblock(server, bot, planted, "farmland")
            _setblock(server, bot, bare, "farmland")
            _setblock(server, bot, crop, "wheat")
            server.command("gamerule randomTickSpeed 4096")
            time.sleep(4)  # ~80 ticks' worth: unfrozen, the wheat would grow ~6 stages, the bare farmland go
            assert _age(bot, crop) == 0
            assert bot.blockAt(bare).name == "farmland"
        assert wait_until(lambda: _age(bot, crop) == 7, 120), f"the wheat only reached age {_age(bot, crop)}"
        assert wait_until(lambda: bot.blockAt(bare).name == "dirt", 60), bot.blockAt(bare).name
        assert bot.blockAt(planted).name == "farmland"  # a crop keeps its farmland
    finally:
        server.command("gamerule randomTickSpeed 3")
