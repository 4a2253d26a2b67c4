"""Endpoint settings precedence (flags > env > config file > defaults), dialect detection, and the client's
behaviour against a closed port (real HTTP) and a stub HTTP server."""

from __future__ import annotations

import argparse
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from gitm.errors import GitmError
from gitm.llm.client import LLMClient, UnreachableEndpointError, response_format_for
from gitm.llm.config import (
    ConfigError,
    add_llm_flags,
    dialect_from_models,
    load_settings,
    normalize_base_url,
)


@pytest.fixture
def cfg(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[llm]\nbase_url = "http://file.example:1/v1"\nmodel = "file-model"\ntimeout = 7\n')
    return path


def test_defaults_without_anything(tmp_path):
    s = load_settings({}, env={}, path=tmp_path / "none.toml")
    assert s.base_url is None and s.model is None and s.timeout == 60 and s.dialect == "auto"
    assert s.sources["base_url"] == "default"


def test_config_file_then_env_then_flags(cfg):
    s = load_settings({}, env={}, path=cfg)
    assert (s.base_url, s.model, s.timeout) == ("http://file.example:1/v1", "file-model", 7.0)
    env = {"GITM_LLM_BASE_URL": "http://env.example:2/v1", "OPENAI_API_KEY": "sk-env"}
    s = load_settings({}, env=env, path=cfg)
    assert s.base_url == "http://env.example:2/v1" and s.model == "file-model" and s.api_key == "sk-env"
    assert s.sources["base_url"] == "GITM_LLM_BASE_URL"
    s = load_settings({"base_url": "http://flag.example:3/v1", "timeout": 3}, env=env, path=cfg)
    assert s.base_url == "http://flag.example:3/v1" and s.timeout == 3.0 and s.sources["base_url"] == "flag"


def test_argparse_flags_and_config_path(cfg):
    parser = argparse.ArgumentParser()
    add_llm_flags(parser)
    args = parser.parse_args(["--llm-model", "m1", "--llm-config", str(cfg), "--llm-dialect", "generic"])
    s = load_settings(args, env={})
    assert s.model == "m1" and s.base_url == "http://file.example:1/v1" and s.dialect == "generic"


def test_env_names_the_config_file(cfg):
    s = load_settings({}, env={"GITM_CONFIG": str(cfg)})
    assert s.model == "file-model"


@pytest.mark.parametrize("text", ['[llm]\nbase_url = "x', '[llm]\nbogus = 1\n', '[llm]\ntimeout = "soon"\n'])
def test_bad_config_file_is_a_clear_error(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as e:
        load_settings({}, env={}, path=path)
    assert str(path) in str(e.value)


def test_bad_dialect_is_rejected(tmp_path):
    with pytest.raises(ConfigError):
        load_settings({}, env={"GITM_LLM_DIALECT": "klingon"}, path=tmp_path / "none.toml")


def test_base_url_normalization():
    assert normalize_base_url("localhost:8000") == "http://localhost:8000/v1"
    assert normalize_base_url("http://h:1/") == "http://h:1/v1"
    assert normalize_base_url("https://api.openai.com/v1") == "https://api.openai.com/v1"
    assert normalize_base_url("http://h:1/api/v2") == "http://h:1/api/v2"


def test_dialect_detection_from_models_listing():
    def models(owner):
        return {"object": "list", "data": [{"id": "m", "object": "model", "owned_by": owner}]}

    assert dialect_from_models("https://api.openai.com/v1", None) == "openai"
    assert dialect_from_models("http://127.0.0.1:8000/v1", models("me")) == "llamacpp"  # llama-cpp-python
    assert dialect_from_models("http://127.0.0.1:8080/v1", models("llamacpp")) == "llamacpp"  # llama-server
    assert dialect_from_models("http://127.0.0.1:8000/v1", models("vllm")) == "openai"
    assert dialect_from_models("http://127.0.0.1:11434/v1", models("library")) == "openai"  # ollama
    assert dialect_from_models("http://127.0.0.1:9/v1", None) == "generic"
    assert dialect_from_models("http://127.0.0.1:9/v1", models("someone")) == "generic"


def test_response_format_per_dialect():
    schema = {"type": "object"}
    assert response_format_for("openai", schema)["json_schema"]["strict"] is True
    bounded = {"type": "object", "properties": {"t": {"type": "string", "maxLength": 9}}}
    assert "maxLength" not in json.dumps(response_format_for("openai", bounded))
    assert response_format_for("llamacpp", schema) == {"type": "json_object", "schema": schema}
    assert response_format_for("generic", schema) is None
    # llama.cpp's converter ignores minimum/maximum, so bounded integers become enums there
    y = {"type": "object", "properties": {"y": {"type": "integer", "minimum": -2, "maximum": 2}}}
    assert response_format_for("llamacpp", y)["schema"]["properties"]["y"]["enum"] == [-2, -1, 0, 1, 2]


# -- real HTTP -------------------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_unreachable_endpoint_gives_one_clear_line(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    s = load_settings({"base_url": url, "model": "m", "dialect": "generic", "timeout": 2}, env={},
                      path=tmp_path / "none.toml")
    sleeps: list[float] = []
    client = LLMClient(s, sleep=sleeps.append)
    with pytest.raises(UnreachableEndpointError) as e:
        client.complete([{"role": "user", "content": "hi"}])
    msg = str(e.value)
    assert isinstance(e.value, GitmError)
    assert url in msg and "connection refused" in msg and "gitm llm serve" in msg and "\n" not in msg
    assert sleeps == [1.0, 2.0, 4.0]  # three retries, exponential backoff
    assert client.usage.retries == 3 and client.usage.failures == 1


def test_no_endpoint_at_all_is_a_gitm_error(tmp_path):
    with pytest.raises(GitmError):
        LLMClient(load_settings({}, env={}, path=tmp_path / "none.toml"))


class StubHandler(BaseHTTPRequestHandler):
    """An OpenAI-compatible stub: fails the first N requests with 503, rejects json_schema like llama.cpp."""

    fail_first = 0
    requests: list[dict] = []

    def log_message(self, *a):
        pass

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._send(200, {"object": "list", "data": [{"id": "stub-model", "object": "model", "owned_by": "me"}]})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        StubHandler.requests.append(body)
        if StubHandler.fail_first > 0:
            StubHandler.fail_first -= 1
            return self._send(503, {"error": {"message": "busy"}})
        if body.get("response_format", {}).get("type") == "json_schema":
            return self._send(500, {"error": {"message": "response_format json_schema not supported"}})
        reply = '{"explanation": null, "thoughts": "t", "action_list": [{"name": "go_up", "args": {"y": 64}}]}'
        self._send(200, {
            "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
        })


@pytest.fixture
def stub():
    StubHandler.fail_first, StubHandler.requests = 0, []
    server = HTTPServer(("127.0.0.1", 0), StubHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_retries_with_backoff_then_succeeds_and_counts_usage(stub, tmp_path):
    StubHandler.fail_first = 2
    sleeps: list[float] = []
    client = LLMClient(load_settings({"base_url": stub}, env={}, path=tmp_path / "n.toml"), sleep=sleeps.append)
    c = client.complete([{"role": "user", "content": "plan"}], {"type": "object"})
    assert client.model == "stub-model"  # first listed model when none is configured
    assert client.dialect == "llamacpp"  # owned_by "me"
    assert StubHandler.requests[-1]["response_format"] == {"type": "json_object", "schema": {"type": "object"}}
    assert json.loads(c.text)["action_list"][0]["name"] == "go_up"
    assert sleeps == [1.0, 2.0]
    assert client.usage.calls == 1 and client.usage.prompt_tokens == 11 and client.usage.completion_tokens == 7


def test_rejected_json_schema_falls_back_to_plain_json(stub, tmp_path):
    s = load_settings({"base_url": stub, "model": "m", "dialect": "openai"}, env={}, path=tmp_path / "n.toml")
    client = LLMClient(s, sleep=lambda _: None)
    c = client.complete([{"role": "user", "content": "plan"}], {"type": "object"})
    assert c.mode == "plain" and client.dialect == "generic" and client.notes
    assert "response_format" not in StubHandler.requests[-1]


def test_endpoint_problem_tells_a_refused_key_from_a_dead_endpoint():
    """Real HTTP: a 401 is a key problem, a server without /models still answers, a closed port does not."""
    import http.server
    import socket
    import threading

    from gitm.llm.config import endpoint_problem

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            code = 401 if self.headers.get("Authorization") != "Bearer good" else 404
            self.send_response(code)
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_port}/v1"
    try:
        assert "refuses the API key (HTTP 401" in endpoint_problem(url, "bad", timeout=5)
        assert endpoint_problem(url, "good", timeout=5) is None  # 404 on /models: it answers
    finally:
        srv.shutdown()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    assert endpoint_problem(f"http://127.0.0.1:{closed}/v1", timeout=2).startswith("does not answer")


def test_a_busy_endpoint_that_answers_late_passes_the_check_before_a_run():
    """The check before a run waits as long as a request may (--llm-timeout): a local model busy with other runs'
    requests (a benchmark with runs at once) answered /models after more than 5 s and the runs were refused."""
    import http.server
    import threading
    import time

    from gitm.agent.llm_agent import check_endpoint
    from gitm.llm.config import LLMSettings

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            time.sleep(6)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"data": [{"id": "m"}]}')

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        check_endpoint(LLMSettings(base_url=f"http://127.0.0.1:{srv.server_port}/v1", model="m", timeout=30))
    finally:
        srv.shutdown()
