"""The run's event model: a few typed events and a fan-out, so the run loop calls one `emit(event)`.

The loop builds one bus with its observers and emits as it goes:

    with EventBus([RunRecorder(...), make_display(...)]) as bus:
        bus.emit(RunStarted(goal="ObtainDiamond", seed=1, plan=plan.to_json(), ...))
        bus.emit(SubgoalStarted(object="oak_log", count=3, action="mine"))
        bus.emit(ActionStarted(action="mine", args={"object": "oak_log", "count": 3}))
        bus.emit(ActionFinished.from_result(result))       # advances bus.tick by result.ticks
        bus.emit(Observed.from_obs(obs))
        bus.emit(SubgoalFinished(object="oak_log", ok=True))
        bus.emit(RunFinished(outcome="success"))

Leaving the `with` block by an exception or Ctrl-C emits RunFinished(outcome="interrupted" or "error")
if the loop did not, then closes every observer — so a record and the screen always see an end.
An observer is any callable taking an event, or an object with `handle(event)` (and optionally
`close()`); an observer that raises is reported once on stderr and dropped, never breaking the agent.

Every event carries `t` (wall clock, epoch seconds) and `tick` (game ticks the run has used so far),
stamped by the bus when left unset, and serialises to one JSON object with a "type" key.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass
class Event:
    type: ClassVar[str] = "event"
    t: float | None = field(default=None, kw_only=True)
    tick: int | None = field(default=None, kw_only=True)

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, **{f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}}

    @staticmethod
    def from_json(d: dict[str, Any]) -> Event:
        cls = EVENT_TYPES.get(d.get("type", ""), Event)
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def _plain(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return v.to_json() if hasattr(v, "to_json") else dataclasses.asdict(v)
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    return v


@dataclass
class RunStarted(Event):
    type: ClassVar[str] = "run_started"
    goal: str
    count: int = 1
    item: str | None = None  # the resolved item (ObtainDiamond -> diamond)
    seed: int | None = None
    planner: str = "knowledge"
    model: str | None = None
    server: str = "embedded"
    difficulty: str | None = None  # the embedded world's; None on a server gitm does not own
    start_time: int | None = None  # the embedded world's time of day at its start (ticks); None likewise
    username: str | None = None
    max_ticks: int | None = None
    plan: dict[str, Any] | None = None  # decomposer Plan.to_json(): "steps" (execution order) and "tree"
    server_log: str | None = None  # the server's log file, copied into the run record at the end
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SubgoalStarted(Event):
    type: ClassVar[str] = "subgoal_started"
    object: str
    count: int = 1
    action: str | None = None  # mine / craft / smelt / ...


@dataclass
class SubgoalFinished(Event):
    type: ClassVar[str] = "subgoal_finished"
    object: str
    ok: bool
    reason: str = ""
    count: int | None = None


@dataclass
class ActionStarted(Event):
    type: ClassVar[str] = "action_started"
    action: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class ActionFinished(Event):
    type: ClassVar[str] = "action_finished"
    action: str
    ok: bool
    reason: str = ""
    result: dict[str, Any] = field(default_factory=dict)  # ActionResult.to_json(): delta, y, biome, ticks, wall_s...
    inventory: dict[str, int] | None = None  # after the action, when known

    @classmethod
    def from_result(cls, r: Any, **kw: Any) -> ActionFinished:
        """From a bot_bridge.actions.ActionResult (or anything with action/ok/reason/to_json)."""
        inv = getattr(r, "inventory", None)
        return cls(action=r.action, ok=bool(r.ok), reason=r.reason or "", result=r.to_json(),
                   inventory=dict(inv) if inv else None, **kw)

    @property
    def ticks(self) -> int:
        return int(self.result.get("ticks") or 0)


@dataclass
class Observed(Event):
    """The body's observation (bot_bridge.actions.Observation) as the record keeps it."""

    type: ClassVar[str] = "observation"
    inventory: dict[str, int] = field(default_factory=dict)
    pos: tuple[float, float, float] | list[float] | None = None
    y: int | None = None
    biome: str | None = None
    time_of_day: int | None = None
    age: int | None = None
    health: float | None = None
    food: int | None = None
    held: str | None = None
    blocks: dict[str, Any] = field(default_factory=dict)  # nearby blocks: name -> {count, nearest}

    @classmethod
    def from_obs(cls, o: Any, **kw: Any) -> Observed:
        return cls(inventory=dict(o.inventory), pos=tuple(o.pos) if o.pos else None, y=o.y, biome=o.biome,
                   time_of_day=o.time_of_day, age=o.age, health=o.health, food=o.food, held=o.held,
                   blocks=dict(o.blocks or {}), **kw)


@dataclass
class LLMCall(Event):
    type: ClassVar[str] = "llm_call"
    prompt: Any = None  # the messages (list of {role, content}) or a string
    reply: str = ""
    usage: dict[str, Any] = field(default_factory=dict)  # prompt_tokens, completion_tokens, seconds
    thoughts: str = ""
    label: str = ""  # what the call was for: plan, replan, ...
    ok: bool = True
    reference: str = ""  # where the prompt's reference plan came from: memory:summary, knowledge, none...


@dataclass
class PlanStored(Event):
    """A sub-goal's successful actions went to plan memory."""

    type: ClassVar[str] = "plan_stored"
    subgoal: str
    actions: int = 0


@dataclass
class Message(Event):
    """Anything else worth a line in the event log (connects, retries, deaths...)."""

    type: ClassVar[str] = "message"
    text: str
    level: str = "info"  # info / warn / error


@dataclass
class ServerRestarted(Message):
    """The embedded server died and gitm started it again on its saved world; the run went on."""

    type: ClassVar[str] = "server_restarted"
    level: str = "warn"
    cause: str = ""  # how it ended ("the embedded server was killed by SIGKILL ...")
    died_tick: int = 0  # acting ticks when it died
    restarts: int = 0  # restarts in this run so far, this one included


@dataclass
class RunFinished(Event):
    type: ClassVar[str] = "run_finished"
    outcome: str  # success / timeout / failure / interrupted / error
    reason: str = ""
    inventory: dict[str, int] | None = None
    thinking_ticks: int = 0  # world ticks that passed while the planner thought (0 when gitm froze the world)


EVENT_TYPES: dict[str, type[Event]] = {
    c.type: c for c in (RunStarted, SubgoalStarted, SubgoalFinished, ActionStarted, ActionFinished, Observed,
                        LLMCall, PlanStored, Message, ServerRestarted, RunFinished)
}

Observer = Callable[[Event], Any]


class EventBus:
    """Fans events out to observers, stamping `t` and `tick`. Thread-safe; cheap on the agent's path."""

    def __init__(self, observers: Iterable[Any] = ()):
        self.observers: list[Any] = [o for o in observers if o is not None]
        self.tick = 0  # game ticks used so far: ActionFinished advances it, an event's own tick moves it on
        self.started = time.time()
        self.finished: RunFinished | None = None
        self._lock = threading.RLock()
        self._closed = False

    def emit(self, event: Event) -> Event:
        with self._lock:
            if event.t is None:
                event.t = time.time()
            if isinstance(event, ActionFinished) and event.tick is None:
                self.tick += event.ticks
            if event.tick is None:
                event.tick = self.tick
            else:
                self.tick = max(self.tick, event.tick)
            if isinstance(event, RunFinished):
                if self.finished is not None:
                    return event  # one end per run
                self.finished = event
            for obs in list(self.observers):
                try:
                    (obs.handle if hasattr(obs, "handle") else obs)(event)
                except Exception as e:  # an observer must never break the agent
                    print(f"gitm: observer {type(obs).__name__} failed ({e!r}); dropped", file=sys.stderr)
                    self.observers.remove(obs)
        return event

    __call__ = emit

    def close(self, exc: BaseException | None = None) -> None:
        """End the run (if the loop did not) and close every observer. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            if self.finished is None:
                if exc is None:
                    self.emit(RunFinished(outcome="error", reason="the run loop ended without a result"))
                elif isinstance(exc, KeyboardInterrupt):
                    self.emit(RunFinished(outcome="interrupted", reason="interrupted (Ctrl-C)"))
                elif isinstance(exc, SystemExit):
                    self.emit(RunFinished(outcome="interrupted", reason=f"stopped (exit {exc.code})"))
                else:
                    self.emit(RunFinished(outcome="error", reason=f"{type(exc).__name__}: {exc}"))
            self._closed = True
            for obs in self.observers:
                close = getattr(obs, "close", None)
                if close is not None:
                    try:
                        close()
                    except Exception as e:
                        print(f"gitm: closing {type(obs).__name__} failed: {e!r}", file=sys.stderr)

    def __enter__(self) -> EventBus:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(exc)
