"""Benchmark: mineflayer's own external test suite (4.25.0) against gitm's embedded server, a pass/fail per test.

Usage: python bench/mineflayer_suite.py [--only NAME[,NAME]] [--out bench/results/mineflayer_suite.json]
       [--timeout 60] [--dig-all] [--no-client-fix]

The tests are vendored in bench/mineflayer_suite/externalTests/ (README there); bench/mineflayer_suite/runner.js runs
one test file per node process against one server for the whole run, as mineflayer's suite shares one server, and
the server is restarted (with a note in the results) when a test brought it down. A vanilla 1.21.4 server passes
these tests: a failure here is a server feature missing or not behaving as vanilla's, unless marked otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot_bridge.server import EmbeddedServer

HERE = Path(__file__).resolve().parent
SUITE_DIR = HERE / "mineflayer_suite"
TESTS_DIR = SUITE_DIR / "externalTests"
RUNNER = SUITE_DIR / "runner.js"

# Test files whose features gitm's survival agent uses (eating, sleeping, containers, crafting, digging, building,
# weather and time, dying and respawning, breath, items and entities it places or uses). Names without a file at
# 4.25.0 (activateItem, experience, time) are kept for later mineflayer versions.
SURVIVAL_RELEVANT = frozenset({
    "consume", "bed", "fishing", "useChests", "furnace", "crafting", "digAndBuild", "digEverything", "heldItem",
    "exampleDigger", "exampleBlockFinder", "exampleInventory", "rain", "time", "spawnEvent", "breath", "experience",
    "placeEntity", "activateItem", "anvil", "enchanting", "trade",
})
# externalTest.js at 4.25.0 skips these files; we run them (they test survival features) but say so.
UPSTREAM_EXCLUDED = frozenset({"digEverything", "book", "anvil", "placeEntity"})
# digEverything has a case per diggable block (~1000, "about 20 min" upstream): by default a sample, --dig-all for
# every one. Upstream bug (one reason it skips the file): a case places `new Item(block.id)`, and since 1.13 item ids
# are not block ids, so the case named after a block places and digs another item's block (sand: spruce_planks,
# torch: dark_oak_wood; names listed by item in the README). The sample keeps cases whose item is a block.
DIG_SAMPLE = (
    "stone", "grass_block", "dirt", "cobblestone", "oak_planks", "sand", "gravel", "gold_ore", "iron_ore",
    "deepslate_iron_ore", "coal_ore", "oak_log", "oak_leaves", "torch", "diamond_ore", "crafting_table", "furnace",
    "snow_block", "clay",
)
ERROR_CHARS = 2000  # an assertion's message can print a whole Block object
SERVER_RESTART = "the server was restarted before this test file: it had died during the previous one"


@dataclass
class CaseResult:
    file: str
    case: str  # the test's name as mocha would print it ("chat ChatParsing"), the file name for a single-test file
    ok: bool
    error: str | None
    seconds: float
    survival: bool
    upstream_excluded: bool
    note: str | None = None


def parse_runner_output(file: str, lines: Iterable[str], ended: str | None = None) -> list[CaseResult]:
    """The results of one runner process from its standard output: each listed case, those it never reported
    failed with `ended` (why the runner stopped). Lines that are not JSON objects are ignored."""
    listed: list[str] = []
    reported: dict[str, dict[str, Any]] = {}
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj.get("cases"), list):
            listed = [str(c) for c in obj["cases"]]
        elif "test" in obj:
            reported[str(obj["test"])] = obj
            if obj["test"] not in listed:
                listed.append(str(obj["test"]))
    if not listed and ended:  # the runner died before listing its cases: one failed row for the file
        listed = [file]
    results = []
    for case in listed:
        got = reported.get(case)
        if got is None:
            results.append(make_result(file, case, False, f"not run: {ended or 'the runner ended first'}", 0.0))
        else:
            results.append(make_result(file, case, bool(got.get("ok")), got.get("error"),
                                       float(got.get("seconds") or 0.0)))
    return results


def make_result(file: str, case: str, ok: bool, error: str | None, seconds: float) -> CaseResult:
    error = None if ok else (error or "failed without a message")[:ERROR_CHARS]
    return CaseResult(file=file, case=case, ok=ok, error=error,
                      seconds=round(seconds, 2), survival=file in SURVIVAL_RELEVANT,
                      upstream_excluded=file in UPSTREAM_EXCLUDED)


def error_summary(text: str | None, limit: int = 140) -> str:
    """An error for the table: its first lines (not stack frames) on one line, as assert's first line alone
    ("Expected values to be strictly equal:") says nothing."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip() and not ln.strip().startswith("at ")]
    line = " ".join(lines[:4]).replace("|", "\\|")  # a pipe would split the markdown cell
    return line if len(line) <= limit else line[: limit - 1] + "…"


def totals(results: list[CaseResult]) -> dict[str, int]:
    survival = [r for r in results if r.survival]
    return {"cases": len(results), "passed": sum(r.ok for r in results),
            "failed": sum(not r.ok for r in results),
            "survival_cases": len(survival), "survival_passed": sum(r.ok for r in survival)}


def markdown_table(results: list[CaseResult]) -> str:
    rows = ["| file | case | survival | result | error |", "|---|---|---|---|---|"]
    for r in results:
        case = r.case[len(r.file) + 1:] if r.case.startswith(r.file + " ") else ("" if r.case == r.file else r.case)
        file = r.file + (" (skipped upstream)" if r.upstream_excluded else "")
        rows.append(f"| {file} | {case} | {'yes' if r.survival else ''} | {'pass' if r.ok else 'FAIL'} "
                    f"| {error_summary(r.error)} |")
    t = totals(results)
    rows.append("")
    rows.append(f"{t['passed']}/{t['cases']} passed; survival-relevant: {t['survival_passed']}/{t['survival_cases']}")
    return "\n".join(rows)


def test_files() -> list[str]:
    return sorted(p.stem for p in TESTS_DIR.glob("*.js"))


def carve_arena(server: EmbeddedServer) -> None:
    """Upstream's tests run on a superflat world; ours is terrain. From the console, rebuild the superflat layers
    (bedrock at y=-64, dirt, dirt, grass at -61, air up to -56) where the tests stand: around (0, -60, 0), where
    each test starts, and along x to 56 at z=0, where the example tests put their second bot (50, -60, 0); and a
    shaft of air up from the arena's centre."""
    layers = ["bedrock", "dirt", "dirt", "grass_block", "air", "air", "air", "air", "air"]
    boxes = [(range(-8, 9), range(-8, 9)), (range(9, 57), range(-3, 4))]
    for xs, zs in boxes:
        for i, block in enumerate(layers):
            for x in xs:
                for z in zs:
                    server.command(f"setblock {x} {i - 64} {z} {block}")
    # Open sky straight above (0, -60, 0): rayTrace looks up and expects no block within 256 (mineflayer's reach).
    for y in range(-55, 201):
        server.command(f"setblock 0 {y} 0 air")
    # The console runs its lines in order: the /tick acknowledgement comes after the last setblock.
    server.freeze(timeout=120)
    server.unfreeze()


def run_file(server: EmbeddedServer, file: str, timeout_s: float, cases: list[str] | None, client_fix: bool,
             log: IO[str]) -> list[CaseResult]:
    from bot_bridge.node_env import BRIDGE_DIR, node_environ, node_executable

    cmd = [node_executable(), str(RUNNER), "--port", str(server.port), "--file", file,
           "--timeout", str(int(timeout_s * 1000))]
    if cases:
        cmd += ["--cases", ",".join(cases)]
    if not client_fix:
        cmd.append("--no-client-fix")
    env = node_environ({**os.environ, "NODE_PATH": str(BRIDGE_DIR / "node_modules")})
    log.write(f"\n===== {file}: {' '.join(cmd)}\n")
    log.flush()
    proc = subprocess.Popen(cmd, cwd=SUITE_DIR, stdout=subprocess.PIPE, stderr=log, text=True, env=env,
                            start_new_session=True)
    lines: list[str] = []
    last_output = [time.monotonic()]

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            last_output[0] = time.monotonic()
            if line.startswith('{"test"'):
                print(f"  {line.strip()}", flush=True)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    ended = None
    # The runner times each case itself; a runner silent for longer than a case's deadline is stuck.
    while proc.poll() is None:
        if time.monotonic() - last_output[0] > timeout_s + 90:
            proc.kill()
            ended = f"the runner was stuck (no result for {timeout_s + 90:.0f} s) and was killed"
            break
        time.sleep(0.5)
    proc.wait()
    reader.join(5)
    if ended is None and proc.returncode != 0:
        ended = f"the runner exited with code {proc.returncode}"
    if not server.running:
        ended = f"{ended or 'the runner ended'}; {server.gone()}"
    return parse_runner_output(file, lines, ended)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated test file names (default: all); FILE:A+B runs "
                                                   "cases A and B of FILE (e.g. digEverything:sand+gravel)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "mineflayer_suite.json")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per test case (upstream: 90)")
    parser.add_argument("--dig-all", action="store_true", help="every digEverything case, not the survival sample")
    parser.add_argument("--no-client-fix", action="store_true",
                        help="leave mineflayer 4.25's game_state_change bug in (runner.js fixGameStateReason)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--logs", type=Path, default=Path(tempfile.gettempdir()) / "gitm-mineflayer-suite",
                        help="the server's log and the tests' output (not committed)")
    args = parser.parse_args()

    from bot_bridge.server import EmbeddedServer
    from gitm.record.recorder import versions, write_json_atomic

    files = test_files()
    only_cases: dict[str, list[str]] = {}  # --only FILE:CASE+CASE runs those cases of FILE
    if args.only:
        wanted = []
        for item in (n.strip() for n in args.only.split(",") if n.strip()):
            name, _, cases = item.partition(":")
            wanted.append(name)
            if cases:
                only_cases[name] = cases.split("+")
        unknown = sorted(set(wanted) - set(files))
        if unknown:
            parser.error(f"no such test file: {', '.join(unknown)} (have: {', '.join(files)})")
        files = [f for f in files if f in wanted]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.logs.mkdir(parents=True, exist_ok=True)
    server_log, runner_log_path = args.logs / "server.log", args.logs / "runner.log"
    server_log.unlink(missing_ok=True)  # the server appends to its log
    started = time.time()
    results: list[CaseResult] = []
    restarts = 0
    with EmbeddedServer(seed=args.seed, op=True, difficulty="normal", log_path=server_log) as server, \
            open(runner_log_path, "w", encoding="utf-8") as runner_log:
        carve_arena(server)
        for file in files:
            note = None
            if not server.running:
                server.restart()
                carve_arena(server)
                restarts += 1
                note = SERVER_RESTART
            print(f"{file}...", flush=True)
            cases = only_cases.get(file)
            if cases is None and file == "digEverything" and not args.dig_all:
                cases = [*DIG_SAMPLE]
            file_results = run_file(server, file, args.timeout, cases, not args.no_client_fix, runner_log)
            for r in file_results:
                r.note = note
            results.extend(file_results)
    report = {
        "benchmark": "mineflayer_suite",
        "mineflayer_tests": "PrismarineJS/mineflayer 4.25.0 test/externalTests (vendored, bench/mineflayer_suite)",
        "versions": versions(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "seconds": round(time.time() - started, 1),
        "options": {"seed": args.seed, "difficulty": "normal", "timeout_s": args.timeout, "only": files,
                    "dig_cases": "all" if args.dig_all else list(DIG_SAMPLE), "client_fix": not args.no_client_fix},
        "server_restarts": restarts,
        "totals": totals(results),
        "tests": [asdict(r) for r in results],
    }
    write_json_atomic(args.out, report)
    print(markdown_table(results))
    print(f"\nwrote {args.out} (logs: {server_log}, {runner_log_path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
