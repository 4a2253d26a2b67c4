"""The embedded world as a child process: flying-squid with gitm's survival plugins."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from knowledge.version import MC_VERSION

from .errors import BridgeError
from .node_env import BRIDGE_DIR, ensure_node_modules, how_it_ended, node_environ, node_executable

START_SCRIPT = BRIDGE_DIR / "server" / "start.js"
READY = re.compile(r"GITM_SERVER_READY port=(\d+) seed=(\d+) version=(\S+)")
TICK_ACK = re.compile(r"GITM_TICK frozen=(true|false) age=(\d+)")  # plugins/tickFreeze.js, after each /tick
DIFFICULTIES = ("peaceful", "easy", "normal", "hard")  # vanilla's ids 0..3
# Terminal control in the server's output (readline's "> " prompt and cursor moves, colours): not for a console copy.
CONSOLE_NOISE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|^(?:> )+")


class ServerStartError(BridgeError):
    pass


@dataclass
class EmbeddedServer:
    """Start with `with EmbeddedServer(seed=1) as server:`; `server.port` is then accepting logins.

    The server dies with us: it exits when its stdin (held by this process) closes, which the
    kernel does even if Python is killed; Ctrl-C and normal exits stop it with SIGTERM.
    """

    seed: int = 1
    port: int = 0  # 0: a free port chosen by the OS
    host: str = "127.0.0.1"
    log_path: Path | None = None
    op: bool = False  # test set-up only: lets a player run /give, /tp...; never for the agent
    difficulty: int | str = 0  # a name of DIFFICULTIES or its id
    world_folder: Path | None = None
    save_dir: Path | None = None  # the world and players kept here (plugins/worldSave.js): a restart goes on from it
    start_time: int = 0  # a new world's time of day (ticks; a saved world keeps its own): vanilla's level.dat DayTime
    start_timeout: float = 60.0
    echo: TextIO | None = None  # also copy the server's output here (a console), besides the log file
    _proc: subprocess.Popen | None = field(default=None, init=False, repr=False)
    _pump: threading.Thread | None = field(default=None, init=False, repr=False)
    _listening: bool = field(default=False, init=False, repr=False)
    _tick: threading.Condition = field(default_factory=threading.Condition, init=False, repr=False)
    _tick_acks: int = field(default=0, init=False, repr=False)  # acknowledgement lines seen, with the last state:
    _tick_frozen: bool = field(default=False, init=False, repr=False)
    _tick_age: int = field(default=0, init=False, repr=False)
    _log_closed: bool = field(default=False, init=False, repr=False)
    _stopping: bool = field(default=False, init=False, repr=False)

    def start(self) -> EmbeddedServer:
        node = node_executable()
        ensure_node_modules()
        difficulty = DIFFICULTIES.index(self.difficulty) if isinstance(self.difficulty, str) else self.difficulty
        options = {"version": MC_VERSION, "host": self.host, "port": self.port, "seed": self.seed, "op": self.op,
                   "difficulty": difficulty, "startTime": self.start_time}
        if self.world_folder is not None:
            options["worldFolder"] = str(self.world_folder)
        if self.save_dir is not None:
            options["saveFolder"] = str(self.save_dir)
        if self.log_path is None:
            self.log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"gitm-server-{os.getpid()}-{self.seed}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = node_environ({**os.environ, "GITM_EXIT_ON_STDIN_CLOSE": "1"})
        self._proc = subprocess.Popen(
            [node, str(START_SCRIPT), json.dumps(options)],
            cwd=BRIDGE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
            bufsize=1,
            start_new_session=True,  # our Ctrl-C is handled here, then we stop it in order
        )
        ready = threading.Event()
        self._log_closed = self._stopping = False
        self._pump = threading.Thread(target=self._copy_log, args=(self._proc, ready), daemon=True)
        self._pump.start()
        if not ready.wait(self.start_timeout) or not self._listening:
            tail = self.log_tail()
            self.stop()
            raise ServerStartError(
                f"embedded server did not start within {self.start_timeout:.0f} s; log {self.log_path}:\n{tail}"
            )
        return self

    def _copy_log(self, proc: subprocess.Popen, ready: threading.Event) -> None:
        assert proc.stdout is not None and self.log_path is not None
        with open(self.log_path, "a", encoding="utf-8") as log:
            for line in proc.stdout:
                log.write(line)
                log.flush()
                echo = self.echo
                if echo is not None and not line.startswith("GITM_"):  # GITM_* lines are for this handle only
                    echo.write(CONSOLE_NOISE.sub("", line))
                    echo.flush()
                match = READY.search(line)
                if match:
                    self.port = int(match.group(1))
                    self._listening = match.group(3) == MC_VERSION  # else start() fails with the log's tail
                    ready.set()
                ack = TICK_ACK.search(line)
                if ack:
                    with self._tick:
                        self._tick_acks += 1
                        self._tick_frozen, self._tick_age = ack.group(1) == "true", int(ack.group(2))
                        self._tick.notify_all()
            if not self._stopping:  # nobody asked it to stop: say how it ended, the log's last line
                log.write(f"[gitm] the server process ended (not stopped by gitm): {how_it_ended(proc.wait())}\n")
        ready.set()  # the process ended: let start() report it instead of waiting out the timeout
        with self._tick:
            self._log_closed = True
            self._tick.notify_all()

    def command(self, line: str) -> None:
        """Run a server console command (test set-up only; the agent never calls this)."""
        if not self.running:
            raise BridgeError("the embedded server is not running")
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(line.lstrip("/") + "\n")
        self._proc.stdin.flush()

    def freeze(self, timeout: float = 10.0) -> int:
        """Stand the world still, as vanilla's `/tick freeze` (players still act); returns the world age it
        stopped at. A harness clock control, e.g. while the LLM thinks; never a gameplay action."""
        return self._set_frozen(True, timeout)

    def unfreeze(self, timeout: float = 10.0) -> int:
        """Let the world run again (`/tick unfreeze`); returns the world age it resumes from."""
        return self._set_frozen(False, timeout)

    @contextmanager
    def frozen(self, timeout: float = 10.0) -> Iterator[int]:
        """`with server.frozen() as age:` the world stands still inside, and runs again however the block ends."""
        if not self.running:  # it died: nothing to stop; the next action finds out and says so
            yield self._tick_age
            return
        age = self.freeze(timeout)
        try:
            yield age
        finally:
            if self.running:  # a server that died has no clock left to restart
                self.unfreeze(timeout)

    def _set_frozen(self, frozen: bool, timeout: float) -> int:
        line = "tick freeze" if frozen else "tick unfreeze"
        with self._tick:
            seen = self._tick_acks
        self.command(line)
        deadline = time.monotonic() + timeout
        with self._tick:
            # the first acknowledgement after ours in the requested state (a player's /tick may come between)
            while not (self._tick_acks > seen and self._tick_frozen == frozen):
                left = deadline - time.monotonic()
                if left <= 0 or self._log_closed:
                    raise BridgeError(f"the embedded server did not acknowledge /{line} within {timeout:g} s "
                                      f"(log {self.log_path})")
                self._tick.wait(left)
            return self._tick_age

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def returncode(self) -> int | None:
        """The server process's exit status once it ended (0: a clean stop, e.g. the console's `stop`)."""
        return None if self._proc is None else self._proc.poll()

    def gone(self) -> str | None:
        """Why the server is no longer there (it died or was stopped), or None while it runs."""
        code = self.returncode
        return None if code is None else f"the embedded server {how_it_ended(code)} (log {self.log_path})"

    def restart(self) -> EmbeddedServer:
        """Start it again after it died, on the same seed, world folder and port (any free one if that is taken):
        with `save_dir` the world and players are where they were."""
        self.stop()
        port = self.port
        try:
            return self.start()
        except ServerStartError:
            if port == 0:
                raise
            self.port = 0
            return self.start()

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 10.0) -> None:
        proc = self._proc
        if proc is None:
            return
        self._stopping = True
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdin is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass
        if self._pump is not None:
            self._pump.join(2)

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_forever(seed: int, port: int, host: str = "127.0.0.1", difficulty: str = "peaceful",
                  start_time: int = 0) -> int:
    """`gitm server`: run the embedded world for a user joining with a real client, until Ctrl-C or the console's
    `stop`. Our standard input is the server's console, as a vanilla server's (`op NAME`, `give`, `tp`, `time set`,
    `weather`, `stop`...), and its output is printed; at the end of our input the server runs on."""
    with EmbeddedServer(seed=seed, port=port, host=host, difficulty=difficulty, start_time=start_time) as server:
        try:  # the banner inside: a Ctrl-C right after it is still a clean stop
            print(f"gitm embedded world (Minecraft {MC_VERSION}, seed {seed}, {difficulty}) on {host}:{server.port}; "
                  f"log: {server.log_path}. Console commands on standard input; Ctrl-C or `stop` stops it.",
                  flush=True)
            server.echo = sys.stdout
            threading.Thread(target=_console, args=(server, sys.stdin), daemon=True).start()
            while server.running:
                time.sleep(0.5)
        except KeyboardInterrupt:
            print("stopping the server...", flush=True)
            return 0
    if server.returncode == 0:  # the console's `stop`
        return 0
    print(f"the server exited; log tail:\n{server.log_tail()}")
    return 1


def _console(server: EmbeddedServer, lines: TextIO) -> None:
    """Hand each line of `lines` to the server's console; at their end (no terminal, a closed pipe) nothing more."""
    for line in lines:
        if not line.strip():
            continue
        try:
            server.command(line.strip())
        except (BridgeError, OSError):  # the server ended (e.g. the console's `stop`): nobody to hand it to
            return
