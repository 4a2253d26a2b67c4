"""`gitm sweep`: tasks, resume after an interruption, aggregation, table/CSV/JSON/PNG, and a real small sweep."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from gitm.agent.sweep import SweepConfig, Task, load_results, parse_items, pending_tasks, run_sweep, tech_level
from gitm.cli import main
from gitm.llm.local_server import MODEL_ALIAS, answers
from gitm.llm.random_endpoint import MODEL_ID as RANDOM_MODEL
from gitm.llm.random_endpoint import RandomEndpoint

ROOT = Path(__file__).resolve().parents[1]

# A stand-in for `gitm run`: writes the --json report like the real one; "diamond" fails, "furnace" is slow.
FAKE_RUN = textwrap.dedent("""
    import json, sys, time
    argv = sys.argv[1:]
    item, seed, out = argv[0], int(argv[argv.index("--seed") + 1]), argv[argv.index("--json") + 1]
    with open(sys.argv[0] + ".calls", "a") as f:
        f.write(f"{item} {seed}\\n")
    with open(sys.argv[0] + ".argv", "a") as f:
        f.write(" ".join(argv) + "\\n")
    if "--llm-url" in argv:  # the endpoint must answer while the run plays
        import urllib.request
        url = argv[argv.index("--llm-url") + 1]
        with urllib.request.urlopen(url + "/models", timeout=10) as r, open(sys.argv[0] + ".llm", "a") as f:
            f.write(f"{url} {json.load(r)['data'][0]['id']}\\n")
    time.sleep(5 if item == "furnace" else 0.05)
    ok = item != "diamond"
    json.dump({"goal": item, "success": ok, "reason": "holds it" if ok else "out of time",
               "ticks": 100 * seed + len(item), "milestones": {"log": 50}}, open(out, "w"))
    sys.exit(0 if ok else 1)
""")


@pytest.fixture
def fake_run(tmp_path) -> Path:
    p = tmp_path / "fake_run.py"
    p.write_text(FAKE_RUN)
    return p


def _calls(fake: Path) -> list[str]:
    f = Path(str(fake) + ".calls")
    return f.read_text().splitlines() if f.exists() else []


def test_parse_items_and_levels(tmp_path):
    assert parse_items("ObtainDiamond, stick") == ["diamond", "stick"]
    f = tmp_path / "items.txt"
    f.write_text("# a comment\nstick\n\ncrafting_table  # trailing\n")
    assert parse_items(str(f)) == ["stick", "crafting_table"]
    assert [tech_level(i) for i in ("stick", "stone_pickaxe", "iron_ingot", "diamond")] == \
        ["hand", "wooden", "stone", "iron"]
    assert tech_level("enchanting_table") == "diamond"


def test_pending_tasks_skip_done_pairs_but_not_interrupted_errored_or_other_configs(tmp_path):
    cfg = SweepConfig(items=["a", "b", "c"], seeds=[1, 2], out=tmp_path, planner="knowledge", max_ticks=100)
    done = [{"item": "a", "seed": 1, "planner": "knowledge", "max_ticks": 100, "outcome": "success"},
            {"item": "b", "seed": 1, "planner": "knowledge", "max_ticks": 100, "outcome": "interrupted"},
            {"item": "c", "seed": 1, "planner": "knowledge", "max_ticks": 100, "outcome": "failure"},
            {"item": "c", "seed": 2, "planner": "knowledge", "max_ticks": 100, "outcome": "error"},
            {"item": "b", "seed": 2, "planner": "llm", "max_ticks": 100, "outcome": "success"}]
    assert [t.key for t in pending_tasks(cfg, done)] == [("b", 1), ("a", 2), ("b", 2), ("c", 2)]


def test_sweep_rejects_an_unknown_planner(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "--items", "stick", "--planner", "gpt"])
    assert exit_.value.code == 2 and "invalid choice: 'gpt'" in capsys.readouterr().err


def test_sweep_with_a_scripted_runner_writes_every_output(tmp_path):
    def runner(t: Task, cfg: SweepConfig, stop: threading.Event) -> dict:
        ok = not (t.item == "diamond" or (t.item == "furnace" and t.seed == 2))
        return {"item": t.item, "seed": t.seed, "planner": cfg.planner, "max_ticks": cfg.max_ticks, "success": ok,
                "outcome": "success" if ok else "failure", "reason": "" if ok else "out of time",
                "ticks": 100 * t.seed if ok else 5000}

    cfg = SweepConfig(items=["stick", "furnace", "diamond"], seeds=[1, 2], out=tmp_path / "sw", workers=2,
                      max_ticks=5000)
    console = Console(file=open(tmp_path / "out.txt", "w"), width=160)
    s = run_sweep(cfg, runner=runner, console=console)
    console.file.close()
    assert s["runs"] == 6 and s["successes"] == 3 and s["items_obtained"] == 2 and s["complete"]
    rows = {r["item"]: r for r in s["per_item"]}
    assert rows["stick"]["success_rate"] == 1.0 and rows["stick"]["median_ticks"] == 150
    assert rows["furnace"]["success_rate"] == 0.5 and rows["furnace"]["level"] == "wooden"
    assert rows["diamond"]["successes"] == 0 and rows["diamond"]["reasons"] == ["out of time"]
    assert s["per_level"]["iron"] == {"items": 1, "runs": 2, "successes": 0, "items_obtained": 0, "success_rate": 0.0,
                                      "median_ticks": None}
    assert s["per_level"]["hand"]["median_ticks"] == 150  # stick: 100 and 200
    assert s["per_level"]["wooden"]["median_ticks"] == 100  # furnace: seed 1 only
    assert len(load_results(cfg.out / "results.jsonl")) == 6
    with open(cfg.out / "items.csv") as f:
        table = list(csv.DictReader(f))
    assert [r["item"] for r in table] == ["stick", "furnace", "diamond"] and table[1]["success_rate"] == "0.5"
    assert json.loads((cfg.out / "summary.json").read_text())["successes"] == 3
    png = (cfg.out / "success_by_level.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    text = (tmp_path / "out.txt").read_text()
    assert "stick" in text and "1/2 (50%)" in text and "by tech level" in text

    # everything done: a second sweep runs nothing and reports the same
    calls = []
    s2 = run_sweep(cfg, runner=lambda t, c, e: calls.append(t) or runner(t, c, e),
                   console=Console(file=open(tmp_path / "out2.txt", "w")))
    assert calls == [] and s2["successes"] == 3


def test_cli_sweep_runs_each_task_as_a_process_and_resumes_after_ctrl_c(tmp_path, fake_run):
    out = tmp_path / "sweep"
    cmd = [sys.executable, "-m", "gitm.cli", "sweep", "--items", "stick,crafting_table,furnace,diamond", "--seeds", "1",
           "--workers", "1", "--out", str(out), "--run-command", f"{sys.executable} {fake_run}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and "furnace 1" not in _calls(fake_run):
        time.sleep(0.1)
    assert "furnace 1" in _calls(fake_run)
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, stdout
    assert "resume" in stdout
    first = load_results(out / "results.jsonl")
    assert [(r["item"], r["outcome"]) for r in first] == [("stick", "success"), ("crafting_table", "success")]
    assert first[0]["ticks"] == 105 and first[0]["milestones"] == {"log": 50}

    Path(str(fake_run) + ".calls").unlink()
    done = subprocess.run([*cmd[:-2], "--run-command", f"{sys.executable} {fake_run}", "--task-timeout", "2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _calls(fake_run) == ["furnace 1", "diamond 1"]  # resumed: the two finished runs are not repeated
    assert "resuming: 2 of 4" in done.stdout
    results = {r["item"]: r for r in load_results(out / "results.jsonl")}
    assert results["furnace"]["outcome"] == "timeout" and results["diamond"]["reason"] == "out of time"
    assert "[4/4] diamond seed 1: failure" in done.stdout  # plain lines without a terminal
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs"] == 4 and summary["successes"] == 2
    assert (out / "items.csv").exists() and (out / "success_by_level.png").exists()
    argvs = Path(str(fake_run) + ".argv").read_text().splitlines()
    assert len(argvs) == 5 and all("--no-memory" in a.split() for a in argvs)  # tasks do not share a memory


def test_cli_sweep_with_memory_lets_runs_share_it(tmp_path, fake_run):
    assert main(["sweep", "--items", "stick", "--out", str(tmp_path / "sweep"), "--memory",
                 "--run-command", f"{sys.executable} {fake_run}"]) == 0
    assert "--no-memory" not in Path(str(fake_run) + ".argv").read_text().split()


def test_cli_sweep_passes_its_difficulty_to_every_run_and_keeps_conditions_apart(tmp_path, fake_run):
    out = tmp_path / "sweep"
    run = ["sweep", "--items", "stick", "--out", str(out), "--run-command", f"{sys.executable} {fake_run}"]
    assert main(run) == 0
    assert main([*run, "--difficulty", "hard"]) == 0  # the same folder: a peaceful result is no hard one
    argvs = Path(str(fake_run) + ".argv").read_text().splitlines()
    assert [a.split()[a.split().index("--difficulty") + 1] for a in argvs] == ["peaceful", "hard"]
    assert [r["difficulty"] for r in load_results(out / "results.jsonl")] == ["peaceful", "hard"]
    assert json.loads((out / "summary.json").read_text())["difficulty"] == "hard"


def test_cli_sweep_passes_its_start_time_to_every_run_and_keeps_conditions_apart(tmp_path, fake_run):
    out = tmp_path / "sweep"
    run = ["sweep", "--items", "stick", "--out", str(out), "--run-command", f"{sys.executable} {fake_run}"]
    assert main([*run, "--start-time", "night"]) == 0
    assert main([*run, "--start-time", "night"]) == 0  # done already: not run again
    assert main(run) == 0  # from sunrise: another condition
    argvs = Path(str(fake_run) + ".argv").read_text().splitlines()
    assert [a.split()[a.split().index("--start-time") + 1] for a in argvs] == ["13000", "0"]
    assert [r["start_time"] for r in load_results(out / "results.jsonl")] == [13000, 0]


def _llm_lines(fake: Path) -> list[str]:
    f = Path(str(fake) + ".llm")
    return f.read_text().splitlines() if f.exists() else []


def test_llm_sweep_passes_a_given_endpoint_to_every_run(tmp_path, fake_run):
    with RandomEndpoint(seed=1) as endpoint:
        assert main(["sweep", "--planner", "llm", "--llm-url", endpoint.base_url, "--items", "stick,crafting_table",
                     "--out", str(tmp_path / "sweep"), "--run-command", f"{sys.executable} {fake_run}"]) == 0
    assert _llm_lines(fake_run) == [f"{endpoint.base_url} {RANDOM_MODEL}"] * 2
    assert not (tmp_path / "sweep" / "llm-server.log").exists()  # no local server of its own


def _llama_servers_on(port: int) -> list[int]:
    """Live llama_cpp.server processes started with --port port."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"llama_cpp.server" in args and str(port).encode() in args and _alive(int(cmdline.parent.name)):
            found.append(int(cmdline.parent.name))
    return found


@pytest.mark.slow
def test_llm_sweep_runs_on_one_local_server_and_stops_it_at_the_end_and_on_ctrl_c(tmp_path, fake_run):
    """`gitm sweep --planner llm` with no endpoint configured: ONE real local server (SmolLM2) for the whole
    sweep, answering during every run, the same URL and model passed to each, stopped on Ctrl-C and at the end."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITM_LLM_") and k != "OPENAI_API_KEY"}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), GITM_CONFIG=str(tmp_path / "none.toml"))  # no serve, no config
    out = tmp_path / "sweep"
    cmd = [sys.executable, "-m", "gitm.cli", "sweep", "--planner", "llm", "--items",
           "stick,crafting_table,furnace,diamond", "--out", str(out), "--run-command", f"{sys.executable} {fake_run}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 180
    while time.time() < deadline and len(_llm_lines(fake_run)) < 3:  # furnace's run (5 s) has asked the server
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, stdout
    first = _llm_lines(fake_run)
    assert len(first) == 3 and len(set(first)) == 1 and first[0].endswith(f" {MODEL_ALIAS}"), first
    url = first[0].split()[0]
    assert all(f"--llm-url {url} --model {MODEL_ALIAS}" in a for a in Path(str(fake_run) + ".argv").read_text()
               .splitlines())
    assert not answers(url) and not _llama_servers_on(int(url.split(":")[-1].split("/")[0]))

    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    second = _llm_lines(fake_run)[3:]
    assert _calls(fake_run)[3:] == ["furnace 1", "diamond 1"] and len(second) == 2 and len(set(second)) == 1
    url = second[0].split()[0]
    assert not answers(url) and not _llama_servers_on(int(url.split(":")[-1].split("/")[0]))
    assert "local LLM for the whole sweep" in done.stdout and (out / "llm-server.log").exists()


def test_sweep_rejects_unknown_items(capsys):
    assert main(["sweep", "--items", "stick,notanitem"]) == 2
    assert "Unknown item or goal 'notanitem'" in capsys.readouterr().err


@pytest.mark.slow
def test_small_real_sweep(tmp_path):
    """Three items on one seed with the real agent: `gitm run` per item, each with its own embedded server."""
    out = tmp_path / "sweep"
    proc = subprocess.run([sys.executable, "-m", "gitm.cli", "sweep", "--items", "oak_planks,crafting_table,stick",
                           "--seeds", "1", "--workers", "1", "--max-ticks", "3000", "--out", str(out),
                           "--data-dir", str(tmp_path / "data")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = load_results(out / "results.jsonl")
    assert sorted(r["item"] for r in results) == ["crafting_table", "oak_planks", "stick"]
    assert all(r["success"] for r in results), results
    assert all(0 < r["ticks"] <= 3000 for r in results)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["success_rate"] == 1.0 and summary["per_level"]["hand"]["items_obtained"] == 3
    assert not (tmp_path / "data" / "memory").exists()  # independent runs: no shared plan memory


def _descendants(pid: int) -> set[int]:
    """Every live process below pid (children in their own sessions included), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parents.items() if pp == p}
        found |= kids
        todo += kids
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_sigterm_stops_a_real_sweep_and_every_child(tmp_path):
    """A sweep SIGTERMed while its `gitm run` plays: exit 130, and no run, server or bridge process survives
    (iron_ingot takes minutes, so a survivor would still be running)."""
    out = tmp_path / "sweep"
    proc = subprocess.Popen([sys.executable, "-m", "gitm.cli", "sweep", "--items", "iron_ingot", "--seeds", "1",
                             "--out", str(out), "--data-dir", str(tmp_path / "data")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    task_log = out / "logs" / "iron_ingot-s1.log"

    def playing() -> bool:
        return task_log.exists() and "action:" in task_log.read_text()

    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None and not playing():
        time.sleep(0.2)
    children = _descendants(proc.pid)
    if not playing():
        proc.terminate()
        pytest.fail(f"the task never played: {proc.communicate(timeout=90)[0][-3000:]}")
    assert len(children) >= 3, children  # gitm run, its embedded server, the bot's JS bridge
    proc.send_signal(signal.SIGTERM)
    stdout, _ = proc.communicate(timeout=90)
    assert proc.returncode == 130, stdout
    deadline = time.time() + 15
    while time.time() < deadline and any(map(_alive, children)):
        time.sleep(0.2)
    assert not [c for c in children if _alive(c)]
    assert load_results(out / "results.jsonl") == []  # the interrupted task runs again on resume
    (summary,) = (tmp_path / "data" / "runs").glob("*/summary.json")
    assert json.loads(summary.read_text())["outcome"] == "interrupted"


@pytest.mark.slow
def test_bench_sweep_is_gitm_sweep_with_the_benchmark_defaults(tmp_path):
    out, summary_path = tmp_path / "sweep", tmp_path / "sweep.json"
    proc = subprocess.run([sys.executable, "-m", "gitm.cli", "bench", "sweep", "--items", "oak_planks", "--seeds", "1",
                           "--out", str(out), "--json", str(summary_path), "--data-dir", str(tmp_path / "data")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = json.loads(summary_path.read_text())
    assert summary["max_ticks"] == 6000 and summary["seeds"] == [1]  # the benchmark's budget, the user's items
    assert summary["successes"] == 1 and summary["per_item"][0]["item"] == "oak_planks"
    assert summary["versions"]["gitm"] and summary["date"] and not summary["interrupted"]
    assert json.loads((out / "summary.json").read_text())["successes"] == 1


@pytest.mark.slow
def test_bench_obtain_writes_a_new_file_and_leaves_the_users_data_alone(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import obtain
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert obtain.default_out("ObtainDiamond", "1-10") == ROOT / "bench" / "results" / "obtain_diamond_s1-10.json"
    user = tmp_path / "user-data"
    out = tmp_path / "obtain.json"
    proc = subprocess.run([sys.executable, "-m", "gitm.cli", "bench", "obtain-diamond", "--goal", "oak_planks",
                           "--seeds", "1", "--max-ticks", "3000", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "GITM_DATA_DIR": str(user)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = json.loads(out.read_text())
    assert summary["goal"] == "oak_planks" and summary["successes"] == 1
    assert not user.exists()  # records and memory went to a temporary data dir
