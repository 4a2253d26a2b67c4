"""Passive animals on the embedded world (plugins/animal*.js), with a real Mineflayer bot (no mocks).

Natural herds near spawn, wandering, a sword kill with loot, knockback and panic, shearing and milking, and a frozen
world's animals standing still. Summoned animals (`/summon <animal> x y z` from the console) are penned in with
`/setblock` walls so they stay in reach. No exact coordinates or wall-clock figures are asserted; waits are generous.
"""

from __future__ import annotations

import json
import math
import subprocess
import time
from collections.abc import Iterator

import pytest
from javascript import eval_js

from bot_bridge.node_env import BRIDGE_DIR, ensure_node_modules, node_environ, node_executable

from .conftest import a_bot, a_world, inventory, wait_until
from .test_world_drops import _hold, _spot, _vec

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator:
    """A server of this module's own: it reads the loot lying in a pen, and other tests leave items lying at the shared
    spawn."""
    yield from a_world(tmp_path_factory, "mobs")


@pytest.fixture
def bot(server) -> Iterator:
    yield from a_bot(server, "m")

ANIMALS = ("cow", "sheep", "pig", "chicken")
COLORS = ("white", "orange", "magenta", "light_blue", "yellow", "lime", "pink", "gray", "light_gray", "cyan", "purple",
          "blue", "brown", "green", "red", "black")  # DyeColor ids


def test_mob_rules_unit_tests_pass():
    """lib/mobs.js on its own (node --test): loot counts, weapon damage and cooldown, sheep colour odds."""
    ensure_node_modules()
    run = subprocess.run([node_executable(), "--test", "server/lib/mobs.test.js"], cwd=BRIDGE_DIR,
                         capture_output=True, text=True, timeout=60, env=node_environ())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]



def _animals(bot, kinds: tuple[str, ...] = ANIMALS) -> list[dict]:
    """Every mob of these kinds the bot sees: id, name, position, distance from the bot."""
    return json.loads(eval_js("const wanted = " + json.dumps(list(kinds)) + """
        const me = bot.entity.position
        return JSON.stringify(Object.values(bot.entities).filter(e => wanted.includes(e.name))
          .map(e => ({ id: e.id, name: e.name, x: e.position.x, y: e.position.y, z: e.position.z,
                       d: e.position.distanceTo(me) })))
    """))


def _by_id(bot, entity_id: int, kinds: tuple[str, ...] = ANIMALS) -> dict | None:
    return next((a for a in _animals(bot, kinds) if a["id"] == entity_id), None)


def _distance(a: dict, b: dict) -> float:
    return math.dist((a["x"], a["y"], a["z"]), (b["x"], b["y"], b["z"]))


def _bot_pos(bot) -> dict:
    p = bot.entity.position
    return {"x": p.x, "y": p.y, "z": p.z}


def _on_ground(bot, animal: dict) -> bool:
    """Feet on a block's top (y whole) with a solid block under some part of the hit box (0.4 wide for the
    smallest, the chicken)."""
    if abs(animal["y"] - round(animal["y"])) > 0.01:
        return False
    y = round(animal["y"]) - 1
    for dx in (-0.2, 0, 0.2):
        for dz in (-0.2, 0, 0.2):
            block = bot.blockAt(_vec(math.floor(animal["x"] + dx), y, math.floor(animal["z"] + dz)))
            if block is not None and block.boundingBox == "block":
                return True
    return False


def _summon(server, bot, name: str, x: int, y: int, z: int, kinds: tuple[str, ...] = ANIMALS,
            within: float = 1.5) -> dict:
    """`/summon` from the console at block (x, y, z) (its middle); the new mob as the bot sees it."""
    before = {a["id"] for a in _animals(bot, kinds)}
    server.command(f"summon {name} {x} {y} {z}")
    found: list[dict] = []

    def appeared() -> bool:
        found[:] = [a for a in _animals(bot, kinds) if a["id"] not in before and a["name"] == name
                    and math.hypot(a["x"] - x - 0.5, a["z"] - z - 0.5) < within]
        return bool(found)

    assert wait_until(appeared, timeout=15), f"the summoned {name} never showed up in bot.entities"
    return found[0]


def _pen(server, bot, x: int, y: int, z: int) -> None:
    """Stone walls two high around the row of cells x..x+2 at z (the bot stands at x): what is summoned at x+2
    stays within reach of the bot."""
    cells = [(cx, z - 1) for cx in range(x - 1, x + 4)] + [(cx, z + 1) for cx in range(x - 1, x + 4)]
    cells += [(x - 1, z), (x + 3, z)]
    for cx, cz in cells:
        for cy in (y, y + 1):
            server.command(f"setblock {cx} {cy} {cz} minecraft:stone")
    assert wait_until(lambda: bot.blockAt(_vec(x + 3, y + 1, z)).name == "stone", timeout=10)


def _penned(server, bot, name: str) -> tuple[dict, tuple[int, int, int]]:
    x, y, z = _spot(server, bot)
    _pen(server, bot, x, y, z)
    return _summon(server, bot, name, x + 2, y, z), (x, y, z)


def _entity(bot, entity_id: int):
    return eval_js("return bot.entities[entity_id] ?? null")


def test_animals_live_near_spawn_on_the_ground_and_wander(server, bot):
    me = _bot_pos(bot)
    assert wait_until(lambda: any(_distance(a, me) < 48 for a in _animals(bot)), timeout=30), \
        "no cow, sheep, pig or chicken within 48 blocks of spawn"
    near = [a for a in _animals(bot) if _distance(a, me) < 48]
    assert {a["name"] for a in near} <= set(ANIMALS)
    # Each stands on the ground (one that is mid-jump or mid-step gets a few more looks).
    for animal in near:
        assert wait_until(lambda a=animal: (now := _by_id(bot, a["id"])) is None or _on_ground(bot, now), timeout=10), \
            f"{animal['name']} at {animal} is not standing on a block"
    # They stroll: some animal moves more than a block from where it was.
    start = {a["id"]: a for a in _animals(bot)}

    def someone_walked() -> bool:
        return any(_distance(a, start[a["id"]]) > 1 for a in _animals(bot) if a["id"] in start)

    assert wait_until(someone_walked, timeout=60), "no animal moved in a minute"


def test_a_sword_kills_a_summoned_cow_which_drops_beef(server, bot):
    _hold(server, bot, "iron_sword")  # 6 damage a full-strength hit; a cow has 10 health
    cow, (x, y, z) = _penned(server, bot, "cow")
    before = inventory(bot)
    entity = _entity(bot, cow["id"])
    for _ in range(8):  # 2 full-strength hits kill it; weaker ones (a loaded machine) take more
        if _by_id(bot, cow["id"]) is None:
            break
        time.sleep(0.8)  # the sword's attack cooldown (12.5 ticks) recharges
        bot.attack(entity)
    assert wait_until(lambda: _by_id(bot, cow["id"]) is None, timeout=10), "the cow did not die and go away"
    # Its loot pops out as item entities in the pen: 1-3 beef and 0-2 leather.
    assert wait_until(lambda: "beef" in _items(bot, x + 2, z) or inventory(bot).get("beef"), timeout=10), \
        "the cow dropped no beef"
    assert set(_items(bot, x + 2, z)) <= {"beef", "leather"}
    bot.chat(f"/tp {x + 2}.5 {y}.0 {z}.5")  # walk over the loot
    assert wait_until(lambda: not _items(bot, x + 2, z), timeout=10), "the loot was not picked up"
    after = inventory(bot)
    gained = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}
    assert 1 <= gained.pop("beef", 0) <= 3 and 0 <= gained.pop("leather", 0) <= 2 and gained == {}, gained


def _items(bot, x: int, z: int, radius: float = 2.5) -> dict[str, int]:
    """The item entities within `radius` (horizontally) of block (x, z)'s middle, by item name."""
    return json.loads(eval_js("""
        const out = {}
        for (const e of Object.values(bot.entities)) {
          if (e.name !== 'item' || Math.hypot(e.position.x - x - 0.5, e.position.z - z - 0.5) > radius) continue
          const item = e.getDroppedItem()
          if (item) out[item.name] = (out[item.name] ?? 0) + item.count
        }
        return JSON.stringify(out)
    """))


def test_a_hit_animal_is_knocked_back_and_flees(server, bot):
    x, y, z = _spot(server, bot)  # a stone floor and clear air 5 blocks east of the bot
    pig = _summon(server, bot, "pig", x + 2, y, z)
    entity = _entity(bot, pig["id"])
    assert wait_until(lambda: _on_ground(bot, _by_id(bot, pig["id"])), timeout=10)
    start = _by_id(bot, pig["id"])
    me = _bot_pos(bot)
    bot.attack(entity)  # a fist: 1 of its 10 health
    assert wait_until(lambda: _distance(_by_id(bot, pig["id"]), me) > _distance(start, me) + 2, timeout=15), \
        "the pig neither was knocked back nor ran away from the bot"


def test_shears_give_wool_and_a_bucket_milk(server, bot):
    _hold(server, bot, "shears")
    sheep, (x, y, z) = _penned(server, bot, "sheep")
    before = inventory(bot)

    def wool_gained() -> dict[str, int]:  # on the ground in the pen, or already picked up (it may pop at the bot)
        now = inventory(bot)
        got = {k: now.get(k, 0) - before.get(k, 0) for k in now if k.endswith("_wool") and now[k] != before.get(k, 0)}
        for k, n in _items(bot, x + 1, z).items():
            got[k] = got.get(k, 0) + n
        return got

    bot.activateEntity(_entity(bot, sheep["id"]))
    assert wait_until(lambda: bool(wool_gained()), timeout=10), "shearing dropped nothing"
    assert wait_until(lambda: bot.heldItem is not None and bot.heldItem.durabilityUsed == 1, timeout=5)
    assert wait_until(lambda: (_metadata(bot, sheep["id"], 17) or 0) & 0x10, timeout=5), "it does not look sheared"
    color = COLORS[_metadata(bot, sheep["id"], 17) & 15]
    # Everything it dropped is picked up walking over it: 1-3 wool of its own colour.
    bot.chat(f"/tp {x + 2}.5 {y}.0 {z}.5")
    assert wait_until(lambda: not _items(bot, x + 1, z), timeout=10), "the wool was not picked up"
    wool = wool_gained()
    assert list(wool) == [f"{color}_wool"] and 1 <= wool[f"{color}_wool"] <= 3, wool
    # A sheared sheep gives no more wool.
    bot.activateEntity(_entity(bot, sheep["id"]))
    time.sleep(1.5)
    assert wool_gained() == wool

    _hold(server, bot, "bucket")  # a cow in the same pen
    cow = _summon(server, bot, "cow", x + 2, y, z)
    bot.activateEntity(_entity(bot, cow["id"]))
    assert wait_until(lambda: inventory(bot).get("milk_bucket") == 1 and "bucket" not in inventory(bot), timeout=10)


def test_a_frozen_worlds_animals_stand_still(server, bot):
    x, y, z = _spot(server, bot)
    chicken = _summon(server, bot, "chicken", x + 2, y, z)
    bot.attack(_entity(bot, chicken["id"]))  # it panics: it would run for 5 s
    server.freeze()
    try:
        time.sleep(1)  # what was sent before the freeze has arrived
        still = {a["id"]: a for a in _animals(bot)}
        time.sleep(3)  # 60 ticks of a running world
        moved = [a for a in _animals(bot) if a["id"] in still and _distance(a, still[a["id"]]) > 0]
        assert moved == [], f"animals moved in a frozen world: {moved}"
    finally:
        server.unfreeze()
    start = _by_id(bot, chicken["id"])
    assert wait_until(lambda: (now := _by_id(bot, chicken["id"])) is not None and _distance(now, start) > 0.5,
                      timeout=60), "the chicken did not move again once the world ran"


def test_summon_by_a_player_puts_the_animal_at_the_player(server, bot):
    me = _bot_pos(bot)
    before = {a["id"] for a in _animals(bot)}
    bot.chat("/summon minecraft:sheep")  # the bot is op on the test server

    def new_sheep() -> list[dict]:
        return [a for a in _animals(bot) if a["id"] not in before and a["name"] == "sheep"]

    assert wait_until(lambda: bool(new_sheep()), timeout=15), "/summon by a player spawned no sheep"
    sheep = new_sheep()[0]
    assert math.hypot(sheep["x"] - me["x"], sheep["z"] - me["z"]) < 3
    # Its wool (metadata 17): a colour id, not sheared; and its health (metadata 9): a sheep's 8.
    assert wait_until(lambda: _metadata(bot, sheep["id"], 17) is not None, timeout=5)
    assert 0 <= _metadata(bot, sheep["id"], 17) < 16
    assert _metadata(bot, sheep["id"], 9) == 8


def _metadata(bot, entity_id: int, index: int):
    return eval_js("return bot.entities[entity_id]?.metadata[index] ?? null")


def test_the_agents_attack_action_kills_a_cow_and_collects_its_beef(server):
    """The agent's own `attack` action (skills/attack.js: chase, hit, collect) on a summoned cow."""
    from bot_bridge.body import Body

    body = Body(server.port, username=f"m{int(time.time()) % 100000}").connect()
    try:
        bot = body.bot
        x, y, z = _spot(server, bot)
        _hold(server, bot, "stone_sword")
        _summon(server, bot, "cow", x + 3, y, z)
        r = body.act("attack", entity="cow", radius=16, timeout=90)
        assert r.ok, r.reason
        assert wait_until(lambda: inventory(bot).get("beef", 0) >= 1, timeout=10), inventory(bot)
    finally:
        body.close()
