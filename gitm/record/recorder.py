"""Run records: one folder per run with trajectory.jsonl, summary.json and the server log.

    <data-dir>/runs/<YYYYmmdd-HHMMSS>-<goal>-s<seed>/
        trajectory.jsonl   one event per line (observations, prompts and replies, actions, feedback),
                           each with its game tick and wall time; appended and flushed per event
        summary.json       goal, seed, outcome, reason, ticks, milestones, LLM usage, versions;
                           rewritten atomically (tmp + rename) at the start, on sub-goal ends and on every exit
        server.log         the embedded server's log (pass `recorder.server_log_path` as its log_path,
                           or name another file in RunStarted.server_log: it is copied at the end)

A record is valid JSON even after a crash: lines are written whole and flushed, and the summary is
never half-written. A SIGKILLed run keeps outcome "running" with its pid; `load_summary` (`gitm runs`,
`gitm report`) shows a "running" run whose process is gone as "interrupted": the process holds a lock on the
folder's run.lock while it runs (the kernel drops it when the process dies, so a reused pid cannot look alive).
A summary.json that is not a run's summary (torn, or of the wrong shape) is a BadRecordError naming the file.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from bot_bridge.errors import interrupt_in
from gitm import __version__
from gitm.errors import GitmError
from gitm.record.events import (
    ActionFinished,
    ActionStarted,
    Event,
    RunFinished,
    RunStarted,
    SubgoalFinished,
    SubgoalStarted,
)
from gitm.record.results import RunResults
from knowledge.version import MC_VERSION
from memory_store.data_dir import chosen_by, file_error, make_dir, resolve_data_dir

SUMMARY = "summary.json"
TRAJECTORY = "trajectory.jsonl"
SERVER_LOG = "server.log"
LOCK = "run.lock"  # locked by the running process (see load_summary)

# summary.json's fields that readers format, and their types (when not null): anything else is not a run's summary
SUMMARY_TYPES: dict[str, type | tuple[type, ...]] = {
    "goal": str, "item": str, "outcome": str, "reason": str, "planner": str, "server": str, "model": str,
    "count": int, "seed": int, "pid": int, "ticks": (int, float), "max_ticks": (int, float), "wall_s": (int, float),
    "thinking_ticks": (int, float), "subgoals_done": int, "acquired": list, "subgoals": list, "llm": dict,
    "actions": dict, "versions": dict, "milestones": dict,
}


class BadRecordError(GitmError):
    """A run's summary.json that cannot be read as one: the message names the file."""


def runs_dir(data_dir: str | Path | None = None) -> Path:
    return resolve_data_dir(data_dir) / "runs"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:60] or "run"


def versions() -> dict[str, Any]:
    return dict(_versions())


@functools.cache  # once a process: a git child forked at every summary write held run.lock past a kill -9
def _versions() -> dict[str, Any]:
    out: dict[str, Any] = {"gitm": __version__, "minecraft": MC_VERSION, "python": platform.python_version(),
                           "platform": platform.platform(terse=True)}
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent,
                                capture_output=True, text=True, timeout=5)
        if commit.returncode == 0:
            out["git"] = commit.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return out


def write_json_atomic(path: Path, data: Any, fsync: bool = False) -> None:
    """Write a temporary file and rename it over `path`: readers see the old or the new file, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, default=str)
        f.write("\n")
        if fsync:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)


def read_trajectory(path: str | Path) -> Iterator[dict[str, Any]]:
    """The events of a trajectory.jsonl; a torn last line (a kill mid-write) is skipped."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


class RunRecorder:
    """An EventBus observer writing the run's folder. Create it before the run, pass it in `observers` right
    after its `results` (a RunResults on the same bus: the summary is its fold, plus where and what ran)."""

    def __init__(self, goal: str, seed: int | None = None, data_dir: str | Path | None = None,
                 run_dir: str | Path | None = None, results: RunResults | None = None):
        origin = f"the run folder {run_dir}" if run_dir is not None else chosen_by(data_dir)  # named if unusable
        if run_dir is None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            base = runs_dir(data_dir)
            name = f"{stamp}-{_slug(goal)}-s{seed if seed is not None else 'x'}"
            run_dir = base / name
            n = 1
            while run_dir.exists():  # two runs in the same second (a sweep)
                n += 1
                run_dir = base / f"{name}-{n}"
        self.dir = make_dir(Path(run_dir), origin)
        self.trajectory_path = self.dir / TRAJECTORY
        self.summary_path = self.dir / SUMMARY
        self.server_log_path = self.dir / SERVER_LOG
        self.results = results if results is not None else RunResults()
        self._own_results = results is None  # then this recorder folds the events itself
        self._lock = threading.RLock()
        self._closed = False
        self._external_log: Path | None = None
        self._acquired = 0
        self._started_wall = time.time()
        self._finished_wall: float | None = None
        self._plan: list[str] = []
        self.results.run.update(goal=goal, seed=seed)
        try:
            # held until the final summary: a reader that can take it knows this process is gone
            self._run_lock = open(self.dir / LOCK, "w")  # noqa: SIM115 - closed in close()
            fcntl.flock(self._run_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._traj = open(self.trajectory_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            self._write_summary()
        except OSError as e:
            raise file_error(e, self.dir, origin) from None
        atexit.register(self._atexit)

    def summary(self) -> dict[str, Any]:
        """summary.json: the results, the plan, when, which versions, which process."""
        return {**self.results.to_json(), "plan": self._plan, "started_at": _iso(self._started_wall),
                "finished_at": _iso(self._finished_wall) if self._finished_wall else None,
                "versions": versions(), "pid": os.getpid(), "run_dir": str(self.dir)}

    # -- observer ------------------------------------------------------------------------------------
    def handle(self, ev: Event) -> None:
        with self._lock:
            if self._closed:
                return
            self._traj.write(json.dumps(ev.to_json(), default=str, separators=(",", ":")) + "\n")
            self._traj.flush()
            if self._own_results:
                self.results.handle(ev)
            if isinstance(ev, RunStarted):
                self._plan = [f"{st.get('action')} {st.get('count')} {st.get('object')}"
                              for st in (ev.plan or {}).get("steps", [])]
                if ev.server_log:
                    self.attach_server_log(ev.server_log)
            if isinstance(ev, RunFinished):
                self._finished_wall = ev.t or time.time()
            # rewritten at the start, at each sub-goal's end, at a first acquisition and at the end
            acquired = len(self.results.acquired)
            if isinstance(ev, RunStarted | SubgoalFinished | RunFinished) or acquired != self._acquired:
                self._acquired = acquired
                self._write_summary()

    __call__ = handle

    def attach_server_log(self, path: str | Path) -> None:
        """A server log elsewhere (a temp file): copied into the record when the run ends."""
        p = Path(path)
        if p.resolve() != self.server_log_path.resolve():
            self._external_log = p

    def _write_summary(self, final: bool = False) -> None:
        write_json_atomic(self.summary_path, self.summary(), fsync=final)

    def close(self, outcome: str | None = None, reason: str | None = None) -> None:
        """Final summary and server log. Without a run_finished event the outcome is `outcome` or "interrupted"."""
        with self._lock:
            if self._closed:
                return
            r = self.results
            if r.outcome == "running":
                r.outcome = outcome or "interrupted"
                r.reason = reason if reason is not None else "the run stopped before it finished"
                self._finished_wall = time.time()
            self._closed = True
            with contextlib.suppress(OSError):
                self._traj.close()
            if self._external_log is not None and self._external_log.exists():
                with contextlib.suppress(OSError):
                    shutil.copyfile(self._external_log, self.server_log_path)
            self._write_summary(final=True)
            self._run_lock.close()  # the summary is final: nobody needs the lock any more
            with contextlib.suppress(OSError):
                (self.dir / LOCK).unlink()
        with contextlib.suppress(Exception):
            atexit.unregister(self._atexit)

    def _atexit(self) -> None:
        self.close("interrupted", "the process exited before the run finished")

    def __enter__(self) -> RunRecorder:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc is None:
            self.close()
        elif isinstance(exc, KeyboardInterrupt):
            self.close("interrupted", "interrupted (Ctrl-C)")
        else:
            self.close("error", f"{type(exc).__name__}: {exc}")


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t).astimezone().isoformat(timespec="seconds")


_signalled: list[int] = []  # the stop signals received within stop_signals_as_interrupt's block


@contextlib.contextmanager
def stop_signals_as_interrupt() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise KeyboardInterrupt, so every try/finally (stopping the bot
    and server, the final summary) runs. SIGINT too: a shell that starts gitm in the background ignores it for its
    children, and an interrupt must still stop the run. Each signal is also remembered (`interrupt_signalled`):
    an interrupt raised where Python swallows it (a __del__) still stops the run. Main thread only; a no-op
    elsewhere."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _signalled.clear()

    def raise_interrupt(signum, frame):
        _signalled.append(signum)
        raise KeyboardInterrupt(f"signal {signum}")

    saved = {}
    for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            saved[sig] = signal.signal(sig, raise_interrupt)
    try:
        yield
    finally:
        for sig, old in saved.items():
            signal.signal(sig, old)


def interrupt_signalled() -> bool:
    """Whether a stop signal came within stop_signals_as_interrupt's block (this one, or the last)."""
    return bool(_signalled)


@contextlib.contextmanager
def interrupt_wins() -> Iterator[None]:
    """An error raised while an interrupt is handled (threading turns a Ctrl-C inside a lock's wait into "release
    unlocked lock"), or after a stop signal came, ends the block as the KeyboardInterrupt it is: the run is
    `interrupted`, never an `error`."""
    try:
        yield
    except Exception as err:
        if interrupt_in(err) is None and not interrupt_signalled():
            raise
        raise KeyboardInterrupt(f"interrupted ({type(err).__name__}: {err})") from err


def load_summary(run_dir: str | Path) -> dict[str, Any]:
    """summary.json of a run, with outcome "interrupted" for a run left "running" by a process that is gone;
    a BadRecordError naming the file when it is not a run's summary."""
    d = Path(run_dir)
    path = d / SUMMARY
    try:
        s = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BadRecordError(f"cannot read the run record {path}: {e.strerror or e}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BadRecordError(f"the run record {path} is not valid JSON ({e})") from None
    problem = _shape_problem(s)
    if problem:
        raise BadRecordError(f"the run record {path} is not a run's summary: {problem}")
    if s.get("outcome") == "running" and not _still_running(d, s.get("pid")):
        s["outcome"] = "interrupted"
        s["reason"] = "the process was killed before it wrote a final summary"
    s.setdefault("run_dir", str(d))
    return s


def _shape_problem(s: Any) -> str | None:
    if not isinstance(s, dict):
        return f"a JSON {type(s).__name__}, not an object"
    for key, kind in SUMMARY_TYPES.items():
        value = s.get(key)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is not bool):
            return f"'{key}' is {json.dumps(value)[:40]}"
        if isinstance(value, list) and not all(isinstance(x, dict) for x in value):
            return f"'{key}' holds something that is not an object"
    return None


def _still_running(run_dir: Path, pid: Any) -> bool:
    """Whether the process that wrote a "running" record still runs: it holds run.lock while it does (a pid alone
    may have been reused by another process); records without the lock file (older gitm) fall back to the pid."""
    try:
        with open(run_dir / LOCK, "rb") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            return False  # the lock was free: its process is gone (our shared lock goes with the file's close)
    except OSError:  # no lock file (a record of an older gitm) or unreadable: judge by the pid
        return _alive(pid)


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def list_runs(data_dir: str | Path | None = None) -> list[Path]:
    """Run folders (those with a summary.json), oldest first."""
    base = runs_dir(data_dir)
    try:
        return sorted((p for p in base.iterdir() if (p / SUMMARY).is_file()), key=lambda p: p.name)
    except FileNotFoundError:  # no run yet
        return []
    except OSError as e:  # the data folder is a file, or unreadable
        raise file_error(e, base, chosen_by(data_dir)) from None


if __name__ == "__main__":  # pragma: no cover - a scripted run for the crash tests: python -m gitm.record.recorder DIR
    from gitm.record.events import EventBus

    out = Path(sys.argv[1])
    delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.05
    with stop_signals_as_interrupt(), EventBus([RunRecorder("oak_planks", seed=7, run_dir=out)]) as bus:
        bus.emit(RunStarted(goal="oak_planks", item="oak_planks", seed=7, max_ticks=100000))
        print("started", flush=True)
        i = 0
        while True:
            i += 1
            bus.emit(SubgoalStarted(object="oak_log", count=1, action="mine"))
            bus.emit(ActionStarted(action="mine", args={"object": "oak_log"}))
            bus.emit(ActionFinished(action="mine", ok=True, result={"ticks": 20}, inventory={"oak_log": i}))
            bus.emit(SubgoalFinished(object="oak_log", ok=True))
            time.sleep(delay)
