"""Each action on the real embedded server with a real bot; set-up (only) by server commands."""

from __future__ import annotations

import itertools
import time

import pytest

from tests.conftest import a_world, wait_until

pytestmark = pytest.mark.slow
_names = itertools.count()


@pytest.fixture
def body(server):
    from bot_bridge.body import Body

    b = Body(server.port, username=f"b{next(_names)}_{int(time.time()) % 10000}").connect()
    yield b
    b.close()


def _ground(body):
    """The bot's feet block once it stands still."""
    wait_until(lambda: body.bot.entity.onGround, timeout=10)
    p = body.bot.entity.position.floored()
    return int(p.x), int(p.y), int(p.z)


def _fill(server, x0, y0, z0, x1, y1, z1, block: str) -> None:
    """flying-squid has no /fill: one /setblock per block."""
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            for z in range(z0, z1 + 1):
                server.command(f"setblock {x} {y} {z} minecraft:{block}")


def _pad(server, body, half: int = 2):
    """A flat stone pad under the bot with clear air above it, so placing and walking are predictable."""
    from javascript import require

    x, y, z = _ground(body)
    _fill(server, x - half, y - 1, z - half, x + half, y - 1, z + half, "stone")
    _fill(server, x - half, y, z - half, x + half, y + 2, z + half, "air")
    corner = require("vec3")(x + half, y - 1, z + half)
    assert wait_until(lambda: body.bot.blockAt(corner).name == "stone")
    return x, y, z


def _give(server, body, item: str, n: int) -> None:
    server.command(f"give {body.username} {item} {n}")
    assert wait_until(lambda: body.observe().inventory.get(item, 0) >= n, timeout=10), f"/give {item} failed"


def test_observe_is_typed_and_compact(body):
    obs = body.observe()
    assert obs.health > 0 and obs.food > 0 and obs.age > 0
    assert obs.biome in ("plains", "forest", "birch_forest")
    assert isinstance(obs.blocks, dict)
    text = obs.to_prompt()
    assert "inventory: nothing" in text and len(text) < 1500


def test_mine_logs_set_up_next_to_the_bot(server, body):
    x, y, z = _pad(server, body)
    for dy in range(3):
        server.command(f"setblock {x + 2} {y + dy} {z} minecraft:oak_log")
    assert wait_until(lambda: body.bot.blockAt(body.bot.entity.position.offset(2, 2, 0)).name == "oak_log")
    r = body.act("mine", object="oak_log", count=2)
    assert r.ok, r.reason
    assert sum(v for k, v in r.delta.items() if k.endswith("_log")) >= 2
    assert r.ticks > 0 and r.wall_s > 0 and r.y is not None and r.pos is not None


def test_mine_refuses_without_the_tool_and_reports_absence(server, body):
    r = body.act("mine", object="raw_iron")
    assert not r.ok and r.reason == "need stone_pickaxe to mine raw_iron"
    _give(server, body, "stone_pickaxe", 1)
    r = body.act("mine", object="emerald", radius=8)
    assert not r.ok and ("no deepslate_emerald_ore within 8 blocks" in r.reason or "need iron_pickaxe" in r.reason)


def test_craft_planks_sticks_and_a_table_recipe(server, body):
    _pad(server, body)
    _give(server, body, "oak_log", 3)
    r = body.act("craft", object="oak_planks", count=8)
    assert r.ok, r.reason
    assert r.delta.get("oak_planks") == 8 and r.delta.get("oak_log") == -2
    assert body.act("craft", object="stick", count=4).ok
    r = body.act("craft", object="wooden_pickaxe")
    assert not r.ok and r.reason.startswith("need crafting_table"), r.reason
    assert body.act("craft", object="oak_planks", count=4).ok
    assert body.act("craft", object="crafting_table").ok
    assert body.inventory.get("oak_planks") == 6 and body.inventory.get("stick") == 4
    r = body.act("craft", object="iron_pickaxe")
    assert not r.ok and r.reason == "missing 3 iron_ingot to craft 1 iron_pickaxe", r.reason
    assert r.details["missing"] == [{"item": "iron_ingot", "count": 3}]
    r = body.act("craft", object="wooden_pickaxe")
    assert r.ok, r.reason
    assert r.delta.get("wooden_pickaxe") == 1 and r.details.get("placedTable")
    # the table was picked back up
    assert body.inventory.get("crafting_table") == 1


def test_smelt_places_a_furnace_and_picks_it_up(server, body):
    _pad(server, body)
    for item, n in (("raw_iron", 2), ("coal", 1), ("furnace", 1), ("wooden_pickaxe", 1)):
        _give(server, body, item, n)
    r = body.act("smelt", object="iron_ingot", count=2)
    assert r.ok, r.reason
    assert r.delta.get("iron_ingot") == 2 and r.delta.get("raw_iron") == -2
    assert r.details.get("fuel") == "coal"
    assert body.inventory.get("furnace") == 1  # picked back up with the pickaxe
    assert 2 * 200 <= r.ticks < 2 * 200 + 400


def test_place_equip_and_dig_down(server, body):
    x, y, z = _pad(server, body)
    _give(server, body, "crafting_table", 1)
    r = body.act("place", object="crafting_table")
    assert r.ok, r.reason
    assert r.delta == {"crafting_table": -1}
    _give(server, body, "stone_pickaxe", 1)
    assert body.act("equip", object="stone_pickaxe").ok
    assert body.observe().held == "stone_pickaxe"
    _fill(server, x, y - 6, z, x, y - 2, z, "stone")
    r = body.act("dig_down", y=y - 4)
    assert r.ok, r.reason
    assert r.y == y - 4 and r.delta.get("cobblestone", 0) >= 3
    r = body.act("equip", object="diamond_sword")
    assert not r.ok and "no diamond_sword" in r.reason


def test_dig_down_from_a_crafting_table_steps_off_it(server, body):
    """The bot stood on its own crafting table and dig_down refused to dig it, 12 times (an LLM run gave up on
    mine diamond so): it steps off the station, digs down beside it, and the table stays."""
    from javascript import require

    x, y, z = _pad(server, body)
    _fill(server, x - 2, y - 6, z - 2, x + 2, y - 2, z + 2, "stone")
    server.command(f"setblock {x} {y - 1} {z} minecraft:crafting_table")
    table = require("vec3")(x, y - 1, z)
    assert wait_until(lambda: body.bot.blockAt(table).name == "crafting_table")
    _give(server, body, "stone_pickaxe", 1)
    r = body.act("dig_down", y=y - 4, tool="stone_pickaxe")
    assert r.ok, r.reason
    assert r.y == y - 4 and body.bot.blockAt(table).name == "crafting_table"


def test_disconnect_reconnects_and_resumes(server, body):
    from javascript import require

    x, y, z = _pad(server, body)
    server.command(f"setblock {x + 6} {y} {z + 1} minecraft:gold_block")
    assert wait_until(lambda: body.bot.blockAt(require("vec3")(x + 6, y, z + 1)).name == "gold_block")
    _give(server, body, "oak_log", 5)
    _give(server, body, "stone_pickaxe", 1)
    assert body.act("approach", object="gold_block", distance=2).ok  # the bot walks away from where it spawned
    assert body.act("equip", object="stone_pickaxe").ok
    wait_until(lambda: body.bot.entity.onGround, timeout=5)
    before = body.observe()
    name = body.username
    server.command(f"kick {name} test")
    assert wait_until(lambda: body.bot.gitm.ended is not None and body.bot.gitm.ended is not False, timeout=10)
    obs = body.observe()  # the dead connection is noticed and replaced by a new one under the same name
    assert body.reconnects == 1 and obs.health > 0
    assert body.bot.username == name
    # the server kept the player: same inventory, same place (not the spawn point)
    assert obs.inventory["oak_log"] == before.inventory["oak_log"] == 5 and obs.inventory["stone_pickaxe"] == 1
    # blocks dug on the walk may still drop into the inventory after `before`: more, never less
    assert all(obs.inventory.get(k, 0) >= n for k, n in before.inventory.items()), (before.inventory, obs.inventory)
    assert max(abs(a - b) for a, b in zip(obs.pos, before.pos, strict=True)) < 0.6, (before.pos, obs.pos)
    r = body.act("mine", object="oak_log", count=1, radius=1)  # and actions work again, with the kept pickaxe allowed
    assert not r.ok and "within 1 blocks" in r.reason, r.reason


def test_death_is_reported_with_the_loss(server, body):
    import threading

    _give(server, body, "oak_log", 2)
    threading.Timer(2.0, lambda: server.command(f"kill {body.username}")).start()
    r = body.act("dig_down", y=body.observe().y - 20, timeout=8)  # bare hands: slow enough to die during it
    assert not r.ok and r.died == 1 and "died and respawned" in r.reason
    assert body.deaths == 1
    obs = body.observe()
    assert obs.health == 20


def test_approach_explore_and_go_up(server, body):
    x, y, z = _pad(server, body)
    server.command(f"setblock {x + 6} {y} {z + 1} minecraft:gold_block")
    from javascript import require

    gold = require("vec3")(x + 6, y, z + 1)
    assert wait_until(lambda: body.bot.blockAt(gold).name == "gold_block")
    r = body.act("approach", object="gold_block", distance=2)
    assert r.ok, r.reason
    assert r.details["distance"] <= 3
    r = body.act("approach", object="ancient_debris", radius=16)
    assert not r.ok and r.reason == "no ancient_debris within 16 blocks"
    r = body.act("explore", object="oak_log", radius=32)  # seed 1 spawns next to trees: found at once
    assert r.ok and r.details.get("found"), r.reason
    _give(server, body, "cobblestone", 8)
    start = body.observe().y
    r = body.act("go_up", y=start + 3)
    assert r.ok, r.reason
    assert r.y >= start + 3
    # going nowhere is a failure with the reason, not an "ok" a planner would repeat
    here = round(r.y)
    r = body.act("go_up", y=here - 1)
    assert not r.ok and r.reason == f"already at y={here}, not below y={here - 1}: go_up only climbs"
    r = body.act("dig_down", y=here + 2)
    assert not r.ok and r.reason.startswith(f"already at y={here}, not above y={here + 2}")


def test_attack_and_eat_report_reasons(server, body):
    # The world has passive animals only (plugins/animals.js; a kill: test_world_mobs.py): here the reasons.
    r = body.act("attack", entity="zombie", radius=16)
    assert not r.ok and r.reason == "no zombie within 16 blocks"
    _give(server, body, "bread", 1)
    r = body.act("eat", food="bread")
    assert not r.ok and "not hungry" in r.reason  # food stays at 20 on this server
    r = body.act("eat", food="cooked_beef")
    assert not r.ok and r.reason == "no cooked_beef in inventory"


def test_use_fills_a_bucket_from_a_water_source_and_pours_it_back(server, body):
    from javascript import require

    x, y, z = _pad(server, body)
    server.command(f"setblock {x + 2} {y - 1} {z} minecraft:water")  # a source in the pad, two blocks away
    water = require("vec3")(x + 2, y - 1, z)
    assert wait_until(lambda: body.bot.blockAt(water).name == "water")
    r = body.act("use", object="bucket", target="water")
    assert not r.ok and r.reason == "no bucket in inventory"
    _give(server, body, "bucket", 2)
    r = body.act("use", object="bucket", target="water")
    assert r.ok, r.reason
    assert r.delta == {"bucket": -1, "water_bucket": 1}
    assert wait_until(lambda: body.bot.blockAt(water).name == "air"), "the source was not taken"
    r = body.act("use", object="bucket", target="water", radius=8)
    assert not r.ok and r.reason == "no water within 8 blocks"
    # the full bucket aimed at the pad's far edge pours a source onto it, and comes back empty
    r = body.act("use", object="water_bucket", target="stone")
    assert r.ok, r.reason
    assert r.delta == {"water_bucket": -1, "bucket": 1}


@pytest.fixture
def lone_world(tmp_path_factory):
    """A world with no other player: the night passes only once every player sleeps (vanilla)."""
    yield from a_world(tmp_path_factory, "sleep")


def test_sleep_in_bed_places_the_held_bed_sleeps_the_night_and_takes_it_back(lone_world):
    from bot_bridge.body import Body

    server, body = lone_world, Body(lone_world.port, username="sleeper").connect()
    try:
        _sleep_through_the_night(server, body)
    finally:
        body.close()


def _sleep_through_the_night(server, body) -> None:
    _pad(server, body)
    server.command("time set 1000")
    r = body.act("sleep_in_bed")
    assert not r.ok and "no bed within" in r.reason
    _give(server, body, "white_bed", 1)
    r = body.act("sleep_in_bed")
    assert not r.ok and "cannot sleep" in r.reason, r.reason  # by day: refused, and the bed taken back
    assert wait_until(lambda: body.observe().inventory.get("white_bed") == 1, 10)
    server.command("time set 13000")
    assert wait_until(lambda: body.observe().time_of_day >= 13000, 10)
    r = body.act("sleep_in_bed")
    assert r.ok, r.reason
    assert wait_until(lambda: body.observe().time_of_day < 2000, 10)  # the night was skipped (synced every 20 ticks)
    assert wait_until(lambda: body.observe().inventory.get("white_bed") == 1, 10), body.inventory


def _cell(server, body, wall: str, cap: str | None = None):
    """The bot walled in a 1x1x2 cell on bedrock under an obsidian roof; `cap` (if given) replaces the
    obsidian on top of the walls."""
    from javascript import require

    x, y, z = _pad(server, body)
    _fill(server, x - 1, y - 1, z - 1, x + 1, y - 1, z + 1, "bedrock")  # no way out downwards
    _fill(server, x - 1, y, z - 1, x + 1, y + 1, z + 1, wall)
    _fill(server, x - 1, y + 2, z - 1, x + 1, y + 2, z + 1, cap or "obsidian")
    server.command(f"setblock {x} {y + 2} {z} minecraft:obsidian")
    _fill(server, x, y, z, x, y + 1, z, "air")
    # every wall as the client sees it: /setblock commands finish out of order, and a client that has not yet
    # heard of one wall walks out through it (a tunnel dug by an earlier test was there)
    walls = [(x + dx, y + dy, z + dz) for dx in (-1, 0, 1) for dz in (-1, 0, 1) for dy in (0, 1) if dx or dz]
    assert wait_until(lambda: all(body.bot.blockAt(require("vec3")(*w)).name == wall for w in walls)), wall
    assert wait_until(lambda: body.bot.blockAt(require("vec3")(x, y + 1, z)).name == "air")
    server.command(f"setblock {x + 8} {y} {z} minecraft:gold_block")
    assert wait_until(lambda: body.bot.blockAt(require("vec3")(x + 8, y, z)).name == "gold_block")
    return x, y, z


def test_walled_in_bot_digs_through_what_the_pathfinder_will_not(server, body):
    # the pathfinder never mines under a falling block, so it finds no way out of a gravel-capped cell
    x, y, z = _cell(server, body, "stone", cap="gravel")
    _give(server, body, "stone_pickaxe", 1)
    r = body.act("approach", object="gold_block", distance=2)
    assert r.ok, r.reason
    assert r.details["distance"] <= 3 and r.pos[0] > x + 4


def test_walled_in_bot_fails_as_stuck_within_the_limit(server, body):
    # obsidian by hand takes minutes: neither the pathfinder nor the dig-through attempts it
    from bot_bridge.actions import ACTIONS

    x, y, z = _cell(server, body, "obsidian")
    t0 = time.monotonic()
    r = body.act("approach", object="gold_block", distance=2)
    took = time.monotonic() - t0
    # the behaviour, not the cell's exact coordinates (the bot may stand a block higher while it tries to jump)
    assert not r.ok and r.reason.startswith("could not reach gold_block: stuck at "), r.reason
    assert "timeout" not in r.reason and r.pos[0] < x + 2, (r.reason, r.pos)  # still walled in
    assert took < ACTIONS["approach"].limit_s, took  # given up as stuck, before the action's own time limit


def test_smelt_names_the_missing_fuel_that_was_asked_for(server, body):
    _give(server, body, "raw_iron", 2)
    r = body.act("smelt", object="iron_ingot", count=2, fuel="oak_planks")
    assert not r.ok and r.reason == "missing 2 oak_planks (fuel) to smelt 2 iron_ingot", r.reason
    assert r.details["missing"] == [{"item": "oak_planks", "count": 2}]
    r = body.act("smelt", object="iron_ingot", count=2)
    assert not r.ok and r.reason == "missing 1 coal (fuel) to smelt 2 iron_ingot", r.reason


@pytest.fixture
def fresh_body(tmp_path):
    """A bot on a server of its own: the other tests dig and fill around the shared spawn (a hole there
    blocks a staircase)."""
    from bot_bridge.body import Body
    from bot_bridge.server import EmbeddedServer

    with EmbeddedServer(seed=1, op=True, log_path=tmp_path / "server.log") as srv:
        b = Body(srv.port, username="stairs").connect()
        yield srv, b
        b.close()


def _count_digs(bot):
    """From now on, bot.gitmTestDigs counts the blocks the bot finishes digging."""
    from javascript import eval_js

    eval_js("bot.gitmTestDigs = 0; bot.on('diggingCompleted', () => { bot.gitmTestDigs++ })")


def _durability_used(bot, name: str) -> list[int]:
    return sorted(int(i.durabilityUsed or 0) for i in bot.inventory.items() if i.name == name)


def test_explore_underground_staircases_down_to_the_ore_height(fresh_body):
    server, body = fresh_body
    target = body.kb.search_y("iron_ore")
    _give(server, body, "stone_pickaxe", 1)
    surface = _ground(body)[1]
    assert surface > target + 20, surface
    t0 = time.monotonic()
    r = body.act("explore", object="iron_ore", strategy="underground", timeout=240)
    took = time.monotonic() - t0
    assert took < 240 + 20, took
    assert abs(r.y - target) <= 3, (r.y, r.reason, r.details)
    assert r.details["stairFrom"] == surface and "stairStopped" not in r.details, r.details
    assert (r.ok and r.details.get("found")) or "without finding iron_ore" in r.reason, r.reason
    # already at the ore's height (as after the executor's dig_down): no staircase, just the search
    again = body.act("explore", object="iron_ore", strategy="underground", timeout=60)
    assert "stairFrom" not in again.details and abs(again.y - target) <= 3, again.details
    # the stair is walkable back up: climbing it digs nothing, places nothing and wears no tool. Items dug on the
    # way down may still be picked up during the climb (their pickup delay), so gains are allowed.
    worn = _durability_used(body.bot, "stone_pickaxe")
    _count_digs(body.bot)
    up = body.act("go_up", y=again.y + 8, timeout=60)
    assert up.ok, (up.reason, up.delta)
    assert body.bot.gitmTestDigs == 0, (body.bot.gitmTestDigs, up.delta)
    assert all(n > 0 for n in up.delta.values()), up.delta  # nothing placed or used up, pickups only
    assert _durability_used(body.bot, "stone_pickaxe") == worn
