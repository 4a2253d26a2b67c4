"""`gitm server`: the embedded world on its own, to join with a real 1.21.4 client; its console on stdin."""

from __future__ import annotations

import argparse

from bot_bridge.server import DIFFICULTIES
from knowledge.facts import TIMES_OF_DAY, time_of_day


def add_difficulty_flag(p: argparse.ArgumentParser, default: str | None) -> None:
    p.add_argument("--difficulty", choices=DIFFICULTIES, default=default,
                   help="the embedded world's difficulty (default peaceful: the agent is judged on its tech tree)")


def _time_of_day(text: str) -> int:
    try:
        return time_of_day(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_start_time_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start-time", type=_time_of_day, default=None, metavar="TIME",
                   help=f"the embedded world's time of day at its start: {', '.join(TIMES_OF_DAY)} or ticks 0-23999 "
                        "(default 0, sunrise, as a new vanilla world)")


def cmd_server(args: argparse.Namespace) -> int:
    from bot_bridge.server import serve_forever

    return serve_forever(seed=args.seed, port=args.port, difficulty=args.difficulty, start_time=args.start_time or 0)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("server", help="run the embedded world (flying-squid) to join with a real client; "
                       "console commands (op, give, tp, time, weather, stop...) on standard input")
    p.add_argument("--seed", type=int, default=1, help="world seed (default 1)")
    p.add_argument("--port", type=int, default=25565, help="port on 127.0.0.1 (default 25565; 0: any free port)")
    add_difficulty_flag(p, default="peaceful")
    add_start_time_flag(p)
    p.set_defaults(handler=cmd_server)
