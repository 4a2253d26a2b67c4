"""`gitm sweep`: the agent once per (item, seed) from an empty inventory, as GITM's all-items evaluation.

GITM reported all 262 Overworld items; we sweep every item the knowledge base marks obtainable
(`--items all`), a file of names (`--items FILE`, one a line) or a list (`--items a,b,c`).

Each task is one `gitm run ITEM --seed S --server embedded` in its own process, so every worker has its
own embedded server on its own free port. Results are appended to `results.jsonl` as tasks end; running
the same sweep again (same --out) skips the (item, seed) pairs already there, so an interrupted sweep
resumes where it stopped. Each task runs without plan memory (`gitm run --no-memory`: results do not depend
on the order of the tasks, and parallel workers do not write one chromadb store) unless `--memory` is given.
At the end: a table (per item: success rate, median ticks), `items.csv`, `summary.json` and
`success_by_level.png` (success by tech level) in the sweep folder.

Tech level of an item: the best tiered tool its decomposition from an empty inventory needs
(hand < wooden < stone < iron < diamond).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from gitm.errors import GitmError
from gitm.record.recorder import versions
from knowledge.facts import TOOL_TIERS, tool_tier

LEVELS = ("hand", *TOOL_TIERS)  # an item's tech level: the best tool tier its plan needs
RESULTS = "results.jsonl"


@dataclass(frozen=True)
class Task:
    item: str
    seed: int

    @property
    def key(self) -> tuple[str, int]:
        return (self.item, self.seed)


OLDER_LINES = {"difficulty": "peaceful", "start_time": 0}


@dataclass
class SweepConfig:
    items: list[str]
    seeds: list[int]
    out: Path
    workers: int = 1
    planner: str = "knowledge"
    max_ticks: int = 12000
    difficulty: str = "peaceful"  # the embedded world's (gitm run --difficulty)
    start_time: int = 0  # the embedded world's time of day at its start (gitm run --start-time)
    extra_args: list[str] = field(default_factory=list)  # passed on to `gitm run` (--llm-url, --model...)
    data_dir: Path | None = None
    memory: bool = False  # share <data-dir>/memory between runs; off: every run starts as a fresh agent
    task_timeout: float | None = None  # wall seconds per task; default from max_ticks
    run_command: list[str] | None = None  # replaces `python -m gitm.cli run` (tests)

    def timeout(self) -> float:
        return self.task_timeout or self.max_ticks / 20 * 4 + 180

    def condition(self) -> dict[str, Any]:
        """What every run of this sweep shares; a result line counts for it only when these match."""
        return {"planner": self.planner, "max_ticks": self.max_ticks, "difficulty": self.difficulty,
                "start_time": self.start_time}

    def same_condition(self, rec: dict[str, Any]) -> bool:
        # lines written before a field existed were peaceful and from sunrise
        return all(rec.get(k, OLDER_LINES.get(k, v)) == v for k, v in self.condition().items())


# -- items and levels -----------------------------------------------------------------------------------

def obtainable_items() -> list[str]:
    """Every item the knowledge base's tech tree can obtain (bench/coverage.py's 'decompose_to_gathering')."""
    from gitm.tree.techtree import tech_tree

    tt = tech_tree()
    return [i for i in tt.kb.all_item_names() if tt.obtainable(i)]


def parse_items(spec: str) -> list[str]:
    """'all', a file (one item a line, # comments; or a JSON list), or 'a,b,c' — names resolved and checked."""
    if spec == "all":
        return obtainable_items()
    p = Path(spec).expanduser()
    if p.is_file():
        text = p.read_text(encoding="utf-8")
        if text.lstrip().startswith("["):
            names = [str(x) for x in json.loads(text)]
        else:
            names = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    else:
        names = spec.split(",")
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise GitmError(f"--items {spec!r} names no items")
    from gitm.tree.goals import resolve_goal
    from knowledge.base import KnowledgeBase

    kb = KnowledgeBase.load()
    out: list[str] = []
    for n in names:
        item = resolve_goal(n, kb)
        if item not in out:
            out.append(item)
    return out


def tech_level(item: str) -> str:
    """hand / wooden / stone / iron / diamond / netherite: the best tool tier the plan from nothing needs."""
    from gitm.tree.decomposer import decompose

    try:
        plan = decompose(item)
    except GitmError:
        return "unobtainable"
    tiers = [t[1] for s in plan.steps if s.tool and (t := tool_tier(s.tool)) is not None]
    return LEVELS[1 + max(tiers)] if tiers else LEVELS[0]


# -- results file -----------------------------------------------------------------------------------------

def load_results(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a torn last line from a kill: that task runs again
    return out


class ResultLog:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def append(self, rec: dict[str, Any]) -> None:
        line = json.dumps(rec, separators=(",", ":"), default=str) + "\n"
        with self._lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())


# -- one task: `gitm run` in its own process ------------------------------------------------------------------

def interrupt_run(proc: subprocess.Popen, grace: float) -> None:
    """Stop a `gitm run` child as Ctrl-C does (it stops its bot and server and writes its record); kill it if it
    has not ended after `grace` seconds."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_task(task: Task, cfg: SweepConfig, stop: threading.Event) -> dict[str, Any]:
    """Run one (item, seed) as a child process and return its result line."""
    fd, json_path = tempfile.mkstemp(prefix=f"gitm-sweep-{task.item}-s{task.seed}-", suffix=".json")
    os.close(fd)
    os.unlink(json_path)
    cmd = list(cfg.run_command or [sys.executable, "-m", "gitm.cli", "run"])
    # the planner always: gitm run's default would follow a configured LLM endpoint; plain lines into the log
    cmd += [task.item, "--seed", str(task.seed), "--max-ticks", str(cfg.max_ticks), "--json", json_path,
            "--planner", cfg.planner, "--difficulty", cfg.difficulty, "--start-time", str(cfg.start_time),
            "--no-dashboard"]
    if cfg.data_dir is not None:
        cmd += ["--data-dir", str(cfg.data_dir)]
    if not cfg.memory:  # independent tasks, and no concurrent writers of one chromadb store
        cmd.append("--no-memory")
    cmd += cfg.extra_args
    t0 = time.time()
    log_path = cfg.out / "logs" / f"{task.item}-s{task.seed}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    rec: dict[str, Any] = {"item": task.item, "seed": task.seed, **cfg.condition(), "memory": cfg.memory}
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)  # our Ctrl-C is forwarded in order, not by the terminal
        deadline = t0 + cfg.timeout()
        outcome = None
        while proc.poll() is None:
            if stop.is_set():
                outcome = "interrupted"
            elif time.time() > deadline:
                outcome = "timeout"
            if outcome:
                interrupt_run(proc, 30)
                break
            time.sleep(0.2)
    report: dict[str, Any] = {}
    try:
        report = json.loads(Path(json_path).read_text())
    except (OSError, json.JSONDecodeError):
        pass
    finally:
        Path(json_path).unlink(missing_ok=True)
    success = bool(report.get("success")) or report.get("outcome") == "success"
    if outcome is None:
        outcome = "success" if success else report.get("outcome") or ("failure" if report else "error")
    reason = report.get("reason") or ""
    if not report and outcome != "interrupted":
        text = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        tail = text.strip().splitlines()[-1:]
        reason = f"exit {proc.returncode}: {tail[0] if tail else 'no output'}"
    rec.update(success=success and outcome == "success", outcome=outcome, reason=reason[:300],
               ticks=report.get("ticks"), wall_s=round(time.time() - t0, 1), exit=proc.returncode,
               milestones=report.get("milestones") or {}, run_dir=report.get("run_dir"), log=str(log_path))
    return rec


# -- the sweep ----------------------------------------------------------------------------------------------------

Runner = Callable[[Task, SweepConfig, threading.Event], dict[str, Any]]


RETRIED = ("interrupted", "error")  # a run that ended without a result (a crash, a bridge failure) is tried again


def pending_tasks(cfg: SweepConfig, done: Iterable[dict[str, Any]]) -> list[Task]:
    finished = {(r["item"], r["seed"]) for r in done if r.get("outcome") not in RETRIED and cfg.same_condition(r)}
    return [t for seed in cfg.seeds for item in cfg.items if (t := Task(item, seed)).key not in finished]


def run_sweep(cfg: SweepConfig, runner: Runner | None = None, console: Console | None = None) -> dict[str, Any]:
    """Run what is left of the sweep, then write the table, CSV, JSON and chart. Ctrl-C stops cleanly."""
    console = console or Console()
    cfg.out.mkdir(parents=True, exist_ok=True)
    results_path = cfg.out / RESULTS
    log = ResultLog(results_path)
    todo = pending_tasks(cfg, load_results(results_path))
    total = len(cfg.items) * len(cfg.seeds)
    runner = runner or run_task
    (cfg.out / "config.json").write_text(json.dumps(
        {"items": cfg.items, "seeds": cfg.seeds, **cfg.condition(),
         "workers": cfg.workers, "memory": cfg.memory, "extra_args": cfg.extra_args}, indent=1) + "\n")
    if total - len(todo):
        console.print(f"resuming: {total - len(todo)} of {total} runs already in {results_path}")
    stop = threading.Event()
    interrupted = False
    t0 = time.time()
    plain = not console.is_terminal
    progress = Progress(TextColumn("[bold]sweep"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[ok]}"),
                        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.description}"),
                        console=console, disable=plain, refresh_per_second=2)
    ok = sum(1 for r in load_results(results_path) if r.get("success"))
    with progress, ThreadPoolExecutor(max_workers=max(1, cfg.workers)) as pool:
        bar = progress.add_task("", total=total, completed=total - len(todo), ok=f"{ok} ok")
        queue = list(todo)
        running: dict[Future, Task] = {}
        try:
            while queue or running:
                while queue and len(running) < max(1, cfg.workers) and not stop.is_set():
                    t = queue.pop(0)
                    running[pool.submit(runner, t, cfg, stop)] = t
                    progress.update(bar, description=", ".join(f"{x.item}/s{x.seed}" for x in running.values()))
                if not running:
                    break
                finished, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
                for fut in finished:
                    t = running.pop(fut)
                    try:
                        rec = fut.result()
                    except Exception as e:  # a runner bug: record it and go on
                        rec = {"item": t.item, "seed": t.seed, **cfg.condition(), "success": False,
                               "outcome": "error", "reason": f"{type(e).__name__}: {e}"}
                    if rec.get("outcome") == "interrupted":
                        continue  # not written: the task runs again on resume
                    rec.setdefault("finished_at", time.strftime("%Y-%m-%dT%H:%M:%S"))
                    log.append(rec)
                    ok += bool(rec.get("success"))
                    progress.update(bar, advance=1, ok=f"{ok} ok")
                    if plain:
                        done = total - len(queue) - len(running)
                        console.print(f"{time.strftime('%H:%M:%S')} [{done}/{total}] {t.item} seed {t.seed}: "
                                      f"{rec.get('outcome')} ticks={rec.get('ticks')} {rec.get('reason') or ''}",
                                      soft_wrap=True, highlight=False, markup=False)
        except KeyboardInterrupt:
            interrupted = True
            console.print("[yellow]stopping: waiting for the running tasks to stop their servers...[/yellow]")
        finally:  # whatever ends the loop, the children stop before the pool joins their threads
            stop.set()
    meta = {"interrupted": interrupted, "date": time.strftime("%Y-%m-%d"), "sweep_wall_s": round(time.time() - t0),
            "out": str(cfg.out), "versions": versions()}
    summary = write_outputs(cfg, load_results(results_path), console, meta)
    if interrupted:
        console.print(f"interrupted; run the same command again to resume ({results_path})")
    return summary


# -- aggregation and outputs ---------------------------------------------------------------------------------------

def aggregate(cfg: SweepConfig, results: list[dict[str, Any]],
              levels: dict[str, str] | None = None) -> dict[str, Any]:
    latest: dict[tuple[str, int], dict[str, Any]] = {}
    for r in results:
        if cfg.same_condition(r):
            latest[(r["item"], r["seed"])] = r  # a re-run of a pair replaces the earlier line
    levels = levels if levels is not None else {i: tech_level(i) for i in cfg.items}
    per_item = []
    level_ticks: dict[str, list[float]] = {}  # every successful run's ticks, for the level's median
    for item in cfg.items:
        runs = [latest[(item, s)] for s in cfg.seeds if (item, s) in latest]
        wins = [r for r in runs if r.get("success")]
        ticks = [r["ticks"] for r in wins if isinstance(r.get("ticks"), int | float)]
        level_ticks.setdefault(levels.get(item, "?"), []).extend(ticks)
        per_item.append({"item": item, "level": levels.get(item, "?"), "runs": len(runs), "successes": len(wins),
                         "success_rate": round(len(wins) / len(runs), 3) if runs else None,
                         "median_ticks": statistics.median(ticks) if ticks else None,
                         "reasons": sorted({r.get("reason", "") for r in runs if not r.get("success")} - {""})[:3]})
    per_level: dict[str, dict[str, Any]] = {}
    for row in per_item:
        if not row["runs"]:
            continue
        lv = per_level.setdefault(row["level"], {"items": 0, "runs": 0, "successes": 0, "items_obtained": 0})
        lv["items"] += 1
        lv["runs"] += row["runs"]
        lv["successes"] += row["successes"]
        lv["items_obtained"] += row["successes"] > 0
    for name, lv in per_level.items():
        lv["success_rate"] = round(lv["successes"] / lv["runs"], 3) if lv["runs"] else None
        lv["median_ticks"] = statistics.median(level_ticks[name]) if level_ticks[name] else None
    order = {k: i for i, k in enumerate((*LEVELS, "unobtainable"))}
    per_level = dict(sorted(per_level.items(), key=lambda kv: order.get(kv[0], 99)))
    runs = sum(r["runs"] for r in per_item)
    wins = sum(r["successes"] for r in per_item)
    return {
        **cfg.condition(), "seeds": cfg.seeds, "items": len(cfg.items),
        "runs": runs, "successes": wins, "success_rate": round(wins / runs, 3) if runs else None,
        "items_obtained": sum(1 for r in per_item if r["successes"]),
        "complete": runs == len(cfg.items) * len(cfg.seeds),
        "per_level": per_level, "per_item": per_item,
    }


def write_outputs(cfg: SweepConfig, results: list[dict[str, Any]], console: Console,
                  meta: dict[str, Any] | None = None) -> dict[str, Any]:
    summary = aggregate(cfg, results) | (meta or {})
    (cfg.out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    with open(cfg.out / "items.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["item", "level", "runs", "successes", "success_rate", "median_ticks"])
        for r in summary["per_item"]:
            w.writerow([r["item"], r["level"], r["runs"], r["successes"], r["success_rate"], r["median_ticks"]])
    chart = plot_levels(summary, cfg.out / "success_by_level.png")
    print_table(summary, console)
    console.print(f"results: {cfg.out / RESULTS}; table: {cfg.out / 'items.csv'}, {cfg.out / 'summary.json'}"
                  + (f"; chart: {chart}" if chart else ""), soft_wrap=True, highlight=False)
    return summary


def _ticks(median: float | None) -> str:
    return "-" if median is None else f"{median:.0f}"


def print_table(summary: dict[str, Any], console: Console) -> None:
    t = Table(title=f"sweep: {summary['items']} items × {len(summary['seeds'])} seeds, planner {summary['planner']}, "
                    f"{summary.get('difficulty', 'peaceful')}",
              title_justify="left")
    for col, just in (("item", "left"), ("level", "left"), ("success", "right"), ("median ticks", "right"),
                      ("why not", "left")):
        t.add_column(col, justify=just, max_width=60 if col == "why not" else None, overflow="ellipsis")
    for r in summary["per_item"]:
        if not r["runs"]:
            continue
        rate = r["success_rate"] or 0
        colour = "green" if rate >= 0.999 else "yellow" if rate > 0 else "red"
        t.add_row(r["item"], r["level"], f"[{colour}]{r['successes']}/{r['runs']} ({100 * rate:.0f}%)[/{colour}]",
                  _ticks(r["median_ticks"]), "; ".join(r["reasons"]))
    console.print(t)
    lv = Table(title="by tech level", title_justify="left")
    for col in ("level", "items", "obtained", "runs", "success", "median ticks"):
        lv.add_column(col, justify="left" if col == "level" else "right")
    for name, v in summary["per_level"].items():
        lv.add_row(name, str(v["items"]), str(v["items_obtained"]), str(v["runs"]),
                   f"{100 * (v['success_rate'] or 0):.0f}%", _ticks(v["median_ticks"]))
    lv.add_row("[bold]all[/bold]", str(summary["items"]), str(summary["items_obtained"]), str(summary["runs"]),
               f"{100 * (summary['success_rate'] or 0):.0f}%", "")
    console.print(lv)


def plot_levels(summary: dict[str, Any], path: Path) -> Path | None:
    """A bar chart of success rate by tech level (items obtained / items tried on top of each bar)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no chart (pip install matplotlib)", file=sys.stderr)
        return None
    levels = list(summary["per_level"])
    if not levels:
        return None
    rates = [100 * (summary["per_level"][k]["success_rate"] or 0) for k in levels]
    fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=100)
    bars = ax.bar(levels, rates, color="#4c9a5a")
    for b, k in zip(bars, levels, strict=True):
        v = summary["per_level"][k]
        ax.annotate(f"{v['items_obtained']}/{v['items']} items", (b.get_x() + b.get_width() / 2, b.get_height()),
                    ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    ax.set_ylim(0, 110)
    ax.set_ylabel("success rate (%)")
    ax.set_xlabel("tech level (best tool needed)")
    ax.set_title(f"gitm sweep, planner {summary['planner']}: {summary['items_obtained']}/{summary['items']} items, "
                 f"{len(summary['seeds'])} seed(s)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path

