"""The knowledge planner's rules against a simulated body (no server): order, retries, milestones, give-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot_bridge.actions import ActionResult, Observation, validate
from gitm.agent.loop import Budget, RunLoop
from gitm.agent.rules import RulePlanner
from gitm.record.results import RunResults
from gitm.tree.decomposer import decompose
from knowledge.base import KnowledgeBase
from knowledge.facts import MILESTONES

KB = KnowledgeBase.load()


@dataclass
class FakeBody:
    """Applies each action's effect to an inventory; `ore_near_y` says where raw_iron/diamond can be found."""

    kb: KnowledgeBase = field(default_factory=lambda: KB)
    inventory: dict[str, int] = field(default_factory=dict)
    age: int = 100
    y: int = 70
    deaths: int = 0
    reconnects: int = 0
    limits: dict[str, float] = field(default_factory=dict)
    history: list[ActionResult] = field(default_factory=list)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # actions that always fail
    mobs_near: bool = False  # attack finds a mob (it drops one of each of its loot); explore brings one near
    food: int = 20  # drops by 3 an action (a hungry bot), eating restores the food's points
    hunger: int = 0
    time_of_day: int = 1000  # sleeping sets it to 0 (the morning)
    health: float = 20
    threats: dict[str, float] = field(default_factory=dict)  # hostile mob -> distance; fought or fled: gone
    ripe_after: int = 2  # farm calls until the crops planted are ripe
    farms: int = 0
    planted: int = 0

    def world_age(self) -> int:
        return self.age

    def observe(self, radius: int = 32):
        return Observation(inventory=dict(self.inventory), held=None, pos=(0.5, self.y, 0.5), y=self.y, biome="forest",
                           time_of_day=self.time_of_day, age=self.age, health=self.health, food=self.food,
                           blocks={}, entities=dict(self.threats))

    def _add(self, item: str, n: int, delta: dict[str, int]) -> None:
        self.inventory[item] = self.inventory.get(item, 0) + n
        if self.inventory[item] == 0:
            del self.inventory[item]
        delta[item] = delta.get(item, 0) + n

    def act(self, action: str, timeout=None, **args) -> ActionResult:
        self.calls.append((action, args))
        self.age += 100
        self.food = max(0, self.food - self.hunger)
        delta: dict[str, int] = {}
        ok, reason, details = True, "", {}
        a = validate(self.kb, action, args, self.inventory)
        if action in self.broken:
            ok, reason = False, "broken"
        elif action == "mine":
            ore = a["object"] in ("raw_iron", "diamond")
            if ore and self.y > (14 if a["object"] == "raw_iron" else -50):
                ok, reason = False, f"no {a['blocks'][-1]} within {a['radius']} blocks"
            else:
                self._add("birch_log" if a["object"].endswith("_log") else a["object"], a["count"], delta)
        elif action == "dig_down":
            self.y = a["y"]
            if a.get("until"):  # stone all the way: enough cobblestone on the way down
                item = a["until"]["items"][0]
                self._add(item, max(0, a["until"]["count"] - self.inventory.get(item, 0)), delta)
        elif action == "craft":
            r = self.kb.recipes_for(a["object"])[0]
            times = -(-a["count"] // r.count)
            for ing in r.ingredients:
                name = next((i for i in ing.items if self.inventory.get(i, 0) >= ing.count * times), None)
                if name is None:
                    return self._result(action, False, f"missing {ing.count * times} {ing.items[0]}", delta)
            for ing in r.ingredients:
                name = next(i for i in ing.items if self.inventory.get(i, 0) >= ing.count * times)
                self._add(name, -ing.count * times, delta)
            self._add(a["object"], r.count * times, delta)
        elif action == "flee":
            self.threats.clear()
        elif action == "attack" and a["entity"] in self.threats:
            del self.threats[a["entity"]]
        elif action == "attack":
            if not self.mobs_near:
                ok, reason = False, f"no {a['entity']} within {a['radius']} blocks"
            for drop in self.kb.mob_drops(a["entity"]) if self.mobs_near else []:
                self._add(drop["item"], 1, delta)
        elif action == "sleep_in_bed":
            self.time_of_day = 0
        elif action == "eat":
            self._add(a["food"], -1, delta)
            self.food = min(20, self.food + int(self.kb.food(a["food"])[0]))
        elif action == "use":
            if not self.mobs_near:
                ok, reason = False, f"no {a['target']} within {a['radius']} blocks"
            else:  # a bucket on a cow
                self._add(a["object"], -1, delta)
                self._add("milk_bucket", 1, delta)
        elif action == "farm":  # plants every seed held; ripe at the ripe_after-th call: one produce and a seed each
            self.farms += 1
            self.planted += (seeds := self.inventory.get(a["seed"], 0))
            self._add(a["seed"], -seeds, delta)
            if self.farms < self.ripe_after:
                ok, reason = False, f"the {a['crop']} is not ripe yet (ages 3 of {a['ripe']})"
                details = {"waiting": True}
            else:
                self._add(a["object"], self.planted, delta)
                self._add(a["seed"], self.planted, delta)
                self.planted = 0
        elif action == "collect":  # an egg laid by the chickens an explore brought near
            if not self.mobs_near:
                ok, reason = False, f"no {a['object']} lying within {a['radius']} blocks and no {a['near'][0]} near"
            else:
                self._add(a["object"], 1, delta)
        elif action == "explore":
            self.mobs_near = self.mobs_near or "entities" in a
        elif action == "smelt":
            self._add(a["input"], -a["count"], delta)
            fuel = next(f["item"] for f in a["fuels"] if self.inventory.get(f["item"], 0) > 0)
            self._add(fuel, -1, delta)
            self._add(a["object"], a["count"], delta)
        return self._result(action, ok, reason, delta, details)

    def _result(self, action, ok, reason, delta, details=None) -> ActionResult:
        r = ActionResult(action=action, ok=ok, reason=reason, delta=delta, inventory=dict(self.inventory),
                         y=self.y, age=self.age, ticks=100, details=details or {})
        self.history.append(r)
        return r


def play(body, goal: str, planner=None, max_ticks: int = 12000, emit=None, memory=None, seed=None) -> RunResults:
    """One run of the loop on a stand-in body; its results folded from its events, as gitm run does."""
    results = RunResults()

    def both(ev):
        results.handle(ev)
        if emit is not None:
            emit(ev)

    RunLoop(body, planner or RulePlanner(), goal, budget=Budget(max_ticks), emit=both, memory=memory, seed=seed).run()
    return results


def test_obtain_diamond_plan_is_followed_in_order():
    body = FakeBody()
    rep = play(body, "ObtainDiamond")
    assert rep.success, rep.reason
    ms = rep.milestones
    assert set(ms) == set(MILESTONES)
    assert ms["log"] < ms["wooden_pickaxe"] < ms["stone_pickaxe"] < ms["iron_ingot"] < ms["diamond"]
    actions = [c[0] for c in body.calls]
    # ores: try nearby, then dig down to the ore's height, then mine there
    assert ("dig_down", {"y": 14}) in body.calls and ("dig_down", {"y": -58}) in body.calls
    # cobblestone is dug on the way down, not walked for
    assert ("dig_down", {"y": 47, "until_item": "cobblestone", "until_count": 11}) in body.calls
    assert not any(a == "mine" and args["object"] == "cobblestone" for a, args in body.calls)
    assert actions.count("smelt") == 1 and rep.failures  # the failed nearby tries are counted by reason
    # planks are crafted from the wood held (birch here), though the plan says oak
    assert any(a == "craft" and args["object"] == "birch_planks" for a, args in body.calls)


def test_an_observation_follows_every_action():
    """The record and the dashboard see time of day, health, food and y change while the run plays."""
    from gitm.record.events import ActionFinished, Observed

    events = []
    body = FakeBody()
    rep = play(body, "stone_pickaxe", emit=events.append)
    kinds = [type(e) for e in events if isinstance(e, (ActionFinished, Observed))]
    assert kinds[0] is Observed and kinds.count(ActionFinished) == len(body.calls) >= 5
    assert rep.subgoals_done == len(decompose("stone_pickaxe").steps)
    after = [kinds[i + 1] for i, k in enumerate(kinds) if k is ActionFinished]
    assert after == [Observed] * len(after)
    ys = {e.y for e in events if isinstance(e, Observed)}
    assert len(ys) > 1  # digging down shows in the observations


def test_gives_up_with_a_reason_and_stops_at_the_tick_budget():
    body = FakeBody(broken={"craft"})
    rep = play(body, "wooden_pickaxe")
    assert not rep.success and rep.reason.startswith("gave up on craft") and "broken" in rep.reason
    body = FakeBody()
    rep = play(body, "ObtainDiamond", max_ticks=500)
    assert rep.outcome == "timeout" and rep.reason.startswith("out of time") and rep.ticks >= 500


def test_a_kill_sub_goal_explores_for_its_mob_and_attacks_until_enough_dropped():
    body = FakeBody()
    rep = play(body, "leather")
    assert rep.success, rep.reason
    # none near of either mob that drops leather (the most common first): walk the surface for any, then attack
    assert body.calls[:4] == [("attack", {"entity": "cow"}), ("attack", {"entity": "mooshroom"}),
                              ("explore", {"object": "cow", "also": ["mooshroom"], "strategy": "surface",
                                           "radius": 32}),
                              ("attack", {"entity": "cow"})]
    assert body.inventory.get("leather", 0) >= 1


def test_monsters_by_day_are_sought_underground_and_at_night_on_the_surface():
    body = FakeBody(inventory={"wooden_pickaxe": 1})  # the kill way's tool (a monster is dug down to by day)
    assert play(body, "rotten_flesh").success
    # zombies (of most biomes) before husks (deserts only); by day underground, where it is dark
    assert body.calls[:4] == [("attack", {"entity": "zombie"}), ("attack", {"entity": "husk"}),
                              ("explore", {"object": "zombie", "also": ["husk"], "strategy": "underground",
                                           "radius": 32}),
                              ("attack", {"entity": "zombie"})]
    body = FakeBody(inventory={"wooden_pickaxe": 1}, time_of_day=18000)
    assert play(body, "bone").success
    assert body.calls[2] == ("explore", {"object": "skeleton", "also": ["stray"], "strategy": "surface",
                                         "radius": 32})


def test_an_unarmed_bot_crafts_a_sword_from_what_it_holds_before_hunting_monsters():
    body = FakeBody(inventory={"wooden_pickaxe": 1, "oak_planks": 3, "stick": 2, "crafting_table": 1})
    assert play(body, "string").success
    assert body.calls[0] == ("craft", {"object": "wooden_sword"}) and body.calls[1][0] == "attack"
    assert body.calls[1][1]["entity"] == "spider"
    body = FakeBody(inventory={"wooden_pickaxe": 1, "oak_planks": 3, "stick": 2, "crafting_table": 1})
    assert play(body, "beef").success and "craft" not in [name for name, _ in body.calls]  # animals: no arming


def test_a_wool_is_sheared_or_killed_from_a_sheep_of_its_colour():
    body = FakeBody(mobs_near=True)
    play(body, "white_wool", max_ticks=300)
    assert body.calls[0] == ("attack", {"entity": "sheep", "wool": "white"})
    body = FakeBody(mobs_near=True)
    assert play(body, "mutton").success and body.calls[0] == ("attack", {"entity": "sheep"})  # any sheep
    body = FakeBody(mobs_near=True, inventory={"shears": 9})  # (the stand-in body turns each use into milk)
    step = decompose("white_wool").steps[0]
    RulePlanner().use(step, ("sheep",), "shears", RunLoop(body, RulePlanner(), "white_wool"))
    assert body.calls[0] == ("use", {"object": "shears", "target": "sheep", "wool": "white"})


def test_a_use_sub_goal_holds_its_material_on_its_target():
    body = FakeBody(inventory={"bucket": 1})
    rep = play(body, "milk_bucket")
    assert rep.success, rep.reason
    assert body.calls[:3] == [("use", {"object": "bucket", "target": "cow"}),
                              ("use", {"object": "bucket", "target": "mooshroom"}),
                              ("explore", {"object": "cow", "also": ["mooshroom"], "strategy": "surface",
                                           "radius": 32})]


def test_a_hungry_bot_eats_between_actions_what_the_plan_does_not_need():
    from gitm.agent.loop import choose_food

    assert choose_food(KB, {"bread": 1, "cooked_beef": 2, "dirt": 5}) == "cooked_beef"
    assert choose_food(KB, {"rotten_flesh": 9, "golden_apple": 1, "chicken": 3}) is None  # kept or harmful
    assert choose_food(KB, {"apple": 2, "bread": 1}, keep=frozenset({"bread"})) == "apple"

    body = FakeBody(food=16, hunger=3, inventory={"bread": 3, "apple": 1})
    rep = play(body, "golden_apple", memory=None)  # the apple is the goal's material: never eaten
    eaten = [args["food"] for name, args in body.calls if name == "eat"]
    assert eaten == ["bread"] * 3, body.calls  # all the bread, as hunger came; never the apple
    # the first action took the food bar from 16 to 13, below 14: the bot ate right after it
    assert [name for name, _ in body.calls[:2]] == ["mine", "eat"]
    assert rep.subgoals and all("eat" not in (sg.get("reason") or "") for sg in rep.subgoals)


def test_a_bot_holding_a_bed_sleeps_through_the_night_once():
    body = FakeBody(time_of_day=13000, inventory={"white_bed": 1})
    rep = play(body, "crafting_table")
    assert rep.success, rep.reason
    assert [name for name, _ in body.calls].count("sleep_in_bed") == 1 and body.calls[1][0] == "sleep_in_bed"
    body = FakeBody(time_of_day=13000)  # no bed: the night goes on
    assert play(body, "crafting_table").success and "sleep_in_bed" not in [name for name, _ in body.calls]


def test_a_hostile_mob_close_by_is_fought_or_fled_between_actions():
    body = FakeBody(threats={"zombie": 3.0, "cow": 2.0})
    assert play(body, "crafting_table").success
    assert body.calls[1] == ("attack", {"entity": "zombie", "radius": 8}) and body.threats == {"cow": 2.0}
    body = FakeBody(threats={"creeper": 4.0})
    assert play(body, "crafting_table").success and body.calls[1] == ("flee", {})
    body = FakeBody(threats={"skeleton": 5.0}, health=5)  # too weak to fight
    assert play(body, "crafting_table").success and body.calls[1] == ("flee", {})
    body = FakeBody(threats={"zombie": 20.0})  # far off: left alone
    assert play(body, "crafting_table").success and "attack" not in [name for name, _ in body.calls]


def test_a_farm_sub_goal_waits_while_the_crop_grows():
    """bread: logs and the table as usual, then farm calls (the first ends with the wheat still growing: waiting, no
    failure) until the 3 wheat planted from the 3 seeds held are harvested."""
    body = FakeBody(inventory={"wheat_seeds": 3, "wooden_hoe": 1})
    rep = play(body, "bread")
    assert rep.success, rep.reason
    farms = [args for name, args in body.calls if name == "farm"]
    assert farms == [{"object": "wheat", "count": 3}] * 2
    assert body.inventory.get("bread") == 1 and body.inventory.get("wheat_seeds") == 3


def test_a_collect_sub_goal_explores_for_the_mobs_that_lay_the_item():
    body = FakeBody()
    rep = play(body, "egg")
    assert rep.success, rep.reason
    assert body.calls == [("collect", {"object": "egg"}),
                          ("explore", {"object": "chicken", "strategy": "surface", "radius": 32}),
                          ("collect", {"object": "egg"})]


def test_a_sub_goal_without_a_rule_gives_its_reason():
    """A use sub-goal with nothing to use its item on (a map is used in hand) has no knowledge-planner rule: the run
    says so, not 'no progress'."""
    rep = play(FakeBody(inventory={"map": 1}), "filled_map")
    assert rep.outcome == "failure" and "the knowledge planner has no rule for 'use'" in rep.reason, rep.reason
    assert [sg["state"] for sg in rep.subgoals if sg["action"] == "use"] == ["failed"] * 4
    assert all("no rule for 'use'" in sg["reason"] for sg in rep.subgoals if sg["action"] == "use")


def test_memory_stores_what_worked_over_all_attempts_of_a_sub_goal(tmp_path):
    """A sub-goal reached on its second attempt is stored with the first attempt's dig_down: the plan that
    replays is how the ore was reached, not only the last attempt's mine."""
    from gitm.agent.llm_agent import open_memory

    class DigThenMine:
        name = "dig, then mine"

        def __init__(self) -> None:
            self.tries = 0

        def attempt(self, step, run) -> bool:
            self.tries += 1
            if self.tries == 1:  # from the surface: the ore is not near; go down, then this attempt gives up
                run.act("mine", object=step.object, count=step.count)
                run.act("dig_down", y=10)
                return False
            return run.act("mine", object=step.object, count=step.count).ok

    memory = open_memory(tmp_path)
    planner = DigThenMine()
    rep = play(FakeBody(inventory={"stone_pickaxe": 1}), "raw_iron", planner, memory=memory, seed=3)
    assert rep.success and planner.tries == 2
    plan = memory.reference_plan("mine raw_iron")
    assert [(a["name"], a["args"]) for a in plan.actions] == [("dig_down", {"y": 10}),
                                                              ("mine", {"object": "raw_iron", "count": 1})]


def test_a_stored_plan_goes_straight_to_the_level_that_worked():
    """Runs of dig_down / go_up that worked become one move to where the run ended (a warm replay began with an
    earlier attempt's dig_down to 58, then 5, 1 and 0 before -58); other actions stay as they were, in order."""
    from gitm.agent.loop import net_moves

    acted = [("dig_down", {"y": 58, "tool": "iron_pickaxe"}, 58), ("dig_down", {"y": 5, "tool": None}, 5),
             ("dig_down", {"y": 1, "tool": "iron_pickaxe"}, 1), ("mine", {"object": "coal_ore", "count": 1}, 1),
             ("dig_down", {"y": -58, "tool": "iron_pickaxe"}, -58), ("go_up", {"y": -50}, -50),
             ("dig_down", {"y": -59, "tool": "iron_pickaxe"}, -59), ("explore", {"object": "diamond_ore"}, -59),
             ("go_up", {"y": -40}, -40), ("dig_down", {"y": -45, "tool": None}, -45),
             ("mine", {"object": "diamond_ore", "count": 1}, -45)]
    assert net_moves(acted, 70.0) == [
        ("dig_down", {"y": 1, "tool": "iron_pickaxe"}), ("mine", {"object": "coal_ore", "count": 1}),
        ("dig_down", {"y": -59, "tool": "iron_pickaxe"}), ("explore", {"object": "diamond_ore"}),
        ("go_up", {"y": -45}), ("mine", {"object": "diamond_ore", "count": 1})]
    # a detour that ends where it began is no move at all; where the start is unknown the last move is kept
    assert net_moves([("dig_down", {"y": 60}, 60), ("go_up", {"y": 64}, 64)], 64.5) == []
    assert net_moves([("dig_down", {"y": 60}, 60), ("dig_down", {"y": 50}, 50)], None) == [("dig_down", {"y": 50})]
