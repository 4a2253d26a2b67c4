"""The agent farms on the real embedded server with a real Mineflayer bot: the run loop's knowledge planner plans a
farm sub-goal for wheat and the farm skill tills, plants the seeds held, waits, harvests and replants (no mocks)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import a_world, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator:
    """A server of this module's own: the bot tills and plants around the spawn, and a test sets randomTickSpeed."""
    yield from a_world(tmp_path_factory, "agent_farming")


def _play(server, name: str, goal: str, count: int, **items: int):
    from bot_bridge.body import Body
    from gitm.agent.loop import Budget, RunLoop
    from gitm.agent.rules import RulePlanner

    body = Body(server.port, username=name).connect()
    for item, n in items.items():  # test set-up only: the agent itself never uses commands
        server.command(f"give {name} minecraft:{item} {n}")
    assert wait_until(lambda: all(body.observe().inventory.get(i, 0) >= n for i, n in items.items()), 15), \
        body.inventory
    events: list = []
    end = RunLoop(body, RulePlanner(), goal, count=count, budget=Budget(12000), emit=events.append).run()
    return body, end, events


def _farm_actions(events) -> list:
    from gitm.record.events import ActionFinished

    return [ev for ev in events if isinstance(ev, ActionFinished) and ev.action == "farm"]


def test_bone_meal_ripens_the_planted_wheat_at_vanillas_tick_speed(server):
    """At vanilla's randomTickSpeed (3) a wheat crop takes ~28,000+ ticks: within this budget only bone meal ripens
    it, so the wheat comes from the skill using the bone meal it holds."""
    from gitm.record.events import SubgoalStarted

    server.command("gamerule randomTickSpeed 3")
    body, end, events = _play(server, "farmer_b", "wheat", 2, wooden_hoe=1, wheat_seeds=2, bone_meal=16)
    try:
        assert end.outcome == "success", end.reason
        assert [ev.action for ev in events if isinstance(ev, SubgoalStarted)][0] == "farm"
        assert _farm_actions(events) and _farm_actions(events)[-1].ok
        inv = body.observe().inventory
        assert inv.get("wheat", 0) >= 2 and inv.get("bone_meal", 16) < 16, inv
        assert inv.get("wooden_hoe") == 1
    finally:
        body.close()


def test_the_agent_grows_wheat_from_seeds_by_random_ticks(server):
    """Only seeds and a hoe: the crop ripens by random ticks. Test set-up raises randomTickSpeed to 300 (100x
    vanilla's 3) so that it ripens within the test's time; the agent never touches game rules."""
    from gitm.record.events import ActionFinished

    server.command("gamerule randomTickSpeed 300")
    try:
        body, end, events = _play(server, "farmer_r", "wheat", 3, wooden_hoe=1, wheat_seeds=3)
    finally:
        server.command("gamerule randomTickSpeed 3")
    try:
        assert end.outcome == "success", end.reason
        farms = _farm_actions(events)
        assert farms and farms[-1].ok, [(f.ok, f.reason) for f in farms]
        obs = body.observe(radius=24)
        assert obs.inventory.get("wheat", 0) >= 3, obs.inventory
        acted = {ev.action for ev in events if isinstance(ev, ActionFinished)}
        assert acted == {"farm"}, acted  # peaceful: no reflex; the wheat came from farming alone
    finally:
        body.close()


def test_chickens_lay_eggs_and_the_agent_collects_one(server):
    """Six chickens summoned by the console (test set-up) with a short egg timer, as vanilla's `/summon chicken x y z
    {EggLayTime:n}` sets it (vanilla's own timer runs 6000-11999 ticks, past this budget): their eggs are laid within
    the budget, and the agent waits by them and picks one up."""
    from bot_bridge.body import Body
    from gitm.agent.loop import Budget, RunLoop
    from gitm.agent.rules import RulePlanner
    from gitm.record.events import ActionFinished

    body = Body(server.port, username="egg_collector").connect()
    try:
        x, y, z = (int(v) for v in body.observe().pos)
        for i, (dx, dz) in enumerate(((3, 0), (-3, 0), (0, 3), (0, -3), (3, 3), (-3, -3))):
            server.command(f"summon chicken {x + dx} {y + 1} {z + dz} {{EggLayTime:{100 + 20 * i}}}")
        assert wait_until(lambda: body.observe(radius=16).entities.get("chicken") is not None, 15)
        events: list = []
        end = RunLoop(body, RulePlanner(), "egg", budget=Budget(4000), emit=events.append).run()
        assert end.outcome == "success", end.reason
        collects = [ev for ev in events if isinstance(ev, ActionFinished) and ev.action == "collect"]
        assert collects and collects[-1].ok and collects[-1].result["delta"].get("egg", 0) >= 1, collects
    finally:
        body.close()
