// Surface lakes: small pools of still water (and, rarely, lava) sunk into dry land, as closed-form
// functions of (seed, x, z) so every chunk, the tree planner and the plant placer agree on them.
// At most one lake per LAKE_CELL x LAKE_CELL cell, never within SPAWN_CLEAR blocks of the spawn.
// The fluid's surface is the lowest ground on the lake's rim (the dry columns 4-adjacent to it),
// so the fluid is held on every side and the lowest rim blocks sit level with it (sugar cane can grow there).
'use strict'
const { hash, hash01, valueNoise } = require('./random')

const LAKE_CELL = 64
const LAKE_CHANCE = 0.3 // per cell: ~1 lake per 14,000 blocks of land (pre-1.18 vanilla: 1 per 4 chunks, most failing)
const LAVA_SHARE = 0.125 // of the lakes far enough from spawn (vanilla lake_lava_surface is rarer still)
const SPAWN_CLEAR = 24 // no lake block this close (horizontally) to the spawn
const LAVA_SPAWN_CLEAR = 64
const MARGIN = 14 // a lake's reach from its centre, < LAKE_CELL / 2: lakes never cross their cell
const CACHE_LIMIT = 4096

// lakePlanner(s, surfaceHeight, minLevel, spawn, { lava }) -> { lakeAt(x, z), lakesIn(xa, xb, za, zb) }
// lakeAt gives { level, floor, lava } for a lake column (fluid from floor + 1 up to level, air above
// up to the old ground), or null.
function lakePlanner (s, surfaceHeight, minLevel, spawn, { lava = true } = {}) {
  const cache = new Map()

  function build (cx, cz) {
    const h = hash(s, cx, cz)
    if (h / 4294967296 >= LAKE_CHANCE) return null
    const k = hash(s, cx, cz, 1)
    const x0 = cx * LAKE_CELL + MARGIN + k % (LAKE_CELL - 2 * MARGIN)
    const z0 = cz * LAKE_CELL + MARGIN + (k >>> 12) % (LAKE_CELL - 2 * MARGIN)
    const rx = 3 + (h >>> 4) % 5 // 3..7
    const rz = 3 + (h >>> 8) % 5
    const depth = 2 + (h >>> 12) % 3 // 2..4 below the surface in the middle
    const R = Math.ceil(Math.max(rx, rz) * 1.4) + 1 // footprint half-size; the rim lies within R + 1
    const dist = Math.hypot(x0 - spawn.x, z0 - spawn.z) - (R + 1)
    const isLava = lava && hash01(s, cx, cz, 2) < LAVA_SHARE && dist > LAVA_SPAWN_CLEAR
    if (dist <= SPAWN_CLEAR) return null
    const n = 2 * R + 3 // grid over [x0 - R - 1, x0 + R + 1], rim included
    const xa = x0 - R - 1
    const za = z0 - R - 1
    const inside = new Uint8Array(n * n)
    const heights = new Int16Array(n * n)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = xa + i
        const z = za + j
        heights[i * n + j] = surfaceHeight(x, z)
        if (i === 0 || j === 0 || i === n - 1 || j === n - 1) continue
        const e = ((x - x0) / rx) ** 2 + ((z - z0) / rz) ** 2 + 0.35 * valueNoise(s ^ 0x5bd1e995, x, z, 4)
        if (e < 1) inside[i * n + j] = Math.max(1, Math.round(depth * (1 - e))) // depth below the level
      }
    }
    let level = Infinity
    let any = false
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        if (!inside[i * n + j]) continue
        any = true
        for (const [di, dj] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
          const q = (i + di) * n + j + dj
          if (!inside[q]) level = Math.min(level, heights[q])
        }
      }
    }
    if (!any || level < minLevel) return null // dry land only: never on a beach or in the sea
    return { x0, z0, xa, za, n, inside, heights, level, lava: isLava, R }
  }

  function lakeOfCell (cx, cz) {
    const key = cx * 131072 + cz
    let lake = cache.get(key)
    if (lake === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear()
      lake = build(cx, cz)
      cache.set(key, lake)
    }
    return lake
  }

  function lakeAt (x, z) {
    const lake = lakeOfCell(Math.floor(x / LAKE_CELL), Math.floor(z / LAKE_CELL))
    if (!lake) return null
    const i = x - lake.xa
    const j = z - lake.za
    if (i < 0 || j < 0 || i >= lake.n || j >= lake.n) return null
    const d = lake.inside[i * lake.n + j]
    if (!d) return null
    return { level: lake.level, floor: Math.min(lake.heights[i * lake.n + j], lake.level - d), lava: lake.lava }
  }

  // Whether any lake's footprint or rim may reach into [xa, xb] x [za, zb] (a cheap pre-check).
  function lakesNear (xa, xb, za, zb) {
    for (let cx = Math.floor(xa / LAKE_CELL); cx <= Math.floor(xb / LAKE_CELL); cx++) {
      for (let cz = Math.floor(za / LAKE_CELL); cz <= Math.floor(zb / LAKE_CELL); cz++) {
        const lake = lakeOfCell(cx, cz)
        if (lake && lake.xa <= xb && lake.xa + lake.n - 1 >= xa && lake.za <= zb && lake.za + lake.n - 1 >= za) return true
      }
    }
    return false
  }

  return { lakeAt, lakesNear }
}

module.exports = { lakePlanner, LAKE_CELL, SPAWN_CLEAR }
