"""A Mineflayer bot in the Node process that JSPyBridge runs for us."""

from __future__ import annotations

from typing import Any

from gitm.errors import GitmError

from .node_env import module_path


class BotConnectError(GitmError):
    pass


def require_skill(name: str) -> Any:
    """A module of bot_bridge/skills/, required by absolute path so it uses our node_modules."""
    from javascript import require  # starts JSPyBridge's node process on first use

    return require(module_path(f"skills/{name}.js"))


def connect_bot(port: int, username: str = "gitm", host: str = "127.0.0.1", timeout: float = 30.0) -> Any:
    """Log a bot in and wait for its first spawn; returns the JS bot (a JSPyBridge proxy)."""
    from javascript.errors import JavaScriptError

    try:
        return require_skill("connect").connect(
            {"host": host, "port": port, "username": username, "timeoutMs": int(timeout * 1000)},
            timeout=timeout + 5,
        )
    except JavaScriptError as err:
        raise BotConnectError(f"bot '{username}' could not join {host}:{port}: {str(err).splitlines()[0]}") from None
