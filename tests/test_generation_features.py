"""The Overworld's gatherable things (bot_bridge/server/generation: lakes.js, surface.js), sampled without a server
by bot_bridge/tools/sample_features.js: each kind lies within reach of the spawn, nothing floats, sugar cane has
water beside its base, lakes hold their water, and the spawn's surroundings stay as they were.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot_bridge.node_env import node_environ
from tests.conftest import need_node

ROOT = Path(__file__).resolve().parents[1]
SAMPLER = ROOT / "bot_bridge" / "tools" / "sample_features.js"
SEEDS = [1, 2, 3, 4, 5]
SEARCH = 300  # blocks from spawn
CHECK = 3  # chunks around the spawn's chunk checked block by block (support, caves, spawn area)
FLOWERS = ["dandelion", "poppy", "azure_bluet", "oxeye_daisy", "cornflower"]


def _run(seeds: list[int], search: int = SEARCH, check: int = CHECK) -> list[dict]:
    node = need_node("the world generator's surface features (sampled by bot_bridge/tools/sample_features.js)")
    proc = subprocess.run(
        [node, str(SAMPLER), ",".join(map(str, seeds)), str(search), str(check)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=node_environ(),
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def samples() -> list[dict]:
    return _run(SEEDS)


def _near(s: dict, kind: str) -> float:
    n = s["nearest"].get(kind)
    return n["distance"] if n else float("inf")


def test_each_gatherable_kind_near_spawn(samples):
    within = {"sand": 200, "gravel": 200, "clay": 200, "short_grass": 200, "sugar_cane": 200, "pumpkin": 300}
    for s in samples:
        for kind, limit in within.items():
            assert _near(s, kind) <= limit, (s["seed"], kind, s["nearest"].get(kind))
        assert min(_near(s, f) for f in FLOWERS) <= 50, (s["seed"], s["nearest"])
        assert _near(s, "melon") <= 400, (s["seed"], s["nearest"].get("melon"))  # plains only: rarer
    # every flower kind, and lakes, turn up around these seeds
    for kind in [*FLOWERS, "lake_water"]:
        assert sum(_near(s, kind) <= SEARCH for s in samples) >= 3, (kind, [s["nearest"].get(kind) for s in samples])


def test_plants_stand_on_valid_blocks_and_lakes_hold(samples):
    for s in samples:
        assert s["problems"] == [], (s["seed"], s["problems"])


def test_vanilla_like_amounts(samples):
    # per chunk scanned: short grass is everywhere, flowers a few, cane and pumpkins much rarer
    for s in samples:
        c, n = s["counts"], s["chunksScanned"]
        assert 5 <= c["short_grass"] / n <= 60, (s["seed"], c["short_grass"] / n)
        assert 0.5 <= sum(c[f] for f in FLOWERS) / n <= 10, s["seed"]
        assert c["sugar_cane"] / n < 2 and c["pumpkin"] / n < 1 and c["melon"] / n < 0.5, (s["seed"], c)
        assert c["clay"] < c["sand"] and c["clay"] < c["gravel"], (s["seed"], c)


def test_spawn_surroundings_free_of_lakes_and_holes(samples):
    for s in samples:
        area = s["spawnArea"]
        assert area["columns"] > 700
        assert area["lake"] == 0 and area["caveAir"] == 0 and area["lava"] == 0, (s["seed"], area)


def test_caves_exist_and_lava_is_rare(samples):
    # CHECK chunks around each spawn: worm tunnels carve a little of the rock (vanilla's carvers: ~1-2%), some
    # open at the surface, and lava (below y=-55 in caves, and rare pools) stays a small fraction
    columns = sum(s["caves"]["columns"] for s in samples)
    for s in samples:
        caves = s["caves"]
        assert caves["air"] >= 1000, (s["seed"], caves)
        assert caves["air"] <= 0.03 * caves["columns"] * 130, (s["seed"], caves)  # ~130 blocks of rock a column
        assert caves["lava"] <= 0.2 * caves["air"], (s["seed"], caves)
    assert sum(s["caves"]["openings"] for s in samples) > 0
    assert sum(s["caves"]["lava"] for s in samples) <= 0.001 * columns * 130


def test_features_deterministic():
    again = _run(SEEDS[:1], search=64, check=1)
    first = _run(SEEDS[:1], search=64, check=1)
    for a, b in zip(again, first, strict=True):
        a.pop("msPerChunk")
        b.pop("msPerChunk")
        assert a == b
