"""`gitm memory list|show|clear|export|import` through gitm.cli.memory and through the real gitm.cli.main."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitm.cli import main
from memory_store import PlanMemory, PlanRecord, default_data_dir


def _fill(data_dir: Path) -> PlanMemory:
    mem = PlanMemory.open_default(data_dir)
    for i in range(5):
        mem.add_success(PlanRecord("craft stick", [{"name": "craft", "args": {"item": "stick"}}], created_at=float(i)))
    mem.add_success(
        PlanRecord("mine oak_log", [{"name": "goto", "args": {}}, {"name": "dig", "args": {}}], context={"y": 70})
    )
    return mem


def test_default_data_dir_follows_env(monkeypatch, tmp_path):
    monkeypatch.delenv("GITM_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "gitm"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_data_dir() == Path.home() / ".local" / "share" / "gitm"
    monkeypatch.setenv("GITM_DATA_DIR", str(tmp_path / "d"))
    assert default_data_dir() == tmp_path / "d"


def test_list_show_export_import_clear_via_memory_cli(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    _fill(data)
    d = ["--data-dir", str(data)]

    assert main(["memory", *d, "list"]) == 0
    out = capsys.readouterr().out
    assert "craft stick" in out and "5 successes  [reference plan]" in out and "mine oak_log" in out
    assert "2 sub-goals, 6 successes" in out

    assert main(["memory", "list", "--json", *d]) == 0  # --data-dir after the action works too
    assert json.loads(capsys.readouterr().out) == [
        {"subgoal": "craft stick", "successes": 5, "summary": True},
        {"subgoal": "mine oak_log", "successes": 1, "summary": False},
    ]

    assert main(["memory", *d, "show", "Craft Stick"]) == 0
    out = capsys.readouterr().out
    assert "reference plan (summary of 5 successes, most_frequent)" in out and "craft(item=stick)" in out

    assert main(["memory", *d, "show", "mine birch_log"]) == 0
    assert "Nearest: 'mine oak_log'" in capsys.readouterr().out

    assert main(["memory", *d, "show", "mine oak_log", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["reference_plan"]["source"] == "exact" and shown["records"][0]["context"] == {"y": 70}

    dump = tmp_path / "dump.jsonl"
    assert main(["memory", *d, "export", str(dump)]) == 0
    assert len(dump.read_text().splitlines()) == 7

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["memory", *d, "clear"]) == 1  # no terminal, no --yes: refuses
    assert PlanMemory.open_default(data).count() == 6
    assert main(["memory", *d, "clear", "--yes"]) == 0
    capsys.readouterr()
    assert PlanMemory.open_default(data).count() == 0
    assert main(["memory", *d, "show", "craft stick"]) == 1
    assert "Nothing in memory" in capsys.readouterr().out

    # import into another data folder chosen by the environment
    monkeypatch.setenv("GITM_DATA_DIR", str(tmp_path / "env-data"))
    assert main(["memory", "import", str(dump)]) == 0
    assert PlanMemory.open_default(tmp_path / "env-data").subgoals() == {"craft stick": 5, "mine oak_log": 1}
    assert main(["memory", "import", str(tmp_path / "missing.jsonl")]) == 2


def test_memory_verb_is_wired_into_gitm_cli(tmp_path, capsys):
    _fill(tmp_path / "data")
    assert main(["memory", "--data-dir", str(tmp_path / "data"), "list"]) == 0
    assert "2 sub-goals, 6 successes" in capsys.readouterr().out


def test_installed_gitm_command_uses_xdg_data_home(tmp_path):
    """The console script, default data folder from XDG_DATA_HOME (a fresh process)."""
    _fill(tmp_path / "xdg" / "gitm")
    env = {k: v for k, v in os.environ.items() if k != "GITM_DATA_DIR"}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    r = subprocess.run(
        [sys.executable, "-m", "gitm.cli", "memory", "show", "craft stick"],
        capture_output=True, text=True, env=env, timeout=60, cwd=Path(__file__).resolve().parents[1],
    )
    assert r.returncode == 0, r.stderr
    assert "craft(item=stick)" in r.stdout


def _corrupt_store(tmp_path: Path, how: str) -> Path:
    """A data folder whose plan memory held 6 successes and then was damaged `how`; the store is a copy, never
    opened in this process (chromadb keeps one client per path in a process)."""
    shutil.copytree(_fill(tmp_path / "good").path, tmp_path / "data" / "memory")
    db = tmp_path / "data" / "memory" / "chroma.sqlite3"
    if how == "garbled":  # the header intact, the pages after the first two overwritten: "malformed"
        data = bytearray(db.read_bytes())
        data[8192:] = bytes(random.Random(1).randrange(256) for _ in range(len(data) - 8192))
        db.write_bytes(bytes(data))
    elif how == "halved":
        os.truncate(db, db.stat().st_size // 2)
    else:
        os.truncate(db, 0)
    return tmp_path / "data"


@pytest.mark.parametrize("how", ["garbled", "halved", "empty"])
@pytest.mark.parametrize("verb", [["list"], ["clear", "--yes"]])
def test_a_corrupt_store_is_moved_aside_with_a_warning_and_a_fresh_one_used(tmp_path, capsys, how, verb):
    data = _corrupt_store(tmp_path, how)
    damaged = (data / "memory" / "chroma.sqlite3").read_bytes()
    assert main(["memory", "--data-dir", str(data), *verb]) == 0
    (aside,) = data.glob("memory.corrupt-*")
    assert (aside / "chroma.sqlite3").read_bytes() == damaged  # kept as it was, for inspection
    err = capsys.readouterr().err
    assert err.startswith(f"warning: plan memory {data / 'memory'} is corrupt (chroma.sqlite3") and err.count("\n") == 1
    assert err.endswith(f": moved aside to {aside} (kept for inspection), starting a fresh one\n")
    mem = PlanMemory.open_default(data)  # the fresh store works, and is not corrupt the next time
    assert mem.warning is None and mem.count() == 0
    mem.add_success(PlanRecord("craft stick", [{"name": "craft", "args": {"item": "stick"}}]))
    assert mem.count() == 1 and list(data.glob("memory.corrupt-*")) == [aside]


def test_a_run_goes_on_with_a_fresh_store_and_says_why(tmp_path):
    from gitm.agent.llm_agent import open_memory
    from gitm.record.events import Message

    data = _corrupt_store(tmp_path, "garbled")
    events: list = []
    mem = open_memory(data, events.append)  # what run_episode does before the world starts
    (msg,) = events
    assert isinstance(msg, Message) and msg.level == "warn" and msg.text == mem.warning
    assert "database disk image is malformed" in msg.text or "malformed database schema" in msg.text
    mem.add_success(PlanRecord("mine oak_log", [{"name": "mine", "args": {}}]))
    assert mem.subgoals() == {"mine oak_log": 1}


def test_an_export_that_cannot_be_written_is_one_line_naming_the_file(tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "dump.jsonl"
    assert main(["memory", "--data-dir", str(tmp_path / "data"), "export", str(target)]) == 2
    assert capsys.readouterr().err == (f"error: cannot use {target}.tmp (No such file or directory); "
                                       f"it comes from FILE {target}\n")
