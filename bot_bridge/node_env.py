"""Node.js for the body and the world: find node, install our packages from the lock file once."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

from knowledge.version import MC_VERSION

from .errors import BridgeError

BRIDGE_DIR = Path(__file__).resolve().parent
# In node_modules: records which lock file it was installed from, so a changed lock reinstalls.
STAMP_NAME = ".gitm-lock-sha256"
# Every node process we start reads the Minecraft version from here (bot_bridge/server/lib/version.js); none has a
# default of its own.
MC_VERSION_ENV = "GITM_MC_VERSION"


class NodeMissingError(BridgeError):
    pass


def how_it_ended(code: int) -> str:
    """A node process's exit status in words: 'was killed by SIGKILL', 'exited with code 1'."""
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise NodeMissingError(
            "Node.js (>= 20) is not installed or not on PATH: gitm's bot and embedded server need it. "
            "Install it (e.g. `apt-get install nodejs npm`) and try again."
        )
    return node


def node_environ(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a node process of ours: `base` (default os.environ) plus the Minecraft version."""
    return {**(os.environ if base is None else base), MC_VERSION_ENV: MC_VERSION}


def ensure_node_modules(directory: Path = BRIDGE_DIR) -> Path:
    """Install directory's node packages from its package-lock.json unless already installed from it."""
    node_executable()
    node_modules = directory / "node_modules"
    stamp = node_modules / STAMP_NAME
    digest = hashlib.sha256((directory / "package-lock.json").read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return node_modules
    npm = shutil.which("npm")
    if npm is None:
        raise NodeMissingError("npm is not on PATH: it is needed once to install gitm's node packages.")
    # Several gitm processes (sweep workers) may start at once: one installs, the others wait.
    with open(directory / ".npm-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text().strip() == digest:
            return node_modules
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=directory,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BridgeError(f"installing node packages (npm ci in {directory}) failed:\n{done.stderr[-2000:]}")
        stamp.write_text(digest)
    return node_modules


def module_path(relative: str) -> str:
    """Absolute path of a module inside bot_bridge, for JSPyBridge's require (bypasses its own npm)."""
    ensure_node_modules()
    return str(BRIDGE_DIR / relative)
