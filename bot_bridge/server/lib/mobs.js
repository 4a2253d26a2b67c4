'use strict'
// Vanilla 1.21.4 figures for passive animals, hostile monsters and a player's melee attack, as pure functions of a
// prismarine-registry: each mob's attributes, its loot (items from minecraft-data's entityLoot, counts from
// vanilla's loot tables: the data has every stack as [1, 1] and sheep without their wool), a sheep's natural colour,
// what a held item deals, and a monster's attacks. plugins/animal*.js and monster*.js use them.

// Max health and movement speed (Cow/Sheep/Pig/Chicken.createAttributes), PanicGoal's speed modifier, and the hit box
// (EntityType sizes, as in the registry).
const ANIMALS = {
  cow: { health: 10, speed: 0.2, panic: 2.0, width: 0.9, height: 1.4 },
  sheep: { health: 8, speed: 0.23, panic: 1.25, width: 0.9, height: 1.3 },
  pig: { health: 10, speed: 0.25, panic: 1.25, width: 0.9, height: 0.9 },
  chicken: { health: 4, speed: 0.25, panic: 1.4, width: 0.4, height: 0.7 }
}

// Hostile monsters (Zombie/Skeleton/Spider/Creeper.createAttributes and their goals): max health, movement speed,
// hit box, melee damage (before playerHealth.js's difficulty scaling: zombie 2.5/3/4.5 and spider 2/2/3 on
// easy/normal/hard), whether the sun burns it (Mob.isSunBurnTick), and its follow range (16 here for all).
const MONSTERS = {
  zombie: { health: 20, speed: 0.23, width: 0.6, height: 1.95, attack: 3, burnsInDay: true },
  skeleton: { health: 20, speed: 0.25, width: 0.6, height: 1.99, attack: 2, burnsInDay: true },
  spider: { health: 16, speed: 0.3, width: 1.4, height: 0.9, attack: 2, burnsInDay: false },
  creeper: { health: 20, speed: 0.25, width: 0.6, height: 1.7, attack: 0, burnsInDay: false }
}
for (const kind of Object.values(MONSTERS)) Object.assign(kind, { hostile: true, panic: 1, follow: 16 })

// Vanilla loot tables (entities/<name>.json) without Looting: [min, max] of each item the data lists. A negative
// minimum is vanilla's uniform count clamped at 0 (the spider's eye: -1..1, so one in three kills by a player).
const LOOT_COUNTS = {
  cow: { leather: [0, 2], beef: [1, 3] },
  sheep: { mutton: [1, 2] },
  pig: { porkchop: [1, 3] },
  chicken: { feather: [0, 2], chicken: [1, 1] },
  zombie: { rotten_flesh: [0, 2] },
  skeleton: { arrow: [0, 2], bone: [0, 2] },
  spider: { string: [0, 2], spider_eye: [-1, 1] },
  creeper: { gunpowder: [0, 2] }
}

// DyeColor ids (the sheep's wool metadata keeps the id in its low 4 bits).
const COLORS = ['white', 'orange', 'magenta', 'light_blue', 'yellow', 'lime', 'pink', 'gray', 'light_gray', 'cyan',
  'purple', 'blue', 'brown', 'green', 'red', 'black']

// Attack damage and attack speed of the held item (vanilla's item attribute modifiers; a bare hand or any other
// item: 1 damage at speed 4).
const TIERS = ['wooden', 'golden', 'stone', 'iron', 'diamond', 'netherite']
const WEAPONS = {
  sword: { damage: [4, 4, 5, 6, 7, 8], speed: [1.6, 1.6, 1.6, 1.6, 1.6, 1.6] },
  axe: { damage: [7, 7, 9, 9, 9, 10], speed: [0.8, 1.0, 0.8, 0.9, 1.0, 1.0] },
  pickaxe: { damage: [2, 2, 3, 4, 5, 6], speed: [1.2, 1.2, 1.2, 1.2, 1.2, 1.2] },
  shovel: { damage: [2.5, 2.5, 3.5, 4.5, 5.5, 6.5], speed: [1, 1, 1, 1, 1, 1] },
  hoe: { damage: [1, 1, 1, 1, 1, 1], speed: [1, 1, 2, 3, 4, 4] }
}
const SPECIAL_WEAPONS = { trident: { damage: 9, speed: 1.1 }, mace: { damage: 6, speed: 0.6 } }
const HAND = { damage: 1, speed: 4 }

function weapon (itemName) {
  if (!itemName) return HAND
  if (SPECIAL_WEAPONS[itemName]) return SPECIAL_WEAPONS[itemName]
  const [tier, kind] = itemName.split('_')
  const t = TIERS.indexOf(tier)
  if (t < 0 || !WEAPONS[kind] || itemName !== `${tier}_${kind}`) return HAND
  return { damage: WEAPONS[kind].damage[t], speed: WEAPONS[kind].speed[t] }
}

// Player.attack: the damage of a hit `ticks` after the player's last attack or item switch (attackStrengthTicker).
function attackDamage (itemName, ticks) {
  const { damage, speed } = weapon(itemName)
  const strength = Math.min(1, Math.max(0, (ticks + 0.5) / (20 / speed)))
  return damage * (0.2 + strength * strength * 0.8)
}

// Sheep.getRandomSheepColor: 5 % each black, gray, light gray, 3 % brown, 1 in 500 of the rest pink, else white.
function sheepColor (rng) {
  const i = Math.floor(rng() * 100)
  if (i < 5) return COLORS.indexOf('black')
  if (i < 10) return COLORS.indexOf('gray')
  if (i < 15) return COLORS.indexOf('light_gray')
  if (i < 18) return COLORS.indexOf('brown')
  return Math.floor(rng() * 500) === 0 ? COLORS.indexOf('pink') : COLORS.indexOf('white')
}

// Explosion.explode's damage to an entity `distance` from the centre of an explosion of `power` (a creeper: 3),
// with `exposure` the share of rays from the centre that reach it (1 in the open): before difficulty scaling,
// 2 * 7 * 3 + 1 = 43 at point blank for a creeper, 0 at 2 * power.
function explosionDamage (power, distance, exposure = 1) {
  const reach = power * 2
  if (distance >= reach) return 0
  const impact = (1 - distance / reach) * exposure
  return Math.floor((impact * impact + impact) / 2 * 7 * reach + 1)
}

// A skeleton's arrow on hitting (AbstractArrow.onHitEntity): ceil(speed * base damage), the base 2 plus a triangle
// spread around 0.11 * difficulty (ProjectileUtil.getMobArrow), at the bow's launch speed 1.6 (before scaling).
function arrowDamage (difficulty, rng = Math.random) {
  const base = 2 + difficulty * 0.11 + (rng() - rng()) * 0.57425
  return Math.ceil(1.6 * base)
}

const byRegistry = new WeakMap()

module.exports = function mobRules (registry) {
  if (!byRegistry.has(registry)) byRegistry.set(registry, build(registry))
  return byRegistry.get(registry)
}

function build (registry) {
  const { itemsByName, entitiesByName } = registry
  const between = (rng, [lo, hi]) => lo + Math.floor(rng() * (hi - lo + 1))

  // The loot table's items for each mob, with vanilla's counts, chances (the zombie's rare iron, carrot and potato)
  // and whether only a kill by a player drops them.
  const loot = {}
  for (const name of [...Object.keys(ANIMALS), ...Object.keys(MONSTERS)]) {
    const entry = registry.entityLoot?.[name]
    if (!entry) throw new Error(`minecraft-data has no entity loot for ${name}`)
    loot[name] = entry.drops.map(d => ({
      item: d.item,
      range: LOOT_COUNTS[name][d.item] ?? d.stackSizeRange,
      chance: d.dropChance ?? 1,
      playerKill: Boolean(d.playerKill)
    }))
  }

  const stack = (name, count) => count > 0 ? [{ name, id: itemsByName[name].id, count }] : []

  // What a killed mob drops: [{ name, id, count }]. A sheep drops one wool of its colour unless sheared; some items
  // only when a player killed it (`killedByPlayer`).
  function drops (name, { color = 0, sheared = false, killedByPlayer = true } = {}, rng = Math.random) {
    const out = []
    for (const { item, range, chance, playerKill } of loot[name] ?? []) {
      if (playerKill && !killedByPlayer) continue
      if (chance < 1 && rng() >= chance) continue
      out.push(...stack(item, between(rng, range)))
    }
    if (name === 'sheep' && !sheared) out.push(...stack(`${COLORS[color]}_wool`, 1))
    return out
  }

  // Sheep.shear: 1 to 3 wool of its colour.
  function shearing (color, rng = Math.random) {
    return stack(`${COLORS[color]}_wool`, between(rng, [1, 3]))
  }

  function animal (name) {
    const kind = ANIMALS[name]
    return kind && { name, type: entitiesByName[name].id, ...kind }
  }

  function monster (name) {
    const kind = MONSTERS[name]
    return kind && { name, type: entitiesByName[name].id, ...kind }
  }

  // Any mob these plugins run: an animal or a monster.
  const mob = name => animal(name) ?? monster(name)

  return { drops, shearing, animal, monster, mob, names: Object.keys(ANIMALS), monsters: Object.keys(MONSTERS) }
}

module.exports.weapon = weapon
module.exports.attackDamage = attackDamage
module.exports.sheepColor = sheepColor
module.exports.COLORS = COLORS
module.exports.ANIMALS = ANIMALS
module.exports.MONSTERS = MONSTERS
module.exports.explosionDamage = explosionDamage
module.exports.arrowDamage = arrowDamage
