"""The no-model control (gitm.llm.random_endpoint): every reply is an instance of the request's schema and a
valid plan for gitm, it is seeded, and gitm's real LLMClient talks to it over HTTP as it talks to llama.cpp."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gitm.llm.client import LLMClient, llamacpp_schema, response_format_for
from gitm.llm.config import load_settings
from gitm.llm.planner import LOCAL_LIMITS, LLMPlanner, WorldState, vocabulary_for
from gitm.llm.prompts import SubGoalView
from gitm.llm.random_endpoint import MODEL_ID, RandomEndpoint, SchemaError, random_instance
from gitm.llm.reply import PlannedAction, check_reply, same_call
from gitm.tree.decomposer import decompose
from knowledge.base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
DRAWS = 25  # replies per (sub-goal, situation)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def obtain_diamond_subgoals() -> list[tuple[SubGoalView, dict[str, int]]]:
    """ObtainDiamond's sub-goals as the decomposer gives them, each with its materials and tool held."""
    return [(SubGoalView.of(s), {**dict(SubGoalView.of(s).material), **({s.tool: 1} if s.tool else {})})
            for s in decompose("diamond").steps]


def planner_request(planner: LLMPlanner, g: SubGoalView, inventory: dict[str, int], situation: str,
                    excluded: tuple[PlannedAction, ...] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the planner's schema, the request body gitm's client sends to a llama.cpp endpoint with it)."""
    schema = planner.schema(g, inventory, situation, excluded)
    messages = [{"role": "user", "content": f"plan {g.object} ({situation})"}]
    return schema, {"model": MODEL_ID, "messages": messages, "response_format": response_format_for("llamacpp", schema)}


def test_every_reply_is_a_schema_instance_and_a_valid_plan_in_the_vocabulary(kb):
    planner = LLMPlanner(kb, lambda m, s, n: "", limits=LOCAL_LIMITS)
    control = RandomEndpoint(seed=3)
    actions_seen: set[str] = set()
    for g, inventory in obtain_diamond_subgoals():
        vocab = vocabulary_for(kb, g, inventory)
        for situation in ("first", "revise"):
            schema, request = planner_request(planner, g, inventory, situation)
            for _ in range(DRAWS):
                text = control.reply(request)["choices"][0]["message"]["content"]
                data = json.loads(text)
                jsonschema.validate(data, schema)  # the schema as the planner wrote it, integer bounds included
                v = check_reply(text, kb, planner.specs, planner.limits)
                assert v.ok and not v.repaired, (g.object, situation, text, v.errors)
                for action in data["action_list"]:
                    assert vocab.offers(action["name"]), (g.object, action)
                    actions_seen.add(action["name"])
                    spec = {a.name: a for a in next(s for s in planner.specs if s.name == action["name"]).args}
                    for arg, value in action["args"].items():
                        kind = spec[arg].kind
                        if value is not None and vocab.names(kind):
                            assert value in vocab.names(kind), (g.object, action)
                        if kind == "count" and vocab.count:
                            assert value in (None, vocab.count), (g.object, action)
                if situation == "first":
                    assert data["explanation"] is None
    assert {"mine", "craft", "smelt"} <= actions_seen


def test_a_call_the_schema_excludes_never_comes_back(kb):
    """A re-plan's schema leaves out the call that just failed (any count or tool): the control never draws it."""
    planner = LLMPlanner(kb, lambda m, s, n: "", limits=LOCAL_LIMITS)
    g = next(g for g, _ in obtain_diamond_subgoals() if g.object == "raw_iron")
    inventory = {"stone_pickaxe": 1, "wooden_pickaxe": 1}
    failed = PlannedAction(name="mine", args={"object": "iron_ore", "count": 3, "tool": "stone_pickaxe"})
    schema, request = planner_request(planner, g, inventory, "revise", (failed,))
    control = RandomEndpoint(seed=4)
    mined = set()
    for _ in range(200):
        data = json.loads(control.reply(request)["choices"][0]["message"]["content"])
        jsonschema.validate(data, schema)
        calls = [PlannedAction(**a) for a in data["action_list"]]
        assert not any(same_call(c, failed) for c in calls), data
        mined |= {(c.args.get("object"), c.args.get("tool")) for c in calls if c.name == "mine"}
    assert {obj for obj, _ in mined} == {"deepslate_iron_ore"}  # the other ore is still offered, with any tool
    assert {tool for _, tool in mined} == {"stone_pickaxe", "wooden_pickaxe", None}


def test_replies_are_seeded_per_request_and_vary_on_repeats(kb):
    planner = LLMPlanner(kb, lambda m, s, n: "", limits=LOCAL_LIMITS)
    g, inventory = obtain_diamond_subgoals()[0]
    _, request = planner_request(planner, g, inventory, "first")

    def texts(seed: int, n: int = 6) -> list[str]:
        control = RandomEndpoint(seed)
        return [control.reply(request)["choices"][0]["message"]["content"] for _ in range(n)]

    a = texts(1)
    assert a == texts(1)  # the same seed and requests: the same replies
    assert a != texts(2)
    assert len(set(a)) > 1  # a repeated request (a re-plan with the same prompt) gets a new draw


def test_random_instance_supports_reply_schema_keywords_and_refuses_others():
    rng = random.Random(0)
    schema = {"type": "object", "required": ["a", "b", "c", "d"], "properties": {
        "a": {"const": 5}, "b": {"type": "integer", "minimum": -2, "maximum": 2},
        "c": {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "string", "minLength": 3,
                                                                        "maxLength": 6}},
        "d": {"anyOf": [{"type": "null"}, {"enum": ["x", "y"]}]}, "e": {"type": "null"}}}
    for _ in range(200):
        jsonschema.validate(random_instance(schema, rng), schema)
    for bad in ({"type": "number"}, {"type": "boolean"}, {"enum": []}, "string",
                {"type": "object", "required": ["z"], "properties": {}}):
        with pytest.raises(SchemaError):
            random_instance(bad, rng)


class RecordingEndpoint(RandomEndpoint):
    """The real control, keeping each request body it answered (to compare with what llama.cpp is sent)."""

    def __init__(self, seed: int):
        super().__init__(seed)
        self.requests: list[dict[str, Any]] = []

    def reply(self, request: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(request)
        return super().reply(request)


def test_the_real_client_talks_to_it_over_http_like_to_llamacpp(kb, tmp_path):
    with RecordingEndpoint(seed=5) as control:
        settings = load_settings({"base_url": control.base_url}, env={}, path=tmp_path / "none.toml")
        client = LLMClient(settings)
        assert client.dialect == "llamacpp" and client.resolve_model() == MODEL_ID
        planner = LLMPlanner.from_client(client, kb, limits=LOCAL_LIMITS, max_queries=1)
        for g, inventory in obtain_diamond_subgoals():
            records: list = []
            reply = planner.propose(g, WorldState(inventory, "plains", 64), records=records)
            assert reply is not None and records[0].ok, records[0].errors
            sent = control.requests[-1]
            schema = planner.schema(g, inventory, "first", y=64)
            # the schema arrives exactly as gitm sends it to the local llama.cpp server
            assert sent["response_format"] == {"type": "json_object", "schema": llamacpp_schema(schema)}
            assert sent["messages"] == records[0].messages
        usage = client.usage
        assert usage.calls == len(obtain_diamond_subgoals()) and usage.failures == 0
        assert usage.prompt_tokens > 100 * usage.calls and usage.completion_tokens > 0

        bare = urllib.request.Request(control.base_url + "/chat/completions", method="POST",
                                      data=json.dumps({"messages": [{"role": "user", "content": "hi"}]}).encode())
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bare, timeout=5)  # noqa: S310
        assert refused.value.code == 400 and b"JSON schema" in refused.value.read()


def test_cli_serve_random_answers_until_ctrl_c():
    proc = subprocess.Popen([sys.executable, "-m", "gitm.cli", "llm", "serve", "--random", "9"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert "random control (seed 9" in line, line
        url = line.rsplit(" at ", 1)[1].strip()
        with urllib.request.urlopen(url + "/models", timeout=5) as r:  # noqa: S310
            assert json.loads(r.read())["data"][0]["id"] == MODEL_ID
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
