"""The agent's body: a Mineflayer bot driven through GITM's structured actions, one bridge call each.

    body = Body(port).connect()
    r = body.act("mine", object="oak_log", count=2)   # ActionResult(ok, reason, delta, y, ticks, ...)
    obs = body.observe()                               # Observation(...).to_prompt()

`act(name, **args)` is the one door for every action of bot_bridge.actions.ACTIONS. Every action is
validated against the knowledge base first, runs in JavaScript under a hard time limit (the record's, or
`limits`), and is also called with JSPyBridge's timeout so Python never waits forever on the bridge.
A disconnected bot is reconnected (same name, with backoff for up to `reconnect_for_s`) and the action retried
once; a death is reported in the result (`died`, and the inventory delta shows what was lost) and mineflayer
respawns the bot. When the server itself is gone (`server_gone` says so: the embedded server's process died;
or no reconnect got through) `act` raises ServerGone instead of blaming the action: whoever owns the server
restarts it (gitm.agent.loop) and calls `reconnect`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from knowledge.base import KnowledgeBase

from .actions import ACTIONS, ActionArgError, ActionResult, Observation, default_limits, validate
from .bot import connect_bot, require_skill
from .errors import BridgeGone, ServerGone

log = logging.getLogger(__name__)
BRIDGE_SLACK_S = 15.0  # the Python-side timeout beyond the JS skill's own limit


@dataclass
class Body:
    port: int
    host: str = "127.0.0.1"
    username: str = "gitm"
    kb: KnowledgeBase = field(default_factory=KnowledgeBase.load)
    limits: dict[str, float] = field(default_factory=default_limits)  # per action; missing: the record's
    bot: Any = None
    inventory: dict[str, int] = field(default_factory=dict)
    deaths: int = 0
    reconnects: int = 0
    age: int = 0
    history: list[ActionResult] = field(default_factory=list)
    server_gone: Callable[[], str | None] | None = None  # why the server is gone, else None (EmbeddedServer.gone)
    reconnect_for_s: float = 60.0  # how long reconnects are tried (backoff 1, 2, 4... s) before the server is given up
    _skills: Any = None

    # -- connection -----------------------------------------------------------------------------------

    def connect(self, timeout: float = 30.0) -> Body:
        self.bot = connect_bot(self.port, username=self.username, host=self.host, timeout=timeout)
        self._skills = require_skill("actions")
        self._skills.setup(self.bot, timeout=10)
        self.observe()
        return self

    def reconnect(self) -> None:
        """Log in again (same name); ServerGone when the server is gone, or still unreachable after
        `reconnect_for_s` seconds of tries."""
        self.reconnects += 1
        try:
            if self.bot is not None:
                self.bot.quit()
        except Exception:  # noqa: BLE001 - the old connection is gone anyway
            pass
        t0 = time.monotonic()
        pause, last = 1.0, "no try"
        while True:
            self.check_server()
            try:
                self.connect()
                return
            except BridgeGone:
                raise
            except Exception as e:  # noqa: BLE001
                last = str(e).splitlines()[0] if str(e) else type(e).__name__
            tried = time.monotonic() - t0
            if tried + pause > self.reconnect_for_s:
                self.check_server()
                raise ServerGone(f"lost the server {self.host}:{self.port}: '{self.username}' could not reconnect "
                                 f"in {tried:.0f} s ({last})")
            time.sleep(pause)
            pause = min(pause * 2, 15.0)

    def check_server(self) -> None:
        """Raise ServerGone when the server is known to be gone (its process died)."""
        gone = self.server_gone() if self.server_gone is not None else None
        if gone:
            raise ServerGone(gone)

    def close(self) -> None:
        if self.bot is not None:
            try:
                self.bot.quit()
            except Exception:  # noqa: BLE001
                pass
            self.bot = None

    def __enter__(self) -> Body:
        return self.connect() if self.bot is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the one way in -----------------------------------------------------------------------------------

    def _call(self, action: str, args: dict[str, Any], limit: float) -> dict[str, Any]:
        from javascript.errors import JavaScriptError

        try:
            raw = self._skills.run(self.bot, action, json.dumps(args), int(limit * 1000),
                                   timeout=limit + BRIDGE_SLACK_S)
            return json.loads(raw)
        except JavaScriptError as e:
            return {"ok": False, "reason": f"bridge error: {str(e).splitlines()[0][:200]}"}
        except BridgeGone:
            raise  # the bot's process is gone: no reconnect can help
        except Exception as e:  # noqa: BLE001 - JSPyBridge raises plain Exception on its timeout
            text = str(e)
            if "timed out" in text.lower() or "timeout" in text.lower():
                return {"ok": False, "reason": f"bridge timeout after {limit + BRIDGE_SLACK_S:.0f} s",
                        "bridgeTimeout": True}
            first = text.splitlines()[0][:200] if text else type(e).__name__
            return {"ok": False, "reason": f"bridge failure: {first}", "disconnected": True}

    def act(self, action: str, timeout: float | None = None, **args: Any) -> ActionResult:
        """Run one action; never raises for game-level problems (they come back as ok=False + reason)."""
        if self.bot is None:
            raise RuntimeError("the body is not connected: call connect() first")
        try:
            checked = validate(self.kb, action, args, self.inventory if action != "observe" else None)
        except ActionArgError as e:
            r = ActionResult.failure(action, str(e), invalid=True)
            r.inventory, r.age = dict(self.inventory), self.age
            self.history.append(r)
            return r
        limit = float(timeout if timeout is not None else self.limits.get(action, ACTIONS[action].limit_s))
        raw = self._call(action, checked, limit)
        if not raw.get("ok"):
            self.check_server()  # a dead server is its own failure, never the action's
        if raw.get("disconnected") or raw.get("bridgeTimeout"):
            log.warning("%s: %s; reconnecting", action, raw.get("reason"))
            self.reconnect()
            raw = self._call(action, checked, limit)
            raw["reconnected"] = True
        result = ActionResult.from_js(action, raw)
        if result.died and raw.get("respawned") is False:
            # the server did not respawn us: a fresh login puts the bot back at the spawn point
            log.warning("%s: the bot died and was not respawned; logging in again", action)
            self.reconnect()
            result.details["relogged"] = True
        if result.inventory or raw.get("delta") is not None:
            self.inventory = dict(result.inventory)
        if result.age is not None:
            self.age = int(result.age)
        if result.died:
            self.deaths += result.died
            lost = {k: -v for k, v in result.delta.items() if v < 0}
            result.details["lost"] = lost
            if result.ok:
                result.ok = False
            died = f"died and respawned (lost {lost or 'nothing'})"
            result.reason = f"{result.reason}; {died}" if result.reason else died
        self.history.append(result)
        return result

    def world_age(self) -> int:
        """The world's age (game ticks) as the client last heard it (servers tell it every second), read now."""
        try:
            self.age = int(self.bot.time.age)
        except Exception:  # noqa: BLE001 - a lost connection: the last known age
            pass
        return self.age

    # -- observation ---------------------------------------------------------------------------------------

    def observe(self, radius: int = 32) -> Observation:
        raw = self._call("observe", {"radius": radius}, self.limits.get("observe", ACTIONS["observe"].limit_s))
        if raw.get("disconnected"):
            self.reconnect()
            raw = self._call("observe", {"radius": radius}, self.limits.get("observe", ACTIONS["observe"].limit_s))
        if not raw.get("ok"):
            raise ConnectionError(f"observe failed: {raw.get('reason')}")
        obs = Observation.from_js(raw)
        self.inventory = dict(obs.inventory)
        self.age = obs.age
        return obs
