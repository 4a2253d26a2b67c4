"""The world dies mid-run (kill -9): the world and the bot's state survive on disk, gitm starts the server again
and the run reaches its goal; a server gitm does not own is given up after a bounded time, with a record."""

from __future__ import annotations

import json
import os
import signal
import subprocess
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


def test_what_sits_in_the_crafting_grid_or_on_the_cursor_survives_a_kill(tmp_path):
    """A kill mid-craft (ingredients in the grid, a stack on the cursor) loses nothing: the save takes the
    inventory as a player who left would have it, with the open window's contents given back."""
    from bot_bridge.body import Body
    from bot_bridge.server import EmbeddedServer

    server = EmbeddedServer(seed=1, log_path=tmp_path / "server.log", save_dir=tmp_path / "world").start()
    try:
        body = Body(server.port, username="crafter").connect()
        server.command("give crafter oak_log 5")
        server.command("give crafter cobblestone 3")
        assert wait_until(lambda: body.observe().inventory == {"oak_log": 5, "cobblestone": 3}, 15), body.inventory
        bot = body.bot
        bot.clickWindow(bot.inventory.findInventoryItem("oak_log").slot, 0, 0)
        bot.clickWindow(1, 0, 0)  # the logs into the 2x2 grid
        bot.clickWindow(bot.inventory.findInventoryItem("cobblestone").slot, 0, 0)  # the stones onto the cursor
        assert bot.inventory.slots[1].name == "oak_log" and bot.inventory.selectedItem.name == "cobblestone"
        assert wait_until(lambda: saved_inventory(tmp_path / "world") == {"oak_log": 5, "cobblestone": 3}, 10), \
            saved_inventory(tmp_path / "world")

        kill_hard(server)
        server.restart()
        body.port = server.port
        body.reconnect()
        assert body.observe().inventory == {"oak_log": 5, "cobblestone": 3}
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


def server_pid(run: int) -> int | None:
    """The embedded server a `gitm run` process started (node start.js), if it runs."""
    return next((pid for pid in descendants(run) if "start.js" in cmdline(pid)), None)


def events_of(data: Path) -> list[dict]:
    runs = list_runs(data)
    return list(read_trajectory(runs[0] / TRAJECTORY)) if runs else []


def kill_server_when(proc, out: Path, data: Path, ready) -> None:
    """SIGKILL the run's embedded server once `ready(events)` holds."""
    wait_for(lambda: ready(events_of(data)) and server_pid(proc.pid) is not None, proc, out, timeout=600)
    os.kill(server_pid(proc.pid), signal.SIGKILL)


def restarts_seen(events: list[dict]) -> int:
    return sum(ev["type"] == "server_restarted" for ev in events)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_a_run_whose_server_is_killed_restarts_it_and_reaches_the_goal(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out.txt"
    proc = gitm_run("wooden_pickaxe", "--seed", "1", "--planner", "knowledge", "--no-memory", "--no-dashboard",
                    "--data-dir", str(data), out=out)
    try:
        # once with the first action in flight (the bot on its way to a tree), once when it holds wood and crafts
        kill_server_when(proc, out, data, lambda evs: any(ev["type"] == "action_started" for ev in evs))
        kill_server_when(proc, out, data, lambda evs: restarts_seen(evs) == 1 and any(
            ev["type"] == "action_started" and ev["action"] == "craft" for ev in evs))
        assert proc.wait(900) == 0, out.read_text()
    finally:
        stop(proc)
    run = list_runs(data)[0]
    summary = json.loads((run / SUMMARY).read_text())
    assert summary["outcome"] == "success" and summary["server_restarts"] == 2, summary
    events = events_of(data)
    restarted = [ev for ev in events if ev["type"] == "server_restarted"]
    assert [ev["restarts"] for ev in restarted] == [1, 2]
    for ev in restarted:
        assert ev["text"] == f"server died at tick {ev['died_tick']}, restarted, resumed"
        assert "killed by SIGKILL" in ev["cause"]
    first = next(ev for ev in events if ev["type"] == "action_finished")
    assert first["action"] == "mine" and not first["ok"] and "killed by SIGKILL" in first["reason"], first
    # the wood gathered before the second death was still held after it: nothing was mined again
    later = events[events.index(restarted[1]):]
    assert not [ev for ev in later if ev["type"] == "action_started" and ev["action"] == "mine"]
    died_line = "the server process ended (not stopped by gitm): was killed by SIGKILL"
    assert (run / "server.log").read_text().count(died_line) == 2
    assert "server restarted 2x" in out.read_text()


def error_summary(proc: subprocess.Popen, out: Path, data: Path) -> dict:
    """The run must end with exit 1; its record's summary, whose outcome is error."""
    assert proc.wait(600) == 1, out.read_text()
    summary = json.loads((list_runs(data)[0] / SUMMARY).read_text())
    assert summary["outcome"] == "error", summary
    return summary


def test_a_server_that_keeps_dying_ends_the_run_as_an_error_with_its_record(tmp_path):
    from gitm.agent.loop import MAX_RESTARTS

    data, out = tmp_path / "data", tmp_path / "out.txt"
    proc = gitm_run("wooden_pickaxe", "--seed", "1", "--planner", "knowledge", "--no-memory", "--no-dashboard",
                    "--data-dir", str(data), out=out)
    try:
        for restarts in range(MAX_RESTARTS + 1):  # each time once the run went on after the last restart
            kill_server_when(proc, out, data, lambda evs, n=restarts: restarts_seen(evs) == n and any(
                ev["type"] == "action_started" for ev in evs))
        summary = error_summary(proc, out, data)
    finally:
        stop(proc)
    assert summary["server_restarts"] == MAX_RESTARTS, summary
    assert summary["reason"].startswith("the embedded server was killed by SIGKILL")
    assert summary["reason"].endswith(f"(at most {MAX_RESTARTS} restarts a run)")
    last = out.read_text().strip().splitlines()[-1]
    assert last.startswith("FAILED: the embedded server was killed by SIGKILL") and "record: " in last


def test_a_server_gitm_does_not_own_is_given_up_after_a_bounded_time_naming_it(tmp_path):
    from bot_bridge.server import EmbeddedServer

    data, out = tmp_path / "data", tmp_path / "out.txt"
    with EmbeddedServer(seed=1, log_path=tmp_path / "server.log") as server:
        proc = gitm_run("wooden_pickaxe", "--server", f"127.0.0.1:{server.port}", "--planner", "knowledge",
                        "--no-memory", "--no-dashboard", "--data-dir", str(data), out=out)
        try:
            wait_for(lambda: any(ev["type"] == "action_started" for ev in events_of(data)), proc, out, timeout=300)
            kill_hard(server)
            summary = error_summary(proc, out, data)
        finally:
            stop(proc)
    assert summary["reason"].startswith(f"lost the server 127.0.0.1:{server.port}: 'gitm' could not reconnect in ")
    last = out.read_text().strip().splitlines()[-1]
    assert last.startswith(f"FAILED: lost the server 127.0.0.1:{server.port}") and "record: " in last
