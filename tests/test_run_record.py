"""Run records: folder layout, summary contents, and valid JSON after Ctrl-C, SIGTERM, SIGKILL and exceptions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gitm.record.events import (
    ActionFinished,
    EventBus,
    LLMCall,
    Observed,
    RunFinished,
    RunStarted,
    SubgoalFinished,
    SubgoalStarted,
)
from gitm.record.recorder import RunRecorder, list_runs, load_summary, read_trajectory

ROOT = Path(__file__).resolve().parents[1]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]  # every line must parse


def test_run_folder_trajectory_and_summary(tmp_path):
    srv_log = tmp_path / "srv.log"
    srv_log.write_text("server started\n")
    rec = RunRecorder("ObtainDiamond", seed=4, data_dir=tmp_path)
    assert rec.dir.parent == tmp_path / "runs" and rec.dir.name.endswith("-ObtainDiamond-s4")
    assert json.loads(rec.summary_path.read_text())["outcome"] == "running"  # written at the start
    with EventBus([rec]) as bus:
        bus.emit(RunStarted(goal="ObtainDiamond", item="diamond", seed=4, planner="llm", model="m", max_ticks=9000,
                            server_log=str(srv_log), plan={"steps": [{"object": "oak_log", "count": 3,
                                                                       "action": "mine"}]}))
        bus.emit(SubgoalStarted(object="oak_log", count=3, action="mine"))
        bus.emit(LLMCall(prompt=[{"role": "user", "content": "hi"}], reply="{}", thoughts="logs first",
                         usage={"prompt_tokens": 100, "completion_tokens": 20, "seconds": 1.5}))
        bus.emit(ActionFinished(action="mine", ok=True, result={"ticks": 300}, inventory={"oak_log": 3}))
        bus.emit(Observed(inventory={"oak_log": 3, "crafting_table": 1}, y=64, biome="plains"))
        bus.emit(SubgoalFinished(object="oak_log", ok=True))
        bus.emit(RunFinished(outcome="failure", reason="out of time"))
    s = json.loads(rec.summary_path.read_text())
    assert s["goal"] == "ObtainDiamond" and s["item"] == "diamond" and s["seed"] == 4 and s["planner"] == "llm"
    assert s["outcome"] == "failure" and s["reason"] == "out of time" and s["ticks"] == 300
    assert [m["item"] for m in s["acquired"]] == ["oak_log", "crafting_table"]
    assert s["acquired"][0]["tick"] == 300 and s["acquired"][1]["key"] is True
    assert s["milestones"] == {"log": 300, "crafting_table": 300}
    assert s["subgoals"][0]["state"] == "done" and s["subgoals"][0]["tick"] == 300
    assert s["llm"] == {"calls": 1, "invalid": 0, "repaired": 0, "prompt_tokens": 100, "completion_tokens": 20,
                        "seconds": 1.5, "reference_plans": {}}
    assert s["actions"] == {"total": 1, "failed": 0, "by_name": {"mine": 1}, "failures": {}}
    assert s["versions"]["gitm"] and s["versions"]["minecraft"] == "1.21.4" and s["plan"] == ["mine 3 oak_log"]
    events = _lines(rec.trajectory_path)
    assert [e["type"] for e in events] == ["run_started", "subgoal_started", "llm_call", "action_finished",
                                           "observation", "subgoal_finished", "run_finished"]
    assert all("t" in e and "tick" in e for e in events)
    assert events[2]["prompt"][0]["content"] == "hi" and events[2]["reply"] == "{}"
    assert (rec.dir / "server.log").read_text() == "server started\n"
    assert list_runs(tmp_path) == [rec.dir]


def test_exception_in_the_loop_still_ends_the_record(tmp_path):
    rec = RunRecorder("stick", seed=1, data_dir=tmp_path)
    with pytest.raises(RuntimeError), EventBus([rec]) as bus:
        bus.emit(RunStarted(goal="stick", seed=1))
        raise RuntimeError("bridge died")
    s = json.loads(rec.summary_path.read_text())
    assert s["outcome"] == "error" and "bridge died" in s["reason"]
    assert _lines(rec.trajectory_path)[-1]["type"] == "run_finished"


def test_recorder_alone_closes_as_interrupted(tmp_path):
    with pytest.raises(KeyboardInterrupt), RunRecorder("stick", seed=1, data_dir=tmp_path) as rec:
        rec.handle(RunStarted(goal="stick", seed=1))
        raise KeyboardInterrupt
    assert json.loads(rec.summary_path.read_text())["outcome"] == "interrupted"


def _ignore_sigint() -> None:
    """What a shell does to a command it starts in the background (`gitm run ... &`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(tmp_path: Path, sigint_ignored: bool = False) -> tuple[subprocess.Popen, Path]:
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "gitm.record.recorder", str(out), "0.005"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_ignore_sigint if sigint_ignored else None)
    assert proc.stdout.readline().strip() == "started"
    # mid-run: wait until it has written a dozen events (a fixed sleep was too short under load)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        path = out / "trajectory.jsonl"
        if path.exists() and path.read_text().count("\n") > 12:
            break
        time.sleep(0.05)
    return proc, out


@pytest.mark.parametrize("sig, sigint_ignored", [(signal.SIGINT, False), (signal.SIGTERM, False),
                                                 (signal.SIGINT, True)])
def test_interrupted_run_writes_a_valid_record(tmp_path, sig, sigint_ignored):
    proc, out = _start(tmp_path, sigint_ignored)
    proc.send_signal(sig)
    proc.wait(20)
    events = _lines(out / "trajectory.jsonl")
    assert len(events) > 10 and events[-1]["type"] == "run_finished"
    s = json.loads((out / "summary.json").read_text())
    assert s["outcome"] == "interrupted" and s["finished_at"] and s["ticks"] > 0
    assert s["acquired"][0]["item"] == "oak_log" and "log" in s["milestones"]


def test_killed_run_leaves_valid_json(tmp_path):
    proc, out = _start(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(20)
    events = list(read_trajectory(out / "trajectory.jsonl"))
    raw = (out / "trajectory.jsonl").read_text().splitlines()
    assert len(events) >= len(raw) - 1 and len(events) > 10  # at most a torn last line
    s = json.loads((out / "summary.json").read_text())  # never half-written
    assert s["outcome"] == "running" and s["pid"] == proc.pid
    assert load_summary(out)["outcome"] == "interrupted"  # readers see the dead process
    # (a kill in the middle of a rewrite may leave its .tmp file beside summary.json: nobody reads it)


def test_a_killed_run_whose_pid_was_reused_does_not_show_running(tmp_path):
    proc, out = _start(tmp_path)
    assert load_summary(out)["outcome"] == "running"  # it runs: its lock is held
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(20)
    s = json.loads((out / "summary.json").read_text())
    assert s["outcome"] == "running"
    s["pid"] = os.getpid()  # the dead run's pid now belongs to a live process (this one)
    (out / "summary.json").write_text(json.dumps(s))
    assert load_summary(out)["outcome"] == "interrupted"


def test_a_finished_run_leaves_no_lock(tmp_path):
    proc, out = _start(tmp_path)
    proc.send_signal(signal.SIGTERM)
    proc.wait(20)
    assert load_summary(out)["outcome"] == "interrupted" and [p.name for p in out.glob("*.lock")] == []


@pytest.mark.slow
def test_ctrl_c_on_a_real_run_stops_cleanly_and_keeps_the_record(tmp_path):
    """`gitm run` with the embedded server, Ctrl-C'd while it plays: exit 130, record complete and valid."""
    proc = subprocess.Popen([sys.executable, "-m", "gitm.cli", "run", "ObtainDiamond", "--seed", "1", "--no-dashboard",
                             "--data-dir", str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines = []
    deadline = time.time() + 120
    while time.time() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if " action: " in line or not line:
            break
    assert any(" action: " in x for x in lines), "".join(lines)
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, "".join(lines) + rest
    assert "interrupted; run record:" in rest
    (run_dir,) = list_runs(tmp_path)
    s = load_summary(run_dir)
    assert s["outcome"] == "interrupted" and s["goal"] == "ObtainDiamond" and s["item"] == "diamond"
    events = _lines(run_dir / "trajectory.jsonl")
    types = [e["type"] for e in events]
    assert types[0] == "run_started" and types[-1] == "run_finished" and "action_started" in types
    assert "GITM_SERVER_READY" in (run_dir / "server.log").read_text()


def _run_cli_with_episode(monkeypatch, tmp_path, episode) -> int:
    import gitm.cli.run
    from gitm.cli import main

    monkeypatch.setattr(gitm.cli.run, "run_episode", episode)  # the run loop's failure; cmd_run and main are real
    return main(["run", "stick", "--no-dashboard", "--data-dir", str(tmp_path)])


def test_an_unexpected_error_is_one_line_exit_1_and_the_record_is_written(monkeypatch, tmp_path, capsys):
    def episode(*args, **kw):
        raise ConnectionError("observe failed: bot disconnected\n    at Bot.<anonymous> (actions.js:12)")

    assert _run_cli_with_episode(monkeypatch, tmp_path, episode) == 1
    err = capsys.readouterr().err
    (run_dir,) = list_runs(tmp_path)
    assert err == f"error: ConnectionError: observe failed: bot disconnected; run record: {run_dir}\n"
    s = load_summary(run_dir)
    assert s["outcome"] == "error" and "observe failed" in s["reason"]


def test_a_server_that_does_not_start_is_one_line_with_its_log(monkeypatch, tmp_path, capsys):
    from bot_bridge.server import EmbeddedServer

    def episode(*args, log_path: Path, **kw):  # a real start failure: its message carries the log's tail
        EmbeddedServer(seed=5, host="0.0.0.0", log_path=log_path, start_timeout=20).start()

    assert _run_cli_with_episode(monkeypatch, tmp_path, episode) == 2
    (error,) = capsys.readouterr().err.splitlines()
    (run_dir,) = list_runs(tmp_path)
    assert error.startswith("error: embedded server did not start") and error.endswith(
        f"{run_dir / 'server.log'}; run record: {run_dir}")
    assert "refusing offline mode" in (run_dir / "server.log").read_text()
    assert load_summary(run_dir)["outcome"] == "error"


@pytest.mark.slow
def test_sigint_stops_a_gitm_verb_started_with_sigint_ignored(tmp_path):
    """A shell's background job ignores SIGINT; `kill -INT` must still stop gitm (here `gitm server`) cleanly."""
    proc = subprocess.Popen([sys.executable, "-m", "gitm.cli", "server", "--seed", "3", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=_ignore_sigint)
    assert "on 127.0.0.1:" in proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0


def test_an_error_raised_while_an_interrupt_is_handled_is_recorded_as_interrupted(tmp_path):
    """A Ctrl-C inside a bridge call's lock wait can come out of threading as RuntimeError("release unlocked
    lock"), raised while the KeyboardInterrupt is handled: the run is `interrupted`, never an `error` (gitm run
    composes its record the same way: the bus outside, interrupt_wins inside)."""
    from gitm.record.events import EventBus, RunStarted
    from gitm.record.recorder import interrupt_wins

    out = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt), EventBus([RunRecorder("oak_planks", seed=1, run_dir=out)]) as bus, \
            interrupt_wins():
        bus.emit(RunStarted(goal="oak_planks", item="oak_planks", seed=1))
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("release unlocked lock")  # noqa: B904 - as threading raises it
    s = load_summary(out)
    assert s["outcome"] == "interrupted", s["reason"]
    # an error with no interrupt behind it stays an error
    out2 = tmp_path / "run2"
    with pytest.raises(RuntimeError), EventBus([RunRecorder("oak_planks", seed=1, run_dir=out2)]) as bus, \
            interrupt_wins():
        bus.emit(RunStarted(goal="oak_planks", item="oak_planks", seed=1))
        raise RuntimeError("release unlocked lock")
    assert load_summary(out2)["outcome"] == "error"
