"""`gitm report RUN` (a run's summary and milestone timeline) and `gitm runs` (past runs)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from gitm.errors import GitmError
from gitm.record.dashboard import outcome_style
from gitm.record.recorder import SUMMARY, BadRecordError, list_runs, load_summary, read_trajectory, runs_dir


def _console() -> Console:
    """The terminal's width on a terminal; wide lines in pipes and files, so tables are not squeezed."""
    console = Console()
    return console if console.is_terminal else Console(width=200)


def warn_skipped(e: BadRecordError) -> None:
    """One line on stderr for a run record left out of a listing (the listing itself stays on stdout)."""
    print(f"skipped: {e}", file=sys.stderr)


def find_run(run: str, data_dir: str | Path | None = None,
             skipped: Callable[[BadRecordError], None] = warn_skipped) -> Path:
    """A run folder from a path, a folder name under <data-dir>/runs, a unique name fragment, or 'last' (the
    newest that reads: `skipped` hears of the newer bad ones)."""
    p = Path(run).expanduser()
    if (p / SUMMARY).is_file():
        return p
    if p.name == SUMMARY and p.is_file():
        return p.parent
    runs = list_runs(data_dir)
    if run in ("last", "latest"):
        for r in reversed(runs):
            try:
                load_summary(r)
                return r
            except BadRecordError as e:
                skipped(e)
        raise GitmError(f"no {'readable ' if runs else ''}runs recorded in {runs_dir(data_dir)}")
    exact = [r for r in runs if r.name == run]
    if exact:
        return exact[0]
    matches = [r for r in runs if run in r.name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(r.name for r in matches[-5:])
        raise GitmError(f"'{run}' matches {len(matches)} runs (e.g. {names}); give more of the name")
    raise GitmError(f"no run '{run}' (not a run folder, nor a run in {runs_dir(data_dir)}); `gitm runs` lists them")


def _fmt_ticks(ticks: Any) -> str:
    if not isinstance(ticks, int | float):
        return "-"
    return f"{int(ticks)} ({ticks / 20 / 60:.1f} min)"


def print_report(run_dir: Path, console: Console | None = None, show_all: bool = False) -> dict[str, Any]:
    console = console or _console()
    s = load_summary(run_dir)
    style = outcome_style(s.get("outcome", ""))
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    goal = f"{s.get('count', 1)} {s.get('item') or s.get('goal')}" + (
        f" ({s['goal']})" if s.get("item") and s.get("item") != s.get("goal") else "")
    rows = [
        ("run", str(run_dir)),
        ("goal", goal),
        ("outcome", f"[{style}]{s.get('outcome')}[/{style}]" + (f": {s['reason']}" if s.get("reason") else "")),
        ("seed", str(s.get("seed"))),
        ("planner", f"{s.get('planner')}" + (f" ({s['model']})" if s.get("model") else "")),
        ("server", str(s.get("server")) + (f" ({s['difficulty']})" if s.get("difficulty") else "")
         + (f", from time of day {s['start_time']}" if s.get("start_time") else "")),
        ("acting ticks", _fmt_ticks(s.get("ticks")) + (f" of {s['max_ticks']}" if s.get("max_ticks") else "")),
        ("wall time", f"{s.get('wall_s', 0):.1f} s"),
        ("started", str(s.get("started_at"))),
        ("actions", f"{s.get('actions', {}).get('total', 0)} ({s.get('actions', {}).get('failed', 0)} failed)"),
        ("sub-goals", f"{s.get('subgoals_done', 0)} reached"),
    ]
    llm = s.get("llm") or {}
    if llm.get("calls"):
        rows.append(("LLM", f"{llm['calls']} calls, {llm.get('prompt_tokens', 0)} tokens in / "
                            f"{llm.get('completion_tokens', 0)} out, {llm.get('seconds', 0):.1f} s"
                            + (f", {llm['invalid']} invalid" if llm.get("invalid") else "")))
    if s.get("clock"):  # the LLM's thinking time apart from acting: frozen on gitm's world, running elsewhere
        ran = s.get("thinking_ticks") or 0
        rows.append(("world clock", f"{s['clock']}" + (f" ({ran} ticks passed while thinking)" if ran else "")))
    v = s.get("versions") or {}
    rows.append(("versions", ", ".join(f"{k} {val}" for k, val in v.items())))
    for k, val in rows:
        head.add_row(k, val)
    console.print(head)

    ms = s.get("acquired") or []
    shown = ms if show_all else [m for m in ms if m.get("key")] or ms
    if shown:
        t = Table(title="first obtained" + ("" if show_all or shown is ms else " (milestones; --all for every item)"),
                  title_justify="left")
        t.add_column("tick", justify="right")
        t.add_column("minutes", justify="right")
        t.add_column("wall s", justify="right")
        t.add_column("item")
        for m in shown:
            tick = m.get("tick")
            t.add_row(str(tick), f"{tick / 1200:.1f}" if isinstance(tick, int | float) else "-",
                      f"{m.get('wall_s', 0):.0f}", m.get("item", "?"))
        console.print(t)
    subgoals = s.get("subgoals") or []
    if subgoals:
        t = Table(title="sub-goals", title_justify="left")
        t.add_column("tick", justify="right")
        t.add_column("sub-goal")
        t.add_column("state")
        for sg in subgoals:
            st = sg.get("state", "?")
            colour = {"done": "green", "failed": "red"}.get(st, "yellow")
            t.add_row(str(sg.get("tick", "-")), f"{sg.get('action') or ''} {sg.get('count')} {sg.get('object')}",
                      f"[{colour}]{st}[/{colour}]" + (f": {sg['reason']}" if sg.get("reason") else ""))
        console.print(t)
    traj = run_dir / "trajectory.jsonl"
    if traj.exists():
        n = sum(1 for _ in read_trajectory(traj))
        console.print(f"[dim]{n} events in {traj}[/dim]")
    if (run_dir / "server.log").exists():
        console.print(f"[dim]server log: {run_dir / 'server.log'}[/dim]")
    return s
