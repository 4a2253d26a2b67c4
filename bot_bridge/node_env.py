"""Node.js for the body and the world: find node, install our packages from the lock file once."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from pathlib import Path

from gitm.errors import GitmError

BRIDGE_DIR = Path(__file__).resolve().parent
NODE_MODULES = BRIDGE_DIR / "node_modules"
LOCK_FILE = BRIDGE_DIR / "package-lock.json"
# Records which lock file the installed node_modules came from, so a changed lock reinstalls.
STAMP = NODE_MODULES / ".gitm-lock-sha256"


class NodeMissingError(GitmError):
    pass


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise NodeMissingError(
            "Node.js (>= 20) is not installed or not on PATH: gitm's bot and embedded server need it. "
            "Install it (e.g. `apt-get install nodejs npm`) and try again."
        )
    return node


def _lock_digest() -> str:
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


def ensure_node_modules() -> Path:
    """Install bot_bridge's node packages from package-lock.json unless already installed from it."""
    node_executable()
    digest = _lock_digest()
    if STAMP.is_file() and STAMP.read_text().strip() == digest:
        return NODE_MODULES
    npm = shutil.which("npm")
    if npm is None:
        raise NodeMissingError("npm is not on PATH: it is needed once to install gitm's node packages.")
    # Several gitm processes (sweep workers) may start at once: one installs, the others wait.
    with open(BRIDGE_DIR / ".npm-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if STAMP.is_file() and STAMP.read_text().strip() == digest:
            return NODE_MODULES
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=BRIDGE_DIR,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise GitmError(f"installing node packages (npm ci in {BRIDGE_DIR}) failed:\n{done.stderr[-2000:]}")
        STAMP.write_text(digest)
    return NODE_MODULES


def module_path(relative: str) -> str:
    """Absolute path of a module inside bot_bridge, for JSPyBridge's require (bypasses its own npm)."""
    ensure_node_modules()
    return str(BRIDGE_DIR / relative)
