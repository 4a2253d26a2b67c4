"""`gitm memory list|show|clear|export|import` through gitm.cli.memory and through the real gitm.cli.main."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
