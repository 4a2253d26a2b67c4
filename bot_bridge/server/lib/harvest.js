'use strict'
// Vanilla harvesting rules over minecraft-data: who may harvest a block, what it drops, how long it takes.
// Pure functions of a prismarine-registry. A block is anything with { name, hardness, material, harvestTools }
// (and optionally getProperties() for state-dependent counts); an item is { name, type, enchants } or null.

const path = require('path')
const TIER_SPEED = { wooden: 2, stone: 4, iron: 6, diamond: 8, netherite: 9, golden: 12 }

// 1.21.4 reuses the 1.20 loot table: one block and one item were renamed since.
const LOOT_ALIASES = { short_grass: 'grass' }
const ITEM_RENAMES = { grass: 'short_grass' }

// Counts without Fortune that the data gets wrong (it folds Fortune into ores' ranges, and a few are missing).
const ORE_COUNTS = {
  copper_ore: [2, 5],
  deepslate_copper_ore: [2, 5],
  lapis_ore: [4, 9],
  deepslate_lapis_ore: [4, 9],
  redstone_ore: [4, 5],
  deepslate_redstone_ore: [4, 5],
  nether_gold_ore: [2, 6],
  melon: [3, 7]
}

// Block states whose value is the number of items the block holds.
const COUNT_STATES = ['candles', 'pickles', 'flower_amount']

// Swords are not in minecraft-data's material table; vanilla cuts cobweb at 15 and these materials at 1.5.
const SWORD_MATERIALS = new Set(['plant', 'leaves', 'gourd', 'vine_or_glow_lichen'])

// Crops (vanilla loot tables): a young crop drops its seed; a grown one its produce and binomial(tries, chance) more
// of its bonus item (carrots and potatoes: more of the produce) and its rare drops (a poisonous potato 2% of the time).
// The data lists these pools as one list whose counts add up wrong (a grown wheat gave 2-5 seeds); the knowledge base's
// crop table is the one home of the right ones.
const CROPS = require(path.join(__dirname, '..', '..', '..', 'knowledge', 'data', 'tables', 'crops.json')).crops

const GRASSES = new Set(['short_grass', 'fern', 'tall_grass', 'large_fern'])

// Vanilla drops these only when cut with shears (match_tool shears); the loot data lists their items unconditionally.
const SHEARS_ONLY = new Set([
  'vine', 'glow_lichen', 'seagrass', 'tall_seagrass', 'hanging_roots', 'nether_sprouts', 'small_dripleaf'
])

const byRegistry = new WeakMap()

// The rules for one registry, built once (the loot table takes a pass over all blocks).
module.exports = function harvestRules (registry) {
  if (!byRegistry.has(registry)) byRegistry.set(registry, build(registry))
  return byRegistry.get(registry)
}

function build (registry) {
  const { itemsByName, materials } = registry

  // The loot table keyed by 1.21.4 block name, each drop an existing item; blocks absent from the data fall back to
  // the block's own `drops` list. Also installed into registry.blockLoot by the drops plugin (flying-squid reads it).
  const loot = {}
  for (const block of registry.blocksArray) {
    const entry = registry.blockLoot?.[block.name] ?? registry.blockLoot?.[LOOT_ALIASES[block.name]]
    const drops = entry
      ? entry.drops.map(d => ({ ...d, item: ITEM_RENAMES[d.item] ?? d.item }))
      : block.drops.map(id => registry.items[id]?.name).map(item => ({ item, dropChance: 1, stackSizeRange: [1, 1] }))
    loot[block.name] = { block: block.name, drops: drops.filter(d => d.item && d.item !== 'air' && itemsByName[d.item]) }
  }

  function itemName (item) {
    return item ? (item.name ?? registry.items[item.type]?.name) : undefined
  }

  function itemId (item) {
    return item ? (item.type ?? itemsByName[item.name]?.id) : undefined
  }

  function harvestKinds (block) {
    return new Set(Object.keys(block.harvestTools ?? {}).map(id => registry.items[id]?.name.split('_').pop()))
  }

  // A 1.20.5+ stack keeps its enchantments in a component ({ enchantments: [{ id, level }] }), which
  // prismarine-item's `enchants` returns as is; a plain { enchants: [{ name, lvl }] } works too.
  function enchantLevel (item, name) {
    const listed = item?.components?.find?.(c => c.type === 'enchantments')?.data?.enchantments
    if (listed) return listed.find(e => registry.enchantments[e.id]?.name === name)?.level ?? 0
    const enchants = item?.enchants
    return Array.isArray(enchants) ? (enchants.find(e => e.name === name)?.lvl ?? 0) : 0
  }

  // minecraft-data: `harvestTools` lists the items that get drops; no list means anything does (even a bare hand).
  function canHarvest (block, heldItem) {
    if (!block.harvestTools) return true
    const id = itemId(heldItem)
    return id !== undefined && Boolean(block.harvestTools[id])
  }

  // The tool speed multiplier. Each ';'-separated material part counts (prismarine-block only looks up the whole
  // string); "incorrect_for_X_tool" ores are pickaxe blocks whose correct tools are the harvestTools.
  function toolSpeed (block, heldItem) {
    const id = itemId(heldItem)
    if (id === undefined) return 1
    const name = itemName(heldItem)
    const parts = (block.material ?? '').split(';')
    let speed = 1
    for (const part of parts) {
      if (part.startsWith('incorrect_for_')) continue
      speed = Math.max(speed, materials?.[part]?.[id] ?? 1)
    }
    // A tool of the harvest tools' kind is fast at any tier: a wooden pickaxe speeds up iron ore (without drops).
    const [tier, kind] = name.split('_')
    if (TIER_SPEED[tier] && harvestKinds(block).has(kind)) speed = Math.max(speed, TIER_SPEED[tier])
    if (name.endsWith('_sword')) {
      if (block.name === 'cobweb') speed = Math.max(speed, 15)
      else if (parts.some(p => SWORD_MATERIALS.has(p))) speed = Math.max(speed, 1.5)
    }
    return speed
  }

  // Ticks until the block breaks (vanilla: progress speed/hardness/(30 or 100) per tick). 0 = instant,
  // Infinity = unbreakable. `inWater`: eyes under water without Aqua Affinity.
  function digTicks (block, heldItem, onGround = true, inWater = false) {
    if (block.hardness === null || block.hardness === undefined || block.hardness < 0) return Infinity
    if (block.hardness === 0) return 0
    let speed = toolSpeed(block, heldItem)
    const efficiency = enchantLevel(heldItem, 'efficiency')
    if (efficiency > 0 && speed > 1) speed += efficiency * efficiency + 1
    if (inWater) speed /= 5
    if (!onGround) speed /= 5
    const damage = speed / block.hardness / (canHarvest(block, heldItem) ? 30 : 100)
    return damage >= 1 ? 0 : Math.ceil(1 / damage)
  }

  function between (rng, [lo, hi]) {
    return lo + Math.floor(rng() * (hi - lo + 1))
  }

  function stateCount (block) {
    const props = block.getProperties?.() ?? {}
    for (const name of COUNT_STATES) if (props[name] !== undefined) return Number(props[name])
    if (props.type === 'double') return 2
    return props.type !== undefined && block.name.endsWith('_slab') ? 1 : null
  }

  function stack (name, count) {
    return count > 0 ? [{ name, id: itemsByName[name].id, count }] : []
  }

  // Tool-dependent tables the data cannot express (it lists the alternatives side by side with made-up chances).
  function special (block, heldItem, rng) {
    const held = itemName(heldItem)
    if (block.name.endsWith('_leaves')) {
      if (held === 'shears') return stack(block.name, 1)
      const out = []
      for (const { item } of loot[block.name].drops) {
        if (/_sapling$|^(flowering_)?azalea$/.test(item) && rng() < 0.05) out.push(...stack(item, 1))
        if (item === 'stick' && rng() < 0.02) out.push(...stack(item, between(rng, [1, 2])))
        if (item === 'apple' && rng() < 0.005) out.push(...stack(item, 1))
      }
      return out
    }
    if (GRASSES.has(block.name)) {
      // Shears give the loot table's plant: tall_grass gives 2 short_grass, large_fern 2 fern.
      const plant = loot[block.name].drops.find(d => d.item !== 'wheat_seeds')
      if (held === 'shears') return stack(plant.item, plant.stackSizeRange[0])
      return rng() < 0.125 ? stack('wheat_seeds', 1) : []
    }
    const crop = CROPS.blocks[block.name]
    if (crop) {
      if (Number(block.getProperties?.().age ?? 0) < crop.max_age) return stack(crop.seed, 1)
      let extra = 0
      for (let i = 0; i < CROPS.bonus_tries; i++) if (rng() < CROPS.bonus_chance) extra++
      const out = [...stack(crop.produce, 1), ...stack(crop.bonus, extra)]
      for (const [item, chance] of Object.entries(crop.rare ?? {})) if (rng() < chance) out.push(...stack(item, 1))
      // one stack per item, as vanilla's loot merges them when they pop
      return out.reduce((acc, s) => {
        const same = acc.find(a => a.name === s.name)
        if (same) same.count += s.count
        else acc.push(s)
        return acc
      }, [])
    }
    if (block.name === 'gravel') return stack(rng() < 0.1 ? 'flint' : 'gravel', 1)
    if (block.name === 'snow') return stack('snowball', Number(block.getProperties?.().layers ?? 1))
    if (block.name === 'cobweb') return stack(held === 'shears' ? 'cobweb' : 'string', 1)
    if (block.name === 'dead_bush') return held === 'shears' ? stack('dead_bush', 1) : stack('stick', between(rng, [0, 2]))
    if (ORE_COUNTS[block.name]) {
      const item = loot[block.name].drops.find(d => d.noSilkTouch)?.item
      return stack(item, between(rng, ORE_COUNTS[block.name]))
    }
    return null
  }

  // The items a survival player gets for breaking `block` with `heldItem`: [{ name, id, count }].
  // Silk Touch picks the silk-touch entries; Fortune is ignored.
  function drops (block, heldItem, rng = Math.random) {
    if (!canHarvest(block, heldItem)) return []
    if (SHEARS_ONLY.has(block.name) && itemName(heldItem) !== 'shears') return [] // Silk Touch does not do either
    const silk = enchantLevel(heldItem, 'silk_touch') > 0
    if (!silk) {
      const fixed = special(block, heldItem, rng)
      if (fixed) return fixed
    }
    const age = block.getProperties?.().age
    const entries = (loot[block.name]?.drops ?? [])
      .filter(d => silk ? !d.noSilkTouch : !d.silkTouch)
      .filter(d => d.blockAge === undefined || Number(age) === d.blockAge)
    const out = []
    // The non-silk entries are alternatives (pick one); their ranges' maximum is Fortune's, so take the minimum.
    const alternatives = entries.filter(d => d.noSilkTouch || d.silkTouch)
    if (alternatives.length > 0) {
      const pick = alternatives[Math.floor(rng() * alternatives.length)]
      out.push(...stack(pick.item, Math.max(0, pick.stackSizeRange[0] ?? 1)))
    }
    for (const d of entries.filter(d => !d.noSilkTouch && !d.silkTouch)) {
      // Chances of 1/2 and above mark alternatives in this data, not real odds; small ones are real odds.
      if (d.dropChance < 0.5 && rng() >= d.dropChance) continue
      const [lo, hi] = d.stackSizeRange
      const count = stateCount(block) ?? (lo > 0 && hi >= lo ? between(rng, [lo, hi]) : 1)
      out.push(...stack(d.item, count))
    }
    return out
  }

  return { canHarvest, digTicks, drops, toolSpeed, loot, enchantLevel }
}
