"""Fixtures for tests that play on the real embedded server with a real Mineflayer bot."""

from __future__ import annotations

import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_names = itertools.count()
# Test modules import JSPyBridge, which sets FORCE_COLOR on import; restored after collection below.
_FORCE_COLOR = os.environ.get("FORCE_COLOR")


def pytest_collection_modifyitems(items):
    if _FORCE_COLOR is None:
        os.environ.pop("FORCE_COLOR", None)
    else:
        os.environ["FORCE_COLOR"] = _FORCE_COLOR


def pytest_runtest_setup(item):
    # Tests that need node fail loudly without it rather than skip silently: node is part of the install.
    if "slow" in item.keywords and shutil.which("node") is None:
        pytest.fail("NODE IS MISSING: this real-server test needs Node.js >= 20 on PATH", pytrace=False)


def need_node(what: str) -> str:
    """node's path, with our node packages installed. Node is part of the install: a test that needs it fails
    loudly without it, never skips."""
    from bot_bridge.node_env import ensure_node_modules

    node = shutil.which("node")
    if node is None:
        pytest.fail(f"NODE IS MISSING: Node.js >= 20 must be on PATH to check that {what}", pytrace=False)
    ensure_node_modules()
    return node


def a_world(tmp_path_factory, name: str, **options) -> Iterator:
    """An embedded server of seed 1, op for test set-up commands (`options`: difficulty...), for a fixture to yield
    from: the session's shared one, or a module's own when other tests' digging and building at the shared spawn
    would change what it tests."""
    from bot_bridge.server import EmbeddedServer

    with EmbeddedServer(seed=1, op=True, log_path=Path(tmp_path_factory.mktemp(name)) / "server.log", **options) as srv:
        yield srv


def a_bot(server, prefix: str = "t") -> Iterator:
    """A fresh bot (new name, so an empty inventory) on `server`, logged out after the test."""
    from bot_bridge.bot import connect_bot

    b = connect_bot(server.port, username=f"{prefix}{next(_names)}_{int(time.time()) % 10000}")
    yield b
    quit_bot(b)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator:
    """One embedded server shared by the session's tests."""
    yield from a_world(tmp_path_factory, "server")


@pytest.fixture
def bot(server) -> Iterator:
    yield from a_bot(server)


def quit_bot(bot) -> None:
    """Log a test's bot out. A quit that fails or times out (a loaded machine) is no failure of the test, and
    must not break later tests: bot_bridge.bot's hardened bridge drops the late reply of a timed-out call."""
    try:
        bot.quit(timeout=30)
    except Exception as err:  # noqa: BLE001 - JSPyBridge raises a bare Exception on its timeout
        print(f"bot teardown: quit failed: {err}")


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, every: float = 0.1) -> bool:
    """Poll a condition on the live bot/world; returns whether it became true in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


def inventory(bot) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in bot.inventory.items():
        counts[item.name] = counts.get(item.name, 0) + item.count
    return counts


def vec3(x: float, y: float, z: float):
    """A JS Vec3, for bot calls that take positions."""
    from javascript import require

    from bot_bridge.node_env import module_path

    return require(module_path("node_modules/vec3"))(x, y, z)


def give_items(server, bot, **counts: int) -> None:
    """/give each item (set-up only) and wait until the bot holds at least that many."""
    for name, count in counts.items():
        server.command(f"give {bot.username} minecraft:{name} {count}")
    assert wait_until(lambda: all(inventory(bot).get(n, 0) >= c for n, c in counts.items()), 10), inventory(bot)
