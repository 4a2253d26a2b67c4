"""`gitm report` and `gitm runs` on recorded runs."""

from __future__ import annotations

import json

import pytest

from gitm.cli import main
from gitm.record.events import ActionFinished, EventBus, RunFinished, RunStarted, SubgoalFinished, SubgoalStarted
from gitm.record.recorder import RunRecorder
from gitm.record.report import find_run


def _record(data_dir, goal: str, seed: int, outcome: str) -> RunRecorder:
    rec = RunRecorder(goal, seed=seed, data_dir=data_dir)
    with EventBus([rec]) as bus:
        bus.emit(RunStarted(goal=goal, item="stone_pickaxe", seed=seed, max_ticks=6000))
        bus.emit(SubgoalStarted(object="oak_log", count=3, action="mine"))
        bus.emit(ActionFinished(action="mine", ok=True, result={"ticks": 400}, inventory={"oak_log": 3}))
        bus.emit(SubgoalFinished(object="oak_log", ok=True))
        bus.emit(ActionFinished(action="craft", ok=True, result={"ticks": 40},
                                inventory={"oak_planks": 4, "crafting_table": 1}))
        bus.emit(RunFinished(outcome=outcome, reason="out of time" if outcome != "success" else "holds it"))
    return rec


def test_report_and_runs(tmp_path, capsys):
    a = _record(tmp_path, "stone_pickaxe", 1, "failure")
    b = _record(tmp_path, "stone_pickaxe", 2, "success")
    assert find_run("last", tmp_path) == b.dir
    assert find_run(str(a.dir)) == a.dir and find_run(a.dir.name, tmp_path) == a.dir
    assert find_run("-s1", tmp_path) == a.dir

    assert main(["runs", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "failure" in out and "success" in out and "out of time" in out and "440" in out

    assert main(["report", a.dir.name, "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "failure: out of time" in out and "440 (0.4 min) of 6000" in out
    key_only = out.split("first obtained")[1].split("sub-goals")[0]
    assert "crafting_table" in key_only and "oak_log" in key_only and "oak_planks" not in key_only
    assert main(["report", a.dir.name, "--data-dir", str(tmp_path), "--all"]) == 0
    out = capsys.readouterr().out
    timeline = out.split("first obtained")[1].split("sub-goals")[0]
    assert timeline.index("oak_log") < timeline.index("oak_planks")  # in the order obtained

    assert main(["report", "--data-dir", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "success"
    assert main(["runs", "--data-dir", str(tmp_path), "--json"]) == 0
    assert [s["seed"] for s in json.loads(capsys.readouterr().out)] == [1, 2]


def test_report_errors_are_one_line(tmp_path, capsys):
    assert main(["report", "nope", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no run 'nope'") and err.count("\n") == 1
    _record(tmp_path, "stick", 1, "success")
    _record(tmp_path, "stick", 2, "success")
    with pytest.raises(SystemExit):
        main(["report", "--bogus"])
    assert main(["report", "stick", "--data-dir", str(tmp_path)]) == 2
    assert "matches 2 runs" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "why"), [
    ('[1, 2]', "is not a run's summary: a JSON list, not an object"),
    ('{"goal": "stick", "outcome": "success", "wall_s": "soon"}', "is not a run's summary: 'wall_s' is \"soon\""),
    ('{"goal": "stick", "acquired": [3]}', "is not a run's summary: 'acquired' holds something that is not an object"),
    ('{"goal": "stick", "outc', "is not valid JSON (Unterminated string starting at: line 1 column 19 (char 18))"),
    ("", "is not valid JSON (Expecting value: line 1 column 1 (char 0))"),
])
def test_a_bad_run_record_is_skipped_and_named_in_one_line(tmp_path, capsys, text, why):
    good = _record(tmp_path, "stone_pickaxe", 1, "success")
    bad = tmp_path / "runs" / "29990101-000000-stick-s1"  # the newest
    bad.mkdir()
    (bad / "summary.json").write_text(text)
    skipped = f"skipped: the run record {bad / 'summary.json'} {why}\n"

    assert main(["runs", "--data-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert err == skipped and good.dir.name in out and bad.name not in out
    assert main(["runs", "--data-dir", str(tmp_path), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == skipped and [s["run_dir"] for s in json.loads(out)] == [str(good.dir)]
    assert main(["report", "last", "--data-dir", str(tmp_path)]) == 0  # the newest run that reads
    out, err = capsys.readouterr()
    assert err == skipped and str(good.dir) in out
    assert main(["report", bad.name, "--data-dir", str(tmp_path)]) == 2  # asked for by name: a one-line error
    assert capsys.readouterr().err == f"error: the run record {bad / 'summary.json'} {why}\n"


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_unusable_data_dir_is_one_line_naming_the_flag(tmp_path, capsys, where):
    file = tmp_path / "notes.txt"
    file.write_text("not a folder\n")
    data = file if where == "a file" else file / "gitm"
    for argv, path in ((["runs"], data / "runs"), (["report"], data / "runs"),
                       (["memory", "list"], data / "memory"), (["sweep", "--items", "stick"],
                                                              data / "sweeps" / "sweep-knowledge")):
        assert main([*argv, "--data-dir", str(data)]) == 2
        assert capsys.readouterr().err == (f"error: cannot use {path} (Not a directory: {file} is a file); "
                                           f"it comes from --data-dir {data}\n")
    assert main(["run", "stick", "--no-dashboard", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot use {data / 'runs'}/") and err.count("\n") == 1
    assert err.endswith(f"-stick-s1 (Not a directory: {file} is a file); it comes from --data-dir {data}\n")
