"""The run loop, one for every planner: GITM's closed loop over sub-goals.

Decompose the goal against the *current* inventory, take the first sub-goal (dependencies come first), hand it
to the planner, which acts through `RunLoop.act`, and decompose again. A sub-goal that fails MAX_STEP_FAILURES
times ends the run. Everything the loop does is an event (gitm.record.events); the results are folded from those
events (gitm.record.results), never counted here. A successful sub-goal's actions go to plan memory.

A planner is anything with `name` and `attempt(step, run) -> bool` (one attempt at one sub-goal: True when it
was reached); gitm.agent.rules.RulePlanner and gitm.agent.llm_agent.LLMSubgoalPlanner are the two.

Time is game ticks of acting. A planner thinks inside `RunLoop.thinking()`: on a world gitm owns, the clock is
frozen meanwhile (vanilla's /tick freeze), as a gym-style environment steps only when the agent acts; on another
server time runs on, and the ticks that pass while thinking are counted apart, never against the budget.

A world gitm owns (`world`, the embedded server) that dies mid-run is started again on its saved world, the bot
logs in again and the plan goes on: the action in flight fails with the server's end as its reason, a
ServerRestarted event says so, and that attempt is not held against its sub-goal. At most MAX_RESTARTS a run;
then, or on a server gitm does not own that stays unreachable, the run ends as an error naming the server.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot_bridge.actions import ACTIONS, ActionResult, Arg
from bot_bridge.errors import BridgeGone, ServerGone
from gitm.errors import GitmError
from gitm.record.events import (
    ActionFinished,
    ActionStarted,
    Event,
    Message,
    Observed,
    PlanStored,
    RunFinished,
    ServerRestarted,
    SubgoalFinished,
    SubgoalStarted,
)
from gitm.record.recorder import interrupt_signalled
from gitm.tree.decomposer import SubGoal, decompose
from gitm.tree.goals import resolve_goal
from knowledge.facts import (
    DEFEND_RADIUS,
    EAT_AT_FOOD,
    FLEE_BELOW_HEALTH,
    FLEE_FROM,
    NOT_EATEN,
    as_default_wood,
    can_sleep_at,
    wood_normalized,
)

MAX_STEP_FAILURES = 4
MAX_RESTARTS = 3  # of a world gitm owns, per run
OBSERVE_RADIUS = 16  # blocks around the bot listed in the observation after each action


class SubgoalPlanner(Protocol):
    name: str

    def attempt(self, step: SubGoal, run: RunLoop) -> bool: ...


class WorldClock(Protocol):
    """A world whose clock gitm may stop (bot_bridge.server.EmbeddedServer)."""

    def frozen(self) -> contextlib.AbstractContextManager[Any]: ...


class OwnedWorld(Protocol):
    """A world gitm runs and may start again on its saved state (bot_bridge.server.EmbeddedServer)."""

    port: int

    def restart(self) -> Any: ...


def _level_arg(action: str) -> Arg | None:
    """The argument of an action that moves the bot to a level: kind "y_below" (dig_down) or "y_above" (go_up)."""
    record = ACTIONS.get(action)
    return next((a for a in record.args if a.kind in ("y_below", "y_above")), None) if record else None


def _level_kind(action: str) -> str | None:
    arg = _level_arg(action)
    return arg.kind if arg is not None else None


def net_moves(acted: list[tuple[str, dict[str, Any], float | None]], y: float | None) -> list[tuple[str, dict]]:
    """Actions that worked, each run of moves to a level (dig_down, go_up) made one move to where the run ended:
    a stored plan goes straight to the level that worked, not through an earlier attempt's detours (dig_down to
    58, 5, 1, then -58). `y` is where the first action started."""
    out: list[tuple[str, dict]] = []
    i = 0
    while i < len(acted):
        name, args, y_after = acted[i]
        if _level_kind(name) is None:
            out.append((name, args))
            y, i = y_after, i + 1
            continue
        j = i
        while j + 1 < len(acted) and _level_kind(acted[j + 1][0]) is not None:
            j += 1
        last, last_args, y_end = acted[j]
        if y is None or y_end is None:
            out.append((last, last_args))  # where the run started or ended is unknown: its last move as made
        elif math.floor(y_end) != math.floor(y):
            kind = "y_below" if y_end < y else "y_above"
            # the run's last move that way, with its own arguments (a tool), to the level the run ended at
            mover, mover_args = next(((n, a) for n, a, _ in reversed(acted[i:j + 1]) if _level_kind(n) == kind),
                                     (None, {}))
            if mover is not None:
                out.append((mover, {**mover_args, _level_arg(mover).name: math.floor(y_end)}))
        y, i = y_end, j + 1
    return out


@dataclass
class _Pursuit:
    """One sub-goal from its first attempt until it is reached (or another sub-goal comes first)."""

    key: str  # "mine diamond"
    inventory: dict[str, int]  # held at the first attempt
    y: float | None
    biome: str | None
    tick: int
    acted: list[tuple[str, dict[str, Any], float | None]] = field(default_factory=list)  # (action, args, y after)
    # of the actions that worked


def choose_food(kb: Any, inventory: dict[str, int], keep: frozenset[str] = frozenset()) -> str | None:
    """The held food that restores most (hunger points plus saturation), of those a player eats for hunger and
    the plan does not need; None when there is none."""
    foods = {n: f for n, c in inventory.items() if c > 0 and n not in NOT_EATEN and n not in keep
             and (f := kb.food(n)) is not None}
    return max(foods, key=lambda n: (sum(foods[n]), n), default=None)


@dataclass
class Budget:
    """What a run may spend: game ticks of acting, and optionally wall seconds."""

    max_ticks: int = 12000
    max_wall_s: float | None = None


@dataclass
class RunLoop:
    body: Any  # a bot_bridge.body.Body (or a stand-in with act/observe/inventory/age/kb/limits/history/deaths)
    planner: SubgoalPlanner
    goal: str = "diamond"
    count: int = 1
    budget: Budget = field(default_factory=Budget)
    emit: Callable[[Event], Any] = lambda ev: None
    memory: Any = None  # a memory_store.PlanMemory, or None (--no-memory)
    seed: int | None = None
    clock: WorldClock | None = None  # None: the world is not gitm's, its time runs while the planner thinks
    world: OwnedWorld | None = None  # None: the world is not gitm's, it is not restarted when it dies
    restarts: int = 0  # of `world` in this run
    start_age: int = 0
    thinking_ticks: int = 0  # world ticks that passed while the planner thought (0 on a frozen world)
    last_failure: str = ""  # the reason of the latest failed action or step
    _t0: float = 0.0
    _pursuit: _Pursuit | None = None  # the sub-goal being attempted, from its first attempt
    _seen: tuple[float | None, str | None] = (None, None)  # y, biome of the last observation
    _food: int | None = None  # the food bar at the last observation
    time_of_day: int | None = None  # at the last observation (0..23999)
    _needed: frozenset[str] = frozenset()  # the goal and the current plan's materials: never eaten
    _reflex: bool = False  # taking a reflex action (fight, flee, eat, sleep): no other reflex inside it
    _slept_night: int | None = None  # the night (world days since the start) a sleep was tried
    _eat_failed_at: int | None = None  # the food bar when eating last failed: not tried again until it changes

    def __post_init__(self) -> None:
        self.kb = self.body.kb
        self.item = resolve_goal(self.goal, self.kb)

    # -- what a planner uses ---------------------------------------------------------------------------
    @property
    def inventory(self) -> dict[str, int]:
        return self.body.inventory

    def planning_inventory(self) -> dict[str, int]:
        """The inventory as the decomposer sees it (any wood works in the recipes on the way to a diamond)."""
        return wood_normalized(self.inventory)

    def elapsed_ticks(self) -> int:
        """Ticks of acting: the world's age since the start, less what passed while the planner thought."""
        return self.body.age - self.start_age - self.thinking_ticks

    @contextlib.contextmanager
    def thinking(self) -> Iterator[None]:
        """Around each LLM query: the world stands still if it is gitm's; elsewhere the ticks that pass (as the
        client hears them, to about a second) are counted as thinking, not acting."""
        if self.clock is not None:
            with self.clock.frozen():
                yield
            return
        age = self.body.world_age()
        try:
            yield
        finally:
            self.thinking_ticks += max(0, self.body.world_age() - age)

    def wall_s(self) -> float:
        return time.monotonic() - self._t0

    def out_of_time(self) -> bool:
        if self.elapsed_ticks() >= self.budget.max_ticks:
            return True
        return self.budget.max_wall_s is not None and self.wall_s() > self.budget.max_wall_s

    def where(self) -> tuple[float | None, str | None]:
        """(y, biome) where the bot is: from its last action, else its last observation."""
        last = self.body.history[-1] if self.body.history else None
        if last is None or last.y is None:
            return self._seen
        return last.y, last.biome or self._seen[1]

    def limit(self, action: str) -> float:
        """An action's wall-time limit, never much past the run's tick budget (20 ticks a second) or wall budget."""
        left = (self.budget.max_ticks - self.elapsed_ticks()) / 20 + 5
        if self.budget.max_wall_s is not None:
            left = min(left, self.budget.max_wall_s - self.wall_s() + 5)
        return max(5.0, min(self.body.limits.get(action, 60), left))

    def act(self, action: str, **args: Any) -> ActionResult:
        """One body action, as events: started, finished, then an observation."""
        self.emit(ActionStarted(action=action, args=args, tick=self.elapsed_ticks()))
        gone: ServerGone | None = None
        try:
            r = self.body.act(action, timeout=self.limit(action), **args)
        except ServerGone as e:  # the action failed because the world went away, not by its own fault
            gone, r = e, ActionResult.failure(action, str(e), server_gone=True)
            r.inventory, r.age = dict(self.inventory), self.body.age
        if self._pursuit is not None and r.ok:
            self._pursuit.acted.append((action, args, r.y))
        if not r.ok:
            self.last_failure = r.reason
        self.emit(ActionFinished.from_result(r, tick=self.elapsed_ticks()))
        if gone is not None:
            self._resume(gone)
        self._observe()
        return r

    def fail(self, action: str, reason: str) -> bool:
        """A sub-goal attempt that ran no action (no rule for it, a query cap): an event, and the run's reason."""
        self.last_failure = reason
        self.emit(Message(text=f"{action}: FAILED: {reason}", level="warn", tick=self.elapsed_ticks()))
        return False

    def _observe(self, radius: int = OBSERVE_RADIUS) -> None:
        """An observation after every action, for the record and the dashboard (time of day, health, food and
        nearby blocks change while acting); a small radius keeps it cheap."""
        try:
            obs = self.body.observe(radius=radius)
        except ConnectionError as e:  # the next action reconnects or fails with its own reason
            self.emit(Message(text=f"observation failed: {e}", level="warn"))
            return
        except ServerGone as e:
            self._resume(e)
            return self._observe(radius)
        self._seen, self._food, self.time_of_day = (obs.y, obs.biome), obs.food, obs.time_of_day
        self.emit(Observed.from_obs(obs, tick=self.elapsed_ticks()))
        self._defend(obs.entities, obs.health)
        self._keep_fed()
        self._sleep_at_night(obs.time_of_day)

    def _defend(self, entities: dict[str, float], health: float | None) -> None:
        """A hostile mob close by (Mindcraft's self-defence mode): fight it, or flee when weak or from one that
        explodes."""
        if self._reflex:
            return
        near = sorted((d, name) for name, d in entities.items() if d <= DEFEND_RADIUS and self.kb.is_hostile(name))
        if not near:
            return
        _, mob = near[0]
        if mob in FLEE_FROM or (health is not None and health < FLEE_BELOW_HEALTH):
            self.reflex("flee")
        else:
            self.reflex("attack", entity=mob, radius=DEFEND_RADIUS + 2)

    def _sleep_at_night(self, time_of_day: int | None) -> None:
        """Sleep through the night when a bed is held, as a player does: no night's mobs, and the bed is the
        spawn point. Tried once a night."""
        if self._reflex or time_of_day is None or not can_sleep_at(time_of_day):
            return
        night = (self.body.age - time_of_day % 24000) // 24000  # the world day this evening belongs to
        if self._slept_night == night:
            return
        if not any(n.endswith("_bed") and c > 0 for n, c in self.inventory.items()):
            return
        self._slept_night = night
        self.reflex("sleep_in_bed")

    def reflex(self, action: str, **args: Any) -> ActionResult:
        """An action the loop takes for the bot's sake between a planner's actions (fight, flee, eat, sleep): not a
        step of the sub-goal, so kept out of its plan memory and its failure reason."""
        self._reflex, pursuit, failure = True, self._pursuit, self.last_failure
        self._pursuit = None
        try:
            return self.act(action, **args)
        finally:
            self._reflex, self._pursuit, self.last_failure = False, pursuit, failure

    def _keep_fed(self) -> None:
        """Eat between actions when hungry, as a player does (and Mindcraft's and Voyager's bots): the held food
        that restores most, never one the plan needs."""
        if self._reflex or self._food is None or self._food > EAT_AT_FOOD or self._food == self._eat_failed_at:
            return
        food = choose_food(self.kb, self.inventory, self._needed)
        if food is not None and not self.reflex("eat", food=food).ok:
            self._eat_failed_at = self._food

    def _resume(self, gone: ServerGone) -> None:
        """The server died: start it again on its saved world, log the bot in again and go on. Raises ServerGone
        when the world is not gitm's or the restarts are used up."""
        tick, age = self.elapsed_ticks(), self.body.age
        if self.world is None:
            raise gone
        while True:
            if self.restarts >= MAX_RESTARTS:
                raise ServerGone(f"{gone}; not started again: it died {self.restarts + 1} times "
                                 f"(at most {MAX_RESTARTS} restarts a run)")
            self.restarts += 1
            self.emit(Message(text=f"{gone}; starting it again on its saved world", level="warn", tick=tick))
            self.world.restart()
            self.body.port = self.world.port
            try:
                self.body.reconnect()
                break
            except ServerGone as again:  # it died again before the bot was back
                gone = again
        # the world's age is saved every second: acting ticks go on from where they were, never back
        self.start_age += min(0, self.body.age - age)
        self.emit(ServerRestarted(text=f"server died at tick {tick}, restarted, resumed", cause=str(gone),
                                  died_tick=tick, restarts=self.restarts, tick=tick))

    # -- the loop ----------------------------------------------------------------------------------------
    def run(self) -> RunFinished:
        """Play until the goal is held, the budget is spent or a sub-goal keeps failing; the end is an event."""
        self._t0 = time.monotonic()
        obs = self.body.observe()
        self.start_age = self.body.age
        self._seen, self.time_of_day = (obs.y, obs.biome), obs.time_of_day
        self.emit(Observed.from_obs(obs, tick=0))
        failures: Counter[str] = Counter()
        try:
            outcome, reason = self._loop(failures)
        except KeyboardInterrupt:
            outcome, reason = "interrupted", "interrupted"
        except (ServerGone, BridgeGone) as e:  # a record with the cause, never a lost run
            # the world or the bot's process may go down with the same Ctrl-C (a process group's SIGINT)
            outcome, reason = ("interrupted", f"interrupted ({e})") if interrupt_signalled() else ("error", str(e))
        end = RunFinished(outcome=outcome, reason=reason, inventory=dict(self.inventory), tick=self.elapsed_ticks(),
                          thinking_ticks=self.thinking_ticks)
        self.emit(end)
        return end

    def _loop(self, failures: Counter[str]) -> tuple[str, str]:
        while True:
            if self.inventory.get(self.item, 0) >= self.count:
                return "success", f"holds {self.count} {self.item}"
            if self.out_of_time():
                return "timeout", f"out of time ({self.elapsed_ticks()} ticks, {self.wall_s():.0f} s)"
            try:
                plan = decompose(self.goal, self.count, self.planning_inventory())
            except GitmError as e:
                return "failure", f"cannot plan: {e}"
            if not plan.steps:
                return "failure", "the plan is empty but the goal is not held"
            self._needed = frozenset({self.item, *(m for st in plan.steps for m in st.material)})
            step = plan.steps[0]
            key = step.key
            restarts = self.restarts
            if self._attempt(step):
                failures[key] = 0
            elif self.restarts == restarts:  # an attempt cut short by the server's death is not the sub-goal's
                failures[key] += 1
                if failures[key] >= MAX_STEP_FAILURES:
                    return "failure", f"gave up on {key}: {self.last_failure or 'no progress'}"

    def _attempt(self, step: SubGoal) -> bool:
        self.emit(SubgoalStarted(object=step.object, count=step.count, action=step.action, tick=self.elapsed_ticks()))
        self.last_failure = ""
        key = step.key
        if self._pursuit is None or self._pursuit.key != key:
            y, biome = self.where()
            self._pursuit = _Pursuit(key, dict(self.inventory), y, biome, self.elapsed_ticks())
        ok = self.planner.attempt(step, self)
        if ok:
            if self.memory is not None:  # stored before its event: a run killed after the event keeps the plan
                self._remember(step, self._pursuit)
            self._pursuit = None
        self.emit(SubgoalFinished(object=step.object, ok=ok, count=step.count, tick=self.elapsed_ticks(),
                                  reason="" if ok else (self.last_failure or "no progress")))
        return ok

    def _remember(self, step: SubGoal, pursuit: _Pursuit) -> None:
        """The actions that worked on the way to the sub-goal, over all its attempts (a dig_down of a failed
        attempt is how the ore was reached), in oak terms as plans are made (grounded again when run)."""
        from memory_store import PlanRecord

        actions = [{"name": name, "args": {k: as_default_wood(v) if isinstance(v, str) else v for k, v in args.items()}}
                   for name, args in net_moves(pursuit.acted, pursuit.y)]
        if not actions:
            return
        ctx = {"inventory": {k: v for k, v in pursuit.inventory.items() if v}, "y": pursuit.y, "biome": pursuit.biome,
               "seed": self.seed}
        try:
            self.memory.add_success(PlanRecord(pursuit.key, actions, ctx, ticks=self.elapsed_ticks() - pursuit.tick))
        except Exception as e:  # noqa: BLE001 - memory must never stop the agent
            self.emit(Message(text=f"plan memory: could not store {step.object}: {e}", level="warn"))
            return
        self.emit(PlanStored(subgoal=pursuit.key, actions=len(actions), tick=self.elapsed_ticks()))
