"""Where the planner's LLM lives: settings from flags > environment > config file > defaults, and the dialect.

Environment: GITM_LLM_BASE_URL, GITM_LLM_MODEL, OPENAI_API_KEY (GITM_LLM_API_KEY wins over it),
GITM_LLM_TIMEOUT, GITM_LLM_DIALECT, GITM_CONFIG (path of the config file).
Config file (TOML, default ~/.config/gitm/config.toml, or $XDG_CONFIG_HOME/gitm/config.toml):

    [llm]
    base_url = "http://127.0.0.1:8000/v1"
    model = "gpt-4o-mini"
    api_key = "sk-..."
    timeout = 60
    dialect = "auto"          # auto | openai | llamacpp | generic

Dialects decide how constrained output is asked for (see gitm.llm.client):
- openai:   response_format json_schema, strict (OpenAI, vLLM, ollama >= 0.5);
- llamacpp: response_format {"type": "json_object", "schema": ...} (llama-cpp-python's server rejects
            json_schema with HTTP 500);
- generic:  plain JSON in the prompt, repaired and validated afterwards.
"""

from __future__ import annotations

import json
import os
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gitm.errors import GitmError

DIALECTS = ("auto", "openai", "llamacpp", "generic")
DEFAULTS: dict[str, Any] = {
    "base_url": None,  # None: the local server (`gitm llm serve`), see gitm.llm.local_server.resolve_endpoint
    "model": None,  # None: the first model the endpoint lists
    "api_key": None,
    "timeout": 60.0,
    "max_retries": 3,
    "dialect": "auto",
    "temperature": 0.2,
}
ENV = {
    "base_url": ("GITM_LLM_BASE_URL",),
    "model": ("GITM_LLM_MODEL",),
    "api_key": ("GITM_LLM_API_KEY", "OPENAI_API_KEY"),
    "timeout": ("GITM_LLM_TIMEOUT",),
    "max_retries": ("GITM_LLM_MAX_RETRIES",),
    "dialect": ("GITM_LLM_DIALECT",),
    "temperature": ("GITM_LLM_TEMPERATURE",),
}
NUMERIC = {"timeout": float, "max_retries": int, "temperature": float}


class ConfigError(GitmError):
    pass


@dataclass(frozen=True)
class LLMSettings:
    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    timeout: float = 60.0
    max_retries: int = 3
    dialect: str = "auto"
    temperature: float = 0.2
    sources: dict[str, str] = field(default_factory=dict, compare=False)  # field -> flag / env NAME / file / default

    def with_endpoint(self, base_url: str, model: str | None = None, source: str = "local") -> LLMSettings:
        return replace(self, base_url=base_url, model=model or self.model,
                       sources={**self.sources, "base_url": source})

    def describe(self) -> str:
        key = "set" if self.api_key else "none"
        return (f"base_url={self.base_url} model={self.model} api_key={key} timeout={self.timeout}s "
                f"dialect={self.dialect}")


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("GITM_CONFIG"):
        return Path(env["GITM_CONFIG"]).expanduser()
    base = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return base / "gitm" / "config.toml"


def read_config_file(path: Path) -> dict[str, Any]:
    """The [llm] table of a TOML config file; {} when the file does not exist."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {path} is not valid TOML: {e}") from None
    table = data.get("llm", {})
    if not isinstance(table, dict):
        raise ConfigError(f"config file {path}: [llm] must be a table")
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise ConfigError(f"config file {path}: unknown [llm] keys {', '.join(unknown)}; known: {', '.join(DEFAULTS)}")
    return table


def _coerce(key: str, value: Any, origin: str) -> Any:
    if value is None:
        return None
    if key in NUMERIC:
        try:
            return NUMERIC[key](value)
        except (TypeError, ValueError):
            raise ConfigError(f"{origin}: {key} must be a number, got {value!r}") from None
    value = str(value)
    if key == "dialect" and value not in DIALECTS:
        raise ConfigError(f"{origin}: dialect must be one of {', '.join(DIALECTS)}, got {value!r}")
    return value


def load_settings(
    flags: Mapping[str, Any] | Any | None = None,
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> LLMSettings:
    """Settings with precedence flags > env > config file > defaults.

    `flags` may be an argparse Namespace (attributes llm_base_url, llm_model, ... as added by add_llm_flags)
    or a mapping of field -> value; None values are "not given".
    """
    env = os.environ if env is None else env
    if flags is not None and not isinstance(flags, Mapping):
        ns = vars(flags)
        flags = {k: ns.get(f"llm_{k}") for k in DEFAULTS}
        if ns.get("llm_config"):
            path = Path(ns["llm_config"]).expanduser()
    flags = dict(flags or {})
    path = path or config_path(env)
    file_values = read_config_file(path)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, default in DEFAULTS.items():
        if flags.get(key) is not None:
            values[key], sources[key] = _coerce(key, flags[key], "--llm-" + key.replace("_", "-")), "flag"
            continue
        env_name = next((n for n in ENV[key] if env.get(n)), None)
        if env_name:
            values[key], sources[key] = _coerce(key, env[env_name], env_name), env_name
        elif file_values.get(key) is not None:
            values[key], sources[key] = _coerce(key, file_values[key], str(path)), str(path)
        else:
            values[key], sources[key] = default, "default"
    if values["base_url"]:
        values["base_url"] = normalize_base_url(values["base_url"])
    return LLMSettings(**values, sources=sources)


def normalize_base_url(url: str) -> str:
    """'localhost:8000' -> 'http://localhost:8000/v1'; an explicit path is kept."""
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = "http://" + url
    parsed = urllib.parse.urlparse(url)
    if parsed.path in ("", "/"):
        url = url + "/v1"
    return url


def add_llm_flags(parser: Any) -> None:
    """--llm-base-url, --llm-model, --llm-api-key, --llm-timeout, --llm-dialect, --llm-config."""
    g = parser.add_argument_group("LLM endpoint (flags > env > ~/.config/gitm/config.toml)")
    g.add_argument("--llm-base-url", metavar="URL", help="OpenAI-compatible base URL (env GITM_LLM_BASE_URL)")
    g.add_argument("--llm-model", metavar="NAME", help="model name (env GITM_LLM_MODEL)")
    g.add_argument("--llm-api-key", metavar="KEY", help="API key (env OPENAI_API_KEY)")
    g.add_argument("--llm-timeout", type=float, metavar="SECONDS", help="per-request timeout (default 60)")
    g.add_argument("--llm-dialect", choices=DIALECTS, help="how to ask for constrained JSON (default auto)")
    g.add_argument("--llm-config", metavar="PATH", help="config file (default ~/.config/gitm/config.toml)")


# -- dialect detection ----------------------------------------------------------------------------


def dialect_from_models(base_url: str, models: Mapping[str, Any] | None) -> str:
    """Guess the dialect from the URL and the /models answer's `owned_by` fields."""
    host = urllib.parse.urlparse(base_url).hostname or ""
    if host.endswith("openai.com"):
        return "openai"
    owners = {str(m.get("owned_by", "")).lower() for m in (models or {}).get("data", []) if isinstance(m, Mapping)}
    if owners & {"me", "llamacpp", "llama.cpp", "llama-cpp"}:  # llama-cpp-python says "me"; llama-server "llamacpp"
        return "llamacpp"
    if owners & {"vllm", "openai", "system", "openai-internal", "library"}:  # vLLM / OpenAI / ollama
        return "openai"
    return "generic"


def fetch_models(base_url: str, api_key: str | None = None, timeout: float = 5.0) -> dict[str, Any] | None:
    """GET {base_url}/models, or None when it cannot be read (unreachable, not JSON, auth)."""
    req = urllib.request.Request(base_url.rstrip("/") + "/models")
    if api_key:
        req.add_header("Authorization", f"Bearer {api_key}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 - user-configured endpoint
            return json.loads(r.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def endpoint_problem(base_url: str, api_key: str | None = None, timeout: float = 5.0) -> str | None:
    """Why the endpoint cannot be used, in a few words, or None when it answers. Only a refused key is fatal
    among HTTP errors: a server without /models (404, 405...) still answers chat completions."""
    req = urllib.request.Request(base_url.rstrip("/") + "/models")
    if api_key:
        req.add_header("Authorization", f"Bearer {api_key}")
    try:
        with urllib.request.urlopen(req, timeout=timeout):  # noqa: S310 - user-configured endpoint
            return None
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            return f"refuses the API key (HTTP {e.code}; set OPENAI_API_KEY or --llm-api-key)"
        return None
    except (urllib.error.URLError, OSError) as e:
        return f"does not answer ({getattr(e, 'reason', e)})"


def detect_dialect(settings: LLMSettings, models: Mapping[str, Any] | None = None) -> str:
    if settings.dialect != "auto":
        return settings.dialect
    if not settings.base_url:
        return "generic"
    if models is None:
        models = fetch_models(settings.base_url, settings.api_key, timeout=settings.timeout)
    return dialect_from_models(settings.base_url, models)
