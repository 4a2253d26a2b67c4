"""The rule planner (`--planner knowledge`): each sub-goal kind mapped to actions by fixed rules; no LLM.

A failure's reason steers the next try (nothing within reach -> go to the ore's height or explore; missing
materials -> the loop's next decomposition plans them). Rules:
  mine  -> ores: dig down to the ore's usual height when above it, mine nearby, else branch-mine;
           everything else: mine nearby, else explore the surface;
  craft -> craft (the skill places and picks up the crafting table when the recipe needs one);
  smelt -> smelt (the skill places and picks up the furnace; fuel: what the inventory holds);
  kill  -> attack a mob that drops the object when one is near (the best weapon held; any of the mobs that drop
           it, the most common first), else explore for one: on the surface, or for monsters by day underground
           (staircase towards the nearest one known: they spawn in the dark); kill after kill until enough has
           dropped. A wool comes from a sheep of its colour;
  use   -> the same with the held material or tool used on the item's target (shears on a sheep, a bucket on a cow
           or on water);
  farm  -> farm (till, plant the seeds held, wait, harvest, replant) again while the crop is still growing, until
           enough is held or the budget is spent;
  collect -> pick up the items lying near, again while waiting by the mobs that lay them (chickens lay eggs), and
           explore the surface for such a mob when none is near.
`knowledge_actions` is the same rules' nominal action list, the reference plan the LLM planner can be offered.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot_bridge.actions import mine_targets
from bot_bridge.actions.results import ActionResult
from gitm.errors import GitmError
from gitm.tree.decomposer import SubGoal, decompose
from knowledge.facts import WEAPONS, best_weapon, held_wood_variant, monsters_out, wool_color

if TYPE_CHECKING:
    from gitm.agent.loop import RunLoop

# Kills (uses) tried beyond a sub-goal's expected number: drops are by chance.
REPEAT_SLACK = 2
# Explores in a row for a mob while each moves the bot at least MOVED blocks (a long way to a monster underground).
SEEK_TRIES, MOVED = 3, 4.0
# Items dug on the way down (dig_down until enough), never below this feet y.
DIG_FOR = {"cobblestone": 20, "cobbled_deepslate": -50}


class RulePlanner:
    name = "knowledge"

    def attempt(self, step: SubGoal, run: RunLoop) -> bool:
        if step.action == "mine":
            return self.gather(step, run)
        if step.action == "craft":
            return run.act("craft", object=held_wood_variant(step.object, run.inventory), count=step.count).ok
        if step.action == "smelt":
            inputs = {s.input for s in run.kb.smelting_for(step.object)}
            given = next((m for m in step.material if m in inputs), None)
            return run.act("smelt", object=step.object, count=step.count, **({"input": given} if given else {})).ok
        if step.action == "kill":
            return self.hunt(step, run)
        if step.action == "farm":
            return self.until_enough(step, run, lambda left: run.act("farm", object=step.object, count=left))
        if step.action == "collect" and (special := run.kb.special(step.object)) is not None:
            return self.until_enough(step, run, lambda _: run.act("collect", object=step.object), special.near)
        if step.action == "use" and (special := run.kb.special(step.object)) is not None and special.target:
            return self.use(step, special.target, special.held, run)
        return run.fail(step.action, f"the knowledge planner has no rule for '{step.action}' ({step.info})")

    def gather(self, step: SubGoal, run: RunLoop) -> bool:
        obj = step.object
        y = run.where()[0]
        if obj in DIG_FOR and y is not None and y > DIG_FOR[obj] + 2:
            # stone comes from digging down towards the iron: no walking around for it
            want = run.inventory.get(obj, 0) + step.count
            r = run.act("dig_down", y=max(DIG_FOR[obj], y - step.count - 12), until_item=obj, until_count=want)
            if run.inventory.get(obj, 0) >= want:
                return True
        blocks, _, _ = mine_targets(run.kb, obj)
        ore_y = run.kb.search_y(obj)
        y = run.where()[0]
        if ore_y is not None and y is not None and y > ore_y + 6:
            # an ore: try close by first (exposed or shallow), then go to its height
            r = run.act("mine", object=obj, count=step.count, radius=12)
            if r.ok:
                return True
            if "need " in r.reason:
                return False
            r = run.act("dig_down", y=ore_y)
            if not r.ok and "bedrock" not in r.reason:
                return False
        radius = 24 if ore_y is not None else 48
        r = run.act("mine", object=obj, count=step.count, radius=radius)
        if r.ok:
            return True
        if r.reason.startswith("no ") or "could not reach" in r.reason or "within" in r.reason:
            strategy = "underground" if ore_y is not None else "surface"
            e = run.act("explore", object=obj, strategy=strategy, radius=16 if ore_y is not None else 32)
            if e.ok:
                r = run.act("mine", object=obj, count=step.count, radius=radius)
                return r.ok or any(v > 0 for v in r.delta.values())
        # partial progress counts as progress
        return any(v > 0 for k, v in r.delta.items() if k in blocks or k == obj)

    @staticmethod
    def until_enough(step: SubGoal, run: RunLoop, act: Callable[[int], ActionResult], near: tuple[str, ...] = ()
                     ) -> bool:
        """act(how many are still wanted) again while it ends waiting (a crop still growing, no egg laid yet: each
        call goes on where the last left off), until the object is held in the number wanted or the budget is spent;
        when nothing is near (a 'no ...' reason), explore the surface for the first of the `near` mobs. Partial
        progress counts as progress."""
        want = run.inventory.get(step.object, 0) + step.count
        while not run.out_of_time():
            r = act(want - run.inventory.get(step.object, 0))
            if run.inventory.get(step.object, 0) >= want:
                return True
            if not r.ok and r.reason.startswith("no ") and near:
                if not run.act("explore", object=near[0], strategy="surface", radius=32).ok:
                    break
            elif not r.ok and not r.details.get("waiting"):
                break
        return run.inventory.get(step.object, 0) > want - step.count

    def hunt(self, step: SubGoal, run: RunLoop) -> bool:
        mobs = run.kb.hunted_for(step.object)
        if not mobs:
            return run.fail("kill", f"no mob is known to drop {step.object}")
        if all(run.kb.is_hostile(m) for m in mobs):
            arm(run)
        which = _which(step.object)
        return self.repeat_near(step, run, mobs, lambda mob: run.act("attack", entity=mob, **which), which)

    def use(self, step: SubGoal, targets: tuple[str, ...], held: str | None, run: RunLoop) -> bool:
        if held is None:
            return run.fail("use", f"nothing to hold to get {step.object}")
        which = _which(step.object)
        return self.repeat_near(step, run, list(targets), lambda t: run.act("use", object=held, target=t, **which),
                                which)

    @staticmethod
    def repeat_near(step: SubGoal, run: RunLoop, names: list[str], act_on: Callable[[str], ActionResult],
                    which: dict[str, str]) -> bool:
        """act_on the first of `names` (mobs, blocks; `which`: only those of a wool colour) that is near, again
        until the object is held in the number wanted; when none is near, seek any of them. A few tries more than
        the expected number: drops are by chance. Partial progress counts as progress."""
        want = run.inventory.get(step.object, 0) + step.count

        def first_near() -> ActionResult | None:
            return next((r for name in names if (r := act_on(name)).ok or not r.reason.startswith("no ")), None)

        for _ in range(step.times + REPEAT_SLACK):
            r = first_near()
            if r is None:
                if not RulePlanner.seek(run, names, which):
                    break
                r = first_near()
            if r is not None and not r.ok:
                break
            if run.inventory.get(step.object, 0) >= want:
                return True
        return run.inventory.get(step.object, 0) > want - step.count

    @staticmethod
    def seek(run: RunLoop, names: list[str], which: dict[str, str]) -> bool:
        """Explore for any of `names`: monsters while the surface is lit underground (they are in the dark below
        it), everything else on the surface. A way that takes longer than one explore is gone on while each gets
        the bot somewhere."""
        dark = all(run.kb.is_hostile(n) for n in names) and not monsters_out(run.time_of_day)
        for _ in range(SEEK_TRIES):
            start = run.body.history[-1].pos if run.body.history else None
            e = run.act("explore", object=names[0], also=names[1:], strategy="underground" if dark else "surface",
                        radius=32, **which)
            if e.ok:
                return True
            if start is None or e.pos is None or math.dist(start, e.pos) < MOVED:
                return False
        return False


def arm(run: RunLoop) -> None:
    """Before fighting monsters unarmed: craft the best sword the inventory makes in one craft (a wooden one from
    what a wooden pickaxe's planks and sticks leave over), as a player would; none: fight with what is held."""
    if best_weapon(run.inventory) is not None:
        return
    for sword in sorted((w for w in WEAPONS if w.endswith("_sword")), key=lambda w: -WEAPONS[w][0]):
        try:
            plan = decompose(sword, 1, run.planning_inventory(), gather=False)
        except GitmError:
            continue
        if len(plan.steps) == 1:
            run.act("craft", object=sword)
            return


def _which(item: str) -> dict[str, str]:
    """A wool comes from a sheep of its colour only (other arguments of attack, use and explore)."""
    color = wool_color(item)
    return {"wool": color} if color else {}


def knowledge_actions(step: SubGoal, y: float | None, kb: Any) -> list[dict[str, Any]]:
    """The knowledge planner's nominal actions for one sub-goal (pure: no body, no world), as {name, args}
    in the LLM planner's action vocabulary: the reference plan `--planner llm` offers when memory has none.
    The executor's fallbacks (explore when nothing is within reach, retries) are not part of it."""
    obj, n = step.object, step.count
    if step.action == "mine":
        acts: list[dict[str, Any]] = []
        ore_y = kb.search_y(obj)
        if obj in DIG_FOR and (y is None or y > DIG_FOR[obj] + 2):
            acts.append({"name": "dig_down", "args": {"y": int(DIG_FOR[obj] if y is None
                                                                 else max(DIG_FOR[obj], y - n - 12))}})
        elif ore_y is not None and (y is None or y > ore_y + 6):
            acts.append({"name": "dig_down", "args": {"y": ore_y}})
        return acts + [{"name": "mine", "args": {"object": obj, "count": n}}]
    if step.action == "craft":
        return [{"name": "craft", "args": {"object": obj, "count": n}}]
    if step.action == "smelt":
        inputs = {s.input for s in kb.smelting_for(obj)}
        inp = next((m for m in step.material if m in inputs), None)
        return [{"name": "smelt", "args": {"object": obj, "count": n, **({"input": inp} if inp else {})}}]
    if step.action == "kill":
        mobs = kb.hunted_for(obj)
        return [{"name": "attack", "args": {"entity": mobs[0]}}] * max(1, step.times) if mobs else []
    if step.action == "farm":
        return [{"name": "farm", "args": {"object": obj, "count": n}}]
    special = kb.special(obj) if step.action == "use" else None
    if special is not None and special.target and special.held:
        return [{"name": "use", "args": {"object": special.held, "target": special.target[0]}}] * max(1, step.times)
    return [{"name": step.action, "args": {"object": obj}}]
