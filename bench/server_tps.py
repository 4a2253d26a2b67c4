"""Benchmark: ticks per second the embedded server keeps while one bot walks and digs.

Usage: python bench/server_tps.py [--seconds 60] [--seed 1] [--difficulty peaceful] [--night]
                                  [--out bench/results/server_tps.json]
With --difficulty normal --night the world is set to midnight first, so monsters spawn and fight the bot (it dies and
respawns); the monsters near the bot are counted at the end.
TPS is measured as the client sees it: world-age ticks from the server's time updates per wall second.
The server's tick clock catches up on late ticks with back-to-back ones, so 20 TPS can hide lag: the
server's own per-tick start lateness and duration (ms; `tickstats` console command, plugins/tickClock.js)
are reported as percentiles over the same span. Lateness below 0 is a timer firing up to 1 ms early.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time
from pathlib import Path

from bot_bridge.node_env import node_environ, node_executable
from bot_bridge.server import EmbeddedServer

HERE = Path(__file__).resolve().parent
SKIP_S = 5  # chunk sending at join delays the first time updates and skews the rate
STATS_PREFIX = "GITM_TICK_STATS "


def tick_stats(server: EmbeddedServer, timeout: float = 10.0) -> dict:
    """Ask the server for its tick percentiles and read the answer from its log."""
    server.command("tickstats")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [ln for ln in server.log_tail(200).splitlines() if STATS_PREFIX in ln]
        if lines:  # the console may prefix its prompt
            return json.loads(lines[-1].split(STATS_PREFIX, 1)[1])
        time.sleep(0.2)
    raise RuntimeError(f"no {STATS_PREFIX.strip()} line in {server.log_path} within {timeout:.0f} s")


def windowed_tps(samples: list[list[int]], window_s: float = 10.0) -> list[float]:
    """TPS over consecutive windows of about `window_s` seconds (age updates arrive once a second)."""
    rates, start = [], 0
    for i in range(1, len(samples)):
        if (samples[i][1] - samples[start][1]) / 1000 >= window_s:
            rates.append((samples[i][0] - samples[start][0]) / ((samples[i][1] - samples[start][1]) / 1000))
            start = i
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--difficulty", default="peaceful", choices=("peaceful", "easy", "normal", "hard"))
    parser.add_argument("--night", action="store_true", help="/time set 18000 before the bot joins")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "server_tps.json")
    args = parser.parse_args()
    load_before = os.getloadavg()  # other work on the machine competes with the server for the CPU
    with EmbeddedServer(seed=args.seed, difficulty=args.difficulty) as server:
        if args.night:
            server.command("time set 18000")
        started = time.time()
        proc = subprocess.Popen([node_executable(), str(HERE / "tps_load.js"), str(server.port), str(args.seconds)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=node_environ())
        time.sleep(SKIP_S)  # the same start-up skipped for TPS below
        server.command("tickstats reset")
        out, _ = proc.communicate(timeout=args.seconds + 60)
        ticks = tick_stats(server)
        rss_kb = int(Path(f"/proc/{server._proc.pid}/status").read_text().split("VmRSS:")[1].split()[0])
    load_after = os.getloadavg()
    load = json.loads(out.strip().splitlines()[-1])
    # Only the once-a-second updates (age a multiple of 20): the one sent at join comes off-beat.
    # Skip the first SKIP_S too.
    beat = [s for s in load["samples"] if s[0] % 20 == 0]
    samples = [s for s in beat if s[1] - beat[0][1] >= SKIP_S * 1000]
    span_s = (samples[-1][1] - samples[0][1]) / 1000
    windows = windowed_tps(samples)
    result = {
        "benchmark": "server_tps",
        "seed": args.seed,
        "difficulty": args.difficulty,
        "night": args.night,
        "monsters_seen_at_end": load.get("monsters"),
        "seconds": args.seconds,
        "mean_tps": round((samples[-1][0] - samples[0][0]) / span_s, 2),
        "min_10s_window_tps": round(min(windows), 2) if windows else None,
        "windows_10s": [round(w, 2) for w in windows],
        "tick_late_ms": ticks["late_ms"],
        "tick_duration_ms": ticks["duration_ms"],
        "ticks_measured": ticks["ticks"],
        "bot_work": load["work"],
        "server_rss_mb": round(rss_kb / 1024, 1),
        "wall_s": round(time.time() - started, 1),
        "machine": {"arch": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "loadavg_1_5_15_start": [round(x, 2) for x in load_before],
                    "loadavg_1_5_15_end": [round(x, 2) for x in load_after]},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
