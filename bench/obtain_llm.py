"""ObtainDiamond (or another goal) with `gitm run --planner llm`: GITM's ablations, a no-model control and a
model ladder, on seeds 1-10 with 12,000 acting ticks and no wall cap by default.

    PYTHONPATH=. .venv/bin/python bench/obtain_llm.py                                  # the whole matrix (hours)
    PYTHONPATH=. .venv/bin/python bench/obtain_llm.py --seeds 1-3 --conditions cold,control
    PYTHONPATH=. .venv/bin/python bench/obtain_llm.py --endpoints local,http://gpu:8000/v1=Qwen2.5-7B-Instruct

Conditions (per endpoint and seed; each run in its own data dir, so runs share nothing unless said):
  cold          the headline: LLM planner, plan memory on but empty, knowledge sentences, feedback
  warm          as cold, with memory holding the plans stored by the cold runs of the OTHER seeds (the same
                endpoint): every cold memory is exported after its run, and seed s's warm data dir imports the
                exports of all seeds but s. Leave-one-out, so a warm run never replays its own seed's plans,
                and cold stays cold (cold runs sharing one data dir would warm each other in seed order).
                Needs cold in the same invocation and at least two seeds.
  no_memory     --no-memory
  no_knowledge  --no-knowledge (prompts without knowledge sentences)
  no_feedback   --no-feedback (re-plans without the last plan's results)
  scripted      --reference scripted (each prompt's reference plan is the scripted planner's action list)
  control       the no-model control: cold's harness against gitm.llm.random_endpoint, every reply drawn at
                random (seeded with the run's seed) from the request's schema. It runs once per seed, whatever
                the endpoints, with the local model's name so gitm gives it the local model's reply limits, i.e.
                the same prompts and schemas as the default model.

Endpoints (`--endpoints`, comma-separated): `local` (SmolLM2-135M, started here once and kept warm for every
run), or `URL` / `URL=MODEL` for any OpenAI-compatible server (vLLM, llama.cpp, OpenAI; the key from
OPENAI_API_KEY as gitm run reads it).

Runs are sequential by default; `--jobs N` runs N at once (acting is paced by the game's clock, so they overlap
well), sharing the local model: a run's world is frozen while it waits for a reply, so acting ticks are as
sequential runs' and LLM seconds include the wait. Every run's figures go to the output JSON as
soon as it ends, so an interrupted matrix keeps what it measured. At the end: the model ladder (one row per
endpoint, its cold runs, and the control) and GITM's ablation table (one row per endpoint and condition), as
markdown. Acting ticks are the run's budgeted ticks (`ticks`); `thinking_ticks` are the world ticks that passed
while the LLM thought (about 0 on a frozen world).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.obtain import parse_seeds  # noqa: E402
from gitm.agent.sweep import interrupt_run  # noqa: E402
from gitm.llm.config import normalize_base_url  # noqa: E402
from gitm.llm.local_server import MODEL_ALIAS, LocalLLMServer  # noqa: E402
from gitm.llm.random_endpoint import RandomEndpoint  # noqa: E402
from gitm.record.recorder import TRAJECTORY, list_runs, stop_signals_as_interrupt, versions  # noqa: E402
from knowledge.facts import MILESTONES  # noqa: E402

CONDITIONS: dict[str, list[str]] = {
    "cold": [],
    "warm": [],
    "no_memory": ["--no-memory"],
    "no_knowledge": ["--no-knowledge"],
    "no_feedback": ["--no-feedback"],
    "scripted": ["--reference", "scripted"],
    "control": [],
}
HEADLINE = "cold"
CONTROL = "control"
CONTROL_NAME = "control (random replies within the schema)"
RUN_TIMEOUT = 4 * 3600  # a safety net against a hung run, not a budget: 12,000 ticks take far less


@dataclass(frozen=True)
class Endpoint:
    name: str  # as shown in the tables
    url: str | None  # None: the local model, started here
    model: str | None


def parse_endpoints(spec: str) -> list[Endpoint]:
    """'local' and 'URL[=MODEL]' items, comma-separated."""
    out = []
    for item in (s.strip() for s in spec.split(",")):
        if not item:
            continue
        if item == "local":
            out.append(Endpoint(f"local {MODEL_ALIAS}", None, MODEL_ALIAS))
            continue
        url, _, model = item.partition("=")
        url = normalize_base_url(url)
        out.append(Endpoint(f"{model or 'first listed model'} @ {url}", url, model or None))
    if len({e.name for e in out}) != len(out):
        raise ValueError(f"--endpoints {spec!r} names an endpoint twice")
    return out


def run_one(goal: str, seed: int, cond: str, endpoint: Endpoint, url: str, data_dir: Path,
            args: argparse.Namespace, log_path: Path, stop: threading.Event) -> dict[str, Any]:
    """One `gitm run` child; `stop` set (the matrix interrupted) stops it as Ctrl-C does."""
    report_path = data_dir / "report.json"
    cmd = [sys.executable, "-m", "gitm.cli", "run", goal, "--planner", "llm", "--seed", str(seed),
           "--max-ticks", str(args.max_ticks), "--json", str(report_path), "--data-dir", str(data_dir),
           "--no-dashboard", "--quiet", "--llm-url", url, "--username", f"llm{seed}", *CONDITIONS[cond]]
    if endpoint.model:
        cmd += ["--model", endpoint.model]
    if args.llm_max_queries:
        cmd += ["--llm-max-queries", str(args.llm_max_queries)]
    if args.max_wall:
        cmd += ["--max-wall", str(args.max_wall)]
    if args.jobs > 1:  # runs at once queue for the one local model
        cmd += ["--llm-timeout", str(60 * args.jobs)]
    t0 = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        code: int | str | None = None
        try:
            while (code := proc.poll()) is None:
                if stop.wait(0.5):
                    raise KeyboardInterrupt
                if time.monotonic() - t0 > args.run_timeout:
                    interrupt_run(proc, 60)
                    code = "run timeout"
                    break
        except KeyboardInterrupt:
            interrupt_run(proc, 60)  # it writes its record, so the interrupted matrix keeps this run too
            raise
    report = json.loads(report_path.read_text()) if report_path.exists() else {
        "success": False, "reason": f"no report (exit {code})", "milestones": {}}
    llm = report.get("llm") or {}
    prompt_tokens, completion_tokens = llm.get("prompt_tokens"), llm.get("completion_tokens")
    return {
        "seed": seed, "endpoint": endpoint.name, "condition": cond, "exit": code,
        "success": bool(report.get("success")), "reason": report.get("reason"),
        "ticks": report.get("ticks"), "thinking_ticks": report.get("thinking_ticks"), "clock": report.get("clock"),
        "milestones": report.get("milestones") or {}, "actions": (report.get("actions") or {}).get("total"),
        "subgoals_done": report.get("subgoals_done"), "llm_calls": llm.get("calls"),
        "invalid_replies": llm.get("invalid"), "repaired_replies": llm.get("repaired"),
        "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
        "tokens": (prompt_tokens or 0) + (completion_tokens or 0) if llm else None,
        "llm_seconds": llm.get("seconds"), "reference_plans": llm.get("reference_plans"),
        "memory_stored": report.get("memory_stored"), "run_wall_s": report.get("wall_s"),
        "wall_s": round(time.monotonic() - t0, 1), "final_inventory": report.get("inventory"), "log": str(log_path),
    }


@dataclass(eq=False)
class Run:
    """One run of the matrix; `after` are the runs whose memory it imports (warm: the other seeds' cold runs)."""

    seed: int
    cond: str
    endpoint: Endpoint
    url: str
    data_dir: Path
    log: Path
    after: tuple[Run, ...] = ()
    export: Path | None = None  # cold, when warm runs need its memory: exported here after the run
    random_seed: int | None = None  # control: the seed of its random endpoint
    done: bool = False


def plan_runs(args: argparse.Namespace, conds: list[str], seeds: list[int], endpoints: list[Endpoint],
              local_url: str | None, tmp: Path, logs: Path) -> list[Run]:
    """The matrix in the order runs start: per endpoint, every seed's cold run (the headline), then warm, which
    waits for all of them (the other runs start meanwhile), then the no-model control, then the ablations seed by
    seed."""
    first: list[Run] = []
    rest: list[Run] = []
    model_conds = [c for c in conds if c not in ("warm", CONTROL)]
    for i, ep in enumerate(endpoints if len(model_conds) + ("warm" in conds) else []):
        url = ep.url or local_url or ""
        own = [Run(seed, cond, ep, url, tmp / f"e{i}-s{seed}-{cond}", logs / f"e{i}-{args.goal}-s{seed}-{cond}.log")
               for cond in model_conds for seed in seeds]
        cold = [r for r in own if r.cond == HEADLINE] if "warm" in conds else []
        for r in cold:
            r.export = tmp / f"e{i}-s{r.seed}-cold.jsonl"
        warm = [Run(seed, "warm", ep, url, tmp / f"e{i}-s{seed}-warm", logs / f"e{i}-{args.goal}-s{seed}-warm.log",
                    after=tuple(cold)) for seed in (seeds if "warm" in conds else [])]
        first += [r for r in own if r.cond == HEADLINE] + warm
        rest += sorted((r for r in own if r.cond != HEADLINE), key=lambda r: r.seed)  # seed by seed: an
        # interrupted matrix has every ablation on its first seeds
    control = Endpoint(CONTROL_NAME, None, MODEL_ALIAS)  # the local model's limits: its schemas
    controls = [Run(seed, CONTROL, control, "", tmp / f"control-s{seed}", logs / f"{args.goal}-s{seed}-{CONTROL}.log",
                    random_seed=seed) for seed in (seeds if CONTROL in conds else [])]
    return first + controls + rest


class RunQueue:
    """Runs the matrix with `jobs` runs at once, each taking the first run that is ready. Acting is paced by the
    game's 20 ticks a second, so runs overlap well; while a run's model thinks its world is frozen, so waiting for
    a shared model costs wall time, never acting ticks (LLM seconds then include that wait)."""

    def __init__(self, runs: list[Run], record: Any, execute: Any) -> None:
        self.pending, self.record, self.execute = list(runs), record, execute
        self.cv = threading.Condition()
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def _take(self) -> Run | None:
        with self.cv:
            while self.pending and not self.stop.is_set():
                ready = next((r for r in self.pending if all(a.done for a in r.after)), None)
                if ready is not None:
                    self.pending.remove(ready)
                    return ready
                self.cv.wait()
            return None

    def _finish(self, run: Run, figures: dict[str, Any]) -> None:
        with self.cv:
            self.record(figures)
            run.done = True
            self.cv.notify_all()

    def _work(self, args: argparse.Namespace) -> None:
        try:
            while (run := self._take()) is not None:
                try:
                    self._finish(run, self.execute(run, args, self.stop))
                except BaseException as e:  # noqa: BLE001 - the first error stops the queue, run() raises it
                    with self.cv:
                        if not isinstance(e, KeyboardInterrupt):
                            self.error = self.error or e
                        self.stop.set()
        finally:
            with self.cv:
                self.cv.notify_all()

    def _wait_for(self, workers: list[threading.Thread]) -> None:
        # is_alive under the condition, not Thread.join: a Ctrl-C inside join can leave it returning early
        # (CPython gh-90882), and the matrix would end while a worker still stops its run
        with self.cv:
            while any(w.is_alive() for w in workers):
                self.cv.wait(1.0)

    def run(self, jobs: int, args: argparse.Namespace) -> None:
        workers: list[threading.Thread] = []
        try:  # an interrupt may come while workers start too; one not started yet is not alive
            for _ in range(jobs):
                workers.append(threading.Thread(target=self._work, args=(args,), daemon=True))
                workers[-1].start()
            self._wait_for(workers)
        except KeyboardInterrupt:  # each worker stops its run as Ctrl-C does, and takes no other
            with self.cv:
                self.stop.set()
                self.cv.notify_all()
            self._wait_for(workers)
            raise
        if self.error is not None:
            raise self.error


def execute(run: Run, args: argparse.Namespace, stop: threading.Event) -> dict[str, Any]:
    """One run of the matrix: its data dir (a warm one preloaded), the run, and the cold memory's export."""
    extra: dict[str, Any] = {}
    if run.cond == "warm":
        exports = {a.seed: a.export for a in run.after if a.export is not None and a.export.exists()}
        extra["memory_preloaded"] = warm_data_dir(exports, run.seed, run.data_dir)
    run.data_dir.mkdir(parents=True, exist_ok=True)
    if run.random_seed is not None:
        with RandomEndpoint(run.random_seed) as random_endpoint:
            figures = run_one(args.goal, run.seed, run.cond, run.endpoint, random_endpoint.base_url, run.data_dir,
                              args, run.log, stop)
    else:
        figures = run_one(args.goal, run.seed, run.cond, run.endpoint, run.url, run.data_dir, args, run.log, stop)
    if run.export is not None:
        memory_cli("export", run.data_dir, run.export)
    if not figures["success"]:
        extra["trajectory"] = keep_trajectory(run, args.trajectories)
    return {**figures, **extra}


def keep_trajectory(run: Run, into: Path) -> str | None:
    """A failed run's trajectory, gzipped into `into` (the run's data dir is temporary): where to see which
    sub-goal failed and why. Named commit-run-outcome; None when the run left none."""
    runs = list_runs(run.data_dir)
    if not runs or not (runs[0] / TRAJECTORY).exists():
        return None
    outcome = json.loads((run.data_dir / "report.json").read_text()).get("outcome", "failure") \
        if (run.data_dir / "report.json").exists() else "no-report"
    into.mkdir(parents=True, exist_ok=True)
    kept = into / f"{versions().get('git', 'nogit')}-{run.data_dir.name}-{outcome}.jsonl.gz"
    with open(runs[0] / TRAJECTORY, "rb") as src, gzip.open(kept, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return str(kept.relative_to(ROOT) if kept.is_relative_to(ROOT) else kept)


def memory_cli(verb: str, data_dir: Path, file: Path) -> None:
    """`gitm memory export|import FILE` in a child process: the runs' own processes are the store's only writers."""
    subprocess.run([sys.executable, "-m", "gitm.cli", "memory", verb, str(file), "--data-dir", str(data_dir)],
                   cwd=ROOT, check=True, capture_output=True, text=True)


def warm_data_dir(exports: dict[int, Path], seed: int, into: Path) -> int:
    """A data dir whose memory holds the cold plans of every seed but `seed`; the number of lines imported."""
    into.mkdir(parents=True, exist_ok=True)
    merged = into / "warm-memory.jsonl"
    lines = [line for s, f in sorted(exports.items()) if s != seed for line in f.read_text().splitlines() if line]
    merged.write_text("".join(line + "\n" for line in lines))
    if lines:
        memory_cli("import", into, merged)
    return len(lines)


def _median(xs: list[Any]) -> float | None:
    xs = [x for x in xs if isinstance(x, int | float)]
    return statistics.median(xs) if xs else None


def row_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """GITM's ablation figures for a set of runs: medians are per run; acting ticks over successful runs."""
    return {
        "runs": len(runs), "successes": sum(r["success"] for r in runs),
        "median_acting_ticks": _median([r["ticks"] for r in runs if r["success"]]),
        "median_thinking_ticks": _median([r.get("thinking_ticks") for r in runs]),
        "median_llm_calls": _median([r["llm_calls"] for r in runs]),
        "median_tokens": _median([r["tokens"] for r in runs]),
        "median_llm_seconds": _median([r["llm_seconds"] for r in runs]),
        "median_wall_s": _median([r["wall_s"] for r in runs]),
        "invalid_replies": sum(r["invalid_replies"] or 0 for r in runs),
        "milestones_reached": {m: sum(m in r["milestones"] for r in runs) for m in MILESTONES},
    }


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """{"ladder": {endpoint: cold figures, control}, "ablation": {endpoint: {condition: figures}}}."""
    ablation: dict[str, dict[str, Any]] = {}
    for r in runs:
        ablation.setdefault(r["endpoint"], {}).setdefault(r["condition"], []).append(r)
    ablation = {e: {c: row_summary(rs) for c, rs in sorted(by.items(), key=lambda kv: list(CONDITIONS).index(kv[0]))}
                for e, by in ablation.items()}
    ladder = {e: by[HEADLINE] for e, by in ablation.items() if HEADLINE in by}
    ladder.update({e: by[CONTROL] for e, by in ablation.items() if CONTROL in by})
    return {"ladder": ladder, "ablation": ablation}


def _cell(x: Any, digits: int = 0) -> str:
    if x is None:
        return "—"
    return f"{x:,.{digits}f}" if isinstance(x, float) else f"{x:,}" if isinstance(x, int) else str(x)


# how far the runs that failed got, too: runs that reached these milestones (a control may get some of the way)
PROGRESS = ("stone_pickaxe", "iron_pickaxe")
COLUMNS = ("successes", *(f"reached {m.replace('_', ' ')}" for m in PROGRESS), "median acting ticks (successes)",
           "median LLM calls", "median tokens", "median LLM s", "median wall s")


def _figures(s: dict[str, Any]) -> list[str]:
    return [f"{s['successes']}/{s['runs']}", *(f"{s['milestones_reached'].get(m, 0)}" for m in PROGRESS),
            _cell(s["median_acting_ticks"]), _cell(s["median_llm_calls"]), _cell(s["median_tokens"]),
            _cell(s["median_llm_seconds"], 1), _cell(s["median_wall_s"])]


def markdown_tables(summary: dict[str, Any], goal: str) -> str:
    def table(head: list[str], rows: list[list[str]]) -> list[str]:
        return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *("| " + " | ".join(r) + " |" for r in rows)]

    out = [f"### Model ladder: {goal}, condition {HEADLINE} (and the no-model control)", ""]
    out += table(["endpoint", *COLUMNS], [[e, *_figures(s)] for e, s in summary["ladder"].items()])
    out += ["", f"### GITM's ablation table: {goal}", ""]
    out += table(["endpoint", "condition", *COLUMNS],
                 [[e, c, *_figures(s)] for e, by in summary["ablation"].items() for c, s in by.items()])
    return "\n".join(out)


@contextmanager
def local_endpoint(needed: bool, log_path: Path) -> Iterator[str | None]:
    """The local model's URL for the whole benchmark (one server, kept warm), or None when not needed."""
    if not needed:
        yield None
        return
    server = LocalLLMServer(log_path=log_path)
    try:
        server.start(wait=300)
        print(f"local {MODEL_ALIAS} at {server.base_url}, ready in {server.started_s:.1f} s", flush=True)
        yield server.base_url
    finally:
        server.stop()


def default_out(conds: list[str], seeds: str) -> Path:
    tag = "" if conds == list(CONDITIONS) else "_" + "-".join(conds)
    return ROOT / "bench" / "results" / f"obtain_llm{tag}_s{seeds.replace(',', '_')}.json"


def print_tables(files: list[Path], goal: str) -> int:
    """The ladder and ablation tables of several results files' runs taken together; a run without a report (it
    never started: exit before its world) is left out and counted."""
    runs: list[dict[str, Any]] = []
    for f in files:
        try:
            runs += json.loads(f.read_text())["runs"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"error: {f} is not a results file of this benchmark ({e})", file=sys.stderr)
            return 2
    started = [r for r in runs if r.get("ticks") is not None]
    print(markdown_tables(summarize(started), goal))
    print(f"\n{len(started)} runs from {len(files)} files; {len(runs) - len(started)} left out (no report)")
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--goal", default="ObtainDiamond")
    p.add_argument("--seeds", default="1-10", help="e.g. 1-10 or 1,4,7 (default 1-10)")
    p.add_argument("--conditions", default=",".join(CONDITIONS), help="comma-separated, of: " + ", ".join(CONDITIONS))
    p.add_argument("--endpoints", default="local", help="local and/or URL[=MODEL], comma-separated (default local)")
    p.add_argument("--max-ticks", type=int, default=12000, help="acting ticks per run (default 12000)")
    p.add_argument("--max-wall", type=float, default=None, help="wall seconds per run (default: none)")
    p.add_argument("--run-timeout", type=float, default=RUN_TIMEOUT,
                   help=f"kill a run that takes longer, in wall seconds (default {RUN_TIMEOUT}, a safety net)")
    p.add_argument("--llm-max-queries", type=int, default=None,
                   help="queries per sub-goal over all its attempts (default: gitm run's)")
    p.add_argument("--jobs", type=int, default=1,
                   help="runs at once (default 1); they share the local model, so LLM seconds include waiting")
    p.add_argument("--out", default=None, help="the JSON (default bench/results/obtain_llm[_CONDITIONS]_sSEEDS.json)")
    p.add_argument("--tables", nargs="+", metavar="JSON", default=None,
                   help="run nothing: print the tables of these results files' runs together (a matrix run in parts)")
    args = p.parse_args()
    if args.tables:
        return print_tables([Path(f) for f in args.tables], args.goal)
    conds = [c.strip() for c in args.conditions.split(",") if c.strip()]
    unknown = set(conds) - set(CONDITIONS)
    if unknown:
        p.error(f"unknown conditions {sorted(unknown)}; known: {', '.join(CONDITIONS)}")
    seeds = parse_seeds(args.seeds)
    if "warm" in conds and ("cold" not in conds or len(seeds) < 2):
        p.error("warm memory comes from the cold runs of the other seeds: give cold and at least two seeds")
    try:
        endpoints = parse_endpoints(args.endpoints)
    except ValueError as e:
        p.error(str(e))
    model_conds = [c for c in conds if c != CONTROL]
    out = Path(args.out) if args.out else default_out(conds, args.seeds)
    logs = out.parent / "logs" / out.stem
    args.trajectories = out.parent / "obtain_llm_trajectories"
    logs.mkdir(parents=True, exist_ok=True)
    meta = {"goal": args.goal, "planner": "llm", "endpoints": [vars(e) for e in endpoints], "conditions": conds,
            "seeds": seeds, "max_ticks": args.max_ticks, "max_wall_s": args.max_wall,
            "llm_max_queries": args.llm_max_queries, "command": " ".join(sys.argv), "versions": versions(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    runs: list[dict[str, Any]] = []

    def record(r: dict[str, Any]) -> None:
        runs.append(r)
        print(json.dumps({k: r[k] for k in ("endpoint", "condition", "seed", "success", "reason", "ticks",
                                            "thinking_ticks", "llm_calls", "tokens", "llm_seconds", "wall_s")}),
              flush=True)
        out.write_text(json.dumps({**meta, "summary": summarize(runs), "runs": runs}, indent=1) + "\n")

    interrupted = False
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gitm-bench-llm-")))
        local_url = stack.enter_context(local_endpoint(
            bool(model_conds) and any(e.url is None for e in endpoints), logs / "llm-server.log"))
        queue = RunQueue(plan_runs(args, conds, seeds, endpoints, local_url, tmp, logs), record, execute)
        try:
            with stop_signals_as_interrupt():  # SIGTERM too: the runs are stopped, never orphaned
                queue.run(max(1, args.jobs), args)
        except KeyboardInterrupt:
            interrupted = True
    summary = summarize(runs)
    out.write_text(json.dumps({**meta, "interrupted": interrupted, "summary": summary, "runs": runs}, indent=1) + "\n")
    print()
    print(markdown_tables(summary, args.goal))
    print(f"\n{len(runs)} runs{' (interrupted)' if interrupted else ''}; figures in {out}")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
