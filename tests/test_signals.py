"""Signals on a real run: an interrupt is never a disconnect, and a bridge (node) that dies first is noticed at once;
every end leaves `interrupted`, `error` or the outcome in the record, never "running"."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from gitm.record.recorder import SUMMARY, list_runs
from tests.test_resume import events_of
from tests.test_run_cli import cmdline, descendants, gitm_run, wait_for

pytestmark = pytest.mark.slow


def bridge_pid(run: int) -> int | None:
    """The bridge's node process (JSPyBridge's bridge.js) of a `gitm run` process."""
    return next((pid for pid in descendants(run) if "bridge.js" in cmdline(pid)), None)


def start_run_and_wait_for_an_action(tmp_path: Path) -> tuple[subprocess.Popen, Path, Path]:
    """`gitm run` in a session of its own (its process group is its own: a group signal reaches it and its bridge
    only), returned once the first action's skill call is in flight on the bridge."""
    data, out = tmp_path / "data", tmp_path / "out.txt"
    proc = gitm_run("wooden_pickaxe", "--seed", "1", "--planner", "knowledge", "--no-memory", "--no-dashboard",
                    "--data-dir", str(data), out=out, start_new_session=True)
    wait_for(lambda: any(ev["type"] == "action_started" for ev in events_of(data)) and bridge_pid(proc.pid),
             proc, out, timeout=300)
    return proc, data, out


def finished(proc: subprocess.Popen, out: Path, timeout: float = 90) -> int:
    """The run's exit status; it must end by itself (a hang fails here, and its processes are stopped)."""
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        for pid in descendants(proc.pid):
            os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait()
        raise AssertionError(f"the run hung:\n{out.read_text()}") from None


def test_a_bridge_that_dies_mid_action_ends_the_run_at_once_with_its_record(tmp_path):
    proc, data, out = start_run_and_wait_for_an_action(tmp_path)
    node = bridge_pid(proc.pid)
    os.kill(node, signal.SIGINT)  # as a group SIGINT did when gitm itself was deaf to it
    assert finished(proc, out) == 1, out.read_text()
    summary = json.loads((list_runs(data)[0] / SUMMARY).read_text())
    reason = f"the bridge's node process (pid {node}) was killed by SIGINT: the bot is gone with it"
    assert summary["outcome"] == "error" and summary["reason"] == reason, summary
    last = out.read_text().strip().splitlines()[-1]
    assert last.startswith(f"FAILED: {reason};") and "record: " in last
    assert "reconnecting" not in out.read_text() and "Timed out" not in out.read_text()
    assert not descendants(proc.pid)


def test_a_group_sigint_that_kills_the_bridge_too_is_an_interrupt(tmp_path):
    proc, data, out = start_run_and_wait_for_an_action(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: gitm and its bridge get it at once
    assert finished(proc, out) == 130, out.read_text()
    summary = json.loads((list_runs(data)[0] / SUMMARY).read_text())
    assert summary["outcome"] == "interrupted", summary
    text = out.read_text()
    assert text.strip().splitlines()[-1].startswith("interrupted; run record: ")
    assert "Timed out" not in text, text  # the stop did not wait on calls to the dead bridge
