'use strict'
// Vanilla 1.21.4's fishing rules (FishingHook, loot table gameplay/fishing and its fish/junk/treasure tables), pure
// functions for plugins/fishing.js and its unit tests. `random` is a function giving floats in [0, 1).

const BOBBER_WIDTH = 0.25
const BITE_PARTICLES = Math.floor(1 + BOBBER_WIDTH * 20) // 6 bubble and 6 fishing particles when a fish bites

// gameplay/fishing: one roll among the three tables, each weight plus quality x luck (LootPoolEntry.getWeight)
const CATEGORIES = [
  { table: 'fish', weight: 85, quality: -1 },
  { table: 'junk', weight: 10, quality: -2 },
  { table: 'treasure', weight: 5, quality: 2, openWaterOnly: true }
]
// [item, weight, count] (junk's ink sacs come 10 at a time; jungle-only bamboo is left out: no jungles here)
const TABLES = {
  fish: [['cod', 60], ['salmon', 25], ['tropical_fish', 2], ['pufferfish', 13]],
  junk: [['lily_pad', 17], ['leather_boots', 10], ['leather', 10], ['bone', 10], ['potion', 10], ['string', 5],
    ['fishing_rod', 2], ['bowl', 10], ['stick', 5], ['ink_sac', 1, 10], ['tripwire_hook', 10], ['rotten_flesh', 10]],
  treasure: [['name_tag', 1], ['saddle', 1], ['bow', 1], ['fishing_rod', 1], ['book', 1], ['nautilus_shell', 1]]
}

function weighted (entries, weightOf, random) {
  const total = entries.reduce((n, e) => n + weightOf(e), 0)
  let r = random() * total
  for (const e of entries) if ((r -= weightOf(e)) < 0) return e
  return entries[entries.length - 1]
}

// What one catch brings up: { table, name, count }. `luck`: Luck of the Sea's level plus the player's luck.
function catchLoot ({ luck = 0, openWater = false }, random = Math.random) {
  const categories = CATEGORIES.filter(c => openWater || !c.openWaterOnly)
  const category = weighted(categories, c => Math.max(0, Math.floor(c.weight + c.quality * luck)), random)
  const [name, , count = 1] = weighted(TABLES[category.table], e => e[1], random)
  return { table: category.table, name, count }
}

const between = (min, max, random) => min + Math.floor(random() * (max - min + 1)) // Mth.nextInt

// FishingHook.catchingFish's timers, in ticks: until a fish is lured (minus Lure's 5 s a level), until it bites
// once lured, and how long it stays on the hook.
const lureTicks = (lureLevel, random) => Math.max(0, between(100, 600, random) - lureLevel * 100)
const approachTicks = random => between(20, 80, random)
const nibbleTicks = random => between(20, 40, random)

// FishingHook.retrieve: the caught item is thrown from the bobber towards the player (blocks per tick)
function throwTowards (from, to) {
  const dx = to.x - from.x
  const dy = to.y - from.y
  const dz = to.z - from.z
  return { x: dx * 0.1, y: dy * 0.1 + Math.sqrt(Math.sqrt(dx * dx + dy * dy + dz * dz)) * 0.08, z: dz * 0.1 }
}

// FishingHook.calculateOpenWater over the layers y-1..y+2 of the 5x5 area around the bobber: each layer all above
// water (air, lily pads) or all inside water (water sources), and no layer inside water above one above it.
// `layerKind(dy)` names a layer 'above', 'inside' or 'invalid'.
function isOpenWater (layerKind) {
  let previous = 'invalid'
  for (let dy = -1; dy <= 2; dy++) {
    const kind = layerKind(dy)
    if (kind === 'invalid') return false
    if (kind === 'above' && previous === 'invalid') return false
    if (kind === 'inside' && previous === 'above') return false
    previous = kind
  }
  return true
}

// the water surface in a cell: FluidState.getHeight (a source or falling water 8/9, flowing (8 - level)/9, a full
// block when water is above it)
function waterHeight (level, waterAbove) {
  if (waterAbove) return 1
  return (level >= 8 ? 8 : 8 - level) / 9
}

module.exports = {
  BOBBER_WIDTH, BITE_PARTICLES, catchLoot, lureTicks, approachTicks, nibbleTicks, throwTowards, isOpenWater, waterHeight
}
