'use strict'
// Vanilla 1.21.4's enchanting rules, pure functions of a prismarine-registry: the enchanting table's costs and offers
// (EnchantmentMenu, EnchantmentHelper.selectEnchantment) and the anvil's enchantment merging, with java.util.Random's
// generator (vanilla's LegacyRandomSource) so a seed gives vanilla's draws. The enchantment definitions (costs,
// weights, anvil costs, supported and primary items) come from the enchantment registry the server sends at login;
// item tags (#enchantable/...) from minecraft-data's enchantCategories.
//
//   const rules = require('../lib/enchanting')(registry)
//   rules.enchantability(itemName)                     vanilla's `enchantable` component value (0: none)
//   rules.tableOffers(seed, bookshelves, itemName)     { costs: [3], clues: [3] enchantment id or -1, levels: [3] }
//   rules.enchantmentList(seed, itemName, slot, cost)  [{ name, lvl }] the table applies for that option
//   rules.definitions.get(name)                        { weight, maxLevel, anvilCost, exclusive: Set, ... }
//   rules.supports(name, itemName) / rules.compatible(a, b)

const nbt = require('prismarine-nbt')

// java.util.Random / LegacyRandomSource
class JavaRandom {
  constructor (seed) { this.setSeed(seed) }
  setSeed (seed) { this.seed = (BigInt(seed) ^ 0x5DEECE66Dn) & ((1n << 48n) - 1n) }
  next (bits) {
    this.seed = (this.seed * 0x5DEECE66Dn + 0xBn) & ((1n << 48n) - 1n)
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)))
  }

  nextInt (bound) {
    if (bound === undefined) return this.next(32)
    if ((bound & -bound) === bound) return Number((BigInt(bound) * BigInt(this.next(31))) >> 31n)
    let bits, val
    do {
      bits = this.next(31)
      val = bits % bound
    } while (((bits - val + (bound - 1)) | 0) < 0)
    return val
  }

  nextFloat () { return this.next(24) / (1 << 24) }
}

// vanilla's `enchantable` component: tool and armour materials, books and the one-off weapons
const TOOL_ENCHANTABILITY = { wooden: 15, stone: 5, iron: 14, golden: 22, diamond: 10, netherite: 15 }
const ARMOR_ENCHANTABILITY = { leather: 15, chainmail: 12, iron: 9, golden: 25, diamond: 10, netherite: 15 }
const OTHER_ENCHANTABILITY = { book: 1, bow: 1, crossbow: 1, trident: 1, fishing_rod: 1, mace: 15, turtle_helmet: 9 }
const TOOLS = /^(wooden|stone|iron|golden|diamond|netherite)_(sword|pickaxe|axe|shovel|hoe)$/
const ARMOR = /^(leather|chainmail|iron|golden|diamond|netherite)_(helmet|chestplate|leggings|boots)$/

// vanilla #non_treasure (= #in_enchanting_table) in its data pack order, which the weighted draws go through
const TABLE_ORDER = ['protection', 'fire_protection', 'feather_falling', 'blast_protection', 'projectile_protection',
  'respiration', 'aqua_affinity', 'thorns', 'depth_strider', 'sharpness', 'smite', 'bane_of_arthropods', 'knockback',
  'fire_aspect', 'looting', 'sweeping_edge', 'efficiency', 'silk_touch', 'unbreaking', 'fortune', 'power', 'punch',
  'flame', 'infinity', 'luck_of_the_sea', 'lure', 'loyalty', 'impaling', 'riptide', 'channeling', 'multishot',
  'quick_charge', 'piercing', 'density', 'breach']

const byRegistry = new WeakMap()

module.exports = function enchantingRules (registry) {
  if (!byRegistry.has(registry)) byRegistry.set(registry, build(registry))
  return byRegistry.get(registry)
}
module.exports.JavaRandom = JavaRandom

function build (registry) {
  const codec = registry.loginPacket?.dimensionCodec?.['minecraft:enchantment']
  const ids = new Map()
  const definitions = new Map()
  const tagName = t => t ? t.replace(/^#?minecraft:enchantable\//, '') : undefined
  codec.entries.forEach((entry, id) => {
    const name = entry.key.replace(/^minecraft:/, '')
    const v = nbt.simplify(entry.value)
    const data = registry.enchantmentsByName[name]
    ids.set(name, id)
    definitions.set(name, {
      name,
      id,
      weight: v.weight,
      maxLevel: v.max_level,
      minCost: v.min_cost,
      maxCost: v.max_cost,
      anvilCost: v.anvil_cost,
      supported: tagName(v.supported_items),
      primary: tagName(v.primary_items),
      exclusive: new Set(data?.exclude ?? []),
      treasure: data?.treasureOnly ?? false
    })
  })
  const inTable = [...TABLE_ORDER, ...[...definitions.values()].filter(d => !d.treasure).map(d => d.name)]
    .filter((name, i, all) => definitions.has(name) && all.indexOf(name) === i && !definitions.get(name).treasure)

  function inTag (itemName, tag) {
    if (tag === 'chest_armor') return itemName.endsWith('_chestplate')
    return (registry.itemsByName[itemName]?.enchantCategories ?? []).includes(tag)
  }
  const supports = (enchantment, itemName) => inTag(itemName, definitions.get(enchantment).supported)
  function isPrimary (enchantment, itemName) {
    const d = definitions.get(enchantment)
    return inTag(itemName, d.supported) && (!d.primary || inTag(itemName, d.primary))
  }
  const compatible = (a, b) => a !== b && !definitions.get(a).exclusive.has(b) && !definitions.get(b).exclusive.has(a)
  const cost = (c, level) => c.base + c.per_level_above_first * (level - 1)

  function enchantability (itemName) {
    let m = itemName.match(TOOLS)
    if (m) return TOOL_ENCHANTABILITY[m[1]]
    m = itemName.match(ARMOR)
    if (m) return ARMOR_ENCHANTABILITY[m[1]]
    return OTHER_ENCHANTABILITY[itemName] ?? 0
  }

  // EnchantmentHelper.getEnchantmentCost
  function enchantmentCost (random, slot, bookshelves, itemName) {
    if (enchantability(itemName) <= 0) return 0
    bookshelves = Math.min(bookshelves, 15)
    const j = random.nextInt(8) + 1 + (bookshelves >> 1) + random.nextInt(bookshelves + 1)
    if (slot === 0) return Math.max(Math.trunc(j / 3), 1)
    return slot === 1 ? Math.trunc(j * 2 / 3) + 1 : Math.max(j, bookshelves * 2)
  }

  // EnchantmentHelper.getAvailableEnchantmentResults
  function available (level, itemName) {
    const out = []
    for (const name of inTable) {
      if (itemName !== 'book' && !isPrimary(name, itemName)) continue
      const d = definitions.get(name)
      for (let lvl = d.maxLevel; lvl >= 1; lvl--) {
        if (level >= cost(d.minCost, lvl) && level <= cost(d.maxCost, lvl)) {
          out.push({ name, lvl, weight: d.weight })
          break
        }
      }
    }
    return out
  }

  // WeightedRandom.getRandomItem
  function weightedPick (random, list) {
    const total = list.reduce((n, e) => n + e.weight, 0)
    if (total <= 0) return null
    let i = random.nextInt(total)
    for (const e of list) {
      i -= e.weight
      if (i < 0) return e
    }
    return null
  }

  // EnchantmentHelper.selectEnchantment (not treasure: the table)
  function selectEnchantment (random, itemName, level) {
    const list = []
    const value = enchantability(itemName)
    if (value <= 0) return list
    level += 1 + random.nextInt(Math.trunc(value / 4) + 1) + random.nextInt(Math.trunc(value / 4) + 1)
    const f = (random.nextFloat() + random.nextFloat() - 1) * 0.15
    level = Math.max(1, Math.floor(level + level * f + 0.5))
    let candidates = available(level, itemName)
    if (candidates.length === 0) return list
    const first = weightedPick(random, candidates)
    if (first) list.push(first)
    while (random.nextInt(50) <= level) {
      if (list.length > 0) {
        const last = list[list.length - 1].name
        candidates = candidates.filter(e => compatible(last, e.name))
      }
      if (candidates.length === 0) break
      const next = weightedPick(random, candidates)
      if (next) list.push(next)
      level = Math.trunc(level / 2)
    }
    return list
  }

  // EnchantmentMenu.getEnchantmentList
  function enchantmentList (seed, itemName, slot, level, random = new JavaRandom(0)) {
    random.setSeed(seed + slot)
    const list = selectEnchantment(random, itemName, level)
    if (itemName === 'book' && list.length > 1) list.splice(random.nextInt(list.length), 1)
    return list.map(({ name, lvl }) => ({ name, lvl }))
  }

  // EnchantmentMenu.slotsChanged for an enchantable item: the three options' costs and their clue.
  function tableOffers (seed, bookshelves, itemName) {
    const random = new JavaRandom(seed)
    const costs = [0, 0, 0]
    const clues = [-1, -1, -1]
    const levels = [-1, -1, -1]
    for (let j = 0; j < 3; j++) {
      costs[j] = enchantmentCost(random, j, bookshelves, itemName)
      if (costs[j] < j + 1) costs[j] = 0
    }
    for (let j = 0; j < 3; j++) {
      if (costs[j] <= 0) continue
      const list = enchantmentList(seed, itemName, j, costs[j], random)
      if (list.length === 0) continue
      const shown = list[random.nextInt(list.length)]
      clues[j] = ids.get(shown.name)
      levels[j] = shown.lvl
    }
    return { costs, clues, levels }
  }

  return { definitions, ids, enchantability, enchantmentCost, selectEnchantment, enchantmentList, tableOffers, supports, compatible, isPrimary }
}
