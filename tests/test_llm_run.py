"""--planner llm wiring: the ablation switches of the prompt (pure), reference plans, memory in the loop.
The slow end-to-end runs against the local SmolLM2 server and the embedded world are marked `slow`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot_bridge.actions import planner_actions
from gitm.agent.llm_agent import prompt_plan
from gitm.agent.rules import knowledge_actions
from gitm.llm.prompts import ActionFeedback, build_messages, user_prompt
from gitm.tree.decomposer import decompose
from knowledge.facts import as_default_wood, wood_normalized

SENTENCES = ["Mining oak_log can be done by hand and drops oak_log."]
FAILED = [ActionFeedback("mine(object=oak_log)", False, "no oak_log within 48 blocks", {}, "plains", 70)]


def test_knowledge_switch_leaves_out_the_sentences():
    on = user_prompt("oak_log", SENTENCES, {}, None)
    off = user_prompt("oak_log", SENTENCES, {}, None, knowledge=False)
    assert "Knowledge:" in on and SENTENCES[0] in on
    assert "Knowledge:" not in off and SENTENCES[0] not in off
    assert off.startswith("Sub-goal: obtain 1 oak_log")


def test_feedback_switch_leaves_out_results_and_reasons():
    on = user_prompt("oak_log", [], {}, None, situation="revise", feedback=FAILED)
    off = user_prompt("oak_log", [], {}, None, situation="revise", feedback=FAILED, feedback_detail=False)
    assert "no oak_log within 48 blocks" in on
    assert "no oak_log within 48 blocks" not in off and "mine(object=oak_log)" not in off
    assert "failed" in off
    cont = user_prompt("oak_log", [], {}, None, situation="continue", feedback=[], feedback_detail=False)
    assert "not reached yet" in cont


def test_build_messages_passes_the_switches():
    msgs = build_messages("oak_log", SENTENCES, {}, None, None, "revise", FAILED, planner_actions(),
                          knowledge=False, feedback_detail=False, budget=1300)
    user = msgs[1]["content"]
    assert SENTENCES[0] not in user and "48 blocks" not in user
    full = build_messages("oak_log", SENTENCES, {}, None, None, "revise", FAILED, planner_actions())[1]["content"]
    assert SENTENCES[0] in full and "48 blocks" in full


def test_planner_switches_reach_the_prompt():
    from gitm.llm.planner import LLMPlanner, WorldState
    from knowledge.base import KnowledgeBase

    seen = []

    def source(messages, schema, max_tokens):
        seen.append(messages[1]["content"])
        return '{"explanation": null, "thoughts": "", "action_list": [{"name": "mine", "args": {"object": "oak_log"}}]}'

    kb = KnowledgeBase.load()
    LLMPlanner(kb, source, use_knowledge=False).propose({"object": "oak_log"}, WorldState())
    LLMPlanner(kb, source).propose({"object": "oak_log"}, WorldState())
    assert "Knowledge:" not in seen[0] and "Knowledge:" in seen[1]


def test_knowledge_actions_are_the_nominal_rules():
    steps = {(s.action, s.object): s for s in decompose("iron_pickaxe", 1).steps}
    from knowledge.base import KnowledgeBase

    kb = KnowledgeBase.load()
    assert knowledge_actions(steps["mine", "oak_log"], 70, kb) == [{"name": "mine", "args": {"object": "oak_log",
                                                                                          "count": 4}}]
    iron = knowledge_actions(steps["mine", "raw_iron"], 60, kb)
    assert iron[0] == {"name": "dig_down", "args": {"y": 14}} and iron[1]["name"] == "mine"
    assert knowledge_actions(steps["mine", "raw_iron"], 15, kb)[0]["name"] == "mine"  # already at the ore's height
    leather = next(s for s in decompose("leather", 3).steps if s.object == "leather")
    assert leather.action == "kill" and knowledge_actions(leather, 70, kb)[0] == {"name": "attack",
                                                                                 "args": {"entity": "cow"}}
    smelt = knowledge_actions(steps["smelt", "iron_ingot"], 14, kb)
    assert smelt == [{"name": "smelt", "args": {"object": "iron_ingot", "count": 3, "input": "raw_iron"}}]


def test_prompt_plan_keeps_only_the_planners_arguments():
    stored = [{"name": "mine", "args": {"object": "oak_log", "count": 3, "radius": 48}},
              {"name": "dig_down", "args": {"y": 20, "until_item": "cobblestone", "until_count": 11}},
              {"name": "observe", "args": {}}]
    assert prompt_plan(stored, planner_actions()) == [{"name": "mine", "args": {"object": "oak_log", "count": 3}},
                                                    {"name": "dig_down", "args": {"y": 20}}]


def test_wood_normalized():

    assert [as_default_wood(x) for x in ("birch_planks", "spruce_log", "stick")] == ["oak_planks", "oak_log", "stick"]
    assert wood_normalized({"birch_log": 2, "oak_log": 1, "spruce_planks": 4}) == {"oak_log": 3, "oak_planks": 4}


def test_run_flags_and_default_planner(monkeypatch, tmp_path):
    import argparse

    from gitm.agent.episode import default_planner
    from gitm.cli.run import add_run_arguments

    p = argparse.ArgumentParser()
    add_run_arguments(p)
    a = p.parse_args(["crafting_table", "--llm-url", "localhost:9", "--model", "m", "--no-memory", "--no-knowledge",
                      "--no-feedback"])
    assert (a.llm_base_url, a.llm_model, a.no_memory, a.no_knowledge, a.no_feedback) == ("localhost:9", "m", True,
                                                                                         True, True)
    assert a.planner is None and default_planner(a) == "llm"
    monkeypatch.delenv("GITM_LLM_BASE_URL", raising=False)
    monkeypatch.setenv("GITM_CONFIG", str(tmp_path / "none.toml"))
    assert default_planner(p.parse_args(["crafting_table"])) == "knowledge"
    monkeypatch.setenv("GITM_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert default_planner(p.parse_args(["crafting_table"])) == "llm"


def test_unreachable_endpoint_is_one_line_and_a_record(tmp_path):
    env = {**os.environ, "GITM_CONFIG": str(tmp_path / "none.toml")}
    r = subprocess.run([sys.executable, "-m", "gitm.cli", "run", "crafting_table", "--planner", "llm",
                        "--llm-url", "127.0.0.1:9", "--no-dashboard", "--data-dir", str(tmp_path)],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode != 0
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and "does not answer" in lines[0], r.stderr
    summaries = list(tmp_path.glob("runs/*/summary.json"))
    assert summaries and json.loads(summaries[0].read_text())["outcome"] == "error"


def _run(data_dir: Path, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    before = set(data_dir.glob("runs/*"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITM_LLM_")}
    env["GITM_CONFIG"] = str(data_dir / "no-config.toml")
    r = subprocess.run([sys.executable, "-m", "gitm.cli", "run", "crafting_table", "--planner", "llm", "--seed", "1",
                        "--no-dashboard", "--data-dir", str(data_dir), *extra],
                       capture_output=True, text=True, timeout=400, env=env)
    (run_dir,) = set(data_dir.glob("runs/*")) - before
    return r, run_dir


def _events(run_dir: Path, kind: str) -> list[dict]:
    lines = (run_dir / "trajectory.jsonl").read_text().splitlines()
    return [e for e in map(json.loads, lines) if e["type"] == kind]


@pytest.mark.slow
def test_llm_run_end_to_end_with_memory(tmp_path):
    """The real local SmolLM2 + embedded world, twice on one data dir: the second run's prompts carry the
    plans memory stored in the first. SmolLM2-135M often cannot finish crafting_table (it crafts the wrong
    item), so the wall budget is short and the run may fail cleanly: then every LLM call must have been a
    valid, parsed reply and the outcome a clean failure/timeout, never an error."""
    from gitm.llm.prompts import render_plan
    from gitm.llm.reply import PlanReply
    from memory_store import PlanMemory

    flags = ("--max-wall", "70", "--llm-max-queries", "4")
    r, run_dir = _run(tmp_path, *flags)
    summary = json.loads((run_dir / "summary.json").read_text())
    calls = _events(run_dir, "llm_call")
    assert calls and summary["llm"]["calls"] == len(calls) and summary["llm"]["prompt_tokens"] > 0
    if r.returncode != 0:
        assert summary["outcome"] in ("failure", "timeout"), summary
        for c in calls:
            assert c["ok"], c
            PlanReply.model_validate_json(c["reply"])
    assert "mine oak_log" in PlanMemory.open_default(tmp_path).subgoals()  # the first sub-goal always succeeds

    r2, run_dir2 = _run(tmp_path, *flags)
    # warm memory: the stored plan for mine oak_log is replayed without asking the model
    replayed = [m["text"] for m in _events(run_dir2, "message") if m["text"].startswith("plan memory: replayed")]
    assert any("mine oak_log" in t for t in replayed), replayed
    assert not any("mine oak_log" in c["label"] for c in _events(run_dir2, "llm_call"))
    stored = PlanMemory.open_default(tmp_path).reference_plan("mine oak_log").actions
    assert render_plan(stored)  # the plan replayed is the one stored


def _copying_source(messages, schema, max_tokens):
    """A stand-in LLM that answers with the prompt's reference plan (what a good small model should do)."""
    import re

    user = messages[1]["content"]
    ref = user.split("Reference plan", 1)[1].split(":\n", 1)[1] if "Reference plan" in user else ""
    actions = []
    for m in re.finditer(r"^\d+\. (\w+)\((.*)\)$", ref, re.M):
        args = {}
        for kv in filter(None, (p.strip() for p in m.group(2).split(","))):
            k, v = kv.split("=", 1)
            args[k] = int(v) if v.lstrip("-").isdigit() else v
        actions.append({"name": m.group(1), "args": args, "expectation": ""})
    return json.dumps({"explanation": None if "first plan" in user else "retry", "thoughts": "copy",
                       "action_list": actions[:5]})


def test_planning_executor_llm_events_and_memory(tmp_path):
    """The LLM planner in the run loop with a simulated body and an LLM copying the scripted reference: reaches
    iron_pickaxe, one LLMCall per query with its prompt, each sub-goal's plan stored; a second run on that memory
    replays the stored plans and reaches it without asking the model once."""
    from gitm.agent.llm_agent import LLMSubgoalPlanner, open_memory
    from gitm.llm.planner import LLMPlanner
    from gitm.record.events import LLMCall, Message
    from tests.test_executor import KB, FakeBody, play

    memory = open_memory(tmp_path)
    events: list = []
    planner = LLMSubgoalPlanner(LLMPlanner(KB, _copying_source, max_queries=4), memory, 1, reference="scripted")
    rep = play(FakeBody(), "iron_pickaxe", planner, emit=events.append, memory=memory, seed=1)
    assert rep.success, rep.reason
    calls = [e for e in events if isinstance(e, LLMCall)]
    assert calls and all(c.ok and c.prompt[1]["content"].startswith("Sub-goal:") for c in calls)
    assert rep.llm.calls == len(calls) and rep.memory_stored >= 10
    assert all("[ref scripted]" in c.label for c in calls)

    events = []
    planner = LLMSubgoalPlanner(LLMPlanner(KB, _copying_source, max_queries=4), memory, 1)
    warm = play(FakeBody(), "iron_pickaxe", planner, emit=events.append, memory=memory, seed=1)
    assert warm.success and warm.llm.calls == 0, warm.reason
    replays = [e.text for e in events if isinstance(e, Message) and e.text.startswith("plan memory: replayed")]
    assert len(replays) == warm.subgoals_done
    assert {"mine oak_log", "craft crafting_table", "mine raw_iron", "smelt iron_ingot"} <= set(memory.subgoals())
    assert memory.reference_plan("craft oak_planks").actions[0]["args"]["object"] == "oak_planks"  # birch: as oak
    iron = memory.reference_plan("mine raw_iron").actions
    assert [a["name"] for a in iron] == ["dig_down", "mine"]


def test_query_cap_counts_every_attempt_at_a_sub_goal(tmp_path):
    """The cap is per sub-goal over all the executor's retries: an LLM that never plans validly is asked
    exactly max_queries times for the first sub-goal, then the run gives up with the cap as its reason."""
    from gitm.agent.llm_agent import LLMSubgoalPlanner
    from gitm.llm.planner import LLMPlanner
    from tests.test_executor import KB, FakeBody, play

    asked = []

    def never_valid(messages, schema, max_tokens):
        asked.append(messages)
        return '{"action_list": [{"name": "fly", "args": {}}]}'

    rep = play(FakeBody(), "crafting_table", LLMSubgoalPlanner(LLMPlanner(KB, never_valid, max_queries=5)))
    assert not rep.success and len(asked) == 5 == rep.llm.calls and rep.llm.invalid == 5
    assert "query cap: 5 LLM queries spent on mine oak_log" in rep.reason


def test_no_knowledge_drops_the_info_line_and_the_rules_reference():
    from gitm.agent.llm_agent import LLMSubgoalPlanner
    from gitm.agent.loop import RunLoop
    from gitm.llm.planner import LLMPlanner
    from tests.test_executor import KB, FakeBody

    step = next(s for s in decompose("diamond").steps if s.object == "diamond")
    assert "y=" in step.info  # the decomposer says where diamonds lie: knowledge
    off = user_prompt(step, [], {}, None, knowledge=False)
    assert step.info not in off and step.info in user_prompt(step, [], {}, None)
    planner = LLMSubgoalPlanner(LLMPlanner(KB, _copying_source, use_knowledge=False))
    run = RunLoop(FakeBody(), planner, "diamond")
    run._seen = (70, "forest")
    assert planner.reference_for(step, run) == ([], "none")
    planner.llm.use_knowledge = True
    assert planner.reference_for(step, run) == ([], "none")  # GITM's condition: no scripted plan to copy
    planner.reference = "scripted"
    plan, source = planner.reference_for(step, run)
    assert source == "scripted" and plan[-1]["name"] == "mine"


def test_memory_summaries_are_written_by_the_llm_planner(tmp_path):
    """With --planner llm, the fifth success of a sub-goal is summarized by the LLM (one LLMCall, counted in
    the run's usage); the summary becomes the sub-goal's reference plan."""
    from gitm.agent.llm_agent import LLMSubgoalPlanner, open_memory
    from gitm.llm.planner import LLMPlanner
    from gitm.record.events import LLMCall
    from memory_store import PlanRecord
    from tests.test_executor import KB

    prompts = []

    def summarizer_llm(messages, schema, max_tokens):
        prompts.append(messages[1]["content"])
        return json.dumps({"explanation": None, "thoughts": "the shared step",
                           "action_list": [{"name": "mine", "args": {"object": "oak_log", "count": 2}}]})

    memory, events = open_memory(tmp_path), []
    LLMSubgoalPlanner(LLMPlanner(KB, summarizer_llm), memory, emit=events.append)
    for i in range(5):
        memory.add_success(PlanRecord("mine oak_log", [{"name": "explore", "args": {"object": "oak_log"}},
                                                       {"name": "mine", "args": {"object": "oak_log", "count": i}}]))
    ref = memory.reference_plan("mine oak_log")
    assert (ref.source, ref.method) == ("summary", "llm")
    assert ref.actions == [{"name": "mine", "args": {"object": "oak_log", "count": 2}}]
    assert len(prompts) == 1 and "Plan 5:" in prompts[0] and "count=4" in prompts[0]
    calls = [e for e in events if isinstance(e, LLMCall)]
    assert len(calls) == 1 and calls[0].ok


def test_thinking_is_not_acting(tmp_path):
    """Every LLM query runs inside RunLoop.thinking(): on a world gitm owns the clock is frozen around it; on
    another server the ticks that pass meanwhile are counted apart and never against the acting budget."""
    import contextlib

    from gitm.agent.llm_agent import LLMSubgoalPlanner
    from gitm.agent.loop import Budget, RunLoop
    from gitm.llm.planner import LLMPlanner
    from gitm.record.results import RunResults
    from tests.test_executor import KB, FakeBody

    body = FakeBody()

    def slow_world_source(messages, schema, max_tokens):  # 6 s of thinking while the world runs: 120 ticks
        body.age += 120
        return _copying_source(messages, schema, max_tokens)

    def run(clock):
        results = RunResults()
        planner = LLMSubgoalPlanner(LLMPlanner(KB, slow_world_source, max_queries=4), reference="scripted")
        RunLoop(body, planner, "crafting_table", budget=Budget(12000), emit=results, clock=clock).run()
        return results

    running = run(None)
    assert running.success and running.llm.calls >= 3
    assert running.thinking_ticks == 120 * running.llm.calls
    assert running.ticks == 100 * running.actions  # FakeBody: each action takes 100 ticks, thinking none

    frozen_spans = []

    class Clock:
        @contextlib.contextmanager
        def frozen(self):
            frozen_spans.append("freeze")
            yield
            frozen_spans.append("unfreeze")

    body.inventory.clear()
    owned = run(Clock())
    assert owned.success and frozen_spans == ["freeze", "unfreeze"] * owned.llm.calls
    assert owned.thinking_ticks == 0  # frozen: nothing is counted as thinking (the freeze makes it so)
