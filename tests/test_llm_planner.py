"""The planner's state machine (first plan / continue / revise, query and tick caps) with a scripted reply
source and a fake `execute`. This tests the loop only; the real model is in test_llm_local.py."""

from __future__ import annotations

import json

import pytest

from gitm.llm.planner import LLMPlanner, TickBudget, WorldState
from gitm.llm.prompts import SubGoalView
from knowledge.base import KnowledgeBase
from knowledge.facts import DIG_FLOOR_Y


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def plan(*actions, explanation=None):
    return json.dumps({"explanation": explanation, "thoughts": "t",
                       "action_list": [{"name": n, "args": a, "expectation": ""} for n, a in actions]})


class Script:
    """Replies in order; records the situation line of every prompt it was asked."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.prompts: list[str] = []
        self.schemas: list[dict] = []

    def __call__(self, messages, schema, max_tokens):
        self.prompts.append("\n".join(m["content"] for m in messages if m["role"] != "system"))
        self.schemas.append(schema)
        return self.replies.pop(0) if self.replies else plan(("go_up", {"y": 64}))


def fake_world(results):
    """execute() answering from a list of (ok, reason, delta, ticks); records the calls."""
    calls = []

    def execute(action):
        calls.append(action.call())
        ok, reason, delta, ticks = results.pop(0) if results else (True, "", {}, 10)
        return {"ok": ok, "reason": reason, "delta": delta, "ticks": ticks, "biome": "forest", "y": 70}

    return execute, calls


def test_first_plan_that_reaches_the_goal(kb):
    src = Script(plan(("explore", {"object": "oak_log"}), ("mine", {"object": "oak_log", "count": 2})))
    execute, calls = fake_world([(True, "", {}, 100), (True, "", {"oak_log": 2}, 80)])
    out = LLMPlanner(kb, src).solve({"object": "oak_log", "count": 2}, WorldState(), execute)
    assert out.status == "done" and len(out.queries) == 1
    assert calls == ["explore(object=oak_log)", "mine(object=oak_log, count=2)"]
    assert out.state.inventory == {"oak_log": 2} and out.state.biome == "forest"
    assert "first plan" in src.prompts[0]


def test_stops_as_soon_as_the_goal_is_reached(kb):
    src = Script(plan(("mine", {"object": "oak_log"}), ("mine", {"object": "oak_log"})))
    execute, calls = fake_world([(True, "", {"oak_log": 1}, 5)])
    out = LLMPlanner(kb, src).solve({"object": "oak_log", "count": 1}, WorldState(), execute)
    assert out.done and len(calls) == 1


def test_failure_leads_to_revise_with_the_reason(kb):
    src = Script(
        plan(("mine", {"object": "iron_ore"})),
        plan(("craft", {"object": "stone_pickaxe"}), explanation="no pickaxe"),
        plan(("mine", {"object": "iron_ore"})),
    )
    execute, calls = fake_world([(False, "need stone_pickaxe to mine iron_ore", {}, 3),
                                 (True, "", {"stone_pickaxe": 1}, 3), (True, "", {"raw_iron": 1}, 50)])
    out = LLMPlanner(kb, src).solve({"object": "raw_iron", "count": 1}, WorldState(), execute)
    assert out.done and [q.situation for q in out.queries] == ["first", "revise", "continue"]
    assert "failed because need stone_pickaxe to mine iron_ore" in src.prompts[1]
    # the knowledge to recover is in the re-plan: the tool iron_ore needs and its recipe
    assert "mining iron_ore needs a stone_pickaxe" in src.prompts[1] and "Crafting 1 stone_pickaxe" in src.prompts[1]
    assert [a.name for a in out.succeeded_actions()] == ["craft", "mine"]


def _admits_call(schema: dict, name: str, args: dict) -> bool:
    import jsonschema

    reply = {"explanation": None, "thoughts": "t", "action_list": [{"name": name, "args": args, "expectation": ""}]}
    try:
        jsonschema.validate(reply, schema)
    except jsonschema.ValidationError:
        return False
    return True


def test_a_failed_call_is_excluded_while_its_state_lasts(kb):
    """The exact call that failed cannot come back in the same state: the schema excludes it (any count) and a
    reply with it anyway is rejected; another call, or the same one once the state changed, is fine."""
    failed = {"object": "iron_ingot", "input": "raw_iron", "fuel": "oak_planks"}
    src = Script(
        plan(("smelt", {**failed, "count": 2})),
        plan(("smelt", failed)),  # the same call: rejected without being run
        plan(("smelt", {**failed, "fuel": "coal"})),
        plan(("smelt", failed)),  # allowed again: the inventory changed since it failed
    )
    execute, calls = fake_world([(False, "smelting timed out with 0/2 iron_ingot (the fuel went out)", {}, 3),
                                 (True, "", {"iron_ingot": 1, "raw_iron": -1, "coal": -1}, 200),
                                 (True, "", {"iron_ingot": 1, "raw_iron": -1}, 200)])
    held = {"raw_iron": 2, "coal": 1, "oak_planks": 2, "furnace": 1}
    g = {"object": "iron_ingot", "count": 2, "action": "smelt", "tool": "furnace"}
    out = LLMPlanner(kb, src).solve(g, WorldState(dict(held)), execute)
    assert out.done
    assert calls == ["smelt(object=iron_ingot, input=raw_iron, count=2, fuel=oak_planks)",
                     "smelt(object=iron_ingot, input=raw_iron, fuel=coal)",
                     "smelt(object=iron_ingot, input=raw_iron, fuel=oak_planks)"]
    assert not out.queries[1].ok and "failed just now" in out.queries[1].errors[0]
    assert _admits_call(src.schemas[0], "smelt", {**failed, "count": 2})
    for schema in src.schemas[1:3]:
        assert not _admits_call(schema, "smelt", {**failed, "count": 2})
        assert _admits_call(schema, "smelt", {**failed, "fuel": "coal", "count": 2})
    assert "Do not call again now" in src.prompts[1] and "fuels you hold: coal, oak_planks" in src.prompts[1]
    assert _admits_call(src.schemas[3], "smelt", {**failed, "count": 2})


def test_a_sub_goal_goes_back_to_the_decomposer_after_failed_plans(kb):
    src = Script(*[plan(("explore", {"object": n})) for n in ("oak_log", "birch_log", "oak_log", "birch_log")])
    execute, calls = fake_world([(False, "no oak_log within 64 blocks", {}, 50)] * 4)
    out = LLMPlanner(kb, src, max_failed_plans=3).solve({"object": "oak_log"}, WorldState(), execute)
    assert out.status == "replan_cap" and len(calls) == 3


def test_all_succeeded_but_not_done_leads_to_continue(kb):
    src = Script(plan(("mine", {"object": "oak_log"})), plan(("mine", {"object": "oak_log", "count": 2})))
    execute, _ = fake_world([(True, "", {"oak_log": 1}, 5), (True, "", {"oak_log": 2}, 5)])
    out = LLMPlanner(kb, src).solve({"object": "oak_log", "count": 3}, WorldState(), execute)
    assert out.done and [q.situation for q in out.queries] == ["first", "continue"]
    assert "succeeded" in src.prompts[1] and "+1 oak_log" in src.prompts[1]


def test_invalid_reply_is_answered_with_the_errors_and_counts_as_a_query(kb):
    src = Script("I think you should chop a tree.", plan(("fly", {})), plan(("mine", {"object": "oak_log"})))
    execute, calls = fake_world([(True, "", {"oak_log": 1}, 5)])
    out = LLMPlanner(kb, src).solve({"object": "oak_log", "count": 1}, WorldState(), execute)
    assert out.done and len(out.queries) == 3 and out.invalid_replies == 2
    assert "rejected" in src.prompts[1] and "JSON" in src.prompts[1]
    assert "fly" in src.prompts[2] and "unknown action" in src.prompts[2]
    assert calls == ["mine(object=oak_log)"]  # nothing invalid was executed


def test_query_cap_counts_invalid_replies(kb):
    src = Script(*["nonsense"] * 10)
    execute, calls = fake_world([])
    out = LLMPlanner(kb, src, max_queries=4).solve({"object": "oak_log"}, WorldState(), execute)
    assert out.status == "query_cap" and len(out.queries) == 4 and not calls


def test_query_cap_with_valid_but_useless_plans(kb):
    src = Script()  # always go_up, which never yields a log
    execute, calls = fake_world([])
    out = LLMPlanner(kb, src, max_queries=3).solve({"object": "oak_log"}, WorldState(), execute)
    assert out.status == "query_cap" and len(out.queries) == 3 and len(calls) == 3


def test_tick_budget_is_shared_and_stops_the_loop(kb):
    ticks = TickBudget(total=100)
    src = Script()
    execute, calls = fake_world([(True, "", {}, 60)] * 5)
    out = LLMPlanner(kb, src, ticks=ticks).solve({"object": "oak_log"}, WorldState(), execute)
    assert out.status == "tick_cap" and ticks.used == 120 and len(calls) == 2


def test_already_done_needs_no_query(kb):
    src = Script()
    execute, calls = fake_world([])
    out = LLMPlanner(kb, src).solve({"object": "oak_log", "count": 1}, WorldState({"oak_log": 5}), execute,
                                    is_done=lambda s: s.inventory.get("oak_log", 0) >= 5)
    assert out.done and not out.queries and not calls


def test_full_inventory_in_feedback_replaces_the_state(kb):
    src = Script(plan(("craft", {"object": "oak_planks"})))

    def execute(action):
        return {"ok": True, "inventory": {"oak_planks": 4}, "delta": {"oak_log": -1, "oak_planks": 4}}

    out = LLMPlanner(kb, src).solve({"object": "oak_planks", "count": 4}, WorldState({"oak_log": 1}), execute)
    assert out.done and out.state.inventory == {"oak_planks": 4}


def test_schema_narrows_item_names_to_the_subgoal(kb):
    src = Script(plan(("mine", {"object": "oak_log"})))
    execute, _ = fake_world([(True, "", {"oak_log": 1}, 5)])
    LLMPlanner(kb, src).solve({"object": "oak_log"}, WorldState({"dirt": 3}), execute)
    alts = src.schemas[0]["properties"]["action_list"]["items"]["anyOf"]
    mine = next(a for a in alts if a["properties"]["name"]["enum"] == ["mine"])
    names = mine["properties"]["args"]["properties"]["object"]["enum"]
    assert "oak_log" in names and "dirt" in names and len(names) < 200


def test_session_with_an_unreachable_endpoint_raises_the_clear_error(kb, tmp_path, monkeypatch):
    import socket

    from gitm.llm.client import UnreachableEndpointError
    from gitm.llm.planner import llm_planner_session

    monkeypatch.setenv("GITM_CONFIG", str(tmp_path / "none.toml"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    flags = {"base_url": f"http://127.0.0.1:{port}/v1", "max_retries": 0}
    with llm_planner_session(flags, kb) as planner, pytest.raises(UnreachableEndpointError) as e:
        planner.solve({"object": "oak_log"}, WorldState(), lambda a: {"ok": True})
    assert f"127.0.0.1:{port}" in str(e.value) and "connection refused" in str(e.value)


def test_first_plan_schema_forces_a_null_explanation_and_revise_allows_text(kb):
    src = Script(plan(("mine", {"object": "iron_ore"})), plan(("mine", {"object": "iron_ore"}), explanation="x"))
    execute, _ = fake_world([(False, "no pickaxe", {}, 1), (True, "", {"raw_iron": 1}, 1)])
    LLMPlanner(kb, src).solve({"object": "raw_iron"}, WorldState(), execute)
    assert src.schemas[0]["properties"]["explanation"] == {"type": "null"}
    assert "anyOf" in src.schemas[1]["properties"]["explanation"]


def _offered(schema):
    """action name -> its args' schemas, as the reply schema offers them."""
    alts = schema["properties"]["action_list"]["items"]["anyOf"]
    return {a["properties"]["name"]["enum"][0]: a["properties"]["args"]["properties"] for a in alts}


def test_a_decomposed_sub_goal_offers_only_its_actions_and_names(kb):
    """The decomposer's action narrows the schema: a craft sub-goal can only craft its object (the 135M model
    crafted wooden_pickaxe when asked for planks), a mine sub-goal names only the blocks that drop it."""
    from gitm.tree.decomposer import decompose

    steps = {(s.action, s.object): s for s in decompose("iron_pickaxe").steps}
    planner = LLMPlanner(kb, Script())
    craft = _offered(planner.schema(SubGoalView.of(steps["craft", "oak_planks"]), {"oak_log": 3}))
    assert list(craft) == ["craft"] and craft["craft"]["object"]["enum"] == ["oak_planks"]
    count = steps["craft", "oak_planks"].count
    assert craft["craft"]["count"]["anyOf"][0] == {"type": "integer", "minimum": count, "maximum": count}
    mine = _offered(planner.schema(SubGoalView.of(steps["mine", "raw_iron"]), {"stone_pickaxe": 1, "dirt": 2}))
    assert set(mine) == {"equip", "explore", "approach", "mine", "dig_down", "go_up"}
    assert {"iron_ore", "deepslate_iron_ore"} <= set(mine["mine"]["object"]["enum"])
    assert "dirt" not in mine["mine"]["object"]["enum"] and "oak_log" not in mine["mine"]["object"]["enum"]
    assert mine["mine"]["tool"]["anyOf"][0]["enum"] == mine["equip"]["object"]["enum"] == ["stone_pickaxe"]
    smelt = _offered(planner.schema(SubGoalView.of(steps["smelt", "iron_ingot"]), {"raw_iron": 3, "furnace": 1}))
    assert set(smelt) == {"smelt", "place"} and smelt["place"]["object"]["enum"] == ["furnace"]
    assert smelt["smelt"]["object"]["enum"] == ["iron_ingot"]
    assert "raw_iron" in smelt["smelt"]["input"]["anyOf"][0]["enum"]
    # nothing held: a tool cannot be named at all, and equip is not offered
    bare = _offered(planner.schema(SubGoalView.of(steps["mine", "oak_log"]), {}))
    assert "equip" not in bare and bare["mine"]["tool"] == {"type": "null"}


def test_a_failed_mine_is_not_retried_with_another_tool(kb):
    """'no diamond_ore within 32 blocks' is not about the tool: the small model's favourite non-fix (the same mine
    with another pickaxe) is excluded too, while the way out (dig_down first) stays open."""
    src = Script(plan(("mine", {"object": "diamond_ore", "tool": "iron_pickaxe"})),
                 plan(("dig_down", {"y": -58})), plan(("mine", {"object": "diamond_ore"})))
    execute, calls = fake_world([(False, "no diamond_ore within 32 blocks", {}, 10), (True, "", {}, 300),
                                 (True, "", {"diamond": 1}, 100)])
    held = {"iron_pickaxe": 1, "stone_pickaxe": 1}
    g = {"object": "diamond", "count": 1, "action": "mine"}
    out = LLMPlanner(kb, src).solve(g, WorldState(dict(held), "plains", 14), execute)
    assert out.done and len(calls) == 3
    revise = src.schemas[1]
    for tool in ("iron_pickaxe", "stone_pickaxe", None):
        assert not _admits_call(revise, "mine", {"object": "diamond_ore", "count": 1, "tool": tool})
    assert _admits_call(revise, "dig_down", {"y": -58, "tool": None})
    assert "diamond_ore lies underground, most at y=-58" in src.prompts[1]


def test_levels_follow_where_the_bot_stands(kb):
    """dig_down is offered only levels below the bot and go_up only above (the 135M model asked for dig_down to
    y=58 from y=50, dropping the sign of -58); with the height unknown the whole world's range is offered. No dig
    goes into bedrock's noisy top (it dug to -61 and -62 and hit bedrock)."""
    planner = LLMPlanner(kb, Script())
    g = SubGoalView("diamond", 1, action="mine")
    at_50 = planner.schema(g, {"iron_pickaxe": 1}, "first", y=50.7)
    assert _admits_call(at_50, "dig_down", {"y": -58, "tool": None})
    assert not _admits_call(at_50, "dig_down", {"y": 58, "tool": None})
    assert not _admits_call(at_50, "dig_down", {"y": 50, "tool": None})
    assert _admits_call(at_50, "dig_down", {"y": DIG_FLOOR_Y, "tool": None})
    assert not _admits_call(at_50, "dig_down", {"y": DIG_FLOOR_Y - 1, "tool": None})
    assert _admits_call(at_50, "go_up", {"y": 64}) and not _admits_call(at_50, "go_up", {"y": 12})
    anywhere = planner.schema(g, {"iron_pickaxe": 1}, "first")
    assert _admits_call(anywhere, "dig_down", {"y": 58, "tool": None})
    assert not _admits_call(anywhere, "dig_down", {"y": DIG_FLOOR_Y - 1, "tool": None})
    at_floor = planner.schema(g, {"iron_pickaxe": 1}, "first", y=DIG_FLOOR_Y + 0.5)
    assert not _admits_call(at_floor, "dig_down", {"y": DIG_FLOOR_Y - 1, "tool": None})


def test_failed_calls_stay_excluded_across_attempts_at_a_sub_goal(kb):
    """A sub-goal sent back to the decomposer and tried again keeps what it learnt: the calls that failed in this
    state are still excluded in the next attempt's first plan."""
    from gitm.llm.planner import Ban

    bans: list[Ban] = []
    execute, _ = fake_world([(False, "no diamond_ore within 32 blocks", {}, 5)] * 3)
    src = Script(plan(("mine", {"object": "diamond_ore"})), plan(("mine", {"object": "deepslate_diamond_ore"})),
                 plan(("explore", {"object": "diamond_ore"})), plan(("dig_down", {"y": -58})))
    g = {"object": "diamond", "count": 1, "action": "mine"}
    planner = LLMPlanner(kb, src, max_failed_plans=3)
    out = planner.solve(g, WorldState({}, "plains", 70), execute, bans=bans)
    assert out.status == "replan_cap" and len(bans) == 3
    planner.solve(g, WorldState({}, "plains", 70), execute, bans=bans)
    assert "first plan" in src.prompts[3]
    for name, obj in (("mine", "diamond_ore"), ("mine", "deepslate_diamond_ore"), ("explore", "diamond_ore")):
        args = {"object": obj, "count": 1, "tool": None} if name == "mine" else {"object": obj, "strategy": None}
        assert not _admits_call(src.schemas[3], name, args), (name, obj)


def test_only_calls_that_can_work_are_offered(kb):
    """A smelt is offered only fuels held in enough quantity for the sub-goal's count (the 135M model burnt 'a'
    wooden_pickaxe for 3 ingots), or none (the smelt skill picks); place only the stations held."""
    planner = LLMPlanner(kb, Script())
    g = SubGoalView("iron_ingot", 3, {"raw_iron": 3}, "furnace", action="smelt")
    held = {"raw_iron": 3, "wooden_pickaxe": 1, "oak_planks": 1, "coal": 1, "crafting_table": 1}  # a plank: 1.5
    schema = planner.schema(g, held, "first")
    smelt = {"object": "iron_ingot", "input": "raw_iron", "count": 3}
    assert _admits_call(schema, "smelt", {**smelt, "fuel": "coal"}) and _admits_call(schema, "smelt", {**smelt,
                                                                                                     "fuel": None})
    for fuel in ("wooden_pickaxe", "oak_planks", "charcoal"):
        assert not _admits_call(schema, "smelt", {**smelt, "fuel": fuel}), fuel
    assert _admits_call(schema, "place", {"object": "crafting_table"})
    assert not _admits_call(schema, "place", {"object": "furnace"})  # not held: placed already, or not made yet


def test_knowledge_sentences_come_in_the_order_the_action_needs(kb):
    """Trimming drops sentences from the end: a mine sub-goal keeps where the ore lies, a craft sub-goal its own
    recipe before another item's recipe that merely makes it (9 diamonds from a diamond_block)."""
    from gitm.llm.recovery import relevant_first

    mine = relevant_first(kb.sentences_for("diamond"), "mine", "diamond")
    found = next(i for i, x in enumerate(mine) if x.startswith("diamond_ore is found"))
    assert found < mine.index("Crafting 9 diamond requires 1 diamond_block.")
    assert kb.sentences_for("diamond")[0] == "Crafting 9 diamond requires 1 diamond_block."  # first, unordered
    sentences = ["Crafting 9 iron_ingot requires 1 iron_block.", "Smelting 1 raw_iron gives 1 iron_ingot.",
                 "Crafting 1 iron_block requires 9 iron_ingot."]
    craft = relevant_first(sentences, "craft", "iron_block")
    assert craft == [sentences[2], sentences[0], sentences[1]]


def test_a_call_cut_short_by_the_server_dying_is_neither_banned_nor_a_failed_plan(kb):
    """gitm.agent.loop restarts a world that died; the call in flight failed through no fault of its own, so it may
    come straight back and the plan does not count as failed."""
    calls = []

    def execute(action):
        calls.append(action.call())
        if len(calls) == 1:
            return {"ok": False, "reason": "the embedded server was killed by SIGKILL",
                    "details": {"server_gone": True}}
        return {"ok": True, "reason": "", "delta": {"oak_log": 2}, "ticks": 80}

    src = Script(plan(("mine", {"object": "oak_log", "count": 2})), plan(("mine", {"object": "oak_log", "count": 2})))
    out = LLMPlanner(kb, src, max_failed_plans=1).solve({"object": "oak_log", "count": 2}, WorldState(), execute)
    assert out.status == "done", out.status
    assert calls == ["mine(object=oak_log, count=2)"] * 2
    assert _admits_call(src.schemas[1], "mine", {"object": "oak_log", "count": 2, "tool": None})
