"""The bot digs in vanilla's time: prismarine-block's lookup, patched by connect.js, against the wiki's figures."""

from __future__ import annotations

import json
import subprocess

from bot_bridge.node_env import BRIDGE_DIR, node_environ
from tests.conftest import need_node

SCRIPT = """
const reg = require('prismarine-registry')(require('./server/lib/version').mcVersion())
const Block = require('prismarine-block')(reg)
require('./skills/connect.js').useVanillaDigSpeeds(reg)
const ms = (block, tool) => Block.fromStateId(reg.blocksByName[block].defaultState, 0)
  .digTime(tool ? reg.itemsByName[tool].id : null, false, false, false)
console.log(JSON.stringify(JSON.parse(process.argv[1]).map(([b, t]) => ms(b, t))))
"""

# Vanilla: ticks = ceil(1 / (speed / hardness / (harvestable ? 30 : 100))), 50 ms a tick.
CASES = [
    ("iron_ore", "stone_pickaxe", 1150),  # hardness 3, speed 4, harvestable: 23 ticks
    ("iron_ore", "wooden_pickaxe", 7500),  # speed 2 but not harvestable (needs stone): 3 / 2 * 100 = 150 ticks
    ("diamond_ore", "iron_pickaxe", 750),  # speed 6, harvestable: 15 ticks
    ("deepslate_iron_ore", "stone_pickaxe", 1700),  # hardness 4.5: 34 ticks
    ("stone", "wooden_pickaxe", 1150),  # hardness 1.5, speed 2: 23 ticks
    ("stone", None, 7500),  # by hand, not harvestable: 150 ticks
    ("oak_log", "stone_axe", 750),  # hardness 2, speed 4: 15 ticks
]


def test_bot_dig_time_matches_vanilla():
    node = need_node("the bot digs in vanilla's time")
    out = subprocess.run([node, "-e", SCRIPT, json.dumps([[b, t] for b, t, _ in CASES])],
                         cwd=BRIDGE_DIR, capture_output=True, text=True, check=True, env=node_environ()).stdout
    assert json.loads(out) == [ms for _, _, ms in CASES]
