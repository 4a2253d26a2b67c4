"""Knowledge as plain sentences, in the style of GITM's text knowledge, one dict per topic keyed by item."""

from __future__ import annotations

from collections import defaultdict

from knowledge.base import TICKS_PER_SMELT, TOPICS, Block, Crop, Drop, KnowledgeBase, Recipe


def _join(parts: list[str], last: str = "and") -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {last} " + parts[-1]


def _a(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def crafting_sentence(r: Recipe) -> str:
    needs = _join([f"{i.count} {i.name}" for i in r.ingredients])
    station = ", and a crafting_table" if r.table else ""
    return f"Crafting {r.count} {r.result} requires {needs}{station}."


def _tool_phrase(b: Block) -> str:
    tool = b.min_tool
    if tool is None:
        faster = f" ({_a(b.tool)} {b.tool} is faster)" if b.tool else ""
        return f"can be done by hand{faster}"
    if tool == "shears" or b.min_tier is None:
        return f"needs {tool}"
    better = "" if b.min_tier == "netherite" else " or better"
    return f"needs {_a(tool)} {tool}{better}"


def _list_drops(drops: tuple[Drop, ...]) -> str:
    parts = []
    for d in drops:
        amount = "" if d.min == d.max == 1 else f"{d.min} " if d.min == d.max else f"{d.min}-{d.max} "
        extra = " when fully grown" if d.grown else (f" ({d.chance:.1%} chance)" if d.chance < 1 else "")
        parts.append(f"{amount}{d.item}{extra}")
    return _join(parts)


def _drops_phrase(b: Block) -> str:
    sheared = f"; with shears it drops {_list_drops(b.shears)}" if b.shears else ""
    if not b.drops:
        silk = f" without silk touch ({_join(list(b.silk_touch))} with it)" if b.silk_touch else ""
        return f"drops nothing{silk}{sheared}"
    return f"drops {_list_drops(b.drops)}{sheared}"


def mining_sentence(b: Block) -> str:
    return f"Mining {b.name} {_tool_phrase(b)} and {_drops_phrase(b)}."


# Vanilla growth speeds (Crop.ripen_ticks): a crop in a row beside water with tilled farmland all around, one alone on
# hydrated farmland, one alone on dry farmland.
ROW_BESIDE_WATER, ALONE_WET, ALONE_DRY = 10, 4, 2


def crop_sentences(c: Crop, farmland: dict) -> list[str]:
    tilled = _join(farmland["tilled"], "or")
    lo, hi = c.bone_meal
    rare = "".join(f" (and {item} {chance:.0%} of the time)" for item, chance in c.rare.items())
    return [
        f"{c.produce} grows from {c.seed} planted on farmland: till {tilled} with a hoe (water within "
        f"{farmland['water_reach']} blocks keeps farmland hydrated; crops grow on dry farmland too, slower), plant the "
        f"{c.seed} and break the {c.block} crop when ripe (age {c.max_age}): it drops 1 {c.produce} and "
        f"0-{c.bonus_tries} more {c.bonus} ({c.bonus_mean:.2f} on average){rare}; a young one drops 1 {c.seed}.",
        f"A {c.block} crop ripens by random ticks in about {c.ripen_ticks(ROW_BESIDE_WATER):,.0f} ticks in a row "
        f"beside water with farmland all around, {c.ripen_ticks(ALONE_WET):,.0f} alone on hydrated farmland and "
        f"{c.ripen_ticks(ALONE_DRY):,.0f} on dry farmland; bone meal advances it {lo}-{hi} ages at once.",
    ]


def render_all(kb: KnowledgeBase) -> dict[str, dict[str, list[str]]]:
    topics: dict[str, dict[str, list[str]]] = {t: defaultdict(list) for t in TOPICS}

    for name in kb.all_item_names():
        for r in kb.recipes_for(name):
            topics["crafting"][name].append(crafting_sentence(r))

    for s in kb.smelting():
        sentence = f"Smelting 1 {s.input} in a furnace gives {s.count} {s.result}; it needs fuel."
        topics["smelting"][s.result].append(sentence)
        topics["smelting"][s.input].append(sentence)

    for fuel, ticks in kb.fuels().items():
        topics["fuels"][fuel].append(
            f"{fuel} is a furnace fuel: it burns for {ticks} ticks and smelts {ticks / TICKS_PER_SMELT:g} items."
        )

    for b in kb.blocks().values():
        if not b.diggable:
            continue
        sentence = mining_sentence(b)
        topics["mining"][b.name].append(sentence)
        for d in (*b.drops, *b.shears):
            if d.item != b.name:
                topics["mining"][d.item].append(sentence)

    for ore in kb.ores().values():
        b = kb.how_to_mine(ore.name)
        where = "in the Nether " if ore.dimension == "nether" else ""
        note = f" ({ore.note})" if ore.note else ""
        mining = f"; mining it {_tool_phrase(b)} and {_drops_phrase(b)}" if b else ""
        topics["ores"][ore.name].append(
            f"{ore.name} is found {where}between y={ore.min_y} and y={ore.max_y}, most often near "
            f"y={ore.best_y}{note}{mining}."
        )
        for d in b.drops if b else ():
            topics["ores"][d.item].append(topics["ores"][ore.name][-1])

    for name in kb.all_item_names():
        if (u := kb.unobtainable(name)) is not None:
            topics["sources"][name].append(f"{name} cannot be obtained in the Overworld by the agent: {u.reason}.")
        if (s := kb.special(name)) is not None:
            laid = (f" (each {_join(list(s.near), 'or')} lays one every {s.every[0]}-{s.every[1]} ticks while a "
                    f"player is near)" if s.every else "")
            topics["sources"][name].append(f"To get {name}, {s.info}{laid}.")
        mobs = sorted({d.mob for d in kb.hunted_from(name)})
        if mobs:
            topics["sources"][name].append(f"{name} drops from killing {_join(mobs)}.")
        elif (others := kb.dropped_by(name)) and u is None:
            topics["sources"][name].append(f"{name} drops from {_join(others)}, which the agent does not hunt.")

    for c in kb.crops().values():
        for sentence in crop_sentences(c, kb.farmland()):
            for name in dict.fromkeys((c.produce, c.seed, c.bonus, "farmland")):
                topics["sources"][name].append(sentence)

    return {t: {k: v for k, v in sorted(by_item.items())} for t, by_item in topics.items()}
