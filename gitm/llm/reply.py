"""The planner's reply: GITM's `{explanation, thoughts, action_list: [{name, args, expectation}]}`.

Three layers, each usable alone:
- `reply_schema()`: the reply as a JSON schema (action names are an enum, each action's args an object
  with its own fields; item names may be narrowed to a vocabulary) for constrained decoding;
- `parse_reply()`: text -> JSON object, repairing what small models get wrong (code fences, prose
  around the object, trailing commas, single quotes, Python literals, a truncated tail);
- `validate_reply()`: JSON object -> `PlanReply` (pydantic) or a list of errors, checking every action
  name and every argument against the action set and the knowledge base. `errors_for_llm()` turns the
  errors into the message the planner sends back.

The action set is the bot's own registry, `bot_bridge.actions.ACTIONS`: one record per action (name, doc,
arguments with their kinds, the sub-goal kinds that may use it); the planner plans with `planner_actions()`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot_bridge.actions import STRATEGIES, Y_KINDS, Action, ActionArgError, Arg, planner_actions, validate
from knowledge.facts import DIG_FLOOR_Y, MAX_COUNT, MAX_Y, MIN_Y

# -- the action set -------------------------------------------------------------------------------

# Argument kinds (see bot_bridge.actions.base): the item-like ones are validated against the knowledge base,
# y levels against knowledge.facts' MIN_Y..MAX_Y (the schema narrows y_below / y_above to below / above where the
# bot stands, when it knows, and y_below to DIG_FLOOR_Y and up), count against 1..MAX_COUNT, strategy against
# STRATEGIES.
SCHEMA_MAX_COUNT = 64


def bridge_validator() -> Any:
    """The bot's own check, bot_bridge.actions.validate(kb, action, args), as `(kb, action, args) -> error|None`."""

    def check(kb: Any, action: str, args: dict[str, Any]) -> str | None:
        try:
            validate(kb, action, args)
        except ActionArgError as e:
            return str(e)
        except Exception:  # noqa: BLE001 - a bug there must not reject a reply here
            return None
        return None

    return check


# -- pydantic models ------------------------------------------------------------------------------


class PlannedAction(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    expectation: str = ""

    def call(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.args.items() if v is not None)
        return f"{self.name}({shown})"


class PlanReply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    explanation: str | None = None
    thoughts: str = ""
    action_list: list[PlannedAction]


# -- limits and vocabulary ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyLimits:
    """Bounds that keep a constrained reply short enough to finish inside max_tokens."""

    max_actions: int = 5
    explanation_chars: int = 120
    thoughts_chars: int = 200
    expectation_chars: int = 80

    def max_reply_tokens(self, n_args: int = 3) -> int:
        """A safe max_tokens: every bounded string at worst one token per character, plus the JSON frame."""
        per_action = 12 + self.expectation_chars + 12 * n_args
        return 24 + self.explanation_chars + self.thoughts_chars + self.max_actions * per_action


@dataclass
class Vocabulary:
    """Names the schema offers per argument kind (narrowing what a small model can say). Empty = free string."""

    by_kind: dict[str, list[str]] = field(default_factory=dict)
    smelt_inputs: dict[str, list[str]] = field(default_factory=dict)  # smeltable object -> its inputs
    actions: tuple[str, ...] | None = None  # the actions offered (None: all)
    count: int | None = None  # the one count offered (a sub-goal's own), else 1..SCHEMA_MAX_COUNT
    excluded: tuple[PlannedAction, ...] = ()  # calls the schema must not admit (any count or tool): they just failed
    y: float | None = None  # where the bot stands: dig_down offers only levels below it, go_up only above

    def offers(self, action: str) -> bool:
        return self.actions is None or action in self.actions

    def names(self, kind: str) -> list[str]:
        return self.by_kind.get(kind, [])


def _item_schema(kind: str, vocab: Vocabulary | None) -> dict[str, Any]:
    names = vocab.names(kind) if vocab else []
    if names:
        return {"type": "string", "enum": sorted(set(names))}
    return {"type": "string", "maxLength": 40}


def _levels(kind: str, vocab: Vocabulary | None) -> tuple[int, int]:
    # no dig deeper than digging surely reaches (bedrock's noise)
    lo, hi = (DIG_FLOOR_Y if kind == "y_below" else MIN_Y), MAX_Y
    if vocab is not None and vocab.y is not None:
        here = math.floor(vocab.y)
        if kind == "y_below":
            hi = min(hi, here - 1)
        elif kind == "y_above":
            lo = max(lo, here + 1)
    return lo, hi


def _arg_schema(arg: Arg, vocab: Vocabulary | None) -> dict[str, Any] | None:
    """The argument's schema; None when nothing is left to offer (no level below the world's floor)."""
    if arg.kind in Y_KINDS:
        lo, hi = _levels(arg.kind, vocab)
        if lo > hi:
            return None
        s: dict[str, Any] = {"type": "integer", "minimum": lo, "maximum": hi}
    elif arg.kind == "count":  # the schema offers up to a stack; validation accepts up to MAX_COUNT
        lo, hi = (vocab.count, vocab.count) if vocab and vocab.count else (1, SCHEMA_MAX_COUNT)
        s = {"type": "integer", "minimum": lo, "maximum": hi}
    elif arg.kind == "strategy":
        s = {"type": "string", "enum": list(STRATEGIES)}
    elif vocab and arg.kind in vocab.by_kind and not vocab.by_kind[arg.kind] and (
            not arg.required or arg.kind == "tool"):
        return {"type": "null"}  # narrowed to nothing (no tool held, no fuel choice): leave it out
    else:
        s = _item_schema(arg.kind, vocab)
    if not arg.required or arg.kind == "tool":
        return {"anyOf": [s, {"type": "null"}]}
    return s


def action_schemas(spec: Action, vocab: Vocabulary | None, limits: ReplyLimits) -> list[dict[str, Any]]:
    """One schema per action; an action with a smeltable object and a smelt_input gets one per object, so
    the input offered is one that smelts into that object."""
    kinds = {a.kind: a for a in spec.args}
    if vocab and vocab.smelt_inputs and "smeltable" in kinds and "smelt_input" in kinds:
        out = []
        for obj, inputs in sorted(vocab.smelt_inputs.items()):
            v = Vocabulary({**vocab.by_kind, "smeltable": [obj], "smelt_input": inputs}, actions=vocab.actions,
                           count=vocab.count)
            out.append(action_schema(spec, v, limits))
    else:
        out = [action_schema(spec, vocab, limits)]
    out = [s for s in out if s is not None]
    for call in vocab.excluded if vocab else ():
        if call.name == spec.name:
            out = [alt for schema in out for alt in _excluding(schema, call, spec)]
    return out


# -- excluding one call from an action's schema ----------------------------------------------------
# A call is excluded whatever its count and tool: neither is what made it fail (the bot takes its best tool held
# anyway), and a small model told a call failed repeats it with another tool. The admitted rest is a union of
# disjoint alternatives: the first argument differs, or it matches and the second differs, and so on.


IGNORED_KINDS = ("count", "tool")


def _branches(s: dict[str, Any]) -> list[dict[str, Any]]:
    return s["anyOf"] if "anyOf" in s else [s]


def _admits(s: dict[str, Any], v: Any) -> bool:
    return any(_branch_admits(b, v) for b in _branches(s))


def _branch_admits(b: dict[str, Any], v: Any) -> bool:
    if b.get("type") == "null":
        return v is None
    if b.get("type") == "integer":
        return isinstance(v, int) and b.get("minimum", v) <= v <= b.get("maximum", v)
    return isinstance(v, str) and ("enum" not in b or v in b["enum"])


def _only(s: dict[str, Any], v: Any) -> dict[str, Any]:
    if v is None:
        return {"type": "null"}
    if isinstance(v, int):
        return {"type": "integer", "minimum": v, "maximum": v}
    return {"type": "string", "enum": [v]}


def _without(s: dict[str, Any], v: Any) -> dict[str, Any] | None:
    """The schema admitting what `s` does but `v`; None when nothing is left. A free string cannot lose one
    value in JSON schema: it stays, and the planner rejects the call when the reply comes back."""
    rest: list[dict[str, Any]] = []
    for b in _branches(s):
        if not _branch_admits(b, v):
            rest.append(b)
        elif "enum" in b:
            left = [e for e in b["enum"] if e != v]
            rest += [{**b, "enum": left}] if left else []
        elif b.get("type") == "integer":
            lo, hi = b.get("minimum"), b.get("maximum")
            rest += [{**b, "maximum": v - 1}] if lo is None or lo <= v - 1 else []
            rest += [{**b, "minimum": v + 1}] if hi is None or v + 1 <= hi else []
        elif b.get("type") == "string":
            rest.append(b)
    if not rest:
        return None
    return rest[0] if len(rest) == 1 else {"anyOf": rest}


def _excluding(schema: dict[str, Any], call: PlannedAction, spec: Action) -> list[dict[str, Any]]:
    props = schema["properties"]["args"]["properties"]
    keys = [a.name for a in spec.args if a.kind not in IGNORED_KINDS]
    if not all(_admits(props[k], call.args.get(k)) for k in keys):
        return [schema]  # this alternative never admitted the call
    out = []
    for i, k in enumerate(keys):
        rest = _without(props[k], call.args.get(k))
        if rest is None:
            continue
        alt = json.loads(json.dumps(schema))
        fixed = alt["properties"]["args"]["properties"]
        for before in keys[:i]:
            fixed[before] = _only(props[before], call.args.get(before))
        fixed[k] = rest
        out.append(alt)
    return out


def same_call(a: PlannedAction, b: PlannedAction, spec: Action | None = None) -> bool:
    """The same action with the same arguments, whatever the counts and tools."""
    ignored = {x.name for x in spec.args if x.kind in IGNORED_KINDS} if spec else {"count", "tool"}

    def key(c: PlannedAction) -> dict[str, Any]:
        return {k: v for k, v in c.args.items() if k not in ignored and v is not None}

    return a.name == b.name and key(a) == key(b)


def action_schema(spec: Action, vocab: Vocabulary | None, limits: ReplyLimits) -> dict[str, Any] | None:
    """The action's schema; None when one of its arguments has nothing to offer."""
    props = {a.name: _arg_schema(a, vocab) for a in spec.args}
    if any(p is None for p in props.values()):
        return None
    args = {
        "type": "object",
        "properties": props,
        "required": [a.name for a in spec.args],  # optional ones are nullable (OpenAI strict needs all required)
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "name": {"type": "string", "enum": [spec.name]},
            "args": args,
            "expectation": {"type": "string", "maxLength": limits.expectation_chars},
        },
        "required": ["name", "args", "expectation"],
        "additionalProperties": False,
    }


def reply_schema(
    specs: Iterable[Action] | None = None,
    vocab: Vocabulary | None = None,
    limits: ReplyLimits = ReplyLimits(),
    first: bool = False,
) -> dict[str, Any]:
    """GITM's reply as a JSON schema; works for OpenAI strict json_schema and llama.cpp's json_object+schema.
    `first`: a first plan has nothing to explain, so explanation must be null."""
    specs = planner_actions() if specs is None else specs
    text = {"type": "string", "maxLength": limits.explanation_chars}
    return {
        "type": "object",
        "properties": {
            "explanation": {"type": "null"} if first else {"anyOf": [text, {"type": "null"}]},
            "thoughts": {"type": "string", "maxLength": limits.thoughts_chars},
            "action_list": {
                "type": "array",
                "items": {"anyOf": [alt for s in specs if vocab is None or vocab.offers(s.name)
                                    for alt in action_schemas(s, vocab, limits)]},
                "minItems": 1,
                "maxItems": limits.max_actions,
            },
        },
        "required": ["explanation", "thoughts", "action_list"],
        "additionalProperties": False,
    }


# -- parsing with repair --------------------------------------------------------------------------


class ReplyParseError(ValueError):
    pass


_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.S)


def _outermost_object(text: str) -> str:
    """From the first '{' to its matching '}' (string-aware); to the end when it never closes."""
    start = text.find("{")
    if start < 0:
        raise ReplyParseError("the reply contains no JSON object (no '{')")
    depth, in_str, esc, quote = 0, False, False, ""
    for i in range(start, len(text)):
        c = text[i]
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == quote:
                in_str = False
        elif c in "\"'":
            in_str, quote = True, c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return text[start:]


def _close_truncated(text: str) -> str:
    """Close an unterminated string and every open bracket, dropping a dangling key or comma."""
    stack: list[str] = []
    in_str, esc = False, False
    for c in text:
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "{[":
            stack.append("}" if c == "{" else "]")
        elif c in "}]" and stack:
            stack.pop()
    if not stack and not in_str:
        return text
    out = text + ('"' if in_str else "")
    out = re.sub(r",\s*$", "", out)
    out = re.sub(r',?\s*"[^"]*"\s*:\s*$', "", out)  # a key without a value
    if stack and stack[-1] == "}":
        out = re.sub(r'(?<=[{,])\s*"[^"]*"\s*$', "", out)  # a key cut before its colon
        out = re.sub(r",\s*$", "", out)
    return out + "".join(reversed(stack))


def _repairs(text: str) -> list[str]:
    body = text.strip()
    m = _FENCE.search(body)
    if m:
        body = m.group(1).strip()
    body = _outermost_object(body)
    fixed = re.sub(r",\s*([}\]])", r"\1", body)  # trailing commas
    pythonic = re.sub(r"\bNone\b", "null", re.sub(r"\bTrue\b", "true", re.sub(r"\bFalse\b", "false", fixed)))
    single = re.sub(r"'([^'\\]*)'", r'"\1"', pythonic)  # 'x' -> "x"
    unquoted = re.sub(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:", r'\1"\2":', single)  # {name: 1}
    closed = _close_truncated(re.sub(r",\s*([}\]])", r"\1", unquoted))
    closed = re.sub(r",\s*([}\]])", r"\1", closed)
    seen: list[str] = []
    for cand in (body, fixed, pythonic, single, unquoted, closed):
        if cand not in seen:
            seen.append(cand)
    return seen


def parse_reply(text: str) -> tuple[dict[str, Any], bool]:
    """The reply's JSON object and whether it needed repair; ReplyParseError saying what is wrong otherwise."""
    if text is None or not text.strip():
        raise ReplyParseError("the reply is empty")
    try:
        data = json.loads(text)
        if isinstance(data, dict):
            return data, False
    except json.JSONDecodeError:
        pass
    last_error = "not valid JSON"
    for cand in _repairs(text):
        try:
            data = json.loads(cand, strict=False)  # strict=False: raw newlines/tabs inside strings are tolerated
        except json.JSONDecodeError as e:
            last_error = f"not valid JSON ({e.msg} at line {e.lineno} column {e.colno})"
            continue
        if isinstance(data, dict):
            return data, True
        last_error = "the JSON is not an object"
    raise ReplyParseError(f"the reply is {last_error}")


# -- validation -----------------------------------------------------------------------------------


@dataclass
class Validation:
    reply: PlanReply | None
    errors: list[str]
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return self.reply is not None and not self.errors


def _kb_names(kb: Any) -> dict[str, set[str]]:
    """Name sets per kind, cached on the knowledge base object."""
    cached = getattr(kb, "_gitm_reply_names", None)
    if cached is not None:
        return cached
    items = set(kb.all_item_names())
    blocks = set(kb.blocks())
    mobs = set(kb.data.get("mobs", {})) if hasattr(kb, "data") else set()
    craftable = {i for i in items if kb.recipes_for(i)}
    smeltable = {s.result for s in kb.smelting()}
    names = {
        "item": items, "tool": items, "food": items,
        "block": blocks, "mineable": blocks | {i for i in items if kb.mined_from(i)} | {"log", "logs"},
        "placeable": items & blocks, "mob": mobs,
        "target": items | blocks | mobs, "craftable": craftable, "smeltable": smeltable,
        "fuel": set(kb.fuels()), "smelt_input": {s.input for s in kb.smelting()},
    }
    try:
        kb._gitm_reply_names = names
    except AttributeError:
        pass
    return names


_KIND_WORDS = {
    "item": "a known item", "tool": "a known item or null", "food": "a known item", "block": "a known block",
    "mineable": "a block or an item that mining some block gives",
    "placeable": "an item that can be placed as a block", "mob": "a known mob",
    "target": "a known block, item or mob", "craftable": "an item that has a crafting recipe",
    "smeltable": "an item a furnace can produce", "fuel": "a furnace fuel",
    "smelt_input": "an item a furnace can smelt",
}


def _suggest(name: str, pool: set[str], n: int = 3) -> str:
    import difflib

    close = difflib.get_close_matches(name, pool, n=n, cutoff=0.6)
    if not close:
        close = sorted(p for p in pool if name and name in p)[:n]
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _check_arg(action: str, arg: Arg, value: Any, names: dict[str, set[str]]) -> tuple[Any, str | None]:
    where = f"{action}: argument '{arg.name}'"
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "null", "hand")):
        if arg.required and arg.kind != "tool":
            return None, f"{where} is missing"
        return None, None
    if arg.kind in (*Y_KINDS, "count"):
        lo, hi = (MIN_Y, MAX_Y) if arg.kind in Y_KINDS else (1, MAX_COUNT)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None, f"{where} must be an integer from {lo} to {hi}, got {value!r}"
        try:
            n = int(float(value))
        except ValueError:
            return None, f"{where} must be an integer from {lo} to {hi}, got {value!r}"
        if not lo <= n <= hi:
            return None, f"{where} must be an integer from {lo} to {hi}, got {n}"
        return n, None
    if arg.kind == "strategy":
        if value not in STRATEGIES:
            return None, f"{where} must be one of {', '.join(STRATEGIES)}, got {value!r}"
        return value, None
    if not isinstance(value, str):
        return None, f"{where} must be a name (string), got {value!r}"
    name = value.strip().lower().replace(" ", "_").removeprefix("minecraft:")
    pool = names.get(arg.kind, names["item"])
    if name not in pool:
        if name not in names["target"]:
            return None, f"{where}: '{value}' is not a Minecraft name{_suggest(name, names['target'])}"
        return None, f"{where}: '{value}' is not {_KIND_WORDS.get(arg.kind, 'valid here')}{_suggest(name, pool)}"
    return name, None


def validate_reply(
    data: Mapping[str, Any],
    kb: Any,
    specs: Iterable[Action] | None = None,
    limits: ReplyLimits = ReplyLimits(),
    semantic: Any = "bridge",
) -> Validation:
    """Check the reply's shape, each action name and each argument; arguments come back normalized.

    `semantic` is an extra check `(kb, action, args) -> error | None`; "bridge" uses the bot's own
    `bot_bridge.actions.validate` (a recipe-less craft, nothing to mine...), None skips it.
    """
    by_name = {s.name: s for s in (planner_actions() if specs is None else specs)}
    if semantic == "bridge":
        semantic = bridge_validator()
    errors: list[str] = []
    if not isinstance(data, Mapping):
        return Validation(None, ["the reply must be a JSON object"])
    actions = data.get("action_list")
    if actions is None:
        return Validation(None, ["the reply has no 'action_list'"])
    if not isinstance(actions, list) or not actions:
        return Validation(None, ["'action_list' must be a non-empty list of actions"])
    actions = actions[: limits.max_actions]  # a longer plan is cut, not rejected: the rest is re-planned anyway
    names = _kb_names(kb)
    clean: list[PlannedAction] = []
    for i, raw in enumerate(actions, 1):
        if not isinstance(raw, Mapping):
            errors.append(f"action {i} must be an object with name, args and expectation")
            continue
        name = raw.get("name")
        spec = by_name.get(name) if isinstance(name, str) else None
        if spec is None:
            errors.append(f"action {i}: unknown action name {name!r}; use one of {', '.join(by_name)}")
            continue
        args = raw.get("args") or {}
        if not isinstance(args, Mapping):
            errors.append(f"action {i} ({name}): 'args' must be an object")
            continue
        known = {a.name for a in spec.args}
        for extra in sorted(set(args) - known):
            errors.append(f"action {i} ({name}): unknown argument '{extra}'; {spec.signature()} takes "
                          f"{', '.join(sorted(known)) or 'no arguments'}")
        out: dict[str, Any] = {}
        arg_errors = []
        for a in spec.args:
            value, err = _check_arg(name, a, args.get(a.name), names)
            if err:
                arg_errors.append(f"action {i}, {err}")
            elif value is not None:
                out[a.name] = value
        by_kind = {a.kind: a.name for a in spec.args}
        if not arg_errors and "smeltable" in by_kind and out.get(by_kind.get("smelt_input", "")):
            obj, inp = out[by_kind["smeltable"]], out[by_kind["smelt_input"]]
            if hasattr(kb, "smelting_for") and inp not in {w.input for w in kb.smelting_for(obj)}:
                arg_errors.append(f"action {i}, {name}: {inp} does not smelt into {obj}")
        if not arg_errors and semantic is not None:
            problem = semantic(kb, name, out)
            if problem:
                arg_errors.append(f"action {i}, {spec.signature()}: {problem}")
        errors += arg_errors
        expectation = raw.get("expectation") or ""
        clean.append(PlannedAction(name=name, args=out, expectation=str(expectation)))
    if errors:
        return Validation(None, errors)
    explanation = data.get("explanation")
    thoughts = data.get("thoughts") or ""
    reply = PlanReply(explanation=None if explanation is None else str(explanation), thoughts=str(thoughts),
                      action_list=clean)
    return Validation(reply, [])


def check_reply(
    text: str,
    kb: Any,
    specs: Iterable[Action] | None = None,
    limits: ReplyLimits = ReplyLimits(),
) -> Validation:
    """parse_reply + validate_reply in one step; parse failures become errors."""
    try:
        data, repaired = parse_reply(text)
    except ReplyParseError as e:
        return Validation(None, [str(e)])
    v = validate_reply(data, kb, specs, limits)
    v.repaired = repaired
    return v


def errors_for_llm(errors: list[str], specs: Iterable[Action] | None = None, limit: int = 6) -> str:
    """The message answering an invalid reply: what was wrong, and the format again."""
    shown = errors[:limit]
    more = f"\n- ... and {len(errors) - limit} more" if len(errors) > limit else ""
    sigs = "; ".join(s.signature() for s in (planner_actions() if specs is None else specs))
    return (
        "Your last reply was rejected:\n- " + "\n- ".join(shown) + more + "\n"
        f"Reply again with only the JSON object. Actions: {sigs}."
    )
