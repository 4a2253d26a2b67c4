"""Plan memory on a real chromadb PersistentClient with the real offline MiniLM embeddings (no fake embedder)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from memory_store import PlanMemory, PlanRecord, most_frequent_plan, subgoal_key
from memory_store.embedding import DIMENSIONS, get_embedder
from tests.conftest import wait_until

ROOT = Path(__file__).resolve().parents[1]


def rec(subgoal: str, *names: str, created_at: float | None = None, **context) -> PlanRecord:
    kw = {"created_at": created_at} if created_at is not None else {}
    return PlanRecord(subgoal, [{"name": n, "args": {"i": i}} for i, n in enumerate(names)], context=context, **kw)


@pytest.fixture
def mem(tmp_path) -> PlanMemory:
    return PlanMemory(tmp_path / "memory")


def _fresh_client_cache() -> None:
    """Forget chromadb's per-path in-process system, so the next client really reads the disk."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


# embeddings ----------------------------------------------------------------------------------------------
def test_embeddings_are_offline_unit_vectors_and_semantic():
    e = get_embedder()
    assert e is get_embedder()  # one model per process
    v = e.embed(["mine iron_ore", "mine deepslate_iron_ore", "craft stick", "Mine Iron_Ore"])
    assert v.shape == (4, DIMENSIONS) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3  # iron ore ~ deepslate iron ore, far from a stick
    assert np.allclose(v[0], v[3], atol=1e-6)  # uncased model
    # batching with padding must not change a text's vector
    alone = e.embed(["craft stick"])[0]
    assert np.allclose(alone, v[2], atol=1e-4)


def test_embedding_matches_the_models_tokenizer_on_a_known_text():
    """The vendored vocabulary builds BERT-uncased word pieces ([CLS]=101, [SEP]=102)."""
    e = get_embedder()
    e.embed(["warm up"])
    ids = e._tokenizer.encode("mine iron_ore").ids
    assert ids == [101, 3067, 3707, 1035, 10848, 102]


# writing and exact retrieval -----------------------------------------------------------------------------
def test_exact_subgoal_returns_most_recent_success(mem):
    mem.add_success(rec("mine oak_log", "goto", "dig", created_at=100.0, biome="forest", y=70))
    mem.add_success(rec("mine oak_log", "find", "goto", "dig", created_at=200.0, biome="plains", y=64))
    mem.add_success(rec("craft stick", "craft", created_at=150.0))
    ref = mem.reference_plan("Mine  OAK_log")  # normalised like the stored key
    assert ref is not None
    assert (ref.source, ref.matched_subgoal, ref.distance, ref.successes) == ("exact", "mine oak_log", 0.0, 2)
    assert [a["name"] for a in ref.actions] == ["find", "goto", "dig"]
    assert [r.created_at for r in mem.records("mine oak_log")] == [100.0, 200.0]
    assert mem.records("mine oak_log")[0].context == {"biome": "forest", "y": 70}
    assert mem.subgoals() == {"mine oak_log": 2, "craft stick": 1}
    assert mem.count() == 3


def test_only_successes_and_well_formed_actions_are_stored(mem):
    with pytest.raises(ValueError):
        mem.add_success(PlanRecord("craft stick", [{"name": "craft"}], outcome="failure"))
    with pytest.raises(ValueError):
        PlanRecord("craft stick", [{"args": {}}])
    with pytest.raises(ValueError):
        PlanRecord("   ", [{"name": "craft"}])
    assert mem.count() == 0


def test_subgoal_key_accepts_decomposer_subgoals():
    from gitm.tree.decomposer import SubGoal

    sg = SubGoal("iron_ore", 3, {}, "stone_pickaxe", "", "mine", 3)
    assert subgoal_key(sg) == "mine iron_ore"


# nearest neighbour -----------------------------------------------------------------------------------------
def test_nearest_neighbour_is_the_semantically_closest_subgoal(mem):
    mem.add_success(rec("craft stick", "craft", biome="plains", y=64, inventory={"oak_planks": 4}))
    mem.add_success(
        rec("mine deepslate_iron_ore", "equip", "dig", biome="plains", y=-20, inventory={"stone_pickaxe": 1})
    )
    mem.add_success(rec("craft crafting_table", "craft", biome="forest", y=70, inventory={"oak_planks": 4}))
    # even with a context that looks like the crafting records', the sub-goal decides
    ref = mem.reference_plan("mine iron_ore", context={"biome": "plains", "y": 64, "inventory": {"oak_planks": 4}})
    assert ref is not None and ref.source == "nearest"
    assert ref.matched_subgoal == "mine deepslate_iron_ore"
    assert [a["name"] for a in ref.actions] == ["equip", "dig"]
    ranked = mem.nearest("mine iron_ore", k=3)
    assert [r.subgoal for r, _ in ranked][0] == "mine deepslate_iron_ore"
    distances = [d for _, d in ranked]
    assert distances == sorted(distances) and distances[0] < 0.3 < distances[-1]
    assert mem.nearest("craft sticks", k=1)[0][0].subgoal == "craft stick"
    # a distance bound can refuse a far match
    assert mem.reference_plan("smelt gold_ingot", max_distance=0.05) is None
    assert PlanMemory(mem.path.parent / "empty").reference_plan("mine iron_ore") is None


# summaries ---------------------------------------------------------------------------------------------------
def test_five_successes_make_the_most_frequent_sequence_the_reference_plan(mem):
    seqs = [("goto", "dig"), ("find", "goto", "dig"), ("goto", "dig"), ("find", "goto", "dig"), ("goto", "dig")]
    for i, seq in enumerate(seqs[:4]):
        mem.add_success(rec("mine coal_ore", *seq, created_at=10.0 + i))
        assert mem.summary("mine coal_ore") is None  # not before the 5th
    assert mem.reference_plan("mine coal_ore").source == "exact"
    assert [a["name"] for a in mem.reference_plan("mine coal_ore").actions] == ["find", "goto", "dig"]
    mem.add_success(rec("mine coal_ore", *seqs[4], created_at=20.0))
    ref = mem.reference_plan("mine coal_ore")
    assert (ref.source, ref.method, ref.successes) == ("summary", "most_frequent", 5)
    assert [a["name"] for a in ref.actions] == ["goto", "dig"]  # 3 of 5
    # a new, different success does not replace the summary until the next multiple of five
    mem.add_success(rec("mine coal_ore", "teleport", created_at=30.0))
    assert [a["name"] for a in mem.reference_plan("mine coal_ore").actions] == ["goto", "dig"]
    # the nearest neighbour of a similar sub-goal hands out the summary too
    near = mem.reference_plan("mine deepslate_coal_ore")
    assert near.source == "nearest" and near.matched_subgoal == "mine coal_ore" and near.method == "most_frequent"


def test_summarizer_callable_is_used_and_its_failure_falls_back(tmp_path):
    seen = {}

    def llm(subgoal, records):
        seen["args"] = (subgoal, len(records))
        return [{"name": "goto", "args": {"block": "iron_ore"}}, {"name": "dig", "args": {}, "expectation": "raw_iron"}]

    mem = PlanMemory(tmp_path / "m", summarizer=llm)
    for _ in range(5):
        mem.add_success(rec("mine iron_ore", "dig"))
    ref = mem.reference_plan("mine iron_ore")
    assert seen["args"] == ("mine iron_ore", 5)
    assert (ref.method, ref.actions[1]["expectation"]) == ("llm", "raw_iron")

    def broken(subgoal, records):
        raise RuntimeError("model server down")

    ref = mem.summarize("mine iron_ore", summarizer=broken)
    assert ref.method == "most_frequent" and [a["name"] for a in ref.actions] == ["dig"]


def test_most_frequent_plan_ties_go_to_the_most_recent():
    rs = [rec("x y", "a", created_at=1.0), rec("x y", "b", created_at=3.0), rec("x y", "a", created_at=2.0),
          rec("x y", "b", created_at=4.0)]
    assert [a["name"] for a in most_frequent_plan("x y", rs)] == ["b"]
    with pytest.raises(ValueError):
        most_frequent_plan("x y", [])


# export / import / clear ---------------------------------------------------------------------------------------
def test_export_import_round_trip(mem, tmp_path):
    for i in range(5):
        mem.add_success(rec("craft stick", "craft", created_at=float(i), inventory={"oak_planks": 2}))
    mem.add_success(rec("mine oak_log", "goto", "dig", created_at=9.0, biome="forest", y=70))
    out = tmp_path / "mem.jsonl"
    assert mem.export(out) == 7  # 6 records + 1 summary
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert sorted(x["type"] for x in lines) == ["record"] * 6 + ["summary"]

    other = PlanMemory(tmp_path / "other")
    assert other.import_(out) == 7
    assert other.subgoals() == mem.subgoals()
    assert [r.to_dict() for r in other.records()] == [r.to_dict() for r in mem.records()]
    assert other.summary("craft stick").actions == mem.summary("craft stick").actions
    assert other.reference_plan("mine birch_log").matched_subgoal == "mine oak_log"  # vectors rebuilt on import
    other.import_(out)  # same ids: replaced, not doubled
    assert other.count() == 6

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "record", "subgoal": "x y"}\n')
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        other.import_(bad)

    other.clear()
    assert other.count() == 0 and other.subgoals() == {} and other.summaries() == []
    other.add_success(rec("craft stick", "craft"))  # usable after clear
    assert other.count() == 1


def test_persists_across_a_new_client(tmp_path):
    path = tmp_path / "memory"
    mem = PlanMemory(path)
    for i in range(5):
        mem.add_success(rec("smelt iron_ingot", "place", "smelt", created_at=float(i)))
    ids = {r.id for r in mem.records()}
    del mem
    _fresh_client_cache()
    again = PlanMemory(path)
    assert {r.id for r in again.records()} == ids
    assert again.reference_plan("smelt iron_ingot").source == "summary"
    assert again.nearest("smelt gold_ingot", k=1)[0][0].subgoal == "smelt iron_ingot"


# dying mid-run -------------------------------------------------------------------------------------------------
WRITER = textwrap.dedent(
    """
    import sys, time
    from memory_store import PlanMemory, PlanRecord
    mem = PlanMemory(sys.argv[1])
    print("ready", flush=True)
    i = 0
    while True:
        r = PlanRecord(f"mine ore_{i % 7}", [{"name": "dig", "args": {"n": i}}], context={"y": i})
        mem.add_success(r)
        print(r.id, flush=True)  # reported only once add_success returned
        i += 1
    """
)


def test_nothing_written_is_lost_when_the_process_is_killed(tmp_path):
    path = tmp_path / "memory"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    written: list[str] = []
    watchdog = threading.Timer(90, proc.kill)  # a hung writer fails the test instead of hanging it
    watchdog.start()
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        deadline = time.monotonic() + 40
        while len(written) < 12 and time.monotonic() < deadline:
            line = proc.stdout.readline().strip()
            assert line, proc.stderr.read()
            written.append(line)
        os.kill(proc.pid, signal.SIGKILL)  # mid-way: it is already writing the next record
        proc.wait(timeout=10)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert len(written) == 12
    # a write that completed but was not yet reported may be there too; every reported one must be
    _fresh_client_cache()
    mem = PlanMemory(path)
    stored = {r.id for r in mem.records()}
    assert set(written) <= stored
    assert len(stored) - len(written) <= 1
    # the memory still works after the crash: summaries and neighbours
    assert mem.count("mine ore_0") >= 2
    mem.add_success(rec("mine ore_0", "dig"))
    assert mem.nearest("mine ore_3", k=1)[0][0].subgoal == "mine ore_3"


@pytest.mark.slow
def test_plans_stored_by_a_real_run_survive_its_kill(tmp_path):
    """A real `gitm run` SIGKILLed after two sub-goals: their plans are in the memory, and its orphaned
    embedded server (a session of its own, out of reach of the kill) exits because its stdin closed."""
    from gitm.record.recorder import list_runs, read_trajectory
    from tests.test_run_cli import cmdline, descendants, gitm_run, processes, wait_for

    out = tmp_path / "out.txt"
    proc = gitm_run("crafting_table", "--seed", "1", "--planner", "knowledge", "--no-dashboard", "--data-dir",
                    str(tmp_path), out=out, start_new_session=True)

    def finished() -> list[str]:  # sub-goals ended ok; each one's plan is stored before its event
        events = [e for run in list_runs(tmp_path) for e in read_trajectory(run / "trajectory.jsonl")]
        return [e["object"] for e in events if e["type"] == "subgoal_finished" and e["ok"]]

    try:
        wait_for(lambda: len(finished()) >= 2, proc, out, 90, every=0.05)  # the last craft is quick
        servers = [p for p in descendants(proc.pid) if "start.js" in cmdline(p)]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL, out.read_text()  # killed mid-run, not finished
    done = finished()
    assert done[:2] == ["oak_log", "oak_planks"], done
    assert len(servers) == 1, out.read_text()
    assert wait_until(lambda: servers[0] not in processes(), timeout=10), cmdline(servers[0])
    mem = PlanMemory.open_default(tmp_path)
    stored = mem.subgoals()
    assert stored.get("mine oak_log", 0) >= 1 and stored.get("craft oak_planks", 0) >= 1, stored
    assert [a["name"] for a in mem.records("mine oak_log")[0].actions]  # a plan, not an empty record
