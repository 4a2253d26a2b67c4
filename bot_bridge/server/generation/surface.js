// Surface features after Minecraft 1.21.4's vegetal and underwater placed features, as pure functions
// of (seed, world coordinates) and the chunk's own blocks:
// - disks of sand, gravel and clay on the floor of seas and lakes (disk_sand 3, disk_clay 1,
//   disk_gravel 1 attempts per chunk, kept only where the disk's centre lies under water);
// - short grass and flowers on grass blocks (plains: dense grass, dandelion/poppy/azure bluet/oxeye
//   daisy/cornflower; forests: sparse grass, dandelion/poppy as vanilla's flower_default);
// - sugar cane 1..3 tall on grass, dirt or sand whose block has water beside it (4-adjacent, same y);
// - pumpkin patches on grass anywhere, and melon patches in plains. Vanilla grows melons in jungles only,
//   which this world does not have, so rare melon patches in plains keep the item obtainable. Both are more
//   common than vanilla's 1-in-300-chunks pumpkin patch, so a sweep finds one within ~300 blocks.
'use strict'
const { hash, hash01, prng, valueNoise } = require('./random')

const SALT = { disk: 101, plant: 102, grassNoise: 103, flowerKind: 104, cane: 105, pumpkin: 106, melon: 107 }

const DISKS = [ // vanilla disk_sand / disk_clay / disk_gravel: attempts per chunk, radius range
  { name: 'sand', count: 3, radius: [2, 6] },
  { name: 'clay', count: 1, radius: [2, 3] },
  { name: 'gravel', count: 1, radius: [2, 5] }
]
const DISK_HALF_HEIGHT = 2

const PLAINS_FLOWERS = [['dandelion', 3], ['poppy', 3], ['azure_bluet', 1], ['oxeye_daisy', 1], ['cornflower', 1]]
const FOREST_FLOWERS = [['dandelion', 2], ['poppy', 1]]
const GRASS_CHANCE = { plains: 0.3, forest: 0.08 } // before the patchiness noise (mean factor ~0.5)
const FLOWER_CHANCE = { plains: 0.025, forest: 0.008 }
const CANE_CHANCE = 0.2 // per eligible shore block, in cane-bearing stretches (half of all shores)
const PATCHES = {
  pumpkin: { cell: 96, chance: 0.5, radius: 4, fill: 0.3, plainsOnly: false },
  melon: { cell: 96, chance: 0.6, radius: 4, fill: 0.3, plainsOnly: true } // ~1 in 2 cells lands in plains
}
const PLANT_SPAWN_CLEAR = 2 // nothing grows on the spawn's own columns (players appear in the air there)

function surfacePlacer (registry, world) {
  const Block = require('prismarine-block')(registry)
  const id = name => registry.blocksByName[name].defaultState
  const B = {
    grass: id('grass_block'),
    dirt: id('dirt'),
    sand: id('sand'),
    gravel: id('gravel'),
    clay: id('clay'),
    shortGrass: id('short_grass'),
    cane: Block.fromProperties('sugar_cane', { age: 0 }).stateId,
    pumpkin: id('pumpkin'),
    melon: id('melon')
  }
  const diskBlock = { sand: B.sand, clay: B.clay, gravel: B.gravel }
  const diskTargets = new Set([B.dirt, B.grass, B.sand, B.gravel, B.clay])
  const flowerIds = Object.fromEntries([...PLAINS_FLOWERS, ...FOREST_FLOWERS].map(([n]) => [n, id(n)]))
  const caneBase = new Set([B.grass, B.dirt, B.sand])
  const { s, MIN_Y } = world
  const sDisk = hash(s, SALT.disk)
  const sPlant = hash(s, SALT.plant)
  const sGrassNoise = hash(s, SALT.grassNoise)
  const sKind = hash(s, SALT.flowerKind)
  const sCane = hash(s, SALT.cane)
  const sPatch = { pumpkin: hash(s, SALT.pumpkin), melon: hash(s, SALT.melon) }
  const idx = (x, y, z) => ((y - MIN_Y) << 8) | (z << 4) | x

  function pick (list, r) {
    let total = 0
    for (const [, w] of list) total += w
    let t = r * total
    for (const [name, w] of list) { if ((t -= w) < 0) return name }
    return list[list.length - 1][0]
  }

  // Disks on the floor of water, replacing the top blocks (within +-2 of the centre's floor) of soil and sediment.
  function placeDisks (buf, env, chunkX, chunkZ) {
    const x0 = chunkX * 16
    const z0 = chunkZ * 16
    DISKS.forEach((d, f) => {
      for (let dx = -1; dx <= 1; dx++) {
        for (let dz = -1; dz <= 1; dz++) {
          const ocx = chunkX + dx
          const ocz = chunkZ + dz
          for (let a = 0; a < d.count; a++) {
            const rng = prng(hash(sDisk, ocx, ocz, f * 16 + a))
            const ox = ocx * 16 + rng.int(16)
            const oz = ocz * 16 + rng.int(16)
            const r = rng.between(d.radius[0], d.radius[1])
            if (ox + r < x0 || ox - r > x0 + 15 || oz + r < z0 || oz - r > z0 + 15) continue
            const water = world.waterAt(ox, oz)
            if (!water) continue
            const oy = water.floor
            for (let x = Math.max(ox - r, x0); x <= Math.min(ox + r, x0 + 15); x++) {
              for (let z = Math.max(oz - r, z0); z <= Math.min(oz + r, z0 + 15); z++) {
                if ((x - ox) ** 2 + (z - oz) ** 2 > r * r) continue
                const c = (z - z0) * 16 + (x - x0)
                const top = env.tops[c]
                if (top > oy + DISK_HALF_HEIGHT || top < oy - DISK_HALF_HEIGHT) continue
                if (!env.wet[c] && top > oy + 1) continue // onto the shore by one block at most
                for (let y = top - 1; y <= top; y++) {
                  const i = idx(x - x0, y, z - z0)
                  if (diskTargets.has(buf[i])) buf[i] = diskBlock[d.name]
                }
              }
            }
          }
        }
      }
    })
  }

  function inPatch (kind, x, z) {
    const p = PATCHES[kind]
    const cx = Math.floor(x / p.cell)
    const cz = Math.floor(z / p.cell)
    const h = hash(sPatch[kind], cx, cz)
    if (h / 4294967296 >= p.chance) return false
    const px = cx * p.cell + p.radius + (h >>> 4) % (p.cell - 2 * p.radius)
    const pz = cz * p.cell + p.radius + (h >>> 16) % (p.cell - 2 * p.radius)
    if ((x - px) ** 2 + (z - pz) ** 2 > p.radius * p.radius) return false
    if (p.plainsOnly && world.biomeAt(px, pz) !== 'plains') return false
    return hash01(sPatch[kind], x, z, 1) < p.fill
  }

  // Whether water stands beside (x, y, z) in one of the four horizontal directions.
  function waterBeside (x, y, z) {
    for (const [dx, dz] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const w = world.waterAt(x + dx, z + dz)
      if (w && w.floor < y && y <= w.level) return true
    }
    return false
  }

  // Plants on each dry column's top block; env.tops holds each column's top (ground or lake floor).
  function placePlants (buf, env, chunkX, chunkZ, spawn) {
    const x0 = chunkX * 16
    const z0 = chunkZ * 16
    const shoreNear = env.lakesNear
    for (let z = 0; z < 16; z++) {
      for (let x = 0; x < 16; x++) {
        const c = z * 16 + x
        if (env.wet[c]) continue
        const wx = x0 + x
        const wz = z0 + z
        if (Math.abs(wx - spawn.x) <= PLANT_SPAWN_CLEAR && Math.abs(wz - spawn.z) <= PLANT_SPAWN_CLEAR) continue
        const g = env.tops[c]
        const ground = buf[idx(x, g, z)]
        const above = idx(x, g + 1, z)
        if (buf[above] !== 0) continue
        if (caneBase.has(ground) && (g === world.SEA_LEVEL || shoreNear) && waterBeside(wx, g, wz)) {
          const r = hash(sCane, wx, wz)
          // stretches of shore with cane, 16x16 cells, and in them one block in five
          if (hash01(sCane, wx >> 4, wz >> 4, 1) < 0.5 && r / 4294967296 < CANE_CHANCE) {
            const height = 1 + (r >>> 4) % 3
            for (let k = 1; k <= height && buf[idx(x, g + k, z)] === 0; k++) buf[idx(x, g + k, z)] = B.cane
            continue
          }
        }
        if (ground !== B.grass) continue
        const biome = world.biomeAt(wx, wz) === 'plains' ? 'plains' : 'forest'
        if (inPatch('pumpkin', wx, wz)) { buf[above] = B.pumpkin; continue }
        if (biome === 'plains' && inPatch('melon', wx, wz)) { buf[above] = B.melon; continue }
        const r = hash01(sPlant, wx, wz)
        const flower = FLOWER_CHANCE[biome]
        if (r < flower) {
          const kinds = biome === 'plains' ? PLAINS_FLOWERS : FOREST_FLOWERS
          // the kind varies by patch (8x8 cells) as vanilla's flower noise makes clumps of one kind
          buf[above] = flowerIds[pick(kinds, hash01(sKind, wx >> 3, wz >> 3))]
          continue
        }
        const patchy = (valueNoise(sGrassNoise, wx, wz, 16) + 1) / 2
        if (r < flower + GRASS_CHANCE[biome] * patchy) buf[above] = B.shortGrass
      }
    }
  }

  return { placeDisks, placePlants }
}

module.exports = { surfacePlacer, DISKS }
