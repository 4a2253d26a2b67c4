"""`gitm knowledge ITEM` and `gitm plan ITEM`: what the knowledge base says, and a goal's decomposition."""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.tree import Tree

from gitm.errors import GitmError


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
        name = name.strip()
        if not name:
            raise GitmError(f"--have expects item=count pairs, got '{part}': the item name is missing")
        out[name] = out.get(name, 0) + count
    return out


def cmd_knowledge(args: argparse.Namespace) -> int:
    from gitm.tree.goals import resolve_goal
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
    """Exit 0 with the plan; 1 with the missing items when the inventory cannot make the goal."""
    from gitm.tree.decomposer import MissingItemsError, decompose

    have = parse_have(args.have)
    try:
        plan = decompose(args.item, args.count, have, gather=not args.no_gather, furnace=args.furnace)
    except MissingItemsError as e:
        if args.json:
            print(json.dumps({"goal": e.item, "count": e.count, "inventory": have, "missing": e.missing}, indent=2))
        else:
            print(e)
        return 1
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


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("knowledge", help="print what the knowledge base says about an item")
    p.add_argument("item", help="item name or goal, e.g. iron_pickaxe or ObtainDiamond")
    p.set_defaults(handler=cmd_knowledge)

    p = sub.add_parser("plan", help="decompose a goal into sub-goals")
    p.add_argument("item", help="item name or goal, e.g. torch or ObtainDiamond")
    p.add_argument("--count", type=int, default=1, help="how many to obtain (default 1)")
    p.add_argument("--have", default="", metavar="ITEM=N,...", help="what the inventory already holds")
    p.add_argument("--no-gather", action="store_true",
                   help="craft and smelt only, from --have: exit 1 with the missing items if it cannot be made")
    p.add_argument("--furnace", action="store_true", help="a furnace and its fuel are at hand (for smelting)")
    p.add_argument("--json", action="store_true", help="print the plan (or the missing items) as JSON")
    p.set_defaults(handler=cmd_plan)
