"""The no-model control: an OpenAI-compatible endpoint whose every reply is drawn at random from what the
request's JSON schema admits. Run with the same prompts and schemas as a model, it measures how much of the
planning the schema (and the harness around it) does on its own.

    gitm llm serve --random SEED      # foreground; prints the base URL

It lists one model whose `owned_by` is llama.cpp's, so gitm's client picks the llamacpp dialect and sends the
schema exactly as it sends it to the local model (`response_format={"type": "json_object", "schema": ...}`);
OpenAI's `{"type": "json_schema", ...}` is answered too. A request without a schema is refused (HTTP 400).

Seeding: each reply's generator is seeded from (seed, the request's messages and schema, how many times that
request was seen), so a run's replies do not depend on what other runs asked the same server meanwhile.
Usage token counts are gitm's own estimate (`gitm.llm.prompts.estimate_tokens`): there is no tokenizer.

Supported schema keywords, those gitm's `reply_schema()` emits: type object (properties, required;
additionalProperties is honoured by never adding any), array (items, minItems, maxItems), string (minLength,
maxLength), integer (minimum, maximum), null; enum, const, anyOf. Anything else is an error, not a guess.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gitm.llm.prompts import estimate_tokens, messages_tokens

MODEL_ID = "random-control"
OWNED_BY = "llamacpp"  # the dialect it speaks: gitm's client then sends the schema as it does to llama.cpp
WORDS = ("mine", "craft", "go", "then", "wood", "stone", "iron", "need", "first", "get", "a", "the", "to", "use")
DEFAULT_ARRAY_SPAN = 4  # items beyond minItems when maxItems is not given
DEFAULT_INT_SPAN = 100  # the range of an integer with one bound or none


class SchemaError(ValueError):
    """The schema uses something the control cannot draw from."""


def random_text(rng: random.Random, min_len: int = 0, max_len: int = 40) -> str:
    """A few random words, min_len to max_len characters (at most 40 unless min_len asks for more)."""
    target = rng.randint(min_len, max(min_len, min(max_len, 40)))
    text = ""
    while len(text) < target:
        text += rng.choice(WORDS) + " "
    return text[:target]


def random_instance(schema: Any, rng: random.Random) -> Any:
    """One value the schema admits, drawn with rng."""
    if not isinstance(schema, dict):
        raise SchemaError(f"a schema must be an object, got {schema!r}")
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        if not schema["enum"]:
            raise SchemaError("an empty enum admits nothing")
        return rng.choice(schema["enum"])
    if "anyOf" in schema:
        return random_instance(rng.choice(schema["anyOf"]), rng)
    kind = schema.get("type")
    if kind == "null":
        return None
    if kind == "string":
        return random_text(rng, schema.get("minLength", 0), schema.get("maxLength", 40))
    if kind == "integer":
        lo, hi = schema.get("minimum"), schema.get("maximum")
        lo = lo if lo is not None else (hi - DEFAULT_INT_SPAN if hi is not None else 0)
        hi = hi if hi is not None else lo + DEFAULT_INT_SPAN
        return rng.randint(lo, hi)
    if kind == "array":
        lo = schema.get("minItems", 0)
        hi = schema.get("maxItems", lo + DEFAULT_ARRAY_SPAN)
        return [random_instance(schema.get("items", {}), rng) for _ in range(rng.randint(lo, hi))]
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        missing = required - set(props)
        if missing:
            raise SchemaError(f"required properties without a schema: {sorted(missing)}")
        return {k: random_instance(s, rng) for k, s in props.items() if k in required or rng.random() < 0.5}
    raise SchemaError(f"unsupported schema (type {kind!r}): {json.dumps(schema)[:200]}")


def schema_of(response_format: Any) -> dict[str, Any] | None:
    """The JSON schema inside a request's response_format, in llama.cpp's or OpenAI's spelling."""
    if not isinstance(response_format, dict):
        return None
    if response_format.get("type") == "json_object":
        return response_format.get("schema")
    if response_format.get("type") == "json_schema":
        return (response_format.get("json_schema") or {}).get("schema")
    return None


class RandomEndpoint:
    """The control as a threaded HTTP server on host:port (0: a free port); a context manager."""

    def __init__(self, seed: int, port: int = 0, host: str = "127.0.0.1"):
        self.seed = seed
        self.host = host
        self.port = port
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def reply(self, request: dict[str, Any]) -> dict[str, Any]:
        """The chat completion answering one request (SchemaError when it carries no usable schema)."""
        schema = schema_of(request.get("response_format"))
        if schema is None:
            raise SchemaError("the random control answers only requests with a JSON schema in response_format")
        messages = request.get("messages") or []
        key = hashlib.sha256(json.dumps([messages, schema], sort_keys=True).encode()).hexdigest()
        with self._lock:
            nth = self._seen[key]
            self._seen[key] += 1
        text = json.dumps(random_instance(schema, random.Random(f"{self.seed}:{key}:{nth}")))
        prompt_tokens, completion_tokens = messages_tokens(messages), estimate_tokens(text)
        return {
            "id": f"chatcmpl-random-{key[:12]}-{nth}", "object": "chat.completion", "created": int(time.time()),
            "model": request.get("model") or MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the openai client expects

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path.rstrip("/") == "/v1/models":
                    self._send(200, {"object": "list", "data": [
                        {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": OWNED_BY}]})
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                    return
                try:
                    request = json.loads(body)
                    self._send(200, endpoint.reply(request))
                except (ValueError, SchemaError) as e:  # JSONDecodeError is a ValueError
                    self._send(400, {"error": {"message": str(e), "type": "invalid_request_error"}})

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet: one line a request is noise
                pass

        return Handler

    def start(self) -> RandomEndpoint:
        self._httpd = ThreadingHTTPServer((self.host, self.port), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="gitm-random-endpoint", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> RandomEndpoint:
        return self.start() if self._httpd is None else self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
