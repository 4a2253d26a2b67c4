'use strict'
// Natural spawning of passive animals (animals.js), after vanilla's NaturalSpawner: herds of one kind on grass
// blocks (grass_block below, two free cells above, no light needed), mostly when a chunk is first loaded
// (spawnMobsForChunkGeneration: 1 chunk in 10 gets a herd) and a slow top-up every 400 ticks while a player's area
// holds fewer than the creature cap of 10. Where and what is a pure function of the world seed and the chunk
// (generation/random.js), so a run is reproducible; only the order chunks load in (nearest a player first) decides
// which herds the caps leave out. Only in world ticks: a frozen world spawns nothing.
// Departures from vanilla, for flying-squid: herds at chunk load stop at 20 animals near a player and 40 in all
// (its `max-entities` of 100 counts item entities too), and animals that no player has been near for a while are
// dropped (vanilla saves them with their chunk; flying-squid saves no entities).
const { Vec3 } = require('vec3')
const { seed32, hash, hash01, prng } = require('../generation/random')

const CHUNK_CHANCE = 0.1 // Biome creature spawn probability (plains, forests)
const WEIGHTS = [['sheep', 12], ['pig', 10], ['chicken', 10], ['cow', 8]] // plains/forest creature spawners
const HERD = [2, 4]
const HERD_SPREAD = 5 // NaturalSpawner: each member up to 5 blocks from the last
const CAP = 10 // MobCategory.CREATURE: the top-up stops at this many animals near a player
const LOAD_CAP = 20 // chunk-load herds stop at this many near a player
const WORLD_CAP = 40
const AREA = 128 // blocks around a player that its caps count
const RADIUS = 6 // chunks around a player looked at (the default view distance)
const SCAN_TICKS = 20
const TOP_UP_TICKS = 400 // vanilla spawns persistent creatures every 400 ticks
const NOT_NEAR = 24 // vanilla never spawns within 24 blocks of a player
const FORGET_RANGE = 192
const SCAN_TOP = 160 // the generator's land tops out near y 100
const SCAN_BOTTOM = 40
const SALT = { chance: 0x68657264, herd: 0x68657265, topUp: 0x746f7075 }

module.exports.server = function (serv, settings) {
  const { registry } = serv
  const seed = seed32(settings.generation?.options?.seed ?? 0)
  const grass = registry.blocksByName.grass_block
  const isGrass = s => s >= grass.minStateId && s <= grass.maxStateId
  const seen = new Set() // chunk columns already given their chance (per world: the overworld only)
  const totalWeight = WEIGHTS.reduce((n, [, w]) => n + w, 0)
  // chunk offsets within RADIUS, nearest first
  const offsets = []
  for (let dx = -RADIUS; dx <= RADIUS; dx++) for (let dz = -RADIUS; dz <= RADIUS; dz++) offsets.push([dx, dz])
  offsets.sort((a, b) => (a[0] ** 2 + a[1] ** 2) - (b[0] ** 2 + b[1] ** 2))

  const players = () => serv.players.filter(p => p.seesAnimals && p.world === serv.overworld)
  const near = (pos, radius) => {
    let n = 0
    for (const mob of serv.animals) if (!mob.dead && mob.world === serv.overworld && mob.position.distanceTo(pos) <= radius) n++
    return n
  }

  function pickKind (rng) {
    let r = rng.next() * totalWeight
    for (const [name, w] of WEIGHTS) if ((r -= w) < 0) return name
    return WEIGHTS[0][0]
  }

  // The grass-topped surface at (x, z): the y to stand at, or null (leaves, sand, water, an unloaded column...).
  function grassSurface (world, x, z) {
    const column = world.getLoadedColumn(x >> 4, z >> 4)
    if (!column) return null
    const at = { x: x & 15, y: 0, z: z & 15 }
    for (let y = SCAN_TOP; y >= SCAN_BOTTOM; y--) {
      at.y = y
      const state = column.getBlockStateId(at)
      if (state === 0) continue
      if (!isGrass(state)) return null
      const top = serv.animalStandingSpot(world, x, y + 1, z, 0, 0)
      return top === y + 1 ? top : null
    }
    return null
  }

  // A herd of one kind around a random grass spot of chunk (cx, cz); how many spawned.
  function spawnHerd (world, cx, cz, rng, limit) {
    const kind = pickKind(rng)
    for (let attempt = 0; attempt < 4; attempt++) {
      let x = cx * 16 + rng.int(16)
      let z = cz * 16 + rng.int(16)
      if (grassSurface(world, x, z) === null) continue
      const size = Math.min(limit, rng.between(...HERD))
      let spawned = 0
      for (let tries = 0; spawned < size && tries < size * 4; tries++) {
        const nx = x + rng.int(HERD_SPREAD + 1) - rng.int(HERD_SPREAD + 1)
        const nz = z + rng.int(HERD_SPREAD + 1) - rng.int(HERD_SPREAD + 1)
        const y = grassSurface(world, nx, nz)
        if (y === null) continue
        x = nx
        z = nz
        try {
          serv.spawnAnimal(kind, world, new Vec3(x + 0.5, y, z + 0.5), { yaw: rng.next() * 360 - 180 })
        } catch (err) {
          serv.warn?.(`[animalSpawning] ${err.message}`)
          return spawned
        }
        spawned++
      }
      return spawned
    }
    return 0
  }

  // Chunk-load herds: every loaded column near a player gets its one chance, nearest first.
  function scanLoaded () {
    const world = serv.overworld
    for (const player of players()) {
      const pcx = Math.floor(player.position.x) >> 4
      const pcz = Math.floor(player.position.z) >> 4
      for (const [dx, dz] of offsets) {
        const cx = pcx + dx
        const cz = pcz + dz
        const key = `${cx},${cz}`
        if (seen.has(key) || !world.getLoadedColumn(cx, cz)) continue
        seen.add(key)
        if (hash01(hash(seed, SALT.chance), cx, cz) >= CHUNK_CHANCE) continue
        const room = Math.min(LOAD_CAP - near(player.position, AREA), WORLD_CAP - serv.animals.size)
        if (room <= 0) continue
        spawnHerd(world, cx, cz, prng(hash(seed, cx, cz, SALT.herd)), room)
      }
    }
  }

  function topUp (tick) {
    const world = serv.overworld
    const all = players()
    for (const [i, player] of all.entries()) {
      const room = Math.min(CAP - near(player.position, AREA), WORLD_CAP - serv.animals.size)
      if (room <= 0) continue
      const rng = prng(hash(seed, Math.floor(tick / TOP_UP_TICKS), i, SALT.topUp))
      const [dx, dz] = offsets[rng.int(offsets.length)]
      const cx = (Math.floor(player.position.x) >> 4) + dx
      const cz = (Math.floor(player.position.z) >> 4) + dz
      const centre = { x: cx * 16 + 8, z: cz * 16 + 8 }
      if (all.some(p => Math.hypot(p.position.x - centre.x, p.position.z - centre.z) < NOT_NEAR + 8)) continue
      spawnHerd(world, cx, cz, rng, room)
    }
  }

  function forgetFar () {
    const all = players()
    if (all.length === 0) return // nobody to measure from: keep everything until someone comes back
    for (const mob of [...serv.animals]) {
      if (mob.world !== serv.overworld) continue
      if (!all.some(p => p.position.distanceTo(mob.position) <= FORGET_RANGE)) mob.destroy()
    }
  }

  serv.on('tick', (delta, tick) => {
    if (!serv.animals || tick % SCAN_TICKS !== 0) return
    scanLoaded()
    forgetFar()
    if (tick % TOP_UP_TICKS === 0) topUp(tick)
  })
}
