"""The live dashboard: state from events, rendering, a real pseudo-terminal run, plain lines without a TTY."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pexpect  # a dev dependency: a missing install fails here instead of skipping the terminal tests
import pytest
from rich.console import Console

from gitm.record.dashboard import MAX_REFRESH_HZ, Dashboard, DashboardState, PlainLog, clock, demo_events, make_display
from gitm.record.events import (
    ActionFinished,
    ActionStarted,
    EventBus,
    LLMCall,
    Observed,
    RunFinished,
    RunStarted,
    SubgoalFinished,
    SubgoalStarted,
)

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
PLAN = {
    "steps": [{"object": "oak_log", "count": 1, "action": "mine"},
              {"object": "oak_planks", "count": 4, "action": "craft"},
              {"object": "crafting_table", "count": 1, "action": "craft"}],
    "tree": {"object": "crafting_table", "count": 1, "children": [
        {"object": "oak_planks", "count": 4, "children": [{"object": "oak_log", "count": 1, "children": []}]}]},
}


def _screen(state: DashboardState, width: int = 120, height: int = 40) -> str:
    console = Console(width=width, height=height, record=True, file=io.StringIO(), color_system=None)
    console.print(state.render(height))
    return console.export_text()


def _feed(state: DashboardState, events) -> None:
    bus = EventBus([state.apply])
    for ev in events:
        bus.emit(ev)


def test_state_tracks_subgoals_inventory_status_llm_and_ticks():
    state = DashboardState()
    _feed(state, [
        RunStarted(goal="crafting_table", item="crafting_table", seed=3, planner="llm", model="m", max_ticks=1000,
                   plan=PLAN),
        SubgoalStarted(object="oak_log", count=1, action="mine"),
        ActionStarted(action="mine", args={"object": "oak_log", "count": 1}),
        ActionFinished(action="mine", ok=False, reason="no oak_log within 32 blocks", result={"ticks": 100}),
        SubgoalFinished(object="oak_log", ok=False, reason="no oak_log within 32 blocks"),
        SubgoalStarted(object="oak_log", count=1, action="mine"),
        ActionFinished(action="mine", ok=True, result={"ticks": 150, "delta": {"oak_log": 1}},
                       inventory={"oak_log": 1}),
        SubgoalFinished(object="oak_log", ok=True),
        SubgoalStarted(object="oak_planks", count=4, action="craft"),
        Observed(inventory={"oak_log": 1, "dirt": 2}, pos=(10.2, 70, -3.9), y=70, biome="forest", time_of_day=6000,
                    health=17, food=15),
        LLMCall(usage={"prompt_tokens": 900, "completion_tokens": 80, "seconds": 2.5}, thoughts="planks next",
                label="plan"),
        ActionFinished(action="craft", ok=True, result={"ticks": 0, "y": 71, "pos": [11, 71, -4]}),
    ])
    assert state.results.ticks == 250
    assert state.steps["oak_log"]["state"] == "done" and state.steps["oak_log"]["tries"] == 2
    assert state.steps["oak_planks"]["state"] == "running"
    assert state.steps["crafting_table"]["state"] == "pending"
    assert state.results.llm.calls == 1 and state.results.llm.prompt_tokens == 900

    text = _screen(state)
    assert "✓ oak_log" in text and "done (try 2)" in text
    assert "▶ oak_planks 0/4 craft running" in text
    assert "· crafting_table 0/1" in text
    assert "ticks 250 / 1000 (25%)" in text
    assert "2  dirt" in text and "1  oak_log" in text  # inventory
    assert "y 71" in text and "(11, 71, -4)" in text and "biome forest" in text  # updated by the last action
    assert "time 12:00" in text and "health 17/20" in text
    assert "calls 1" in text and "tokens in 900 / out 80" in text and "planks next" in text
    assert "sub-goal failed: oak_log: no oak_log within 32 blocks" in text  # the event log


def test_failed_subgoal_shows_its_reason_and_the_end_shows_the_outcome():
    state = DashboardState()
    _feed(state, [RunStarted(goal="crafting_table", seed=1, max_ticks=100, plan=PLAN),
                  SubgoalStarted(object="oak_log", count=1, action="mine"),
                  SubgoalFinished(object="oak_log", ok=False, reason="no tree in reach"),
                  RunFinished(outcome="failure", reason="gave up on mine oak_log")])
    text = _screen(state)
    assert "✗ oak_log ×1 mine failed: no tree in reach" in text
    assert "failure: gave up on mine oak_log" in text


def test_clock():
    assert clock(0) == "06:00" and clock(6000) == "12:00" and clock(18000) == "00:00" and clock(None) == "?"


def test_observers_never_render_on_the_agent_path():
    """handle() only updates state; rendering happens on rich's thread at <= 4 Hz, never inside the agent's emit."""
    dash = Dashboard(Console(file=io.StringIO(), force_terminal=True, width=120, height=40))
    in_emit = threading.Event()
    renders_in_emit: list[threading.Thread] = []
    draw = dash.state.render

    def render(*a, **kw):
        if in_emit.is_set():
            renders_in_emit.append(threading.current_thread())
        return draw(*a, **kw)

    dash.state.render = render
    events = demo_events("stone_pickaxe")
    with EventBus([dash]) as bus:
        dash.start()
        for ev in events:
            ev.t = ev.tick = None
            in_emit.set()
            bus.emit(ev)
            in_emit.clear()
    assert dash.state.finished is not None  # every event was applied
    assert threading.main_thread() not in renders_in_emit


def test_live_dashboard_redraws_at_most_4_times_a_second_and_applies_every_event():
    out = io.StringIO()
    dash = Dashboard(Console(file=out, force_terminal=True, width=120, height=40), refresh_per_second=50)
    renders: list[float] = []
    draw = dash.state.render

    def counted(height: int = 40):
        renders.append(time.monotonic())
        return draw(height)

    dash.state.render = counted  # counts rich's redraws; still draws the real screen
    bus = EventBus([dash])
    bus.emit(RunStarted(goal="crafting_table", item="crafting_table", max_ticks=100000, plan=PLAN))
    t0, n = time.monotonic(), 0
    while time.monotonic() - t0 < 2.0:  # an agent far faster than any real one: ~2000 events a second
        n += 1
        bus.emit(ActionFinished(action="mine", ok=True, result={"ticks": 1}, inventory={"oak_log": n}))
        bus.emit(Observed(inventory={"oak_log": n}, y=64, biome="plains", time_of_day=n, health=n % 20, food=n % 21))
        time.sleep(0.001)
    during = [t for t in renders if t0 < t <= t0 + 2.0]
    bus.close()
    assert 2 <= len(during) and len(during) / 2.0 <= MAX_REFRESH_HZ + 0.5, f"{len(during)} redraws in 2 s"
    assert dash.state.results.ticks == n and dash.state.obs.time_of_day == n and dash.state.inventory == {"oak_log": n}
    last_frame = "\n".join(ANSI.sub("", out.getvalue()).splitlines()[-40:])  # drawn once more on close
    assert f"health {n % 20}/20  food {n % 21}/20" in last_frame and re.search(rf"\b{n}\s+oak_log", last_frame)


def test_make_display_picks_plain_lines_without_a_tty():
    assert isinstance(make_display(stream=io.StringIO()), PlainLog)


def test_plain_log_lines_are_timestamped():
    out = io.StringIO()
    with EventBus([PlainLog(out)]) as bus:
        for ev in demo_events("crafting_table"):
            bus.emit(ev)
    lines = out.getvalue().splitlines()
    assert lines and all(re.match(r"^\d\d:\d\d:\d\d tick \d+ +\S", line) for line in lines), lines
    assert any("sub-goal done: crafting_table" in line for line in lines)
    assert lines[-1].endswith("run success: obtained 1 crafting_table")


def test_demo_without_a_tty_prints_plain_lines():
    proc = subprocess.run([sys.executable, "-m", "gitm.record.dashboard", "--demo", "--goal", "stick", "--step", "0",
                           "--hold", "0"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "\x1b[" not in proc.stdout
    assert all(re.match(r"^\d\d:\d\d:\d\d tick \d+  ", line) for line in lines), lines
    assert "run success" in lines[-1]


def test_dashboard_in_a_pseudo_terminal():
    child = pexpect.spawn(sys.executable, ["-m", "gitm.record.dashboard", "--demo", "--goal", "stone_pickaxe",
                                           "--step", "0.12", "--hold", "0.6"],
                          cwd=str(ROOT), dimensions=(40, 120), encoding="utf-8", timeout=60,
                          env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                               "COLUMNS": "120", "LINES": "40"})
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before[-2000:]
    raw = child.before
    screen = ANSI.sub("", raw)
    assert "\x1b[" in raw  # drawn with escape codes, not plain lines
    assert "▶ wooden_pickaxe" in screen and "running" in screen  # a sub-goal while it runs
    assert "✗ cobblestone ×3 mine failed: no cobblestone" in screen  # the demo holds a failure for 4 steps
    assert "sub-goal failed: cobblestone: no cobblestone within 32 blocks" in screen  # the event log
    assert "✓ stone_pickaxe" in screen  # all done at the end
    assert "sub-goals 7/7" in screen
    assert re.search(r"ticks \d+ / 24000 \(\d+%\)", screen)
    assert "━" in screen  # the progress bar
    assert re.search(r"inventory \(\d+\)", screen) and re.search(r"1\s+stone_pickaxe", screen)
    assert "calls 7" in screen and "biome plains" in screen
    assert "success: obtained 1 stone_pickaxe" in screen


@pytest.mark.slow
def test_real_run_shows_the_dashboard(tmp_path):
    """`gitm run crafting_table` in a pseudo-terminal: the dashboard, not plain lines, and the one-line result."""
    child = pexpect.spawn(sys.executable, ["-m", "gitm.cli", "run", "crafting_table", "--seed", "1", "--max-ticks",
                                           "3000", "--data-dir", str(tmp_path)],
                          cwd=str(ROOT), dimensions=(40, 120), encoding="utf-8", timeout=240,
                          env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin:/usr/local/bin",
                               "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)})
    child.expect(pexpect.EOF)
    child.close()
    screen = ANSI.sub("", child.before)
    assert child.exitstatus == 0, screen[-3000:]
    assert "✓ crafting_table ×1 craft done" in screen and "✓ oak_log" in screen
    assert "▶ oak_log" in screen or "▶ oak_planks" in screen  # a sub-goal shown while it ran
    assert re.search(r"ticks \d+ / 3000", screen) and "━" in screen
    assert re.search(r"1\s+crafting_table", screen)  # inventory
    assert "SUCCESS: holds 1 crafting_table" in screen
