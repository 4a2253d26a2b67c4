"""The world dies mid-run (kill -9): the world and the bot's state survive on disk, gitm starts the server again
and the run reaches its goal; a server gitm does not own is given up after a bounded time, with a record."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from gitm.record.recorder import SUMMARY, TRAJECTORY, list_runs, read_trajectory
from tests.conftest import wait_until
from tests.test_run_cli import cmdline, descendants, gitm_run, wait_for

pytestmark = pytest.mark.slow


def kill_hard(server) -> None:
    """SIGKILL the embedded server, as a crash would: no chance to save or say goodbye."""
    os.kill(server.pid, signal.SIGKILL)
    assert wait_until(lambda: server.gone() is not None, 30), "the killed server still runs"


def test_a_dug_block_and_the_inventory_survive_a_kill_and_restart(tmp_path):
    from bot_bridge.body import Body
    from bot_bridge.server import EmbeddedServer

    server = EmbeddedServer(seed=1, log_path=tmp_path / "server.log", save_dir=tmp_path / "world").start()
    try:
        body = Body(server.port, username="keeper").connect()
        assert body.act("mine", object="oak_log", count=1).ok
        items = sum(body.observe().inventory.values())
        spot = dig_under(body.bot)
        assert wait_until(lambda: sum(body.observe().inventory.values()) == items + 1, 15), body.inventory
        held, age = dict(body.inventory), body.age
        assert held.get("oak_log", 0) >= 1
        assert wait_until(lambda: saved_inventory(tmp_path / "world") == held, 10), "the state was not saved"

        kill_hard(server)
        server.restart()
        body.port = server.port
        body.reconnect()

        assert block_name(body.bot, *spot) == "air", "the dug block came back"
        assert body.observe().inventory == held
        assert body.age >= age - 40, f"the world's age went back from {age} to {body.age}"
    finally:
        server.stop()


def dig_under(bot) -> tuple[int, int, int]:
    """Dig the block under the bot by hand (a real dig, by the server's rules): the bot drops into the hole and
    picks up what it dropped. Returns where the block was."""
    from javascript import eval_js

    return tuple(eval_js("""
        const block = bot.blockAt(bot.entity.position.offset(0, -1, 0))
        await bot.dig(block)
        return [block.position.x, block.position.y, block.position.z]
    """))


def block_name(bot, x: int, y: int, z: int) -> str:
    from javascript import eval_js

    return eval_js("return bot.blockAt(bot.entity.position.floored().set(x, y, z)).name")


def saved_inventory(world: Path) -> dict[str, int] | None:
    """The one player's inventory in the saved state (written every second and right after a change)."""
    try:
        (record,) = json.loads((world / "state.json").read_text())["players"].values()
    except (OSError, ValueError, KeyError):
        return None
    held: dict[str, int] = {}
    for item in record["inventory"]:
        name = item["id"]["value"].removeprefix("minecraft:")
        held[name] = held.get(name, 0) + item["Count"]["value"]
    return held
