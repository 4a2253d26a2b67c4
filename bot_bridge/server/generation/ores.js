// Underground blobs and ores after Minecraft 1.21.4's placed features
// (data/minecraft/worldgen/placed_feature/ore_*.json): same attempts per chunk, height
// distributions and vein sizes, and a port of vanilla's OreFeature blob shape.
// Features whose height range lies entirely above our terrain (ore_coal_upper 136..320,
// ore_iron_upper 80..384 peaking at 232) would only ever hit air here, so they are left out.
// Not modelled: air-exposure discard (ores go into solid rock; caves.js carves afterwards, exposing some, as
// vanilla's carvers do) and granite/diorite/andesite blobs.
'use strict'
const { hash, prng } = require('./random')

const MIN_Y = -64
const MAX_Y = 319

// count: attempts per chunk, [lo, hi] for a uniform random count, or { rarity: n } for 1-in-n chunks.
// y: ['uniform' | 'trapezoid', min, max] with vanilla's plateau-0 trapezoid (a triangle).
// ore: [block on stone, block on deepslate/tuff]; rock: one block that replaces any rock.
const FEATURES = [
  { name: 'dirt', rock: 'dirt', count: 7, y: ['uniform', 0, 160], size: 33 },
  { name: 'gravel', rock: 'gravel', count: 14, y: ['uniform', 0, MAX_Y], size: 33 },
  { name: 'tuff', rock: 'tuff', count: 2, y: ['uniform', MIN_Y, 0], size: 64 },
  { name: 'coal_lower', ore: ['coal_ore', 'deepslate_coal_ore'], count: 20, y: ['trapezoid', 0, 192], size: 17 },
  { name: 'iron_middle', ore: ['iron_ore', 'deepslate_iron_ore'], count: 10, y: ['trapezoid', -24, 56], size: 9 },
  { name: 'iron_small', ore: ['iron_ore', 'deepslate_iron_ore'], count: 10, y: ['uniform', MIN_Y, 72], size: 4 },
  { name: 'gold', ore: ['gold_ore', 'deepslate_gold_ore'], count: 4, y: ['trapezoid', MIN_Y, 32], size: 9 },
  { name: 'gold_lower', ore: ['gold_ore', 'deepslate_gold_ore'], count: [0, 1], y: ['uniform', MIN_Y, -48], size: 9 },
  { name: 'redstone', ore: ['redstone_ore', 'deepslate_redstone_ore'], count: 4, y: ['uniform', MIN_Y, 15], size: 8 },
  { name: 'redstone_lower', ore: ['redstone_ore', 'deepslate_redstone_ore'], count: 8, y: ['trapezoid', -96, -32], size: 8 },
  { name: 'diamond', ore: ['diamond_ore', 'deepslate_diamond_ore'], count: 7, y: ['trapezoid', -144, 16], size: 4 },
  { name: 'diamond_medium', ore: ['diamond_ore', 'deepslate_diamond_ore'], count: 2, y: ['uniform', MIN_Y, -4], size: 8 },
  { name: 'diamond_large', ore: ['diamond_ore', 'deepslate_diamond_ore'], count: { rarity: 9 }, y: ['trapezoid', -144, 16], size: 12 },
  { name: 'diamond_buried', ore: ['diamond_ore', 'deepslate_diamond_ore'], count: 4, y: ['trapezoid', -144, 16], size: 8 },
  { name: 'lapis', ore: ['lapis_ore', 'deepslate_lapis_ore'], count: 2, y: ['trapezoid', -32, 32], size: 7 },
  { name: 'lapis_buried', ore: ['lapis_ore', 'deepslate_lapis_ore'], count: 4, y: ['uniform', MIN_Y, 64], size: 7 },
  { name: 'copper', ore: ['copper_ore', 'deepslate_copper_ore'], count: 16, y: ['trapezoid', -16, 112], size: 10 }
]

function attempts (count, rng) {
  if (typeof count === 'number') return count
  if (Array.isArray(count)) return rng.between(count[0], count[1])
  return rng.int(count.rarity) === 0 ? 1 : 0
}

function sampleY ([kind, min, max], rng) {
  if (kind === 'uniform') return rng.between(min, max)
  const half = (max - min) >> 1
  return min + rng.between(0, max - min - half) + rng.between(0, half)
}

// Resolves block names to state ids and returns place(buf, s, chunkX, chunkZ), which writes
// every vein reaching this chunk — including veins rooted in the 8 neighbours — into buf
// (Uint16Array indexed ((y - MIN_Y) << 8) | (z << 4) | x).
function orePlacer (blocks) {
  const id = name => blocks[name].defaultState
  const stone = id('stone')
  const deep = new Set([id('deepslate'), id('tuff')])
  const features = FEATURES.map((f, index) => ({
    index,
    size: f.size,
    count: f.count,
    y: f.y,
    onStone: id(f.ore ? f.ore[0] : f.rock),
    onDeep: id(f.ore ? f.ore[1] : f.rock),
    // farthest a block can lie from the vein's origin: half the line plus the largest sphere
    reach: Math.ceil(f.size / 8 + (f.size / 8 + 1) / 2) + 1
  }))

  function vein (buf, f, rng, ox, oy, oz, x0, z0) {
    const size = f.size
    const angle = rng.next() * Math.PI
    const g = size / 8
    const sx = ox + Math.sin(angle) * g
    const ex = ox - Math.sin(angle) * g
    const sz = oz + Math.cos(angle) * g
    const ez = oz - Math.cos(angle) * g
    const sy = oy + rng.int(3) - 2
    const ey = oy + rng.int(3) - 2
    for (let t = 0; t < size; t++) {
      const p = t / size
      const cx = sx + (ex - sx) * p
      const cy = sy + (ey - sy) * p
      const cz = sz + (ez - sz) * p
      // drawn before any clipping so every chunk sees the same sequence
      const r = ((Math.sin(Math.PI * p) + 1) * rng.next() * size / 16 + 1) / 2
      const xa = Math.max(Math.floor(cx - r), x0)
      const xb = Math.min(Math.floor(cx + r), x0 + 15)
      const ya = Math.max(Math.floor(cy - r), MIN_Y)
      const yb = Math.min(Math.floor(cy + r), MAX_Y)
      const za = Math.max(Math.floor(cz - r), z0)
      const zb = Math.min(Math.floor(cz + r), z0 + 15)
      for (let x = xa; x <= xb; x++) {
        const dx = (x + 0.5 - cx) / r
        if (dx * dx >= 1) continue
        for (let y = ya; y <= yb; y++) {
          const dy = (y + 0.5 - cy) / r
          if (dx * dx + dy * dy >= 1) continue
          for (let z = za; z <= zb; z++) {
            const dz = (z + 0.5 - cz) / r
            if (dx * dx + dy * dy + dz * dz >= 1) continue
            const i = ((y - MIN_Y) << 8) | ((z - z0) << 4) | (x - x0)
            const cur = buf[i]
            if (cur === stone) buf[i] = f.onStone
            else if (deep.has(cur)) buf[i] = f.onDeep
          }
        }
      }
    }
  }

  return function place (buf, s, chunkX, chunkZ) {
    const x0 = chunkX * 16
    const z0 = chunkZ * 16
    // Feature-major, then origin chunk in increasing world order: a total order every chunk shares,
    // so where veins overlap the same one wins on both sides of a border.
    for (const f of features) {
      for (let dx = -1; dx <= 1; dx++) {
        for (let dz = -1; dz <= 1; dz++) {
          const ocx = chunkX + dx
          const ocz = chunkZ + dz
          const n = attempts(f.count, prng(hash(s, ocx, ocz, f.index * 1024 + 1023)))
          for (let a = 0; a < n; a++) {
            const rng = prng(hash(s, ocx, ocz, f.index * 1024 + a))
            const ox = ocx * 16 + rng.int(16)
            const oz = ocz * 16 + rng.int(16)
            const oy = sampleY(f.y, rng)
            if (ox + f.reach < x0 || ox - f.reach > x0 + 15 || oz + f.reach < z0 || oz - f.reach > z0 + 15) continue
            if (oy + f.reach < MIN_Y || oy - f.reach > MAX_Y) continue
            vein(buf, f, rng, ox, oy, oz, x0, z0)
          }
        }
      }
    }
  }
}

module.exports = { FEATURES, orePlacer }
