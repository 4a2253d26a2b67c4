"""The run loop's reflexes on the real embedded server: a hungry bot eats between actions (normal difficulty,
where food drops), and the meal is no step of the sub-goal."""

from __future__ import annotations

import pytest

from tests.conftest import wait_until

pytestmark = pytest.mark.slow


def test_a_hungry_bot_eats_between_the_actions_of_its_plan(tmp_path):
    from bot_bridge.body import Body
    from bot_bridge.server import EmbeddedServer
    from gitm.agent.loop import Budget, RunLoop
    from gitm.agent.rules import RulePlanner
    from gitm.record.events import ActionFinished, SubgoalFinished
    from knowledge.facts import EAT_AT_FOOD

    with EmbeddedServer(seed=1, difficulty="normal", op=True, log_path=tmp_path / "server.log") as server:
        body = Body(server.port, username="hungry").connect()
        server.command("give hungry bread 3")
        assert wait_until(lambda: body.observe().inventory.get("bread") == 3, 15), body.inventory
        body.bot.chat("/effect hungry hunger 6 99")  # set-up (flying-squid's /effect is player only): 0.5
        # exhaustion a tick for 6 s
        assert wait_until(lambda: body.observe().food <= EAT_AT_FOOD, 30), body.observe().food
        hungry = body.observe().food
        events: list = []
        end = RunLoop(body, RulePlanner(), "oak_planks", budget=Budget(6000), emit=events.append).run()
        assert end.outcome == "success", end.reason
        meals = [ev for ev in events if isinstance(ev, ActionFinished) and ev.action == "eat"]
        assert meals and meals[0].ok, meals
        first = next(i for i, ev in enumerate(events) if isinstance(ev, ActionFinished))
        assert events[first].action != "eat"  # eaten between the plan's actions, after the first
        assert body.observe().food > hungry and body.observe().inventory.get("bread", 0) < 3
        assert all(ev.ok for ev in events if isinstance(ev, SubgoalFinished))
        body.close()
