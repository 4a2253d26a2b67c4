// Caves and underground lava pools, carved after the ores (so caves expose ores, as in vanilla).
// - Worm-like tunnels after vanilla's cave carver (WorldCarver/CaveWorldCarver, much simplified): in one chunk
//   in CAVE_CHANCE, 1..3 tunnels of 45..75 steps whose radius swells and shrinks along the way, wandering in
//   yaw and pitch, between about y=-50 and y=50; some start at the surface and lead down (cave mouths).
//   Carved blocks at or below LAVA_Y become lava, as vanilla's carvers do below its lava level (y=-56).
// - Lava pools (vanilla lake_lava_underground: one chunk in 9, y 0..50 here) inside rock.
// Nothing is carved within SPAWN_CLEAR blocks (horizontally, at any depth) of the spawn, under or beside
// water (seas and lakes keep their floor and banks), or under a tree's trunk.
// Everything is a pure function of (seed, world coordinates): a chunk draws every tunnel that can reach it,
// rooted up to REACH chunks away.
'use strict'
const { hash, prng } = require('./random')

const CAVE_CHANCE = 0.14 // vanilla's cave carver: 0.15 per chunk (plus noise caves we do not have)
const REACH = 6 // chunks: steps are <= 1 block, so 75 steps + radius (< 80 blocks) stay within 6 chunks of the origin's
const LAVA_Y = -56
const SPAWN_CLEAR = 24
const POOL_CHANCE = 1 / 9
const POOL_SPAWN_CLEAR = 40
const CACHE_LIMIT = 8192
const SALT = { cave: 201, pool: 202 }
const NO_ROOF = -32768

function cavePlanner (registry, world) {
  const { s, MIN_Y } = world
  const sCave = hash(s, SALT.cave)
  const sPool = hash(s, SALT.pool)
  const blocks = registry.blocksByName
  const maxState = registry.blocksArray.reduce((m, b) => Math.max(m, b.maxStateId), 0)
  const carvable = new Uint8Array(maxState + 1) // 1: rock (caves and pools), 2: soil and sediment (caves only)
  for (const b of registry.blocksArray) {
    let kind = 0
    if (b.name === 'stone' || b.name === 'deepslate' || b.name === 'tuff' || b.name.endsWith('_ore')) kind = 1
    if (['dirt', 'gravel', 'grass_block', 'sand', 'clay'].includes(b.name)) kind = 2
    for (let id = b.minStateId; id <= b.maxStateId; id++) carvable[id] = kind
  }
  const lava = blocks.lava.defaultState
  const cache = new Map()
  const idx = (x, y, z) => ((y - MIN_Y) << 8) | (z << 4) | x

  // The tunnels rooted in chunk (ocx, ocz): { pts: [x, y, z, r] * n, bbox }.
  function tunnelsOf (ocx, ocz) {
    const key = ocx * 131072 + ocz
    let out = cache.get(key)
    if (out !== undefined) return out
    out = []
    const rng = prng(hash(sCave, ocx, ocz))
    if (rng.next() < CAVE_CHANCE) {
      const count = 1 + rng.int(3)
      for (let t = 0; t < count; t++) {
        let x = ocx * 16 + rng.next() * 16
        let z = ocz * 16 + rng.next() * 16
        const mouth = rng.next() < 0.3
        let y = mouth ? world.surfaceHeight(Math.floor(x), Math.floor(z)) + 1 : -50 + rng.next() * 100
        let yaw = rng.next() * Math.PI * 2
        let pitch = mouth ? -(0.35 + rng.next() * 0.3) : (rng.next() - 0.5) * 0.5
        const steps = rng.between(45, 75)
        const width = 0.8 + rng.next() * 1.6
        let yawV = 0
        let pitchV = 0
        const pts = new Float32Array(steps * 4)
        let xa = Infinity; let xb = -Infinity; let za = Infinity; let zb = -Infinity
        for (let i = 0; i < steps; i++) {
          const r = 1.3 + width * Math.sin(Math.PI * i / steps)
          pts[i * 4] = x; pts[i * 4 + 1] = y; pts[i * 4 + 2] = z; pts[i * 4 + 3] = r
          xa = Math.min(xa, x - r); xb = Math.max(xb, x + r); za = Math.min(za, z - r); zb = Math.max(zb, z + r)
          const cp = Math.cos(pitch)
          x += Math.cos(yaw) * cp
          z += Math.sin(yaw) * cp
          y += Math.sin(pitch)
          pitch *= mouth ? 0.96 : 0.7
          pitch += pitchV * 0.1
          yaw += yawV * 0.1
          pitchV = pitchV * 0.9 + (rng.next() - rng.next()) * rng.next() * 2
          yawV = yawV * 0.75 + (rng.next() - rng.next()) * rng.next() * 4
        }
        out.push({ pts, xa, xb, za, zb })
      }
    }
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, out)
    return out
  }

  // The highest y a cave may open in column c of the chunk: its top (mouths reach the surface) unless water
  // stands in it or beside it, a trunk stands on it, or the spawn is near.
  function roofFinder (env, x0, z0, trunks, spawn, clear) {
    const roofs = new Int16Array(256).fill(NO_ROOF)
    return function roof (c) {
      if (roofs[c] !== NO_ROOF) return roofs[c]
      const wx = x0 + (c & 15)
      const wz = z0 + (c >> 4)
      const top = env.tops[c]
      let r = top
      if ((wx - spawn.x) ** 2 + (wz - spawn.z) ** 2 <= clear * clear) r = MIN_Y - 1
      else if (env.wet[c]) r = top - 2
      else {
        if (trunks.has(c)) r = top - 3
        for (const [dx, dz] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
          const f = world.fluidAt(wx + dx, wz + dz)
          if (f) r = Math.min(r, f.floor - 1)
        }
      }
      roofs[c] = r
      return r
    }
  }

  function carveCaves (buf, env, chunkX, chunkZ, trunks, spawn) {
    const x0 = chunkX * 16
    const z0 = chunkZ * 16
    const x1 = x0 + 16
    const z1 = z0 + 16
    const roof = roofFinder(env, x0, z0, trunks, spawn, SPAWN_CLEAR)
    for (let ocx = chunkX - REACH; ocx <= chunkX + REACH; ocx++) {
      for (let ocz = chunkZ - REACH; ocz <= chunkZ + REACH; ocz++) {
        for (const t of tunnelsOf(ocx, ocz)) {
          if (t.xb < x0 || t.xa >= x1 || t.zb < z0 || t.za >= z1) continue
          const { pts } = t
          for (let i = 0; i < pts.length; i += 4) {
            const cx = pts[i]; const cy = pts[i + 1]; const cz = pts[i + 2]; const r = pts[i + 3]
            if (cx + r < x0 || cx - r >= x1 || cz + r < z0 || cz - r >= z1) continue
            const ry = r * 0.8
            const ya = Math.max(Math.floor(cy - ry), MIN_Y + 1)
            const yb = Math.floor(cy + ry)
            for (let x = Math.max(Math.floor(cx - r), x0); x <= Math.min(Math.floor(cx + r), x1 - 1); x++) {
              const dx = (x + 0.5 - cx) / r
              for (let z = Math.max(Math.floor(cz - r), z0); z <= Math.min(Math.floor(cz + r), z1 - 1); z++) {
                const dz = (z + 0.5 - cz) / r
                const h2 = dx * dx + dz * dz
                if (h2 >= 1) continue
                const c = ((z - z0) << 4) | (x - x0)
                const top = Math.min(yb, roof(c))
                for (let y = ya; y <= top; y++) {
                  const dy = (y + 0.5 - cy) / ry
                  if (dy <= -0.7 || h2 + dy * dy >= 1) continue // vanilla's flat floors
                  const j = idx(x - x0, y, z - z0)
                  if (carvable[buf[j]]) buf[j] = y <= LAVA_Y ? lava : 0
                }
              }
            }
          }
        }
      }
    }
  }

  // Lava pools: the lower half of a flattened ellipsoid filled with lava, air above; in rock only, never near the surface.
  function placePools (buf, env, chunkX, chunkZ, spawn) {
    const x0 = chunkX * 16
    const z0 = chunkZ * 16
    const roof = roofFinder(env, x0, z0, new Set(), spawn, POOL_SPAWN_CLEAR)
    for (let ocx = chunkX - 1; ocx <= chunkX + 1; ocx++) {
      for (let ocz = chunkZ - 1; ocz <= chunkZ + 1; ocz++) {
        const rng = prng(hash(sPool, ocx, ocz))
        if (rng.next() >= POOL_CHANCE) continue
        const ox = ocx * 16 + rng.int(16)
        const oz = ocz * 16 + rng.int(16)
        const oy = rng.between(0, 50)
        const rx = 2.5 + rng.next() * 2.5
        const rz = 2.5 + rng.next() * 2.5
        const ry = 2 + rng.next()
        for (let x = Math.max(Math.floor(ox - rx), x0); x <= Math.min(Math.floor(ox + rx), x0 + 15); x++) {
          for (let z = Math.max(Math.floor(oz - rz), z0); z <= Math.min(Math.floor(oz + rz), z0 + 15); z++) {
            const h2 = ((x + 0.5 - ox) / rx) ** 2 + ((z + 0.5 - oz) / rz) ** 2
            if (h2 >= 1) continue
            const c = ((z - z0) << 4) | (x - x0)
            const top = roof(c) - 3
            for (let y = Math.floor(oy - ry); y <= Math.min(Math.floor(oy + ry), top); y++) {
              if (h2 + ((y + 0.5 - oy) / ry) ** 2 >= 1) continue
              const j = idx(x - x0, y, z - z0)
              if (carvable[buf[j]] === 1) buf[j] = y <= oy ? lava : 0
            }
          }
        }
      }
    }
  }

  return { carveCaves, placePools, tunnelsOf }
}

module.exports = { cavePlanner, LAVA_Y, SPAWN_CLEAR }
