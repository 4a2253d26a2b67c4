"""Hunting monsters by day on the real embedded server (normal difficulty, a server of its own): the knowledge
planner's kill rule finds none on the lit surface, goes underground towards the nearest one the client knows of
(monsters spawn in the caves' dark at any time of day), kills it and holds its drop before the night comes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import a_world, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def normal(tmp_path_factory) -> Iterator:
    yield from a_world(tmp_path_factory, "hunting", difficulty="normal")


def test_a_monster_drop_by_day_comes_from_underground(normal):
    from bot_bridge.body import Body
    from gitm.agent.loop import Budget, RunLoop
    from gitm.agent.rules import RulePlanner
    from gitm.record.events import ActionFinished, ActionStarted
    from knowledge.facts import MONSTERS_OUT_FROM

    body = Body(normal.port, username="hunter").connect()
    normal.command("time set 1000")  # morning: the surface stays too light for monsters through the budget
    normal.command("weather clear")
    normal.command("give hunter wooden_pickaxe 1")  # the kill way's tool (set-up: the plan would make one first)
    assert wait_until(lambda: body.observe().inventory.get("wooden_pickaxe") == 1, 15), body.inventory
    events: list = []
    end = RunLoop(body, RulePlanner(), "bone", budget=Budget(12000), emit=events.append).run()
    done = [(ev.action, ev.ok, ev.reason[:80]) for ev in events if isinstance(ev, ActionFinished)]
    assert end.outcome == "success", (end.reason, done)
    explores = [ev.args for ev in events if isinstance(ev, ActionStarted) and ev.action == "explore"]
    assert explores and all(a["strategy"] == "underground" for a in explores), explores
    kills = [ev for ev in events if isinstance(ev, ActionFinished) and ev.action == "attack" and ev.ok]
    assert any(ev.result["delta"].get("bone", 0) > 0 for ev in kills), kills
    assert body.observe().time_of_day < MONSTERS_OUT_FROM  # still day: no waiting for the night
    body.close()
