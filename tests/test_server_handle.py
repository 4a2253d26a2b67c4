"""The Python handle on the embedded server: start, accept a real bot, commands, clean stop."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bot_bridge.node_env import (
    BRIDGE_DIR,
    MC_VERSION_ENV,
    STAMP_NAME,
    NodeMissingError,
    ensure_node_modules,
    node_environ,
    node_executable,
)
from bot_bridge.server import EmbeddedServer
from knowledge.version import MC_VERSION
from tests.conftest import inventory, need_node, wait_until


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])  # after "(comm)": state, ppid
        except (OSError, IndexError):
            continue  # ended while we looked
        if ppid == pid:
            kids.append(int(stat.parent.name))
    return kids


@pytest.mark.slow
def test_bot_joins_in_survival_and_console_commands_work(server, bot):
    assert bot.game.gameMode == "survival"
    # (difficulty: test_a_client_is_told_peaceful_by_default reads the packet; bot.game.difficulty is broken)
    server.command(f"give {bot.username} oak_log 3")
    assert wait_until(lambda: inventory(bot).get("oak_log") == 3)


@pytest.mark.slow
def test_binds_loopback_only(server):
    # /proc/net/tcp lists listening sockets (state 0A) as hex "ADDR:PORT"; 0100007F is 127.0.0.1.
    listening = [row.split()[1] for row in open("/proc/net/tcp").read().splitlines()[1:] if row.split()[3] == "0A"]
    ours = [addr for addr in listening if int(addr.split(":")[1], 16) == server.port]
    assert ours == [f"0100007F:{server.port:04X}"]


@pytest.mark.slow
def test_stop_ends_the_process(tmp_path):
    srv = EmbeddedServer(seed=3, log_path=tmp_path / "s.log").start()
    pid = srv._proc.pid
    srv.stop()
    assert not srv.running
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert "GITM_SERVER_READY" in (tmp_path / "s.log").read_text()


@pytest.mark.slow
def test_server_dies_with_a_killed_parent(tmp_path):
    # A Python parent killed with SIGKILL cannot clean up; the server must still go away.
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(os.getcwd())!r})
        from bot_bridge.server import EmbeddedServer
        s = EmbeddedServer(seed=4, log_path=__import__('pathlib').Path({str(tmp_path / 'k.log')!r})).start()
        print(s._proc.pid, flush=True)
        time.sleep(120)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child_pid = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert wait_until(lambda: _pid_gone(child_pid), timeout=15)


@pytest.mark.slow
def test_refuses_offline_mode_off_loopback(tmp_path):
    from bot_bridge.server import ServerStartError

    with pytest.raises(ServerStartError, match="refusing offline mode"):
        EmbeddedServer(seed=5, host="0.0.0.0", log_path=tmp_path / "x.log", start_timeout=20).start()


@pytest.mark.slow
def test_world_age_counts_game_ticks(bot):
    # flying-squid sent age 0; our worldAge plugin sends the ticks run, which the agent's tick budget uses.
    first = bot.time.age
    assert wait_until(lambda: bot.time.age >= first + 40, timeout=5)
    assert bot.time.age > 0


@pytest.mark.slow
def test_gitm_server_command_serves_until_interrupted(tmp_path):
    # `gitm server` for a user joining with a real client: serves, and Ctrl-C stops it with exit 0.
    proc = subprocess.Popen([sys.executable, "-m", "gitm.cli", "server", "--seed", "9", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    banner = proc.stdout.readline()
    assert "on 127.0.0.1:" in banner and f"(Minecraft {MC_VERSION}, seed 9, peaceful)" in banner
    port = int(banner.split("127.0.0.1:")[1].split(";")[0])
    from bot_bridge.bot import connect_bot

    joined = connect_bot(port, username="client")
    assert joined.game.gameMode == "survival"
    joined.quit()
    [node_pid] = _children(proc.pid)
    assert "start.js" in Path(f"/proc/{node_pid}/cmdline").read_text()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0
    # The world goes with it: no orphaned node process still holding the port.
    assert wait_until(lambda: _pid_gone(node_pid), timeout=5)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


class _Console:
    """`gitm server` as a person at its console: lines typed on its standard input, its output collected."""

    def __init__(self, *args: str, stdin=subprocess.PIPE) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "gitm.cli", "server", "--port", "0", *args], stdin=stdin,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.banner = self.proc.stdout.readline()
        self.port = int(self.banner.split("127.0.0.1:")[1].split(";")[0])
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True).start()

    def type(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def printed(self, text: str) -> bool:
        return any(text in line for line in list(self.lines))

    def output(self) -> str:
        return "".join(self.lines)


@pytest.mark.slow
def test_gitm_server_reads_console_commands_and_outlives_the_end_of_its_input():
    from bot_bridge.bot import connect_bot

    console = _Console("--seed", "9", "--difficulty", "hard")
    try:
        assert "hard" in console.banner
        player = connect_bot(console.port, username="console1")
        console.type("op console1")  # the console's full permission
        assert wait_until(lambda: console.printed("Opped console1"), 20), console.output()
        console.type("give console1 oak_log 3")
        assert wait_until(lambda: inventory(player).get("oak_log") == 3, 20), console.output()
        console.type("tp console1 100 90 -20")  # vanilla centres a whole x and z, not y
        assert wait_until(lambda: console.printed("Teleported console1 to 100.5, 90, -19.5"), 20), console.output()
        assert wait_until(lambda: abs(player.entity.position.x - 100.5) < 0.01, 20)
        console.type("time set 1000")
        assert wait_until(lambda: console.printed("Time was changed from"), 20), console.output()
        console.type("weather rain")
        assert wait_until(lambda: console.printed("Set the weather to rain"), 20), console.output()
        console.type("setblock 0 70 0 notablock")
        assert wait_until(lambda: console.printed("Unknown block type 'minecraft:notablock'"), 20), console.output()
        player.quit()
        console.proc.stdin.close()  # end of input, as with no terminal: the world runs on
        # another client still joins afterwards, and is told the world's difficulty
        probe = subprocess.run([node_executable(), "-e", DIFFICULTY_PROBE, str(console.port)], cwd=BRIDGE_DIR,
                               capture_output=True, text=True, timeout=60, env=node_environ())
        assert probe.returncode == 0, probe.stderr[-2000:]
        assert json.loads(probe.stdout) == {"name": "hard", "wire": 3}
        assert console.proc.poll() is None, console.output()
        console.proc.send_signal(signal.SIGINT)
        assert console.proc.wait(timeout=20) == 0
    finally:
        if console.proc.poll() is None:
            console.proc.kill()
            console.proc.wait()


@pytest.mark.slow
def test_the_console_stop_command_ends_gitm_server():
    console = _Console("--seed", "9")
    try:
        node_pid = _children(console.proc.pid)[0]
        console.type("stop")
        assert console.proc.wait(timeout=30) == 0, console.output()
        assert wait_until(lambda: _pid_gone(node_pid), timeout=10)
    finally:
        if console.proc.poll() is None:
            console.proc.kill()
            console.proc.wait()


@pytest.mark.slow
def test_give_twice_adds_up(server, bot):
    # Test set-up gives items in several steps; flying-squid concatenated the counts ("3" + 2 = "32").
    server.command(f"give {bot.username} stick 3")
    assert wait_until(lambda: inventory(bot).get("stick") == 3)
    server.command(f"give {bot.username} stick 2")
    assert wait_until(lambda: inventory(bot).get("stick") == 5)


@pytest.mark.slow
def test_a_killed_player_respawns_at_spawn(server, bot):
    # Mineflayer asks to respawn at once; flying-squid ignored the 1.21.4 request and left it dead.
    spawn = bot.entity.position.clone()
    bot.chat(f"/tp {int(spawn.x) + 40} {int(spawn.y) + 30} {int(spawn.z)}")
    assert wait_until(lambda: bot.entity.position.x > spawn.x + 30, 20)
    server.command(f"kill {bot.username}")
    assert wait_until(lambda: bot.health == 20 and bot.entity.position.distanceTo(spawn) < 2, 20)


# A real client's view of the difficulty. mineflayer 4.25 leaves bot.game.difficulty undefined (it looks
# the already-decoded name up as an index), so read the difficulty packet itself, decoded and on the wire.
DIFFICULTY_PROBE = r"""
const mineflayer = require('mineflayer')
const bot = mineflayer.createBot({ host: '127.0.0.1', port: +process.argv[1], username: 'probe',
                                   version: require('./server/lib/version').mcVersion(), auth: 'offline',
                                   hideErrors: true })
const seen = {}
bot._client.on('raw.difficulty', buf => { seen.wire = buf[1] })  // after the one-byte packet id
bot._client.on('difficulty', packet => { seen.name = packet.difficulty })
bot.once('spawn', () => { console.log(JSON.stringify(seen)); bot.quit() })
bot.once('error', err => { console.error(err); process.exit(1) })
"""


@pytest.mark.slow
@pytest.mark.parametrize(("options", "name", "wire"), [({}, "peaceful", 0), ({"difficulty": 2}, "normal", 2)])
def test_a_client_is_told_peaceful_by_default(tmp_path, options, name, wire):
    with EmbeddedServer(seed=6, log_path=tmp_path / "d.log", **options) as srv:
        probe = subprocess.run([node_executable(), "-e", DIFFICULTY_PROBE, str(srv.port)], cwd=BRIDGE_DIR,
                               capture_output=True, text=True, timeout=30, env=node_environ())
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert json.loads(probe.stdout) == {"name": name, "wire": wire}


@pytest.mark.parametrize("script", [
    ["server/start.js", '{"port": 0}'],  # the server's options without "version"
    ["tools/sample_world.js", "1", "0"],
    ["tools/sample_features.js", "1", "16", "0"],
    ["tools/time_generation.js"],
    ["server/lib/harvest.test.js"],
    ["../bench/tps_load.js", "9", "1"],
    ["../knowledge/generate.js"],
])
def test_node_processes_refuse_to_start_without_the_minecraft_version(script):
    # knowledge/version.py's MC_VERSION is the one source: no node process of ours falls back to a literal.
    node = need_node("node processes require the Minecraft version")
    env = {k: v for k, v in os.environ.items() if k != MC_VERSION_ENV}
    done = subprocess.run([node, *script], cwd=BRIDGE_DIR, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode != 0, done.stdout[-1000:]
    assert MC_VERSION_ENV in done.stderr or "minecraft version" in done.stderr.lower(), done.stderr[-2000:]
    assert "GITM_SERVER_READY" not in done.stdout


def test_the_bot_refuses_to_connect_without_the_minecraft_version():
    need_node("connect requires the Minecraft version")
    from bot_bridge.bot import require_skill

    connect = require_skill("connect").connect
    with pytest.raises(Exception, match="no Minecraft version given"):  # noqa: B017 - JSPyBridge's error class
        connect({"host": "127.0.0.1", "port": 9, "username": "noversion"}, timeout=30)


def test_gitm_server_without_node_says_so_in_one_line(tmp_path, monkeypatch):
    # A PATH with python but no node: one line naming what to install, not a traceback.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(NodeMissingError) as missing:
        node_executable()
    done = subprocess.run([sys.executable, "-m", "gitm.cli", "server", "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"error: {missing.value}\n")


@pytest.mark.slow
def test_first_use_installs_node_packages_from_the_lock_file(tmp_path):
    for name in ("package.json", "package-lock.json"):
        shutil.copy(BRIDGE_DIR / name, tmp_path / name)
    lock = (tmp_path / "package-lock.json").read_bytes()
    try:
        node_modules = ensure_node_modules(tmp_path)
        assert node_modules == tmp_path / "node_modules"
        installed = json.loads((node_modules / "mineflayer" / "package.json").read_text())
        assert installed["version"] == json.loads(lock)["packages"]["node_modules/mineflayer"]["version"]
        stamp = node_modules / STAMP_NAME
        assert stamp.read_text() == hashlib.sha256(lock).hexdigest()

        # The second call trusts the stamp: npm ci would have wiped this file it did not install.
        untouched = node_modules / "not-from-npm"
        untouched.touch()
        stamped = stamp.stat().st_mtime_ns
        started = time.monotonic()
        assert ensure_node_modules(tmp_path) == node_modules
        assert time.monotonic() - started < 10  # a hash of the lock file, not an install (minutes); see also below
        assert untouched.exists() and stamp.stat().st_mtime_ns == stamped
    finally:
        shutil.rmtree(tmp_path / "node_modules", ignore_errors=True)  # 500 MB: not left to pytest's tmp retention


@pytest.mark.slow
def test_a_bot_that_cannot_join_says_why_in_one_line():
    import socket

    from bot_bridge.bot import BotConnectError, connect_bot

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with pytest.raises(BotConnectError) as e:
        connect_bot(closed, username="nobody", timeout=10)
    msg = str(e.value)
    assert f"could not join 127.0.0.1:{closed}: connect ECONNREFUSED" in msg
    assert "\n" not in msg and "\\n" not in msg and " at " not in msg, msg


def _eval_js(code: str, ticker=None):
    """JSPyBridge's eval_js in a frame whose locals are all JS names (pytest's assert rewriting adds others)."""
    from bot_bridge.bot import javascript

    return javascript().eval_js(code)


@pytest.mark.slow
def test_a_bridge_call_that_times_out_leaves_the_bridge_working():
    # JSPyBridge's own behaviour: the late reply of a timed-out call killed its event-loop thread, and every later
    # call of the session failed ("Timed out accessing 'require'"); bot_bridge.bot hardens it.
    slow = _eval_js("return (ms) => new Promise(resolve => setTimeout(() => resolve(ms), ms))")
    with pytest.raises(Exception, match="timed out"):  # noqa: B017 - JSPyBridge raises a bare Exception
        slow(1500, timeout=0.3)
    time.sleep(2.5)  # the late reply has come and gone
    assert slow(10, timeout=10) == 10
    assert _eval_js("return 6 * 7") == 42


@pytest.mark.slow
def test_a_method_of_a_temporary_object_is_called_on_that_object():
    # `a.b.f()`: the temporary `a.b` must outlive the call, or JavaScript may free it first ("Cannot read
    # properties of undefined (reading 'f')"), as happened to `bot._client.write(...)` under a live bot's traffic.
    from bot_bridge.bot import javascript

    bridge = javascript()
    ticker = _eval_js("const e = new (require('events').EventEmitter)(); "
                      "e.timer = setInterval(() => e.emit('t'), 1); return e")
    heard = []
    handler = bridge.On(ticker, "t")(lambda this, *_: heard.append(1))
    try:
        nested = _eval_js("return { a: { f: (n) => n + 1 } }")
        assert all(nested.a.f(i) == i + 1 for i in range(2000))
        assert heard  # the calls ran among events, as with a bot
    finally:
        _eval_js("clearInterval(ticker.timer)", ticker)
        bridge.off(ticker, "t", handler)


@pytest.mark.slow
def test_a_process_with_an_event_handler_left_on_still_exits():
    # JSPyBridge's exit waited forever for a Python event handler never taken off (this suite hung after its
    # last test, holding CI's output pipe open); bot_bridge.bot drops the handlers at exit.
    script = ("from bot_bridge.bot import javascript\n"
              "bridge = javascript()\n"
              "e = bridge.eval_js('return new (require(\"events\").EventEmitter)()')\n"
              "bridge.On(e, 't')(lambda this, *_: None)\n"
              "print('registered', flush=True)\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=BRIDGE_DIR.parent, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and "registered" in proc.stdout, proc.stderr[-2000:]


def _time_of_day_seen(port: int) -> int:
    from bot_bridge.bot import connect_bot

    from .conftest import quit_bot

    bot = connect_bot(port, username=f"clock{int(time.time()) % 10000}")
    try:
        assert wait_until(lambda: bot.time.age is not None and bot.time.age > 0, 20)
        return int(bot.time.timeOfDay)
    finally:
        quit_bot(bot)


@pytest.mark.slow
def test_a_new_world_starts_at_the_time_of_day_asked_and_a_saved_one_keeps_its_own(tmp_path):
    from knowledge.facts import can_sleep_at

    with EmbeddedServer(seed=1, log_path=tmp_path / "a.log") as srv:
        assert not can_sleep_at(_time_of_day_seen(srv.port))  # vanilla: a new world starts at sunrise
    with EmbeddedServer(seed=1, log_path=tmp_path / "b.log", start_time=18000, save_dir=tmp_path / "world") as srv:
        assert can_sleep_at(_time_of_day_seen(srv.port))  # midnight, and the clock runs on from it
    # restarted on its save (a resumed run): the saved night, not the start time given
    with EmbeddedServer(seed=1, log_path=tmp_path / "c.log", start_time=0, save_dir=tmp_path / "world") as srv:
        assert can_sleep_at(_time_of_day_seen(srv.port))
