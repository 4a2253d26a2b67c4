"""Reply parsing, repair and validation, with cases taken from the rules (GITM's reply format, the action set,
the knowledge base), not from outputs of the implementation."""

from __future__ import annotations

import json

import pytest

from bot_bridge.actions import ACTIONS, planner_actions
from gitm.llm.reply import (
    ReplyLimits,
    ReplyParseError,
    check_reply,
    errors_for_llm,
    parse_reply,
    reply_schema,
    validate_reply,
)
from knowledge.base import KnowledgeBase


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def reply(*actions, explanation=None, thoughts="get wood first"):
    return {"explanation": explanation, "thoughts": thoughts, "action_list": list(actions)}


def act(name, expectation="", **args):
    return {"name": name, "args": args, "expectation": expectation}


GOOD = reply(
    act("explore", object="oak_log", strategy="surface"),
    act("mine", object="oak_log", count=3),
    act("craft", object="oak_planks", count=4),
    act("craft", object="crafting_table"),
    act("place", object="crafting_table"),
    act("craft", object="wooden_pickaxe"),
    act("dig_down", y=12, tool="wooden_pickaxe"),
)


# -- parsing and repair -------------------------------------------------------------------------------


def test_plain_json_parses_without_repair():
    data, repaired = parse_reply(json.dumps(GOOD))
    assert data == GOOD and not repaired


@pytest.mark.parametrize(
    "text",
    [
        "```json\n" + json.dumps(GOOD) + "\n```",  # code fence
        "Sure! Here is the plan:\n" + json.dumps(GOOD) + "\nGood luck.",  # prose around it
        json.dumps(GOOD)[:-2] + ",]}",  # trailing comma in the list
        json.dumps(GOOD).replace('"', "'").replace("'explanation': null", "'explanation': None"),  # Python-ish
    ],
)
def test_malformed_json_is_repaired(text):
    data, repaired = parse_reply(text)
    assert repaired
    assert [a["name"] for a in data["action_list"]] == [a["name"] for a in GOOD["action_list"]]


def test_raw_control_characters_inside_strings_are_tolerated():
    data, repaired = parse_reply('{"explanation": null, "thoughts": "line one\nline\ttwo", "action_list": []}')
    assert repaired and data["thoughts"] == "line one\nline\ttwo"


def test_truncated_reply_is_closed():
    text = json.dumps(GOOD)
    cut = text[: text.index('"craft"') + 20]  # cut inside the third action
    data, repaired = parse_reply(cut)
    assert repaired and data["action_list"][0]["name"] == "explore"


@pytest.mark.parametrize("text", ["", "   ", "I cannot help with that.", "[1, 2, 3]"])
def test_no_object_is_a_parse_error(text):
    with pytest.raises(ReplyParseError):
        parse_reply(text)


# -- validation -----------------------------------------------------------------------------------


def test_good_reply_validates_and_normalizes(kb):
    v = validate_reply(GOOD, kb, limits=ReplyLimits(max_actions=8))
    assert v.ok, v.errors
    assert [a.name for a in v.reply.action_list][:2] == ["explore", "mine"]
    assert v.reply.action_list[6].args == {"y": 12, "tool": "wooden_pickaxe"}
    assert v.reply.explanation is None


def test_every_default_action_is_accepted_with_valid_args(kb):
    valid_args = {
        "equip": {"object": "stone_pickaxe"},
        "explore": {"object": "iron_ore", "strategy": "underground"},
        "approach": {"object": "oak_log"},
        "mine": {"object": "raw_iron", "tool": "stone_pickaxe"},
        "dig_down": {"y": 16},
        "go_up": {"y": 64},
        "craft": {"object": "stick", "count": 4},
        "smelt": {"object": "iron_ingot", "input": "raw_iron", "fuel": "coal", "count": 3},
        "place": {"object": "furnace"},
        "attack": {"entity": "cow"},
        "eat": {"food": "bread"},
        "use": {"object": "shears", "target": "sheep"},
        "farm": {"object": "wheat", "count": 3},
        "collect": {"object": "egg"},
    }
    assert {s.name for s in planner_actions()} == set(valid_args)
    for name, args in valid_args.items():
        v = validate_reply(reply(act(name, **args)), kb)
        assert v.ok, (name, v.errors)


def test_bad_action_name_is_named_in_the_error(kb):
    v = validate_reply(reply(act("chop_tree", object="oak_log")), kb)
    assert not v.ok
    assert any("chop_tree" in e and "mine" in e for e in v.errors)


def test_unknown_item_is_rejected_with_a_suggestion(kb):
    v = validate_reply(reply(act("mine", object="diamnd_ore")), kb)
    assert not v.ok
    assert any("diamnd_ore" in e and "diamond_ore" in e for e in v.errors)


def test_item_of_the_wrong_kind_is_rejected(kb):
    # a log has no crafting recipe; a cow is not a block to mine; an ingot cannot be placed
    for a in (act("craft", object="oak_log"), act("place", object="iron_ingot"), act("attack", entity="oak_log")):
        v = validate_reply(reply(a), kb)
        assert not v.ok, a


def test_missing_required_argument(kb):
    v = validate_reply(reply(act("craft")), kb)
    assert not v.ok and any("'object'" in e and "missing" in e for e in v.errors)
    v = validate_reply(reply(act("dig_down", tool="wooden_pickaxe")), kb)
    assert not v.ok and any("'y'" in e for e in v.errors)


def test_unknown_argument_and_out_of_range_numbers(kb):
    assert not validate_reply(reply(act("mine", object="stone", speed=3)), kb).ok
    assert not validate_reply(reply(act("dig_down", y=-200)), kb).ok  # below bedrock
    assert not validate_reply(reply(act("craft", object="stick", count=0)), kb).ok
    assert not validate_reply(reply(act("explore", object="stone", strategy="spiral")), kb).ok


def test_tool_may_be_null_meaning_bare_hand(kb):
    v = validate_reply(reply(act("mine", object="oak_log", tool=None)), kb)
    assert v.ok and "tool" not in v.reply.action_list[0].args


def test_shape_errors(kb):
    assert not validate_reply({"thoughts": "x"}, kb).ok  # no action_list
    assert not validate_reply(reply(), kb).ok  # empty action_list
    too_many = reply(*[act("go_up", y=64)] * 9)  # longer than allowed: the rest is re-planned later
    v = validate_reply(too_many, kb, limits=ReplyLimits(max_actions=5))
    assert v.ok and len(v.reply.action_list) == 5


def test_errors_for_llm_lists_problems_and_actions(kb):
    v = check_reply(json.dumps(reply(act("fly", object="moon"))), kb)
    msg = errors_for_llm(v.errors)
    assert "fly" in msg and "mine(" in msg and "JSON" in msg


def test_check_reply_reports_parse_failure_as_error(kb):
    v = check_reply("no json here", kb)
    assert not v.ok and v.errors and "JSON" in v.errors[0]


# -- schema -----------------------------------------------------------------------------------------


def test_schema_enumerates_action_names_and_bounds_the_list():
    schema = reply_schema(planner_actions(), limits=ReplyLimits(max_actions=4))
    items = schema["properties"]["action_list"]
    assert items["minItems"] == 1 and items["maxItems"] == 4
    names = {alt["properties"]["name"]["enum"][0] for alt in items["items"]["anyOf"]}
    assert names == {s.name for s in planner_actions()}
    assert set(schema["required"]) == {"explanation", "thoughts", "action_list"}


def test_schema_is_openai_strict_compatible():
    """Strict mode: every object lists all its properties as required and forbids extra ones."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, node
                assert set(node["required"]) == set(node["properties"]), node
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(reply_schema())


def test_the_planners_actions_are_the_bots_records_but_the_bodys_own():
    assert [s.name for s in planner_actions()] == [n for n in ACTIONS if n not in ("observe", "sleep_in_bed", "flee")]
    assert all(s is ACTIONS[s.name] for s in planner_actions())


def test_smelt_input_must_smelt_into_the_object_and_fuel_must_burn(kb):
    assert not validate_reply(reply(act("smelt", object="iron_ingot", input="furnace")), kb).ok
    assert not validate_reply(reply(act("smelt", object="iron_ingot", input="sand")), kb).ok  # sand -> glass
    assert not validate_reply(reply(act("smelt", object="iron_ingot", fuel="diamond")), kb).ok
    assert validate_reply(reply(act("smelt", object="glass", input="sand", fuel="oak_planks")), kb).ok


def test_schema_offers_only_matching_smelt_inputs_per_object():
    from gitm.llm.reply import Vocabulary

    vocab = Vocabulary({"smeltable": ["iron_ingot", "glass"], "smelt_input": ["raw_iron", "sand"]},
                       {"iron_ingot": ["raw_iron"], "glass": ["sand"]})
    alts = reply_schema(planner_actions(), vocab)["properties"]["action_list"]["items"]["anyOf"]
    smelts = [a["properties"]["args"]["properties"] for a in alts if a["properties"]["name"]["enum"] == ["smelt"]]
    pairs = {(p["object"]["enum"][0], p["input"]["anyOf"][0]["enum"][0]) for p in smelts}
    assert pairs == {("iron_ingot", "raw_iron"), ("glass", "sand")}
