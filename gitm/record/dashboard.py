"""The live view of a run: a rich dashboard on a terminal, plain timestamped lines otherwise.

Both are EventBus observers. `handle(event)` only updates a small state object under a lock; the
dashboard is drawn by rich's own refresh thread at most 4 times a second, off the agent's path.

    display = make_display(no_dashboard=args.no_dashboard)   # Dashboard on a TTY, else PlainLog
    with EventBus([recorder, display]) as bus: ...

    python -m gitm.record.dashboard --demo [--goal stone_pickaxe] [--step 0.3]   # a scripted run, to look at it
    python -m gitm.record.dashboard --replay RUN_DIR/trajectory.jsonl            # a recorded run, replayed
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import threading
import time
from collections import deque
from typing import IO, Any

from rich.console import Console, RenderableType
from rich.layout import Layout
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from gitm.record.events import (
    ActionFinished,
    ActionStarted,
    Event,
    LLMCall,
    Message,
    Observed,
    RunFinished,
    RunStarted,
    SubgoalFinished,
    SubgoalStarted,
)
from gitm.record.results import RunResults

MAX_REFRESH_HZ = 4
STATE_STYLE = {"pending": ("·", "dim"), "running": ("▶", "bold yellow"), "done": ("✓", "green"),
               "failed": ("✗", "bold red")}
# The colour of a run's outcome, on the dashboard and in `gitm report`/`gitm runs`; anything else is red.
OUTCOME_STYLE = {"success": "green", "failure": "red", "error": "red", "timeout": "yellow", "interrupted": "magenta",
                 "running": "yellow"}


def outcome_style(outcome: str) -> str:
    return OUTCOME_STYLE.get(outcome, "red")


def clock(time_of_day: int | None) -> str:
    """Minecraft time of day (0 = 06:00) as a clock."""
    if time_of_day is None:
        return "?"
    minutes = int(((time_of_day % 24000) / 1000 + 6) % 24 * 60)
    return f"{minutes // 60:02}:{minutes % 60:02}"


def _args(args: dict[str, Any]) -> str:
    return " ".join(f"{v}" if k in ("object", "entity", "food") else f"{k}={v}" for k, v in args.items()
                    if v not in (None, "", False))


def _short(text: str, n: int = 100) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def describe(ev: Event) -> tuple[str, str] | None:
    """One line of text and a style for the event log (None: not worth a line)."""
    if isinstance(ev, RunStarted):
        bits = [f"run started: {ev.count} {ev.item or ev.goal}", f"seed {ev.seed}", f"planner {ev.planner}"]
        if ev.model:
            bits.append(f"model {ev.model}")
        if ev.max_ticks:
            bits.append(f"budget {ev.max_ticks} ticks")
        return ", ".join(bits), "bold"
    if isinstance(ev, SubgoalStarted):
        return f"sub-goal: {ev.action or 'obtain'} {ev.count} {ev.object}", "cyan"
    if isinstance(ev, SubgoalFinished):
        if ev.ok:
            return f"sub-goal done: {ev.object}", "green"
        return f"sub-goal failed: {ev.object}: {ev.reason}", "red"
    if isinstance(ev, ActionStarted):
        return f"action: {ev.action} {_args(ev.args)}", ""
    if isinstance(ev, ActionFinished):
        delta = ", ".join(f"{'+' if v > 0 else ''}{v} {k}" for k, v in sorted((ev.result.get("delta") or {}).items()))
        took = f"{ev.ticks} ticks" + (f", {ev.result['wall_s']:.1f} s" if ev.result.get("wall_s") is not None else "")
        if ev.ok:
            return f"  {ev.action} ok [{delta or 'no change'}] {took}", "dim green"
        return f"  {ev.action} FAILED: {ev.reason} ({took})", "red"
    if isinstance(ev, LLMCall):
        u = ev.usage or {}
        what = f"llm {ev.label}".strip()
        line = f"{what}: {u.get('prompt_tokens', 0)} in / {u.get('completion_tokens', 0)} out"
        if u.get("seconds") is not None:
            line += f", {float(u['seconds']):.1f} s"
        if not ev.ok:
            line += " (failed)"
        if ev.thoughts:
            line += f" — {_short(ev.thoughts, 80)}"
        return line, "magenta" if ev.ok else "red"
    if isinstance(ev, Message):
        return ev.text, {"warn": "yellow", "error": "red"}.get(ev.level, "")
    if isinstance(ev, RunFinished):
        return f"run {ev.outcome}" + (f": {ev.reason}" if ev.reason else ""), f"bold {outcome_style(ev.outcome)}"
    return None


class DashboardState:
    """Everything the dashboard shows, updated from events under a lock."""

    def __init__(self, log_lines: int = 200):
        self.lock = threading.Lock()
        self.run: RunStarted | None = None
        self.started = time.time()
        self.steps: dict[str, dict[str, Any]] = {}  # object -> {count, action, state, reason, tries}
        self.tree: dict[str, Any] | None = None
        self.action: ActionStarted | None = None
        self.action_started = 0.0
        self.last_action: ActionFinished | None = None
        self.inventory: dict[str, int] = {}
        self.obs: Observed | None = None
        self.results = RunResults()  # ticks and LLM usage, counted where every view counts them
        self.thoughts = ""
        self.finished: RunFinished | None = None
        self.log: deque[tuple[float, str, str]] = deque(maxlen=log_lines)

    def apply(self, ev: Event) -> None:
        with self.lock:
            self.results.handle(ev)
            if isinstance(ev, RunStarted):
                self.run = ev
                self.started = ev.t or time.time()
                plan = ev.plan or {}
                for st in plan.get("steps", []):
                    self.steps[st["object"]] = {"count": st.get("count", 1), "action": st.get("action"),
                                                "state": "pending", "reason": "", "tries": 0}
                self.tree = plan.get("tree")
            elif isinstance(ev, SubgoalStarted):
                st = self.steps.setdefault(ev.object, {"count": ev.count, "action": ev.action, "reason": "",
                                                       "tries": 0})
                st.update(state="running", reason="", count=ev.count or st.get("count"),
                          action=ev.action or st.get("action"))
                st["tries"] = st.get("tries", 0) + 1
            elif isinstance(ev, SubgoalFinished):
                st = self.steps.setdefault(ev.object, {"count": ev.count or 1, "action": None, "tries": 1})
                st.update(state="done" if ev.ok else "failed", reason=ev.reason)
            elif isinstance(ev, ActionStarted):
                self.action, self.action_started = ev, ev.t or time.time()
            elif isinstance(ev, ActionFinished):
                self.action, self.last_action = None, ev
                if ev.inventory is not None:
                    self.inventory = dict(ev.inventory)
                where = {k: ev.result[k] for k in ("pos", "y", "biome") if ev.result.get(k) not in (None, "")}
                if where:  # actions report where they ended: the status stays current between observations
                    self.obs = dataclasses.replace(self.obs or Observed(), **where)
            elif isinstance(ev, Observed):
                self.obs = ev
                self.inventory = dict(ev.inventory)
            elif isinstance(ev, LLMCall):
                if ev.thoughts:
                    self.thoughts = ev.thoughts
            elif isinstance(ev, RunFinished):
                self.finished = ev
                self.action = None
                if ev.inventory is not None:
                    self.inventory = dict(ev.inventory)
            line = describe(ev)
            if line is not None:
                self.log.append((ev.t or time.time(), *line))

    # -- rendering (called from rich's refresh thread) ---------------------------------------------------
    def render(self, height: int = 40) -> RenderableType:
        with self.lock:
            layout = Layout()
            log_size = max(4, min(12, height - 26))
            layout.split_column(
                Layout(self._header(), name="header", size=1),
                Layout(name="body"),
                Layout(self._progress(), name="ticks", size=3),
                Layout(self._log(log_size - 2), name="log", size=log_size),
            )
            layout["body"].split_row(Layout(self._goal_tree(), name="goals", ratio=4), Layout(name="side", ratio=3))
            layout["side"].split_column(
                Layout(self._action(), name="action", size=4),
                Layout(self._status(), name="status", size=5),
                Layout(self._inventory(), name="inventory"),
                Layout(self._llm(), name="llm", size=6),
            )
            return layout

    def _header(self) -> Text:
        r = self.run
        elapsed = (self.finished.t if self.finished and self.finished.t else time.time()) - self.started
        outcome = self.finished.outcome if self.finished else "running"
        t = Text()
        t.append(" gitm ", style="bold white on blue")
        if r is not None:
            t.append(f"  goal {r.count} {r.item or r.goal}", style="bold")
            t.append(f"  seed {r.seed}  planner {r.planner}" + (f" ({r.model})" if r.model else ""))
        t.append(f"  {int(elapsed) // 60:02}:{int(elapsed) % 60:02}  ")
        t.append(outcome, style=f"bold {outcome_style(outcome)}")
        if self.finished and self.finished.reason:
            t.append(f": {self.finished.reason}")
        return t

    def _step_label(self, obj: str) -> Text:
        st = self.steps.get(obj, {"state": "pending", "count": 1, "action": None, "reason": ""})
        state = st.get("state", "pending")
        icon, style = STATE_STYLE.get(state, ("?", ""))
        t = Text(f"{icon} {obj}", style=style)
        if state in ("pending", "running"):
            t.append(f" {self.inventory.get(obj, 0)}/{st.get('count')}", style="bold" if state == "running" else "dim")
        else:
            t.append(f" ×{st.get('count')}", style="dim")
        t.append(f" {st.get('action') or ''}", style="dim")
        if state != "pending":
            t.append(f" {state}", style=style)
        if st.get("tries", 0) > 1:
            t.append(f" (try {st['tries']})", style="dim")
        if state == "failed" and st.get("reason"):
            t.append(f": {st['reason']}", style="red")
        return t

    def _goal_tree(self) -> Panel:
        r = self.run
        root = Tree(Text(f"goal: {r.count} {r.item or r.goal}" if r else "goal", style="bold"), guide_style="dim")
        if self.tree and self.tree.get("object") in self.steps:
            seen: set[str] = set()

            def add(parent: Tree, node: dict[str, Any]) -> None:
                obj = node["object"]
                if obj in seen:  # a shared station or material: shown once
                    return
                seen.add(obj)
                branch = parent.add(self._step_label(obj))
                for child in node.get("children", []):
                    add(branch, child)

            add(root, self.tree)
            extra = [o for o in self.steps if o not in seen]  # sub-goals added by a re-plan
            for obj in extra:
                root.add(self._step_label(obj))
        else:
            for obj in self.steps:
                root.add(self._step_label(obj))
        done = sum(1 for s in self.steps.values() if s.get("state") == "done")
        return Panel(root, title=f"sub-goals {done}/{len(self.steps)}", title_align="left", border_style="blue")

    def _action(self) -> Panel:
        if self.action is not None:
            body = Text(f"{self.action.action} {_args(self.action.args)}", style="bold yellow")
            body.append(f"\n{time.time() - self.action_started:.1f} s elapsed", style="dim")
        elif self.last_action is not None:
            a = self.last_action
            body = Text(f"last: {a.action} " + ("ok" if a.ok else f"failed: {a.reason}"),
                        style="green" if a.ok else "red")
            body.append(f"\n{a.ticks} ticks, {float(a.result.get('wall_s') or 0):.1f} s", style="dim")
        else:
            body = Text("idle", style="dim")
        return Panel(body, title="action", title_align="left", border_style="yellow")

    def _status(self) -> Panel:
        o = self.obs
        if o is None:
            return Panel(Text("no observation yet", style="dim"), title="status", title_align="left")
        pos = ", ".join(f"{c:.0f}" for c in o.pos) if o.pos else "?"
        t = Text()
        t.append(f"pos ({pos})  y {o.y}  biome {o.biome}\n")
        t.append(f"time {clock(o.time_of_day)}  ")
        t.append(f"health {o.health:.0f}/20" if o.health is not None else "health ?",
                 style="red" if (o.health or 20) < 8 else "")
        t.append(f"  food {o.food}/20" if o.food is not None else "  food ?", style="red" if (o.food or 20) < 6 else "")
        if o.held:
            t.append(f"\nholding {o.held}", style="dim")
        return Panel(t, title="status", title_align="left", border_style="cyan")

    def _inventory(self) -> Panel:
        items = sorted(((k, v) for k, v in self.inventory.items() if v), key=lambda kv: kv[0])
        if not items:
            return Panel(Text("empty", style="dim"), title="inventory", title_align="left", border_style="green")
        grid = Table.grid(padding=(0, 2))
        cols = 2
        for _ in range(cols):
            grid.add_column(justify="right", style="bold")
            grid.add_column()
        for i in range(0, len(items), cols):
            row: list[str] = []
            for k, v in items[i: i + cols]:
                row += [str(v), k]
            grid.add_row(*row)
        return Panel(grid, title=f"inventory ({len(items)})", title_align="left", border_style="green")

    def _llm(self) -> Panel:
        u = self.results.llm
        t = Text(f"calls {u.calls}  tokens in {u.prompt_tokens} / out {u.completion_tokens}")
        if u.calls:
            t.append(f"\nlatency last {u.last_seconds or 0:.1f} s, mean {u.seconds / u.calls:.1f} s")
        if u.invalid:
            t.append(f"  invalid {u.invalid}", style="red")
        if self.thoughts:
            t.append(f"\n{_short(self.thoughts, 160)}", style="italic")
        planner = self.run.planner if self.run else ""
        return Panel(t, title=f"LLM ({planner})" if planner else "LLM", title_align="left", border_style="magenta")

    def _progress(self) -> Panel:
        budget = self.run.max_ticks if self.run and self.run.max_ticks else None
        tick = self.results.ticks
        label = Text(f"ticks {tick}" + (f" / {budget} ({100 * tick / budget:.0f}%)" if budget else ""))
        if budget:
            bar = ProgressBar(total=budget, completed=min(tick, budget), width=None)
            grid = Table.grid(expand=True)
            grid.add_column(no_wrap=True, width=32)
            grid.add_column(ratio=1)
            grid.add_row(label, bar)
            body: RenderableType = grid
        else:
            body = label
        return Panel(body, title="budget", title_align="left", border_style="white")

    def _log(self, lines: int) -> Panel:
        tail = list(self.log)[-max(1, lines):]
        body = Text()
        for i, (t, text, style) in enumerate(tail):
            if i:
                body.append("\n")
            body.append(time.strftime("%H:%M:%S ", time.localtime(t)), style="dim")
            body.append(text, style=style)
        return Panel(body, title="events", title_align="left", border_style="white")


class Dashboard:
    """A rich Live dashboard observer; rich's refresh thread redraws it (≤ 4 Hz)."""

    def __init__(self, console: Console | None = None, refresh_per_second: float = MAX_REFRESH_HZ):
        self.console = console or Console()
        self.state = DashboardState()
        self._live = Live(get_renderable=self._render, console=self.console,
                          refresh_per_second=min(refresh_per_second, MAX_REFRESH_HZ), screen=False,
                          redirect_stdout=False, redirect_stderr=False, transient=False)
        self._started = False
        self._lock = threading.Lock()

    def _render(self) -> RenderableType:
        height = max(24, self.console.size.height)
        return self.state.render(height)

    def start(self) -> Dashboard:
        with self._lock:
            if not self._started:
                self._live.start(refresh=True)
                self._started = True
        return self

    def handle(self, ev: Event) -> None:
        if not self._started:
            self.start()
        self.state.apply(ev)

    __call__ = handle

    def close(self) -> None:
        with self._lock:
            if self._started:
                self._live.refresh()
                self._live.stop()
                self._started = False


class PlainLog:
    """Timestamped lines for pipes and CI: `HH:MM:SS tick N  text`. Observations print at most every 30 s."""

    def __init__(self, stream: IO[str] | None = None, observation_every_s: float = 30.0):
        self.stream = stream or sys.stdout
        self.every = observation_every_s
        self._last_obs = 0.0
        self._lock = threading.Lock()

    def handle(self, ev: Event) -> None:
        line = describe(ev)
        if isinstance(ev, Observed):
            now = ev.t or time.time()
            if now - self._last_obs < self.every:
                return
            self._last_obs = now
            inv = ", ".join(f"{v} {k}" for k, v in sorted(ev.inventory.items())) or "empty"
            line = (f"observe: y={ev.y} biome={ev.biome} time={clock(ev.time_of_day)} health={ev.health} "
                    f"food={ev.food} inventory: {inv}", "")
        if line is None:
            return
        stamp = time.strftime("%H:%M:%S", time.localtime(ev.t or time.time()))
        with self._lock:
            try:
                self.stream.write(f"{stamp} tick {ev.tick if ev.tick is not None else '-'}  {line[0]}\n")
                self.stream.flush()
            except (OSError, ValueError):  # a closed pipe must not stop the agent
                pass

    __call__ = handle

    def close(self) -> None:
        pass


def is_tty(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty() and os.environ.get("TERM", "") not in ("dumb",)
    except (AttributeError, ValueError):
        return False


def make_display(no_dashboard: bool = False, stream: IO[str] | None = None) -> Dashboard | PlainLog:
    """The dashboard on a terminal; plain timestamped lines without one (CI, pipes) or with --no-dashboard."""
    stream = stream or sys.stdout
    if not no_dashboard and is_tty(stream):
        return Dashboard(Console(file=stream))
    return PlainLog(stream)


# -- a scripted run and a replay, to look at the dashboard without a server ---------------------------------

def demo_events(goal: str = "stone_pickaxe", seed: int = 1) -> list[Event]:
    """A plausible event sequence for `goal` from its real decomposition, with one failure and a retry."""
    from gitm.tree.decomposer import decompose

    plan = decompose(goal)
    events: list[Event] = [RunStarted(goal=goal, item=plan.goal, seed=seed, planner="llm", model="demo-model",
                                      max_ticks=24000, plan=plan.to_json())]
    inv: dict[str, int] = {}
    y, tick = 64, 0
    events.append(Observed(inventory={}, pos=(0.5, 64, 0.5), y=64, biome="plains", time_of_day=1000,
                              age=1000, health=20, food=20))
    failed_once = False
    for i, s in enumerate(plan.steps):
        events.append(SubgoalStarted(object=s.object, count=s.count, action=s.action))
        events.append(LLMCall(prompt=[{"role": "user", "content": f"obtain {s.count} {s.object}"}],
                              reply=f'{{"action": "{s.action}", "object": "{s.object}"}}',
                              usage={"prompt_tokens": 850 + 40 * i, "completion_tokens": 60 + 5 * i,
                                     "seconds": 1.2 + 0.1 * i},
                              thoughts=f"I need {s.count} {s.object}; {s.info}", label="plan"))
        args = {"object": s.object, "count": s.count}
        if s.tool:
            args["tool"] = s.tool
        if not failed_once and s.action == "mine" and s.tool:
            failed_once = True
            events.append(ActionStarted(action=s.action, args=args))
            events.append(ActionFinished(action=s.action, ok=False, reason=f"no {s.object} within 32 blocks",
                                         result={"ticks": 400, "wall_s": 20.0, "delta": {}}, inventory=dict(inv)))
            events.append(SubgoalFinished(object=s.object, ok=False, reason=f"no {s.object} within 32 blocks"))
            events.append(Message(text="re-planning after a failure", level="warn"))
            events.append(SubgoalStarted(object=s.object, count=s.count, action=s.action))
        events.append(ActionStarted(action=s.action, args=args))
        delta = {s.object: s.count, **{m: -n for m, n in s.material.items()}}
        for k, v in delta.items():
            inv[k] = inv.get(k, 0) + v
        inv = {k: v for k, v in inv.items() if v > 0}
        ticks = 300 if s.action == "mine" else 40
        tick += ticks
        y = y - 1 if s.action == "mine" else y
        events.append(ActionFinished(action=s.action, ok=True, result={"ticks": ticks, "wall_s": ticks / 20,
                                                                      "delta": delta, "y": y}, inventory=dict(inv)))
        events.append(Observed(inventory=dict(inv), pos=(3.5 + i, y, -2.5), y=y, biome="plains",
                                  time_of_day=1000 + tick, age=1000 + tick, health=20, food=19, held=s.tool))
        events.append(SubgoalFinished(object=s.object, ok=True))
    events.append(RunFinished(outcome="success", reason=f"obtained {plan.count} {plan.goal}", inventory=dict(inv)))
    return events


def play(events: list[Event], observers: list[Any], step: float, replay: bool = False) -> None:
    from gitm.record.events import EventBus

    with EventBus(observers) as bus:
        prev_t = None
        for ev in events:
            if replay and ev.t is not None:
                time.sleep(min(step, max(0.0, ev.t - prev_t)) if prev_t is not None else 0)
                prev_t = ev.t
                ev.t = None  # re-stamped now, so elapsed times read right
            elif not isinstance(ev, (Observed, LLMCall)):
                time.sleep(step)
            bus.emit(ev)
            if not replay and isinstance(ev, SubgoalFinished) and not ev.ok:
                time.sleep(4 * step)  # let a viewer see the failure before the retry


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m gitm.record.dashboard",
                                description="Show the dashboard on a scripted run.")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--demo", action="store_true", help="a scripted run of --goal")
    g.add_argument("--replay", metavar="TRAJECTORY", help="replay a run's trajectory.jsonl")
    p.add_argument("--goal", default="stone_pickaxe")
    p.add_argument("--step", type=float, default=0.3, help="seconds between events (default 0.3)")
    p.add_argument("--hold", type=float, default=1.0, help="seconds to keep the last frame (default 1)")
    p.add_argument("--no-dashboard", action="store_true", help="plain lines even on a terminal")
    a = p.parse_args(argv)
    if a.demo:
        events = demo_events(a.goal)
    else:
        from gitm.record.recorder import read_trajectory

        events = [Event.from_json(d) for d in read_trajectory(a.replay)]
    display = make_display(a.no_dashboard)
    try:
        play(events, [display, _Hold(a.hold)], a.step, replay=bool(a.replay))
    except KeyboardInterrupt:
        return 130
    return 0


class _Hold:
    """Keeps the final frame up for a moment before the display closes (observers close in order)."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def handle(self, ev: Event) -> None:
        if isinstance(ev, RunFinished):
            time.sleep(self.seconds)


if __name__ == "__main__":
    raise SystemExit(main())
