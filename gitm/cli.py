"""The `gitm` command. Each verb is a small handler; build_parser() is the one place verbs are added."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from rich.console import Console
from rich.tree import Tree

from gitm.errors import GitmError

Handler = Callable[[argparse.Namespace], int]


def parse_have(text: str) -> dict[str, int]:
    """'coal=2,stick=4' -> {'coal': 2, 'stick': 4}."""
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, n = part.partition("=")
        try:
            count = int(n) if sep else 1
        except ValueError:
            raise GitmError(f"--have expects item=count pairs, got '{part}'") from None
        if count < 0:
            raise GitmError(f"--have counts cannot be negative: '{part}'")
        out[name.strip()] = out.get(name.strip(), 0) + count
    return out


def cmd_knowledge(args: argparse.Namespace) -> int:
    from gitm.goals import resolve_goal
    from knowledge.base import KnowledgeBase

    kb = KnowledgeBase.load()
    item = resolve_goal(args.item, kb)
    sentences = kb.sentences_for(item)
    print("\n".join(sentences) if sentences else f"The knowledge base has no sentences about {item}.")
    return 0


def _rich_tree(plan) -> Tree:
    steps = {s.object: s for s in plan.steps}
    shown: set[str] = set()

    def label(obj: str) -> str:
        s = steps[obj]
        mats = ", ".join(f"{n} {m}" for m, n in s.material.items())
        parts = [f"[bold]{s.count} {obj}[/bold]", f"[cyan]{s.action}[/cyan] x{s.times}"]
        if mats:
            parts.append(f"from {mats}")
        if s.tool:
            parts.append(f"with [magenta]{s.tool}[/magenta]")
        return "  ".join(parts)

    def add(parent: Tree, obj: str) -> None:
        if obj in shown:  # shared stations and materials: expanded once
            parent.add(f"[dim]{steps[obj].object} (see above)[/dim]")
            return
        shown.add(obj)
        branch = parent.add(label(obj))
        for child in steps[obj].needs:
            add(branch, child)

    root = Tree(f"[bold green]goal: {plan.count} {plan.goal}[/bold green]")
    if plan.goal in steps:
        add(root, plan.goal)
    else:
        root.add("already in the inventory: nothing to do")
    return root


def cmd_plan(args: argparse.Namespace) -> int:
    from gitm.decomposer import decompose

    plan = decompose(args.item, args.count, parse_have(args.have))
    if args.json:
        print(json.dumps(plan.to_json(), indent=2))
        return 0
    console = Console()
    console.print(_rich_tree(plan))
    if plan.steps:
        console.print("[bold]execution order[/bold]")
    for i, s in enumerate(plan.steps, 1):
        console.print(f"{i:2}. {s.action} {s.count} {s.object}  [dim]{s.info}[/dim]")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from gitm.run import cmd_run as run

    return run(args)


def cmd_server(args: argparse.Namespace) -> int:
    from bot_bridge.server import serve_forever

    return serve_forever(seed=args.seed, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gitm", description="A Ghost-in-the-Minecraft style agent.")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = sub.add_parser("knowledge", help="print what the knowledge base says about an item")
    p.add_argument("item", help="item name or goal, e.g. iron_pickaxe or ObtainDiamond")
    p.set_defaults(handler=cmd_knowledge)

    p = sub.add_parser("plan", help="decompose a goal into sub-goals")
    p.add_argument("item", help="item name or goal, e.g. torch or ObtainDiamond")
    p.add_argument("--count", type=int, default=1, help="how many to obtain (default 1)")
    p.add_argument("--have", default="", metavar="ITEM=N,...", help="what the inventory already holds")
    p.add_argument("--json", action="store_true", help="print the plan as JSON")
    p.set_defaults(handler=cmd_plan)

    p = sub.add_parser("run", help="run the agent on a goal in a world (default: the embedded server)")
    from gitm.run import add_run_arguments

    add_run_arguments(p)
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("server", help="run the embedded world (flying-squid 1.21.4) to join with a real client")
    p.add_argument("--seed", type=int, default=1, help="world seed (default 1)")
    p.add_argument("--port", type=int, default=25565, help="port on 127.0.0.1 (default 25565; 0: any free port)")
    p.set_defaults(handler=cmd_server)

    from gitm.memory_cli import add_memory_parser

    add_memory_parser(sub)
    from gitm.local_llm import add_llm_parser

    add_llm_parser(sub)
    from gitm.report import add_report_parsers

    add_report_parsers(sub)
    from gitm.sweep import add_sweep_parsers

    add_sweep_parsers(sub)
    return parser


def first_line(e: BaseException) -> str:
    """An exception as one line: server start errors and JS bridge errors carry a log or stack tail below it;
    its notes (the run record's path) follow after a semicolon."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    # ServerStartError's first line ends "log PATH:" before the tail: the path stays, the colon goes
    text = lines[0].rstrip(":") if lines else type(e).__name__
    return "; ".join([text, *getattr(e, "__notes__", ())])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except GitmError as e:
        print(f"error: {first_line(e)}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:  # `gitm plan X --json | head`: the reader left, which is not an error
        sys.stderr.close()
        return 0
    except Exception as e:  # last resort (a lost bot connection, a bridge timeout): one line, not a traceback
        print(f"error: {type(e).__name__}: {first_line(e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
