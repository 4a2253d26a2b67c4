"""`gitm run` as a user runs it: --server parsing, a server the user runs, errors and the run record."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gitm.agent.episode import parse_server
from gitm.errors import GitmError
from gitm.record.recorder import list_runs, load_summary, read_trajectory
from tests.conftest import wait_until

ROOT = Path(__file__).resolve().parents[1]


def gitm_run(*args: str, out: Path, **popen: object) -> subprocess.Popen:
    """`gitm run ARGS` as a child process, its output in `out` (a file: a pipe nobody reads can fill)."""
    with open(out, "w") as f:
        return subprocess.Popen([sys.executable, "-m", "gitm.cli", "run", *args], cwd=ROOT, stdout=f,
                                stderr=subprocess.STDOUT, text=True, **popen)


def processes() -> dict[int, tuple[int, int]]:
    """(ppid, pgid) of every live process, from /proc (zombies are dead: nobody may reap them here)."""
    out = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                state, ppid, pgid = (d / "stat").read_text().rpartition(")")[2].split()[:3]
            except OSError:
                continue
            if state != "Z":
                out[int(d.name)] = (int(ppid), int(pgid))
    return out


def descendants(pid: int) -> set[int]:
    procs, found, todo = processes(), set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _) in procs.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def wait_for(predicate: Callable[[], bool], proc: subprocess.Popen, out: Path, timeout: float,
             every: float = 0.2) -> None:
    """Poll until `predicate`; fail with the run's output if it does not come or the run ends first."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert proc.poll() is None, f"the run ended (exit {proc.returncode}):\n{out.read_text()}"
        assert time.monotonic() < deadline, f"not within {timeout} s:\n{out.read_text()}"
        time.sleep(every)


@pytest.mark.parametrize(("text", "address"), [
    ("localhost:25565", ("localhost", 25565)),
    ("127.0.0.1:1", ("127.0.0.1", 1)),
    ("mc.example.org:65535", ("mc.example.org", 65535)),
    ("[::1]:25565", ("::1", 25565)),
    ("[fe80::1%eth0]:25565", ("fe80::1%eth0", 25565)),
])
def test_server_addresses_parse(text, address):
    assert parse_server(text) == address


@pytest.mark.parametrize(("text", "hint"), [
    ("localhost", ""),
    (":25565", ""),
    ("local host:25565", ""),
    ("localhost:abc", "the port must be a number from 1 to 65535"),
    ("localhost:0", "the port must be a number from 1 to 65535"),
    ("localhost:65536", "the port must be a number from 1 to 65535"),
    ("localhost:²", "the port must be a number from 1 to 65535"),  # a unicode digit, not a port
    ("::1:25565", "put an IPv6 address in brackets, e.g. [::1]:25565"),
    ("[::1]", "the port goes after the brackets"),
    ("[localhost]:25565", "brackets hold an IPv6 address"),
    ("a\nb:1", ""),
])
def test_bad_server_addresses_are_one_clear_line(text, hint):
    with pytest.raises(GitmError) as e:
        parse_server(text)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"--server must be 'embedded', HOST:PORT or [IPv6]:PORT, not {text!r}")
    assert msg.endswith(hint)


def test_a_bad_server_flag_fails_before_a_run_record(tmp_path, capsys):
    from gitm.cli import main

    assert main(["run", "stick", "--server", "::1:25565", "--no-dashboard", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == "error: --server must be 'embedded', HOST:PORT or [IPv6]:PORT, not '::1:25565': put an IPv6 " \
                  "address in brackets, e.g. [::1]:25565\n"
    assert list_runs(tmp_path) == []


@pytest.mark.parametrize(("argv", "error"), [
    (["run", "stick", "--max-ticks", "0"], "--max-ticks must be at least 1 game tick (20 a second), not 0"),
    (["run", "stick", "--max-ticks", "-20"], "--max-ticks must be at least 1 game tick (20 a second), not -20"),
    (["run", "stick", "--max-wall", "0"], "--max-wall must be more than 0 seconds, not 0"),
    (["run", "stick", "--max-wall", "-1.5"], "--max-wall must be more than 0 seconds, not -1.5"),
    (["run", "stick", "--count", "0"], "--count must be from 1 to 2304 (36 slots of 64: all a player can hold), not 0"),
    (["run", "stick", "--count", "100000"],
     "--count must be from 1 to 2304 (36 slots of 64: all a player can hold), not 100000"),
    (["sweep", "--items", "stick", "--max-ticks", "0"],
     "--max-ticks must be at least 1 game tick (20 a second), not 0"),
    (["sweep", "--items", "stick", "--task-timeout", "-1"], "--task-timeout must be more than 0 seconds, not -1"),
])
def test_counts_and_budgets_are_checked_before_any_world_starts(tmp_path, capsys, argv, error):
    from gitm.cli import main

    assert main([*argv, "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: {error}\n"
    assert list(tmp_path.iterdir()) == []  # no run record, no sweep folder: nothing was started


@pytest.mark.slow
def test_a_refused_connection_is_one_line_with_the_run_record(tmp_path):
    with socket.socket() as sock:  # bound, never listening: a connection to it is refused at once
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "gitm.cli", "run", "oak_planks", "--server", f"127.0.0.1:{port}",
                              "--no-dashboard", "--data-dir", str(tmp_path)], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    (run_dir,) = list_runs(tmp_path)
    (error,) = run.stderr.splitlines()
    assert error.startswith(f"error: bot 'gitm' could not join 127.0.0.1:{port}: connect ECONNREFUSED")
    assert error.endswith(f"; run record: {run_dir}")
    s = json.loads((run_dir / "summary.json").read_text())
    assert s["outcome"] == "error" and "ECONNREFUSED" in s["reason"] and s["server"] == f"127.0.0.1:{port}"
    assert [e["type"] for e in read_trajectory(run_dir / "trajectory.jsonl")][-1] == "run_finished"


@pytest.mark.slow
def test_run_on_a_server_the_user_runs(tmp_path):
    """--server HOST:PORT plays on that server and starts none of its own."""
    from bot_bridge.server import EmbeddedServer

    log = tmp_path / "user-server.log"
    with EmbeddedServer(seed=1, log_path=log) as srv:
        out = tmp_path / "out.txt"
        proc = gitm_run("oak_planks", "--server", f"127.0.0.1:{srv.port}", "--username", "extgitm", "--max-ticks",
                        "3000", "--no-dashboard", "--data-dir", str(tmp_path / "data"), out=out)
        try:
            proc.wait(120)
        finally:
            proc.kill()
    text = out.read_text()
    assert proc.returncode == 0, text
    (run_dir,) = list_runs(tmp_path / "data")
    s = load_summary(run_dir)
    assert s["outcome"] == "success" and s["server"] == f"127.0.0.1:{srv.port}" and s["inventory"]["oak_planks"] >= 1
    assert "extgitm (127.0.0.1) connected" in log.read_text()  # the bot played on our server...
    assert "starting the embedded server" not in text  # ...and started none of its own
    assert not (run_dir / "server.log").exists()
    started = next(read_trajectory(run_dir / "trajectory.jsonl"))
    assert started["type"] == "run_started" and started["server_log"] is None


@pytest.mark.slow
def test_a_run_plays_at_the_difficulty_asked_and_records_it(tmp_path):
    out = tmp_path / "out.txt"
    proc = gitm_run("oak_planks", "--seed", "1", "--difficulty", "easy", "--max-ticks", "3000", "--no-dashboard",
                    "--data-dir", str(tmp_path / "data"), out=out)
    try:
        proc.wait(180)
    finally:
        proc.kill()
    assert proc.returncode == 0, out.read_text()
    (run_dir,) = list_runs(tmp_path / "data")
    assert load_summary(run_dir)["difficulty"] == "easy"
    assert "starting the embedded server (seed 1, easy)" in out.read_text()
    report = subprocess.run([sys.executable, "-m", "gitm.cli", "report", str(run_dir)], capture_output=True,
                            text=True, timeout=60)
    assert "embedded (easy)" in report.stdout, report.stdout


def test_a_difficulty_for_a_server_gitm_does_not_run_is_an_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gitm.cli", "run", "oak_planks", "--server", "127.0.0.1:9",
                           "--difficulty", "hard", "--data-dir", str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert "--difficulty sets the embedded world's" in done.stderr, done.stderr


@pytest.mark.parametrize(("args", "said"), [
    (["--start-time", "dusk"], "a time of day is day, noon, night, midnight or ticks from 0 to 23999, not 'dusk'"),
    (["--start-time", "24000"], "not '24000'"),
    (["--start-time", "night", "--server", "127.0.0.1:9"], "--start-time sets the embedded world's"),
])
def test_a_start_time_gitm_cannot_set_is_one_line_before_any_world(tmp_path, args, said):
    done = subprocess.run([sys.executable, "-m", "gitm.cli", "run", "oak_planks", *args, "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert said in done.stderr and "Traceback" not in done.stderr, done.stderr


@pytest.mark.slow
def test_ctrl_c_to_the_process_group_stops_every_process(tmp_path):
    """A terminal's Ctrl-C signals the whole foreground group (python and JSPyBridge's node) at once."""
    out = tmp_path / "out.txt"
    proc = gitm_run("oak_planks", "--seed", "1", "--no-dashboard", "--data-dir", str(tmp_path), out=out,
                    start_new_session=True)  # its own group, as a terminal's foreground job
    try:
        wait_for(lambda: " action: " in out.read_text(), proc, out, 90)
        tree = descendants(proc.pid)
        assert any("start.js" in cmdline(p) for p in tree), "no embedded server child"  # in its own session
        group = [cmdline(p) for p, (_, pgid) in processes().items() if pgid == proc.pid]
        assert any("bridge.js" in c for c in group), group  # the signal reaches node as well as python
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, out.read_text()
    assert "interrupted; run record:" in out.read_text()
    (run_dir,) = list_runs(tmp_path)
    assert load_summary(run_dir)["outcome"] == "interrupted"

    def left() -> list[str]:  # the group, and the server that has a session of its own
        return [cmdline(p) for p, (_, pgid) in processes().items() if pgid == proc.pid or p in tree]

    assert wait_until(lambda: not left(), timeout=15), left()
