"""Benchmark: ticks per second the embedded server keeps while one bot walks and digs.

Usage: python bench/server_tps.py [--seconds 60] [--seed 1] [--out bench/results/server_tps.json]
TPS is measured as the client sees it: world-age ticks from the server's time updates per wall second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time
from pathlib import Path

from bot_bridge.node_env import node_executable
from bot_bridge.server import EmbeddedServer

HERE = Path(__file__).resolve().parent


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
    parser.add_argument("--out", type=Path, default=HERE / "results" / "server_tps.json")
    args = parser.parse_args()
    with EmbeddedServer(seed=args.seed) as server:
        started = time.time()
        done = subprocess.run([node_executable(), str(HERE / "tps_load.js"), str(server.port), str(args.seconds)],
                              capture_output=True, text=True, timeout=args.seconds + 60)
        rss_kb = int(Path(f"/proc/{server._proc.pid}/status").read_text().split("VmRSS:")[1].split()[0])
    load = json.loads(done.stdout.strip().splitlines()[-1])
    # Only the once-a-second updates (age a multiple of 20): the one sent at join comes off-beat.
    # Skip the first 5 s too: chunk sending at join delays those packets and skews the rate.
    beat = [s for s in load["samples"] if s[0] % 20 == 0]
    samples = [s for s in beat if s[1] - beat[0][1] >= 5000]
    span_s = (samples[-1][1] - samples[0][1]) / 1000
    windows = windowed_tps(samples)
    result = {
        "benchmark": "server_tps",
        "seed": args.seed,
        "seconds": args.seconds,
        "mean_tps": round((samples[-1][0] - samples[0][0]) / span_s, 2),
        "min_10s_window_tps": round(min(windows), 2) if windows else None,
        "windows_10s": [round(w, 2) for w in windows],
        "bot_work": load["work"],
        "server_rss_mb": round(rss_kb / 1024, 1),
        "wall_s": round(time.time() - started, 1),
        "machine": {"arch": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
