"""A Mineflayer bot in the Node process that JSPyBridge runs for us."""

from __future__ import annotations

import atexit
import os
import re
import threading
from types import ModuleType
from typing import Any

from knowledge.version import MC_VERSION

from .errors import BridgeError, BridgeGone, interrupt_in
from .node_env import how_it_ended, module_path


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
    _harden(bridge)
    return bridge


_pending = threading.local()  # the bridge request ids the current thread's call registered
_node_gone: list[str] = []  # why the bridge's node process ended, once it did (set by the watcher, fix 5)


def _harden(bridge: ModuleType) -> None:
    """Three fixes to JSPyBridge 1.x (applied once): without the first two one slow call breaks the whole process's
    bridge, without the third a process may never exit.

    1. A call that times out on the Python side leaves its request registered; when JavaScript's reply comes
       later, the bridge's event-loop thread waits 5 s at a barrier for a caller that has gone, the barrier
       breaks, the thread dies, and every later call fails ("Timed out accessing 'require'"). Here a timed-out
       call's requests are handed to a reaper thread that takes the late reply in the caller's place.
    2. `a.b.method()` gets a method proxy that names its owner `a.b` only by id; the owner proxy, a temporary,
       is garbage collected at once, and its id may reach JavaScript's `free` before the call does: the call
       then fails with "Cannot read properties of undefined (reading 'method')". A method proxy keeps its
       owner alive here.
    3. At exit JSPyBridge waits, for as long as node lives, until no Python event handler (`On`) is registered:
       forever when one was never taken off with `off` (pytest hung after its last test this way). A process
       that is exiting listens to nothing, so the handlers are dropped first (atexit runs this before it).
    4. A Ctrl-C that lands in a call's wait may come out of threading as a RuntimeError ("release unlocked
       lock"), which a caller would take for a lost connection: it is raised as the KeyboardInterrupt it is, and
       the call's requests are abandoned as in 1 (their late replies would break the bridge as well). A Ctrl-C
       inside the reply's barrier itself (or between taking the reply and the barrier) leaves the event-loop
       thread alone at it: its barrier gives up after its 5 s instead of killing the thread.
    5. When the bridge's node process dies, JSPyBridge notices nothing: a call in flight waits out its timeout
       (up to 900 s for a require) and every later one too. A watcher sees node end (its output's end) and
       wakes every waiting call, which then raises BridgeGone, as does any call made after.
    """
    from javascript import config, connection, events, proxy

    if getattr(proxy.Executor, "_gitm_hardened", False):
        return
    loop_cls, executor_cls, proxy_cls = events.EventLoop, proxy.Executor, proxy.Proxy

    def registering(original):
        def register(self, request_id, *args, **kwargs):
            ids = getattr(_pending, "ids", None)
            if ids is not None:
                ids.append(request_id)
            lock = original(self, request_id, *args, **kwargs)
            if _node_gone:  # node ended before this request was seen by the watcher: no reply can come
                lock.set()
            return lock
        return register

    loop_cls.queue_request = registering(loop_cls.queue_request)
    loop_cls.await_response = registering(loop_cls.await_response)

    def abandoning(original):
        def call(self, *args, **kwargs):
            if _node_gone:
                raise BridgeGone(_node_gone[0])
            outer = getattr(_pending, "ids", None)
            _pending.ids = []
            try:
                return original(self, *args, **kwargs)
            except BaseException as err:
                interrupt = interrupt_in(err)
                if interrupt is not None or "timed out" in str(err).lower():
                    for request_id in _pending.ids:
                        _abandon(self.loop, request_id)
                if interrupt is not None and interrupt is not err:
                    raise KeyboardInterrupt(*interrupt.args) from err
                if _node_gone and interrupt is None:
                    raise BridgeGone(_node_gone[0]) from None
                raise
            finally:
                _pending.ids = outer
        return call

    executor_cls.pcall = abandoning(executor_cls.pcall)
    executor_cls.ipc = abandoning(executor_cls.ipc)

    original_call = proxy_cls._call

    def method_keeps_owner(self, method, method_type, val):
        out = original_call(self, method, method_type, val)
        if method_type == "fn" and isinstance(out, proxy_cls):
            object.__setattr__(out, "_gitm_owner", self)
        return out

    proxy_cls._call = method_keeps_owner
    atexit.register(lambda: config.event_loop.callbacks.clear())
    events.threading = _LoopThreading()  # the module the running loop looks Barrier up in, at each reply
    _watch_node(connection, config.event_loop)
    executor_cls._gitm_hardened = True


class _LenientBarrier(threading.Barrier):
    """A reply's barrier (fix 4): a caller that was interrupted at it is gone, and the loop goes on without it."""

    def wait(self, timeout: float | None = None) -> int:
        try:
            return super().wait(timeout)
        except threading.BrokenBarrierError:
            return 0


class _LoopThreading:
    """threading as JSPyBridge's event loop sees it: the same, with the lenient barrier."""

    Barrier = _LenientBarrier

    def __getattr__(self, name: str) -> Any:
        return getattr(threading, name)


def _watch_node(connection: ModuleType, loop: Any) -> None:
    """Fix 5: once the bridge's reader thread ends (it reads node's output until node has exited), say why node
    ended and wake every call waiting for a reply; each then raises BridgeGone (see `abandoning`)."""

    def watch() -> None:
        connection.com_thread.join()
        proc = connection.proc
        how = how_it_ended(proc.returncode) if proc is not None and proc.returncode is not None else "did not start"
        pid = f" (pid {proc.pid})" if proc is not None else ""
        _node_gone.append(f"the bridge's node process{pid} {how}: the bot is gone with it")
        for entry in list(loop.requests.values()):
            entry[0].set()

    threading.Thread(target=watch, name="jspybridge-node-watch", daemon=True).start()


def _abandon(loop: Any, request_id: int) -> None:
    """Take a timed-out request's late reply (if one ever comes) in place of the caller that gave up on it."""
    entry = loop.requests.get(request_id)
    if entry is None and request_id not in loop.responses:
        return  # answered and taken already, or never sent

    def reap() -> None:
        if entry is not None:
            entry[0].wait()  # set by the loop once the reply is stored in loop.responses
        got = loop.responses.pop(request_id, None)
        if got is not None:
            try:
                got[1].wait()  # the barrier the loop thread waits at
            except threading.BrokenBarrierError:
                pass

    threading.Thread(target=reap, name=f"jspybridge-reap-{request_id}", daemon=True).start()


def require_skill(name: str) -> Any:
    """A module of bot_bridge/skills/, required by absolute path so it uses our node_modules."""
    return javascript().require(module_path(f"skills/{name}.js"))


def connect_bot(port: int, username: str = "gitm", host: str = "127.0.0.1", timeout: float = 30.0) -> Any:
    """Log a bot in and wait for its first spawn; returns the JS bot (a JSPyBridge proxy)."""
    JavaScriptError = javascript().errors.JavaScriptError  # noqa: N806 - the bridge's exception class

    try:
        skill = require_skill("connect")
        return skill.connect(
            {"host": host, "port": port, "username": username, "version": MC_VERSION,
             "timeoutMs": int(timeout * 1000)},
            timeout=timeout + 5,
        )
    except JavaScriptError as err:
        raise BotConnectError(f"bot '{username}' could not join {host}:{port}: {js_error_text(err)}") from None
    except BridgeGone:
        raise  # no bot can join through a dead bridge: not the server's fault
    except Exception as err:  # noqa: BLE001 - JSPyBridge raises a bare Exception when the call times out
        raise BotConnectError(f"bot '{username}' could not join {host}:{port}: {err}") from None


def js_error_text(err: BaseException) -> str:
    """'connect ECONNREFUSED 127.0.0.1:9' from a JavaScriptError, whose str() is a tuple's repr with the JS
    stack (escaped newlines) after the message."""
    text = str(err)
    m = re.search(r"(?:^|[\s'\"(])(?:\w*Error): (.+?)(?:\\n|\n|'\)|$)", text)
    return m.group(1).strip() if m else text.splitlines()[0]
