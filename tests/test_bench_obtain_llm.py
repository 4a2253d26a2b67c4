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
    assert "| m | 2/3 | 6,000 | 20 | 20,000 | 120.0 | 120 |" in md
    assert f"| {CONTROL_NAME} | control | 0/1 | — | 50 |" in md and "| m | no_memory | 0/1 |" in md


def test_default_output_names():
    assert default_out(["cold", "warm", "no_memory", "no_knowledge", "no_feedback", "scripted", "control"],
                       "1-10").name == "obtain_llm_s1-10.json"
    assert default_out(["control"], "1").name == "obtain_llm_control_s1.json"
