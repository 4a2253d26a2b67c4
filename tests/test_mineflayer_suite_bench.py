"""bench/mineflayer_suite.py's pure parts: the runner's JSON lines into results, the survival marking, the table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "mineflayer_suite.py"


@pytest.fixture(scope="module")
def suite() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_mineflayer_suite", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_parse_runner_output_keeps_listed_order_and_marks_missing(suite: ModuleType) -> None:
    lines = [
        '{"file": "chat", "cases": ["chat A", "chat B", "chat C"]}\n',
        "1.21.4\n",  # not JSON: ignored
        '{"test": "chat B", "ok": false, "error": "boom\\nstack", "seconds": 1.234}\n',
        '{"test": "chat A", "ok": true, "error": null, "seconds": 2}\n',
        '{"test": "chat',  # a line cut short by a kill
    ]
    results = suite.parse_runner_output("chat", lines, ended="the runner exited with code 1")
    assert [r.case for r in results] == ["chat A", "chat B", "chat C"]
    assert [r.ok for r in results] == [True, False, False]
    assert results[0].error is None and results[1].error == "boom\nstack" and results[1].seconds == 1.23
    assert results[2].error == "not run: the runner exited with code 1"
    assert not any(r.survival for r in results)


def test_runner_dead_before_listing_gives_one_failed_row(suite: ModuleType) -> None:
    [only] = suite.parse_runner_output("consume", [], ended="the runner exited with code 1")
    assert (only.case, only.ok, only.survival) == ("consume", False, True)


def test_survival_and_upstream_marks(suite: ModuleType) -> None:
    [bed] = suite.parse_runner_output("bed", ['{"cases": ["bed"]}', '{"test": "bed", "ok": true, "seconds": 3}'])
    assert bed.survival and not bed.upstream_excluded and bed.ok
    dig = suite.make_result("digEverything", "digEverything stone", True, None, 1.0)
    assert dig.survival and dig.upstream_excluded
    assert not suite.make_result("team", "team", False, "x", 1.0).survival
    # every survival-relevant file the vendored suite has is marked; the vendored files exist
    files = set(suite.test_files())
    assert {"consume", "bed", "useChests", "furnace", "crafting", "exampleDigger"} <= files & suite.SURVIVAL_RELEVANT


def test_markdown_table_and_totals(suite: ModuleType) -> None:
    results = [
        suite.make_result("chat", "chat ChatParsing", True, None, 1.0),
        suite.make_result("consume", "consume", False, "food stays 20\n  at x.js:1", 5.0),
        suite.make_result("particles", "particles", False, "Expected values to be strictly equal:\n\n3 !== 0\n", 2.0),
        suite.make_result("sign", "sign", False, "a | b", 1.0),
    ]
    table = suite.markdown_table(results).splitlines()
    assert table[2] == "| chat | ChatParsing |  | pass |  |"
    assert table[3] == "| consume |  | yes | FAIL | food stays 20 |"
    assert table[4] == "| particles |  |  | FAIL | Expected values to be strictly equal: 3 !== 0 |"
    assert table[5] == "| sign |  |  | FAIL | a \\| b |"
    assert table[-1] == "1/4 passed; survival-relevant: 0/1"
    assert suite.totals(results) == {"cases": 4, "passed": 1, "failed": 3, "survival_cases": 1,
                                     "survival_passed": 0}
    assert len(suite.make_result("rayTrace", "rayTrace", False, "x" * 5000, 1.0).error) == suite.ERROR_CHARS
