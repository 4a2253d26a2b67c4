"""The `gitm` command: a table of verbs, each a module of this package that adds its parser.

Every verb module has `add_parsers(subparsers)`, which adds its verbs with a `handler(args) -> exit code`.
`main()` turns a GitmError (or any other failure) into one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Callable

from gitm.errors import USER_ERRORS

Handler = Callable[[argparse.Namespace], int]

# verb modules in the order `gitm --help` lists them (imported when the parser is built)
VERB_MODULES = ("plan", "run", "server", "memory", "llm", "runs", "sweep")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gitm", description="A Ghost-in-the-Minecraft style agent.")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name in VERB_MODULES:
        importlib.import_module(f"gitm.cli.{name}").add_parsers(sub)
    return parser


def first_line(e: BaseException) -> str:
    """An exception as one line: server start errors and JS bridge errors carry a log or stack tail below it;
    its notes (the run record's path) follow after a semicolon."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    # ServerStartError's first line ends "log PATH:" before the tail: the path stays, the colon goes
    text = lines[0].rstrip(":") if lines else type(e).__name__
    return "; ".join([text, *getattr(e, "__notes__", ())])


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C stops gitm even when a shell started it in the background, which ignores SIGINT for its children
        signal.signal(signal.SIGINT, signal.default_int_handler)
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except USER_ERRORS as e:
        print(f"error: {first_line(e)}", file=sys.stderr)
        return getattr(e, "exit_code", 2)
    except BrokenPipeError:  # `gitm plan X --json | head`: the reader left, which is not an error
        sys.stderr.close()
        return 0
    except Exception as e:  # last resort (a lost bot connection, a bridge timeout): one line, not a traceback
        print(f"error: {type(e).__name__}: {first_line(e)}", file=sys.stderr)
        return 1
