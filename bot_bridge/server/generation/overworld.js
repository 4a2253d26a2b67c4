// gitm's overworld generator for flying-squid (loaded by path from start.js).
// flying-squid calls module.exports(options) once and then generateChunk(chunkX, chunkZ) per column.
// Everything is a pure function of (seed, world coordinates): gentle grassland and forests at
// y 55..80 with a sea at 62, stone down to 0, deepslate to a noisy bedrock floor at -64,
// vanilla-like ores (./ores.js), oak/birch trees, small lakes (./lakes.js), and sand/gravel/clay disks
// under water, grass, flowers, sugar cane, pumpkins and melons (./surface.js), caves and underground lava
// pools (./caves.js). findSpawn(seed) is shared
// with the spawnPoint plugin and the sampling tool so all three agree on where players appear; lakes
// keep clear of it, so the spawn and its nearby trees are the same as without them.
'use strict'
const { seed32, hash, hash01, valueNoise } = require('./random')
const { orePlacer } = require('./ores')
const { lakePlanner } = require('./lakes')
const { surfacePlacer } = require('./surface')
const { cavePlanner } = require('./caves')

const MIN_Y = -64
const WORLD_HEIGHT = 384
const SEA_LEVEL = 62
const GRASS_MIN = SEA_LEVEL + 2 // lower land is beach sand or sea floor
const TREE_CELL = 5 // at most one tree per 5x5 cell, jittered by 0..2 so trunks stand >= 3 apart
const LEAF_REACH = 2
const SPAWN_SEARCH_RADIUS = 256
const SPAWN_WOOD_RADIUS = 20 // a spawn must have a tree trunk this close (horizontally)

const PLAINS = 'plains'
const FOREST = 'forest'
const BIRCH_FOREST = 'birch_forest'

// Salts keep the independent noise fields apart.
const SALT = { height: 1, height2: 2, height3: 3, forest: 4, birch: 5, tree: 6, treeKind: 7, leaf: 8, bedrock: 9, deepslate: 10, topsoil: 11, lake: 12 }

// The seed-only part of the world (heights, biomes, trees): cheap closed-form functions, no chunk needed.
function shape (seed) {
  const s = seed32(seed)
  const sub = salt => hash(s, salt)
  const sH = sub(SALT.height)
  const sH2 = sub(SALT.height2)
  const sH3 = sub(SALT.height3)
  const sF = sub(SALT.forest)
  const sB = sub(SALT.birch)
  const sT = sub(SALT.tree)
  const sK = sub(SALT.treeKind)

  function surfaceHeight (x, z) {
    const n = 0.65 * valueNoise(sH, x, z, 96) + 0.25 * valueNoise(sH2, x, z, 32) + 0.1 * valueNoise(sH3, x, z, 12)
    return Math.round(67 + 16 * n)
  }

  function biomeAt (x, z) {
    if (valueNoise(sF, x, z, 80) < 0.05) return PLAINS
    return valueNoise(sB, x, z, 112) > 0.3 ? BIRCH_FOREST : FOREST
  }

  // The tree rooted in cell (cx, cz), or null. Only on grass, so never on beaches or in water.
  function treeInCell (cx, cz) {
    const h = hash(sT, cx, cz)
    const x = cx * TREE_CELL + h % 3
    const z = cz * TREE_CELL + (h >>> 8) % 3
    const biome = biomeAt(x, z)
    const density = biome === PLAINS ? 0.03 : 0.45
    if ((h >>> 16) / 65536 >= density) return null
    const ground = surfaceHeight(x, z)
    if (ground < GRASS_MIN) return null
    const k = hash(sK, cx, cz)
    const birch = biome === BIRCH_FOREST || (biome === FOREST && k % 5 === 0) // vanilla forests: ~1 in 5 birch
    const trunk = (birch ? 5 : 4) + (k >>> 8) % 3 // oak 4..6, birch 5..7 logs
    return { x, z, base: ground + 1, trunk, birch }
  }

  // Trees whose trunk lies in [xa, xb] x [za, zb].
  function treesIn (xa, xb, za, zb) {
    const out = []
    for (let cx = Math.floor(xa / TREE_CELL); cx <= Math.floor(xb / TREE_CELL); cx++) {
      for (let cz = Math.floor(za / TREE_CELL); cz <= Math.floor(zb / TREE_CELL); cz++) {
        const t = treeInCell(cx, cz)
        if (t && t.x >= xa && t.x <= xb && t.z >= za && t.z <= zb) out.push(t)
      }
    }
    return out
  }

  // flying-squid puts the player's feet at the integer corner (x, y, z), so the 2x2 columns
  // around it must be level grass, clear of trunks and overhanging leaves, with wood in reach.
  function spawnable (x, z) {
    const h = surfaceHeight(x, z)
    if (h < GRASS_MIN || surfaceHeight(x - 1, z) !== h || surfaceHeight(x, z - 1) !== h || surfaceHeight(x - 1, z - 1) !== h) return false
    const r = LEAF_REACH + 1
    if (treesIn(x - r, x + r - 1, z - r, z + r - 1).length > 0) return false
    const w = SPAWN_WOOD_RADIUS
    return treesIn(x - w, x + w, z - w, z + w).some(t => (t.x - x) ** 2 + (t.z - z) ** 2 <= w * w)
  }

  // First spawnable column in square rings around (0, 0); the feet go one block above the grass.
  function findSpawn () {
    for (let r = 0; r <= SPAWN_SEARCH_RADIUS; r++) {
      for (let x = -r; x <= r; x++) {
        for (let z = -r; z <= r; z++) {
          if (Math.max(Math.abs(x), Math.abs(z)) !== r) continue
          if (spawnable(x, z)) return { x, y: surfaceHeight(x, z) + 1, z }
        }
      }
    }
    return { x: 0, y: Math.max(surfaceHeight(0, 0), SEA_LEVEL) + 1, z: 0 }
  }

  let spawn = null
  const spawnPoint = () => (spawn = spawn ?? findSpawn())

  // Lakes are planned around the spawn (never near it), which itself depends only on heights and trees.
  let lakes = null
  const lakePlan = () => (lakes = lakes ?? lakePlanner(sub(SALT.lake), surfaceHeight, GRASS_MIN, spawnPoint()))
  const lakeAt = (x, z) => lakePlan().lakeAt(x, z)
  const lakesNear = (xa, xb, za, zb) => lakePlan().lakesNear(xa, xb, za, zb)

  // The water standing in column (x, z): { floor, level } (water from floor + 1 up to level), or null.
  function waterAt (x, z) {
    const lake = lakeAt(x, z)
    if (lake) return lake.lava ? null : lake
    const h = surfaceHeight(x, z)
    return h < SEA_LEVEL ? { floor: h, level: SEA_LEVEL } : null
  }

  // Any fluid standing in column (x, z), lava lakes included: { floor, level }, or null.
  function fluidAt (x, z) {
    const lake = lakeAt(x, z)
    if (lake) return lake
    const h = surfaceHeight(x, z)
    return h < SEA_LEVEL ? { floor: h, level: SEA_LEVEL } : null
  }

  // Trees as planned, minus those standing in a lake (all far from the spawn, so findSpawn is unaffected).
  const standingTreesIn = (xa, xb, za, zb) => treesIn(xa, xb, za, zb).filter(t => !lakeAt(t.x, t.z))

  return { s, MIN_Y, SEA_LEVEL, surfaceHeight, biomeAt, treesIn, standingTreesIn, findSpawn: spawnPoint, lakeAt, lakesNear, waterAt, fluidAt }
}

// Clients number biomes by their order in the registry the server sends at login (for 1.21.4,
// minecraft-data's loginPacket, which lacks pale_garden), not by minecraft-data's biome ids.
function networkBiomeId (registry, name) {
  const entries = registry.loginPacket?.dimensionCodec?.['minecraft:worldgen/biome']?.entries
  const i = entries ? entries.findIndex(e => e.key === 'minecraft:' + name) : -1
  return i >= 0 ? i : registry.biomesByName[name].id
}

const shapes = new Map()
function shapeFor (seed) {
  const key = String(seed)
  if (!shapes.has(key)) shapes.set(key, shape(seed))
  return shapes.get(key)
}

function generation (options) {
  const { registry } = options
  const Chunk = require('prismarine-chunk')(registry)
  const Block = require('prismarine-block')(registry)
  const b = name => registry.blocksByName[name].defaultState
  const B = {
    bedrock: b('bedrock'),
    stone: b('stone'),
    deepslate: b('deepslate'),
    dirt: b('dirt'),
    grass: b('grass_block'),
    sand: b('sand'),
    gravel: b('gravel'),
    water: b('water'),
    lava: b('lava'),
    oakLog: b('oak_log'), // default axis=y
    birchLog: b('birch_log'),
    // Natural (decaying) leaves next to wood, as vanilla generates them.
    oakLeaves: Block.fromProperties('oak_leaves', { distance: 1, persistent: false, waterlogged: false }).stateId,
    birchLeaves: Block.fromProperties('birch_leaves', { distance: 1, persistent: false, waterlogged: false }).stateId
  }
  const biomeIds = Object.fromEntries([PLAINS, FOREST, BIRCH_FOREST].map(n => [n, networkBiomeId(registry, n)]))
  const world = shapeFor(options.seed)
  const { s } = world
  const sBedrock = hash(s, SALT.bedrock)
  const sDeep = hash(s, SALT.deepslate)
  const sSoil = hash(s, SALT.topsoil)
  const sLeaf = hash(s, SALT.leaf)
  const placeOres = orePlacer(registry.blocksByName)
  const { placeDisks, placePlants } = surfacePlacer(registry, world)
  const { carveCaves, placePools } = cavePlanner(registry, world)

  const idx = (x, y, z) => ((y - MIN_Y) << 8) | (z << 4) | x

  // Rock, soil, beach and sea; in lake columns the ground is cut down to the lake's floor and the
  // fluid fills it up to the lake's level. env.tops gets each column's top solid block, env.wet its water.
  function fillTerrain (buf, heights, x0, z0, env) {
    for (let z = 0; z < 16; z++) {
      for (let x = 0; x < 16; x++) {
        const wx = x0 + x
        const wz = z0 + z
        const c = z * 16 + x
        const lake = env.lakesNear ? world.lakeAt(wx, wz) : null
        const h = lake ? lake.floor : heights[c]
        env.tops[c] = h
        env.wet[c] = lake ? (lake.lava ? 2 : 1) : h < SEA_LEVEL ? 1 : 0
        for (let y = MIN_Y; y <= h; y++) {
          let id
          if (y === MIN_Y) id = B.bedrock
          else if (y <= -60 && hash01(sBedrock, wx, y, wz) < (-59 - y) / 5) id = B.bedrock // vanilla's ragged floor
          else if (y < 0) id = B.deepslate
          else if (y < 8 && hash01(sDeep, wx, y, wz) < (8 - y) / 8) id = B.deepslate // blend 0..8 like vanilla
          else id = B.stone
          buf[idx(x, y, z)] = id
        }
        const soil = 3 + (hash(sSoil, wx, wz) & 1)
        let top = h >= GRASS_MIN ? B.grass : h < SEA_LEVEL - 6 ? B.gravel : B.sand
        let under = h >= GRASS_MIN ? B.dirt : top
        if (lake) {
          top = lake.lava ? B.stone : B.dirt // vanilla lakes: no grass under water; stone around lava
          under = lake.lava ? B.stone : B.dirt
        }
        for (let y = h - soil + 1; y < h; y++) buf[idx(x, y, z)] = under
        buf[idx(x, h, z)] = top
        if (lake) {
          for (let y = h + 1; y <= lake.level; y++) buf[idx(x, y, z)] = lake.lava ? B.lava : B.water
        } else {
          for (let y = h + 1; y <= SEA_LEVEL; y++) buf[idx(x, y, z)] = B.water
        }
      }
    }
  }

  // Leaves of every tree first (into air only), then trunks, so overlapping trees come out the
  // same whichever chunk draws them. Corner leaves are decided by a hash of the world position.
  function treesNear (x0, z0) {
    const [xa, xb, za, zb] = [x0 - LEAF_REACH, x0 + 15 + LEAF_REACH, z0 - LEAF_REACH, z0 + 15 + LEAF_REACH]
    return world.lakesNear(xa, xb, za, zb) ? world.standingTreesIn(xa, xb, za, zb) : world.treesIn(xa, xb, za, zb)
  }

  function placeTrees (buf, x0, z0, trees) {
    const inside = (x, z) => x >= 0 && x < 16 && z >= 0 && z < 16
    for (const t of trees) {
      const top = t.base + t.trunk - 1
      const leaves = t.birch ? B.birchLeaves : B.oakLeaves
      for (let y = top - 2; y <= top + 1; y++) {
        const r = y >= top ? 1 : 2
        for (let dx = -r; dx <= r; dx++) {
          for (let dz = -r; dz <= r; dz++) {
            const x = t.x + dx - x0
            const z = t.z + dz - z0
            if (!inside(x, z)) continue
            if (Math.abs(dx) === r && Math.abs(dz) === r && (y === top + 1 || hash(sLeaf, t.x + dx, y, t.z + dz) & 1)) continue
            const i = idx(x, y, z)
            if (buf[i] === 0) buf[i] = leaves
          }
        }
      }
    }
    for (const t of trees) {
      const x = t.x - x0
      const z = t.z - z0
      if (!inside(x, z)) continue
      buf[idx(x, t.base - 1, z)] = B.dirt // vanilla turns the grass under a trunk to dirt
      for (let y = t.base; y < t.base + t.trunk; y++) buf[idx(x, y, z)] = t.birch ? B.birchLog : B.oakLog
    }
  }

  function toChunk (buf, x0, z0) {
    const chunk = new Chunk({ minY: MIN_Y, worldHeight: WORLD_HEIGHT })
    const p = { x: 0, y: 0, z: 0 }
    const tops = new Int16Array(256).fill(MIN_Y - 1)
    let end = buf.length // everything above the highest block is air: skip it
    while (end > 0 && buf[end - 1] === 0) end--
    for (let i = 0; i < end; i++) {
      if (buf[i] === 0) continue
      p.x = i & 15
      p.z = (i >> 4) & 15
      p.y = (i >> 8) + MIN_Y
      chunk.setBlockStateId(p, buf[i])
      tops[i & 255] = p.y // increasing y, so the last write per column is its top
    }
    // Sky light 15 above each column's top block (trees and water included), dark below.
    // Sections wholly above the highest column are filled directly: 4-bit nibbles, all ones.
    let maxTop = MIN_Y
    for (const t of tops) maxTop = Math.max(maxTop, t)
    const firstClear = (maxTop + 1 - MIN_Y + 15) >> 4 // first block section entirely above maxTop
    const clearFrom = MIN_Y + firstClear * 16
    for (let y = clearFrom; y < MIN_Y + WORLD_HEIGHT + 16; y += 16) { // + the light section above the world
      p.x = 0; p.z = 0; p.y = y
      chunk.setSkyLight(p, 15)
      chunk.skyLightSections[((y - MIN_Y) >> 4) + 1].data.fill(0xffffffff)
    }
    for (let c = 0; c < 256; c++) {
      p.x = c & 15
      p.z = c >> 4
      for (p.y = tops[c] + 1; p.y < clearFrom; p.y++) chunk.setSkyLight(p, 15)
    }
    for (let bx = 0; bx < 16; bx += 4) {
      for (let bz = 0; bz < 16; bz += 4) {
        const biome = biomeIds[world.biomeAt(x0 + bx + 2, z0 + bz + 2)]
        p.x = bx; p.z = bz
        for (p.y = MIN_Y; p.y < MIN_Y + WORLD_HEIGHT; p.y += 4) chunk.setBiome(p, biome)
      }
    }
    return chunk
  }

  return function generateChunk (chunkX, chunkZ) {
    const x0 = chunkX * 16
    const z0 = chunkZ * 16
    const buf = new Uint16Array(16 * 16 * WORLD_HEIGHT)
    const heights = new Int16Array(256)
    for (let z = 0; z < 16; z++) {
      for (let x = 0; x < 16; x++) heights[z * 16 + x] = world.surfaceHeight(x0 + x, z0 + z)
    }
    const env = {
      tops: new Int16Array(256), // each column's top solid block (ground, sea floor or lake floor)
      wet: new Uint8Array(256), // 1: water above the top, 2: lava
      lakesNear: world.lakesNear(x0 - 1, x0 + 16, z0 - 1, z0 + 16) // a lake or its rim touches the chunk or its border
    }
    const spawn = world.findSpawn()
    const trees = treesNear(x0, z0)
    const trunks = new Set()
    for (const t of trees) if (t.x >= x0 && t.x < x0 + 16 && t.z >= z0 && t.z < z0 + 16) trunks.add((t.z - z0) * 16 + t.x - x0)
    fillTerrain(buf, heights, x0, z0, env)
    placeDisks(buf, env, chunkX, chunkZ)
    placeOres(buf, s, chunkX, chunkZ)
    carveCaves(buf, env, chunkX, chunkZ, trunks, spawn)
    placePools(buf, env, chunkX, chunkZ, spawn)
    placeTrees(buf, x0, z0, trees)
    placePlants(buf, env, chunkX, chunkZ, spawn)
    return toChunk(buf, x0, z0)
  }
}

module.exports = generation
module.exports.findSpawn = seed => ({ ...shapeFor(seed).findSpawn() })
module.exports.shapeFor = shapeFor
module.exports.constants = { MIN_Y, WORLD_HEIGHT, SEA_LEVEL }
