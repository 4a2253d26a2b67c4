"""The REAL local LLM: llama-cpp-python's server with SmolLM2-135M-Instruct, asked by the planner for plans.

Asserts validity, not wisdom: every reply (each single query, no second chances) parses and validates
against the action set and the knowledge base, for several sub-goals and for a revise situation.
Prints seconds and tokens per reply. Fails (never skips) when the [local] extra is not installed.
"""

from __future__ import annotations

import pytest

from gitm.llm.client import LLMClient
from gitm.llm.config import load_settings
from gitm.llm.local_server import MODEL_ALIAS, LocalLLMServer, local_extra_missing
from gitm.llm.planner import LOCAL_LIMITS, Feedback, LLMPlanner, WorldState
from gitm.llm.prompts import messages_tokens
from gitm.llm.reply import PlannedAction, check_reply
from knowledge.base import KnowledgeBase

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True, scope="module")
def _local_extra_installed():
    # Part of the install (`pip install -e '.[dev]'` brings [local]): missing, the tests fail, they never skip.
    missing = local_extra_missing()
    if missing:
        pytest.fail(f"THE [local] EXTRA IS NOT INSTALLED ({missing}): the real local-LLM tests cannot run. Install it "
                    "with: CMAKE_ARGS=-DGGML_NATIVE=OFF pip install -e '.[dev]'", pytrace=False)


SUBGOALS = [
    ({"object": "oak_log", "count": 3, "info": "mine by hand"}, {}, {"biome": "forest", "y": 70}),
    ({"object": "crafting_table", "count": 1, "material": {"oak_planks": 4}}, {"oak_log": 3},
     {"biome": "forest", "y": 70}),
    ({"object": "wooden_pickaxe", "count": 1, "material": {"oak_planks": 3, "stick": 2}, "tool": "crafting_table"},
     {"oak_planks": 5, "stick": 4, "crafting_table": 1}, {"biome": "plains", "y": 66}),
    ({"object": "iron_ingot", "count": 3, "material": {"raw_iron": 3, "oak_planks": 2}, "tool": "furnace"},
     {"raw_iron": 3, "oak_planks": 4, "furnace": 1, "stone_pickaxe": 1}, {"biome": "plains", "y": 12}),
    ({"object": "raw_iron", "count": 3, "tool": "stone_pickaxe", "info": "iron_ore between y=-64 and y=72"},
     {"stone_pickaxe": 1, "cobblestone": 8}, {"biome": "plains", "y": 64}),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = LocalLLMServer(log_path=tmp_path_factory.mktemp("llm") / "server.log")
    srv.start(wait=180)
    print(f"\nlocal LLM server ready in {srv.started_s:.1f} s at {srv.base_url}")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server, tmp_path_factory):
    settings = load_settings({"base_url": server.base_url, "timeout": 300}, env={},
                             path=tmp_path_factory.mktemp("cfg") / "none.toml")
    return LLMClient(settings)


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def test_endpoint_is_detected_as_llamacpp(client):
    assert client.dialect == "llamacpp"
    assert client.resolve_model() == MODEL_ALIAS


def test_first_plans_parse_and_validate(client, kb):
    planner = LLMPlanner.from_client(client, kb, limits=LOCAL_LIMITS, max_queries=1)
    rows = []
    for subgoal, inventory, env in SUBGOALS:
        records = []
        state = WorldState(dict(inventory), env["biome"], env["y"])
        reply = planner.propose(subgoal, state, records=records)
        r = records[0]
        rows.append((subgoal["object"], r))
        print(f"{subgoal['object']:>15}: {'valid' if r.ok else 'INVALID'} {r.seconds:5.1f} s, "
              f"{r.prompt_tokens} prompt + {r.completion_tokens} completion tokens: "
              + (" ; ".join(a.call() for a in reply.action_list) if reply else "; ".join(r.errors)))
        assert r.ok, (subgoal["object"], r.errors, r.text)
        # the prompt estimate used for the 2048-token budget must not be optimistic
        assert r.prompt_tokens + planner.max_tokens <= 2048
    total_s = sum(r.seconds for _, r in rows)
    repaired = sum(r.repaired for _, r in rows)
    print(f"mean {total_s / len(rows):.1f} s per reply; {repaired} needed repair; usage {client.usage.as_dict()}")


def test_revise_reply_parses_and_validates(client, kb):
    planner = LLMPlanner.from_client(client, kb, limits=LOCAL_LIMITS, max_queries=1)
    failed = Feedback(PlannedAction(name="mine", args={"object": "iron_ore"}), False,
                      "need stone_pickaxe to mine iron_ore", y=40)
    records = []
    reply = planner.propose({"object": "raw_iron", "count": 1}, WorldState({"wooden_pickaxe": 1}, "plains", 40),
                            situation="revise", feedback=[failed], records=records)
    r = records[0]
    print(f"revise: {r.seconds:.1f} s, {r.prompt_tokens}+{r.completion_tokens} tokens: "
          + (" ; ".join(a.call() for a in reply.action_list) if reply else "; ".join(r.errors)))
    assert r.ok, (r.errors, r.text)


def test_estimate_is_conservative_against_the_real_tokenizer(client, kb):
    """Our budget uses estimate_tokens(); the server's real count must not exceed it."""
    from gitm.llm.prompts import build_messages

    msgs = build_messages({"object": "iron_ingot", "count": 3}, kb.sentences_for("iron_ingot"), {"raw_iron": 3},
                          {"biome": "plains", "y": 12})
    c = client.complete(msgs, None, max_tokens=1)
    assert c.prompt_tokens <= messages_tokens(msgs), (c.prompt_tokens, messages_tokens(msgs))
    print(f"prompt: real {c.prompt_tokens} tokens, estimated {messages_tokens(msgs)}")


def test_unconstrained_reply_goes_through_repair_and_validation(client, kb):
    """Without a schema the 135M model is free to invent; the pipeline must still return a verdict, not crash:
    a valid plan with actions, or the reasons it is not one."""
    from gitm.llm.prompts import build_messages

    msgs = build_messages("oak_log", kb.sentences_for("oak_log"), {}, {"biome": "forest", "y": 70})
    c = client.complete(msgs, None, max_tokens=150)
    v = check_reply(c.text, kb)
    print(f"unconstrained: {'valid' if v.ok else 'invalid: ' + '; '.join(v.errors)}")
    assert (v.ok and v.reply.action_list and not v.errors) or (not v.ok and v.reply is None and v.errors)


def test_memory_summary_by_the_real_model(client, kb):
    """GITM's summary of five successful plans into one reference plan: a valid plan from the local model."""
    planner = LLMPlanner.from_client(client, kb, limits=LOCAL_LIMITS)
    plans = [[{"name": "explore", "args": {"object": "oak_log"}}, {"name": "mine", "args": {"object": "oak_log",
                                                                                             "count": n}}]
             for n in (1, 2, 3, 3, 4)]
    actions = planner.summarize_plans("mine oak_log", plans)
    print(f"summary: {actions}")
    assert actions and all(a["name"] in {s.name for s in planner.specs} for a in actions)
