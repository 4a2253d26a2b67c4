"""Hunger, eating and starvation on the embedded world (plugins/hunger.js, eating.js), with a real Mineflayer bot.

Vanilla's FoodData: exertion (sprinting, jumping) uses up saturation then food, except on peaceful where food never
drops; `bot.consume()` on bread gives minecraft-data's food value and uses up one loaf; at food 0 a normal world
starves the player down to 1 health and no further. Figures are read from the bot (what the server sent it), never
from wall-clock timing; waits are generous for a loaded machine.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator

import pytest
from javascript import eval_js

from .conftest import a_bot, a_world, inventory, quit_bot, wait_until

pytestmark = pytest.mark.slow

_names = itertools.count()


@pytest.fixture(scope="module")
def normal_server(tmp_path_factory) -> Iterator:
    """A world on normal difficulty (the shared test server is peaceful, as gitm's default)."""
    yield from a_world(tmp_path_factory, "normal", difficulty="normal")


@pytest.fixture
def normal_bot(normal_server) -> Iterator:
    yield from a_bot(normal_server, "n")


def _record_health(bot):
    """Every update_health the bot gets, as (health, food, saturation), from now on."""
    return eval_js("""
        const seen = []
        bot.on('health', () => seen.push([bot.health, bot.food, bot.foodSaturation]))
        return seen
    """)


def _exert(bot, seconds: float) -> None:
    """Sprint-jump in a tight circle (the bot stays near its spawn: no tree or lake in the way)."""
    eval_js("""
        bot.setControlState('forward', true)
        bot.setControlState('sprint', true)
        bot.setControlState('jump', true)
        bot.gitmCircle = setInterval(() => bot.look(bot.entity.yaw + 0.35, 0, true), 100)
    """)
    try:
        time.sleep(seconds)
    finally:
        eval_js("clearInterval(bot.gitmCircle); bot.clearControlStates()")


def _starve(bot, seconds: int = 6) -> None:
    """The Hunger effect at a high level (0.5 exhaustion a tick) for a few seconds: set-up for a hungry bot."""
    bot.chat(f"/effect {bot.username} hunger {seconds} 99")


def test_exertion_makes_a_player_hungry_on_normal(normal_server, normal_bot):
    bot = normal_bot
    assert wait_until(lambda: bot.food == 20 and bot.health == 20, 10), (bot.food, bot.health)
    seen = _record_health(bot)
    # Set-up: most of the 5 saturation used up (~15 exhaustion), so the exertion needs seconds rather than a minute.
    bot.chat(f"/effect {bot.username} hunger 3 49")
    time.sleep(5)
    assert bot.food == 20, "the set-up took food: saturation must go first"
    start = time.monotonic()
    while bot.food == 20 and time.monotonic() - start < 120:
        _exert(bot, 4)  # ~0.1 exhaustion per metre sprinted and 0.2 per sprinting jump
    assert bot.food < 20, f"no food lost after {time.monotonic() - start:.0f} s of sprint-jumping"
    assert bot.health == 20, "nothing should have hurt the bot"
    assert any(sat == 0 for _, _, sat in list(seen)), "saturation must run out before food drops"


def test_peaceful_never_takes_food(server, bot):
    assert wait_until(lambda: bot.food == 20, 10)
    seen = _record_health(bot)
    _starve(bot, 4)  # 40 exhaustion: all the saturation and 5 food on any other difficulty
    _exert(bot, 6)
    time.sleep(2)
    assert bot.food == 20, list(seen)
    assert all(food == 20 for _, food, _ in list(seen)), list(seen)


def test_eating_bread_gives_vanillas_food_and_uses_one_loaf(normal_server, normal_bot):
    bot = normal_bot
    bread = bot.registry.foodsByName["bread"]
    normal_server.command(f"give {bot.username} minecraft:bread 3")
    assert wait_until(lambda: inventory(bot).get("bread") == 3, 10), inventory(bot)
    _starve(bot, 6)  # 60 exhaustion: saturation 0 and about 10 food left
    assert wait_until(lambda: bot.food <= 14, 30), bot.food
    time.sleep(2)  # the effect ran out: food holds still
    food = bot.food
    assert food <= 14 and bot.foodSaturation == 0, (food, bot.foodSaturation)
    bot.equip(next(i for i in bot.inventory.items() if i.name == "bread"), "hand")
    bot.consume(timeout=30)
    assert wait_until(lambda: bot.food == food + bread.foodPoints, 10), (food, bot.food)
    assert bot.foodSaturation == pytest.approx(bread.saturation)  # 0 + 6.0, under the food level
    assert wait_until(lambda: inventory(bot).get("bread") == 2, 10), inventory(bot)


def test_a_full_player_cannot_eat_bread_but_can_eat_a_golden_apple(normal_server, normal_bot):
    bot = normal_bot
    assert wait_until(lambda: bot.food == 20, 10)
    for item in ("bread", "golden_apple"):
        normal_server.command(f"give {bot.username} minecraft:{item} 1")
    assert wait_until(lambda: inventory(bot).get("golden_apple") == 1 and inventory(bot).get("bread") == 1, 10)
    # Mineflayer itself refuses at food 20; the server must too when asked anyway.
    bot.equip(next(i for i in bot.inventory.items() if i.name == "bread"), "hand")
    bot.activateItem()
    time.sleep(3)  # the 32 ticks of eating, and more
    assert inventory(bot).get("bread") == 1
    bot.equip(next(i for i in bot.inventory.items() if i.name == "golden_apple"), "hand")
    bot.consume(timeout=30)  # always edible: resolves on the server's "finished" entity event
    assert wait_until(lambda: "golden_apple" not in inventory(bot), 10), inventory(bot)


def test_milk_gives_back_the_bucket(normal_server, normal_bot):
    bot = normal_bot
    normal_server.command(f"give {bot.username} minecraft:milk_bucket 1")
    assert wait_until(lambda: inventory(bot).get("milk_bucket") == 1, 10)
    bot.equip(next(i for i in bot.inventory.items() if i.name == "milk_bucket"), "hand")
    bot.consume(timeout=30)
    assert wait_until(lambda: inventory(bot) == {"bucket": 1}, 10), inventory(bot)


def test_starving_on_normal_stops_at_one_health(normal_server, normal_bot):
    bot = normal_bot
    seen = _record_health(bot)
    _starve(bot, 12)  # 120 exhaustion: saturation 5 and food 20 gone
    assert wait_until(lambda: bot.food == 0, 30), bot.food
    # Starving from 20 health takes 19 x 80 ticks; a fall first brings it near the floor (a 17-block drop: 14).
    pos = bot.entity.position  # a live view of the bot's position
    bot.chat(f"/tp {float(pos.x):.2f} {float(pos.y) + 17:.2f} {float(pos.z):.2f}")
    assert wait_until(lambda: bot.health <= 8, 20), bot.health
    assert wait_until(lambda: bot.health == 1, 60), list(seen)[-5:]  # 1 damage every 4 s at 20 TPS
    time.sleep(10)  # two more starvation periods
    assert bot.health == 1 and bot.food == 0, (bot.health, bot.food)
    healths = [h for h, _, _ in list(seen)]
    assert min(healths) == 1, healths


def test_food_and_saturation_are_kept_across_a_reconnect(normal_server):
    from bot_bridge.bot import connect_bot

    name = f"r{next(_names)}_{int(time.time()) % 10000}"
    bot = connect_bot(normal_server.port, username=name)
    try:
        normal_server.command(f"give {name} minecraft:bread 1")
        assert wait_until(lambda: inventory(bot).get("bread") == 1, 10)
        _starve(bot, 6)
        assert wait_until(lambda: bot.food <= 14, 30), bot.food
        time.sleep(2)
        bot.equip(next(i for i in bot.inventory.items() if i.name == "bread"), "hand")
        bot.consume(timeout=30)
        assert wait_until(lambda: bot.foodSaturation == 6, 10), bot.foodSaturation  # not vanilla's fresh 5
        before = (bot.food, bot.foodSaturation)
    finally:
        quit_bot(bot)
    time.sleep(1)
    bot = connect_bot(normal_server.port, username=name)
    try:
        assert (bot.food, bot.foodSaturation) == before
    finally:
        quit_bot(bot)


def _effect_packets(bot):
    """Every effect added to or removed from the bot from now on: [kind, effect id, amplifier, duration, flags]."""
    eval_js("""
        const seen = bot.gitmEffects = []
        const mine = p => p.entityId === bot.entity.id
        bot._client.on('entity_effect', p => {
          if (mine(p)) seen.push(['add', p.effectId, p.amplifier, p.duration, p.flags])
        })
        bot._client.on('remove_entity_effect', p => { if (mine(p)) seen.push(['remove', p.effectId]) })
    """)
    return lambda bot=bot: json.loads(eval_js("return JSON.stringify(bot.gitmEffects)"))


def test_vanillas_effect_command_from_the_player_and_the_console(normal_server, normal_bot):
    # flying-squid only knew `/effect <player> <effect> ...`, for players: Mineflayer's consume test starves its bot
    # with vanilla's `/effect give @s hunger 1 255`, and the console could not give an effect at all.
    bot = normal_bot
    hunger = bot.registry.effectsByName["Hunger"].id
    speed = bot.registry.effectsByName["Speed"].id
    assert wait_until(lambda: bot.food == 20, 10)
    seen = _effect_packets(bot)
    bot.chat("/effect give @s minecraft:hunger 1 255")
    # 1.28 exhaustion a tick for 20 ticks: the saturation and a few food points
    assert wait_until(lambda: bot.food < 20, 20), bot.food
    assert seen()[0] == ["add", hunger, 255, 20, 0x02 | 0x04]  # visible particles, icon shown
    normal_server.command(f"effect give {bot.username} speed 5 1")
    assert wait_until(lambda: ["add", speed, 1, 100, 6] in seen(), 10), seen()
    def speed_packets():
        return [p for p in seen() if p[1] == speed]

    count = len(speed_packets())
    normal_server.command(f"effect give {bot.username} minecraft:speed 60 0 true")  # weaker: nothing changes
    normal_server.command(f"effect clear {bot.username} speed")
    assert wait_until(lambda: ["remove", speed] in seen(), 10), seen()
    assert len(speed_packets()) == count + 1, seen()
