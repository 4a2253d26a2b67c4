"""Other players on the embedded world (plugins/commandPermissions.js, plugins/duplicateLogin.js), with real second
Mineflayer clients (no mocks).

Anyone on the machine can join the loopback server in offline mode: as on vanilla, a player who is not op cannot run
a command that touches another player (it is refused as an unknown command), and a second login under a name already
playing disconnects the older connection. Every wait is for an event, with a generous timeout.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import time

import pytest
from javascript import eval_js

from bot_bridge.bot import connect_bot
from bot_bridge.node_env import BRIDGE_DIR, node_environ, node_executable

from .conftest import inventory, quit_bot, wait_until
from .test_world_tick_freeze import _round_trip

pytestmark = pytest.mark.slow

_names = itertools.count()

# What a vanilla 1.21.4 client shows for a command the player may not run (Commands.finishParsing), in English.
UNKNOWN = "Unknown or incomplete command, see below for error"


def refusal(command: str) -> list[str]:
    return [UNKNOWN, f"{command}<--[HERE]"]


def _listen(player):
    """Every chat line the player is shown from now on (JSON: its text and the component the server sent)."""
    return eval_js("""
        const heard = []
        player.on('message', message => heard.push(JSON.stringify({ text: message.toString(), json: message.json })))
        return heard
    """)


def _lines(heard) -> list[dict]:
    return [json.loads(line) for line in list(heard)]


def _texts(heard) -> list[str]:
    return [line["text"] for line in _lines(heard)]


def _effects_on(bot):
    """The effects the server gives the bot from now on."""
    return eval_js("""
        const effects = []
        bot._client.on('entity_effect', packet => { if (packet.entityId === bot.entity.id) effects.push(packet) })
        return effects
    """)


@pytest.fixture
def stranger(server):
    """A second player, not op, on the shared server (whose players are op for test set-up)."""
    name = f"s{next(_names)}_{int(time.time()) % 10000}"
    player = connect_bot(server.port, username=name)
    heard = _listen(player)
    server.command(f"deop {name}")
    assert wait_until(lambda: any("Deopped" in text for text in _texts(heard)), 10), _texts(heard)
    yield player, heard
    quit_bot(player)


def test_a_player_who_is_not_op_cannot_touch_another_player(server, bot, stranger):
    player, heard = stranger
    victim = bot.username
    effects = _effects_on(bot)
    start = bot.entity.position.clone()
    commands = [
        f"kill {victim}",
        f"effect {victim} mining_fatigue 60 2",
        f"op {player.username}",  # nor make itself op
        f"tp {victim} 0 250 0",
        f"teleport {victim} 0 250 0",
        f"give {victim} diamond 64",
        f"gamemode creative {victim}",
        f"xp 100 {victim}",
        f"enchant {victim} sharpness 1",
        f"velocity {victim} 0 20 0",
        f"kick {victim}",
        f"clear {victim}",  # not a flying-squid command: the same refusal, as for any unknown command
    ]
    seen = len(list(heard))
    for command in commands:
        player.chat(f"/{command}")
    expected = [line for command in commands for line in refusal(command)]
    assert wait_until(lambda: len(list(heard)) >= seen + len(expected), 30), _texts(heard)[seen:]
    assert _texts(heard)[seen:] == expected

    # The server answered in order, so it has handled every command; the victim's round trip brings every packet
    # the server sent it before: nothing happened to it.
    _round_trip(bot)
    assert bot.health == 20 and bot.game.gameMode == "survival"
    assert list(effects) == []
    assert bot.entity.position.distanceTo(start) < 1
    assert "diamond" not in inventory(bot)
    # The level-0 commands stay open to everyone.
    player.chat("/me waves")
    assert wait_until(lambda: f"* {player.username} waves" in _texts(heard), 20), _texts(heard)

    # An op may: the refusal came from the permission, not from a broken command.
    server.command(f"op {player.username}")
    assert wait_until(lambda: any("Opped" in text for text in _texts(heard)), 10), _texts(heard)
    player.chat(f"/effect {victim} mining_fatigue 60 2")
    assert wait_until(lambda: len(list(effects)) == 1, 10)


def test_the_refusal_is_vanillas_component(server, stranger):
    player, heard = stranger
    seen = len(list(heard))
    player.chat("/kill")
    assert wait_until(lambda: len(list(heard)) >= seen + 2, 20), _texts(heard)[seen:]
    unknown, context = (line["json"] for line in _lines(heard)[seen:seen + 2])
    # CommandSourceStack.sendFailure: an empty red component around each line
    assert unknown == {"text": "", "color": "red", "extra": [{"translate": "command.unknown.command"}]}
    assert context["color"] == "red" and context["extra"][0]["color"] == "gray"
    assert context["extra"][0]["clickEvent"] == {"action": "suggest_command", "value": "/kill"}
    assert context["extra"][0]["extra"][1:] == [
        {"text": "kill", "color": "red", "underlined": 1},
        {"translate": "command.context.here", "color": "red", "italic": 1},
    ]


# Two clients under one name, one after the other: what each sees, in order.
DUPLICATE = r"""
const mineflayer = require('mineflayer')
const nbt = require('prismarine-nbt')
const [port, username] = [+process.argv[1], process.argv[2]]
const version = require('./server/lib/version').mcVersion()
const join = () => mineflayer.createBot({ host: '127.0.0.1', port, username, version, auth: 'offline',
                                          hideErrors: true })
const events = []
const report = () => { console.log(JSON.stringify(events)); process.exit(0) }
setTimeout(report, 90000)  // generous: the test reads what happened by then
const older = join()
older.once('error', err => events.push(['older error', String(err)]))
older.once('spawn', () => {
  events.push(['older spawn'])
  older.once('kicked', reason => {
    const ChatMessage = require('prismarine-chat')(older.registry)
    events.push(['older kicked', nbt.simplify(reason), ChatMessage.fromNotch(reason).toString()])
  })
  older.once('end', () => events.push(['older end']))
  older.on('messagestr', message => events.push(['older heard', message]))
  const newer = join()
  newer.once('error', err => events.push(['newer error', String(err)]))
  newer.once('spawn', () => {
    events.push(['newer spawn'])
    newer.chat('/me is here')
  })
  newer.on('messagestr', message => {
    if (!message.includes('is here')) return
    events.push(['newer heard', message])
    newer.quit()
    report()
  })
})
"""


def test_a_second_login_under_a_name_kicks_the_older_connection(server):
    name = f"d{next(_names)}_{int(time.time()) % 10000}"
    probe = subprocess.run([node_executable(), "-e", DUPLICATE, str(server.port), name], cwd=BRIDGE_DIR,
                           capture_output=True, text=True, timeout=150, env=node_environ())
    assert probe.returncode == 0, probe.stderr[-2000:]
    events = json.loads(probe.stdout.strip().splitlines()[-1])
    assert events == [
        ["older spawn"],
        ["older kicked", {"translate": "multiplayer.disconnect.duplicate_login"},
         "You logged in from another location"],
        ["older end"],
        ["newer spawn"],
        ["newer heard", f"* {name} is here"],
    ]


def test_joining_and_leaving_are_announced_as_vanillas_translated_messages(server, bot):
    # flying-squid broadcast the plain text "X joined the game."; vanilla sends the yellow translatable
    # multiplayer.player.joined / .left with the player's display name (its insertion is the name), which Mineflayer's
    # examples and tests look for.
    heard = _listen(bot)
    name = f"j{next(_names)}_{int(time.time()) % 10000}"
    newcomer = connect_bot(server.port, username=name)

    def announced(key):
        return [line["json"] for line in _lines(heard) if line["json"].get("translate") == key]

    assert wait_until(lambda: announced("multiplayer.player.joined"), 20), _lines(heard)
    joined = announced("multiplayer.player.joined")[0]
    assert joined["color"] == "yellow"
    assert joined["with"][0]["insertion"] == name
    assert joined["with"][0]["text"] == name
    assert f"{name} joined the game" in _texts(heard)
    quit_bot(newcomer)
    assert wait_until(lambda: announced("multiplayer.player.left"), 20), _lines(heard)
    left = announced("multiplayer.player.left")[0]
    assert left["with"][0]["insertion"] == name and left["color"] == "yellow"
    assert f"{name} left the game" in _texts(heard)
