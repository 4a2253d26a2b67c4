"""A Mineflayer bot in the Node process that JSPyBridge runs for us."""

from __future__ import annotations

import os
import re
from types import ModuleType
from typing import Any

from knowledge.version import MC_VERSION

from .errors import BridgeError
from .node_env import module_path


class BotConnectError(BridgeError):
    pass


def javascript() -> ModuleType:
    """JSPyBridge, imported without its side effect on our terminal output.

    Importing it starts its node process and sets FORCE_COLOR in os.environ (to "0" in a pipe),
    which makes rich force colour codes into every later pipe and file. Put the variable back.
    """
    before = os.environ.get("FORCE_COLOR")
    import javascript as bridge

    if before is None:
        os.environ.pop("FORCE_COLOR", None)
    else:
        os.environ["FORCE_COLOR"] = before
    return bridge


def require_skill(name: str) -> Any:
    """A module of bot_bridge/skills/, required by absolute path so it uses our node_modules."""
    return javascript().require(module_path(f"skills/{name}.js"))


def connect_bot(port: int, username: str = "gitm", host: str = "127.0.0.1", timeout: float = 30.0) -> Any:
    """Log a bot in and wait for its first spawn; returns the JS bot (a JSPyBridge proxy)."""
    JavaScriptError = javascript().errors.JavaScriptError  # noqa: N806 - the bridge's exception class

    try:
        return require_skill("connect").connect(
            {"host": host, "port": port, "username": username, "version": MC_VERSION,
             "timeoutMs": int(timeout * 1000)},
            timeout=timeout + 5,
        )
    except JavaScriptError as err:
        raise BotConnectError(f"bot '{username}' could not join {host}:{port}: {js_error_text(err)}") from None
    except Exception as err:  # noqa: BLE001 - JSPyBridge raises a bare Exception when the call times out
        raise BotConnectError(f"bot '{username}' could not join {host}:{port}: {err}") from None


def js_error_text(err: BaseException) -> str:
    """'connect ECONNREFUSED 127.0.0.1:9' from a JavaScriptError, whose str() is a tuple's repr with the JS
    stack (escaped newlines) after the message."""
    text = str(err)
    m = re.search(r"(?:^|[\s'\"(])(?:\w*Error): (.+?)(?:\\n|\n|'\)|$)", text)
    return m.group(1).strip() if m else text.splitlines()[0]
