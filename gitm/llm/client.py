"""A thin wrapper on the `openai` client for any OpenAI-compatible endpoint.

- timeouts per request and retries with exponential backoff (connection errors, timeouts, 429, 5xx);
- an endpoint that cannot be reached becomes `UnreachableEndpointError`, one clear line;
- constrained output by dialect: OpenAI `json_schema` (strict), llama.cpp `json_object` + `schema`, or
  plain JSON; a server that rejects the constrained request is asked again without it (generic);
- usage counting: calls, prompt/completion tokens, seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai

from gitm.errors import GitmError
from gitm.llm.config import LLMSettings, detect_dialect, fetch_models


class UnreachableEndpointError(GitmError):
    def __init__(self, base_url: str | None, reason: str, attempts: int):
        self.base_url, self.reason, self.attempts = base_url, reason, attempts
        tries = f" after {attempts} attempt{'s' if attempts != 1 else ''}" if attempts else ""
        super().__init__(
            f"cannot reach the LLM endpoint at {base_url} ({reason}){tries}; start a local one with "
            "`gitm llm serve` or point --llm-base-url / GITM_LLM_BASE_URL at a running server"
        )


class LLMRequestError(GitmError):
    """The endpoint answered, but with an error retries did not fix (bad model name, auth, 4xx)."""


@dataclass
class Usage:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    retries: int = 0
    failures: int = 0

    def add(self, other: Usage) -> None:
        for k in ("calls", "prompt_tokens", "completion_tokens", "seconds", "retries", "failures"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def as_dict(self) -> dict[str, Any]:
        return {"calls": self.calls, "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "seconds": round(self.seconds, 3), "retries": self.retries, "failures": self.failures}


@dataclass
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    mode: str  # json_schema / json_object_schema / plain
    finish_reason: str | None = None


def response_format_for(dialect: str, schema: dict[str, Any] | None, name: str = "gitm_plan") -> dict[str, Any] | None:
    """The `response_format` a dialect understands for a JSON schema (None: ask in the prompt only)."""
    if schema is None or dialect == "generic":
        return None
    if dialect == "openai":
        return {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": strict_schema(schema)}}
    if dialect == "llamacpp":
        return {"type": "json_object", "schema": llamacpp_schema(schema)}
    raise ValueError(f"unknown dialect {dialect!r}")


OPENAI_UNSUPPORTED = ("minLength", "maxLength")  # string lengths: not accepted by every strict implementation


def strict_schema(node: Any) -> Any:
    """The schema without keywords OpenAI's strict mode may reject (lengths only bound small local models)."""
    if isinstance(node, dict):
        return {k: strict_schema(v) for k, v in node.items() if k not in OPENAI_UNSUPPORTED}
    if isinstance(node, list):
        return [strict_schema(v) for v in node]
    return node


def llamacpp_schema(node: Any, max_enum: int = 512) -> Any:
    """The schema with bounded integers spelled as enums: llama-cpp-python's grammar converter ignores
    minimum/maximum (measured: SmolLM2 wrote count 1502398764888888), but it enforces enum."""
    if isinstance(node, list):
        return [llamacpp_schema(v, max_enum) for v in node]
    if not isinstance(node, dict):
        return node
    lo, hi = node.get("minimum"), node.get("maximum")
    if node.get("type") == "integer" and isinstance(lo, int) and isinstance(hi, int) and 0 <= hi - lo < max_enum:
        rest = {k: v for k, v in node.items() if k not in ("minimum", "maximum")}
        return {**rest, "enum": list(range(lo, hi + 1))}
    return {k: llamacpp_schema(v, max_enum) for k, v in node.items()}


RETRYABLE = (openai.APIConnectionError, openai.APITimeoutError, openai.RateLimitError, openai.InternalServerError)


def _reason(e: BaseException) -> str:
    """One short line naming the real problem; the innermost cause says it best (connection refused...)."""
    if isinstance(e, openai.APITimeoutError):
        return "timed out"
    texts: list[str] = []
    cur: BaseException | None = e
    for _ in range(6):
        if cur is None:
            break
        if str(cur).strip():
            texts.append(str(cur).strip())
        cur = cur.__cause__ or cur.__context__
    joined = " | ".join(texts).lower()
    if "refused" in joined:
        return "connection refused"
    if "name or service not known" in joined or "nodename nor servname" in joined or "getaddrinfo" in joined:
        return "host name not found"
    return (texts[-1] if texts else type(e).__name__).splitlines()[0][:200]


def _is_format_rejection(e: openai.APIStatusError) -> bool:
    body = str(getattr(e, "body", "") or "") + str(e)
    return e.status_code in (400, 422, 500) and any(
        w in body for w in ("response_format", "json_schema", "schema", "grammar"))


class LLMClient:
    """One endpoint. `complete(messages, schema)` returns the reply text under the dialect's constraints."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        client: Any = None,
        dialect: str | None = None,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not settings.base_url:
            raise GitmError("no LLM endpoint configured: set --llm-base-url / GITM_LLM_BASE_URL "
                            "or run `gitm llm serve`")
        self.settings = settings
        self.backoff = backoff
        self._sleep = sleep
        self.usage = Usage()
        self._client = client or openai.OpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key or "not-needed",  # local servers ignore the key; the client insists on one
            timeout=settings.timeout,
            max_retries=0,  # retries are ours, so they are counted and end in a clear error
        )
        self._dialect = dialect
        self.model = settings.model
        self.notes: list[str] = []

    # -- endpoint facts ---------------------------------------------------------------------------

    @property
    def dialect(self) -> str:
        if self._dialect is None:
            models = None
            if self.settings.dialect == "auto":
                s = self.settings
                models = fetch_models(s.base_url or "", s.api_key, min(s.timeout, 5))
            self._dialect = detect_dialect(self.settings, models)
        return self._dialect

    def resolve_model(self) -> str:
        """The configured model, else the first one the endpoint lists."""
        if self.model:
            return self.model
        listing = self._with_retries(lambda: self._client.models.list())
        data = list(getattr(listing, "data", []) or [])
        if not data:
            raise LLMRequestError(f"the LLM endpoint at {self.settings.base_url} lists no models; set --llm-model")
        self.model = data[0].id
        return self.model

    # -- requests ---------------------------------------------------------------------------------

    def _with_retries(self, fn: Callable[[], Any]) -> Any:
        attempts = max(1, self.settings.max_retries + 1)
        for attempt in range(1, attempts + 1):
            try:
                return fn()
            except RETRYABLE as e:
                if isinstance(e, openai.InternalServerError) and _is_format_rejection(e):
                    raise
                if attempt == attempts:
                    self.usage.failures += 1
                    if isinstance(e, openai.APIConnectionError | openai.APITimeoutError):
                        raise UnreachableEndpointError(self.settings.base_url, _reason(e), attempts) from None
                    raise LLMRequestError(f"the LLM endpoint failed {attempts} times: {_reason(e)}") from None
                self.usage.retries += 1
                self._sleep(self.backoff * 2 ** (attempt - 1))
            except openai.APIStatusError:
                raise
            except openai.OpenAIError as e:
                self.usage.failures += 1
                raise LLMRequestError(f"LLM request failed: {_reason(e)}") from None
        raise AssertionError("unreachable")

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any] | None = None,
        *,
        max_tokens: int = 512,
        temperature: float | None = None,
    ) -> Completion:
        model = self.resolve_model()
        dialect = self.dialect
        fmt = response_format_for(dialect, schema)
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": self.settings.temperature if temperature is None else temperature,
        }
        if fmt is not None:
            kwargs["response_format"] = fmt
        t0 = time.monotonic()
        try:
            resp = self._with_retries(lambda: self._client.chat.completions.create(**kwargs))
        except openai.APIStatusError as e:
            if fmt is not None and _is_format_rejection(e):
                self.notes.append(f"the endpoint rejected {fmt['type']} output (HTTP {e.status_code}); "
                                  "falling back to plain JSON with repair")
                self._dialect = "generic"
                return self.complete(messages, schema, max_tokens=max_tokens, temperature=temperature)
            self.usage.failures += 1
            raise LLMRequestError(f"the LLM endpoint answered HTTP {e.status_code}: {_reason(e)}") from None
        seconds = time.monotonic() - t0
        choice = resp.choices[0]
        text = choice.message.content or ""
        u = getattr(resp, "usage", None)
        pt = int(getattr(u, "prompt_tokens", 0) or 0)
        ct = int(getattr(u, "completion_tokens", 0) or 0)
        self.usage.calls += 1
        self.usage.prompt_tokens += pt
        self.usage.completion_tokens += ct
        self.usage.seconds += seconds
        mode = {"openai": "json_schema", "llamacpp": "json_object_schema"}.get(dialect, "plain") if fmt else "plain"
        return Completion(text, pt, ct, seconds, mode, getattr(choice, "finish_reason", None))
