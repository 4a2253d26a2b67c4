"""bench/obtain_llm.py's pure parts: endpoints, the ladder and ablation figures, the markdown tables."""

from __future__ import annotations

import pytest

from bench.obtain_llm import CONTROL_NAME, Endpoint, default_out, markdown_tables, parse_endpoints, summarize
from gitm.llm.local_server import MODEL_ALIAS


def test_endpoints_local_and_urls_with_or_without_a_model():
    local, qwen, bare = parse_endpoints("local, gpu:8000=Qwen2.5-7B-Instruct,http://h:9000/v1")
    assert local == Endpoint(f"local {MODEL_ALIAS}", None, MODEL_ALIAS)
    assert qwen == Endpoint("Qwen2.5-7B-Instruct @ http://gpu:8000/v1", "http://gpu:8000/v1", "Qwen2.5-7B-Instruct")
    assert bare.url == "http://h:9000/v1" and bare.model is None
    with pytest.raises(ValueError, match="twice"):
        parse_endpoints("local,local")


def _run(endpoint: str, cond: str, seed: int, success: bool, ticks: int, calls: int) -> dict:
    return {"endpoint": endpoint, "condition": cond, "seed": seed, "success": success, "ticks": ticks,
            "thinking_ticks": 0, "milestones": {"log": 100} if success else {}, "llm_calls": calls,
            "tokens": 1000 * calls, "llm_seconds": 6.0 * calls, "wall_s": 100.0 + calls, "invalid_replies": 0}


def test_ladder_and_ablation_figures():
    runs = [_run("m", "no_memory", 1, False, 12000, 40), _run("m", "cold", 1, True, 5000, 10),
            _run("m", "cold", 2, True, 7000, 20), _run("m", "cold", 3, False, 12000, 30),
            _run(CONTROL_NAME, "control", 1, False, 12000, 50)]
    s = summarize(runs)
    assert list(s["ladder"]) == ["m", CONTROL_NAME]
    assert list(s["ablation"]["m"]) == ["cold", "no_memory"]  # in the conditions' order
    cold = s["ladder"]["m"]
    assert (cold["runs"], cold["successes"]) == (3, 2)
    assert cold["median_acting_ticks"] == 6000  # over the successful runs only
    assert (cold["median_llm_calls"], cold["median_tokens"], cold["median_llm_seconds"]) == (20, 20000, 120.0)
    assert cold["milestones_reached"]["log"] == 2
    assert s["ladder"][CONTROL_NAME]["median_acting_ticks"] is None
    md = markdown_tables(s, "ObtainDiamond")
    assert "| m | 2/3 | 0 | 0 | 6,000 | 20 | 20,000 | 120.0 | 120 |" in md
    assert f"| {CONTROL_NAME} | control | 0/1 | 0 | 0 | — | 50 |" in md and "| m | no_memory | 0/1 |" in md


def test_default_output_names():
    assert default_out(["cold", "warm", "no_memory", "no_knowledge", "no_feedback", "scripted", "control"],
                       "1-10").name == "obtain_llm_s1-10.json"
    assert default_out(["control"], "1").name == "obtain_llm_control_s1.json"


def test_the_matrix_runs_headline_first_and_warm_after_every_cold_run(tmp_path):
    """With runs at once, cold runs start first, a warm run only once every cold run of its endpoint has ended
    (it imports their memory), and every run is recorded exactly once."""
    import argparse
    import threading
    import time

    from bench.obtain_llm import RunQueue, plan_runs

    args = argparse.Namespace(goal="ObtainDiamond")
    endpoints = [Endpoint("local", None, "m")]
    runs = plan_runs(args, ["cold", "warm", "no_memory", "control"], [1, 2, 3], endpoints, "http://x", tmp_path,
                     tmp_path)
    assert [(r.cond, r.seed) for r in runs[:3]] == [("cold", 1), ("cold", 2), ("cold", 3)]
    assert {r.cond for r in runs} == {"cold", "warm", "no_memory", "control"} and len(runs) == 12
    events: list[tuple[str, str, int]] = []
    lock = threading.Lock()
    other_started = threading.Event()

    def execute(run, _args, _stop):
        with lock:
            events.append(("start", run.cond, run.seed))
        if run.cond not in ("cold", "warm"):
            other_started.set()
        if run.cond == "cold" and run.seed == 3:  # the last cold run ends only once another kind of run started
            other_started.wait(10)
        time.sleep(0.01)
        with lock:
            events.append(("end", run.cond, run.seed))
        return {"condition": run.cond, "seed": run.seed}

    recorded: list[dict] = []
    RunQueue(runs, recorded.append, execute).run(3, args)
    assert sorted((r["condition"], r["seed"]) for r in recorded) == sorted((r.cond, r.seed) for r in runs)
    last_cold_end = max(i for i, e in enumerate(events) if e[:2] == ("end", "cold"))
    first_warm = min(i for i, e in enumerate(events) if e[:2] == ("start", "warm"))
    assert first_warm > last_cold_end
    assert events.index(("start", "control", 1)) < first_warm  # others go on while warm waits


def test_a_failing_run_stops_the_queue_with_its_error(tmp_path):
    import argparse

    import pytest

    from bench.obtain_llm import RunQueue, plan_runs

    args = argparse.Namespace(goal="ObtainDiamond")
    runs = plan_runs(args, ["cold"], [1, 2, 3, 4], [Endpoint("local", None, "m")], "http://x", tmp_path, tmp_path)
    started: list[int] = []

    def execute(run, _args, _stop):
        started.append(run.seed)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        RunQueue(runs, lambda r: None, execute).run(1, args)
    assert started == [1]


def test_an_interrupted_matrix_stops_its_running_runs_and_starts_no_more(tmp_path):
    """SIGTERM or Ctrl-C to the benchmark: every worker's run is told to stop, nothing else starts, the interrupt
    reaches the caller (which writes what was measured)."""
    import argparse
    import os
    import signal
    import threading

    import pytest

    from bench.obtain_llm import RunQueue, plan_runs
    from gitm.record.recorder import stop_signals_as_interrupt

    args = argparse.Namespace(goal="ObtainDiamond")
    runs = plan_runs(args, ["cold"], [1, 2, 3, 4], [Endpoint("local", None, "m")], "http://x", tmp_path, tmp_path)
    started, stopped = [], []
    both_started = threading.Barrier(3)

    def execute(run, _args, stop):
        started.append(run.seed)
        both_started.wait(10)
        if stop.wait(10):  # a run ends only when told to
            stopped.append(run.seed)
            raise KeyboardInterrupt
        return {}

    queue = RunQueue(runs, lambda r: None, execute)
    threading.Thread(target=lambda: (both_started.wait(10), os.kill(os.getpid(), signal.SIGINT)), daemon=True).start()
    with pytest.raises(KeyboardInterrupt), stop_signals_as_interrupt():  # as bench/obtain_llm.py's main
        queue.run(2, args)
    assert sorted(started) == [1, 2] and sorted(stopped) == [1, 2]


def test_ablations_run_seed_by_seed_after_the_headline_and_the_control(tmp_path):
    import argparse

    from bench.obtain_llm import plan_runs

    runs = plan_runs(argparse.Namespace(goal="g"), ["no_feedback", "cold", "no_memory", "control"], [1, 2],
                     [Endpoint("local", None, "m")], "http://x", tmp_path, tmp_path)
    assert [(r.cond, r.seed) for r in runs] == [("cold", 1), ("cold", 2), ("control", 1), ("control", 2),
                                                ("no_feedback", 1), ("no_memory", 1), ("no_feedback", 2),
                                                ("no_memory", 2)]


def test_tables_of_a_matrix_run_in_parts(tmp_path, capsys):
    """--tables: runs of several results files in one table; a run that never started (no report) is left out
    and counted; a file that is not a results file is one line, exit 2."""
    import json

    from bench.obtain_llm import print_tables

    a, b, bad = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "bad.json"
    never = {**_run("m", "cold", 3, False, 0, 0), "ticks": None}
    a.write_text(json.dumps({"runs": [_run("m", "cold", 1, True, 5000, 10), never]}))
    b.write_text(json.dumps({"runs": [_run("m", "cold", 3, True, 7000, 20)]}))
    bad.write_text("[1, 2]")
    assert print_tables([a, b], "ObtainDiamond") == 0
    out = capsys.readouterr().out
    assert "| m | 2/2 | 0 | 0 | 6,000 | 15 |" in out and "2 runs from 2 files; 1 left out (no report)" in out
    assert print_tables([a, bad], "ObtainDiamond") == 2
    assert "bad.json is not a results file" in capsys.readouterr().err


def test_a_failed_runs_trajectory_is_kept_gzipped_beside_the_results(tmp_path):
    """A run's data dir is temporary: a failed run's trajectory is copied out, named by commit, run and outcome."""
    import gzip
    import json

    from bench.obtain_llm import Run, keep_trajectory
    from gitm.record.recorder import SUMMARY, TRAJECTORY, runs_dir

    run = Run(4, "no_memory", Endpoint("local", None, "m"), "http://x", tmp_path / "e0-s4-no_memory", tmp_path / "l")
    folder = runs_dir(run.data_dir) / "20261204-000000-diamond"
    folder.mkdir(parents=True)
    (folder / SUMMARY).write_text("{}")
    (folder / TRAJECTORY).write_text('{"type": "run_started"}\n{"type": "run_finished"}\n')
    (run.data_dir / "report.json").write_text(json.dumps({"outcome": "timeout"}))

    kept = keep_trajectory(run, tmp_path / "kept")
    assert kept is not None and kept.endswith("-e0-s4-no_memory-timeout.jsonl.gz")
    assert gzip.decompress((tmp_path / "kept" / kept.rsplit("/", 1)[-1]).read_bytes()) == \
        (folder / TRAJECTORY).read_bytes()
    assert keep_trajectory(Run(5, "cold", run.endpoint, "", tmp_path / "none", tmp_path / "l"), tmp_path / "k") is None
