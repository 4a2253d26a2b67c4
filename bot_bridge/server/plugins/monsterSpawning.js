'use strict'
// Natural spawning of hostile monsters (monsters.js) after vanilla's NaturalSpawner for the MONSTER category,
// simplified and cheap: once a second (20 world ticks), for each player not in spectator mode on easy, normal or
// hard, while fewer than CAP monsters are within 128 blocks of that player, SURFACE_PACKS pack attempts at a random
// column's surface and CAVE_PACKS at a random height below it, dropped to the floor of the air pocket it is in (a
// cave; solid rock: no spawn, as vanilla's random heights mostly are), each in a random column of the loaded chunks
// within RADIUS chunks of the player. Vanilla tries one pack in every chunk within 128 blocks every tick, its height
// uniform up to the surface, so most of its successful tries by day are in caves (dark at any time): CAVE_PACKS keeps
// caves stocked by day as vanilla's are, while the surface (dark only at night) fills to the cap anyway. A pack is 1 to 4 monsters of one kind
// (zombie, skeleton, spider, creeper: equal weights, as the plains' spawners have them), each up to 5 blocks from
// the last at the same height, each where vanilla's monster rules allow it:
//   a full block below (not bedrock, barrier, glass or leaves), two cells free of full blocks and liquid above (the
//   spider needs no more: its 1.4-wide box is checked as one cell here), light (monsters.js lightAt: sky light from
//   the blocks above less the night's darkening; block light is not modelled) at most a random 0..7
//   (Monster.isDarkEnoughToSpawn), at least 24 blocks from every player and at most 128 from one.
// Despawning (Mob.checkDespawn), every tick: on peaceful every monster is removed at once (one summoned on peaceful
// too); a monster farther than 128 blocks from every player is removed at once; beyond 32, once no player was
// within 32 blocks and nothing hurt it for 30 s (noActionTime), at random (1 in 800 a tick).
// Where and what is a pure function of the world seed, the tick and the player's order, so a run is reproducible
// given the same player moves. Only in world ticks: a frozen world spawns nothing. flying-squid's `max-entities`
// (100, item entities included) is shared with animals: WORLD_CAP keeps monsters to a part of it.
const { Vec3 } = require('vec3')
const { seed32, hash, prng } = require('../generation/random')

const PEACEFUL = 0
const KINDS = ['zombie', 'skeleton', 'spider', 'creeper']
const SPAWN_TICKS = 20
const SURFACE_PACKS = 1
const CAVE_PACKS = 64 // a cave try is cheap: two column scans, most of them ending in rock
const CAP = 15 // monsters within AREA of a player (vanilla: 70 per world, scaled by the chunks players load)
const WORLD_CAP = 30
const AREA = 128
const NOT_NEAR = 24
const RADIUS = 6 // chunks (the default view distance)
const PACK = [1, 4]
const PACK_SPREAD = 5
const MAX_DARK = 7 // Monster.isDarkEnoughToSpawn: light <= random 0..7
const DESPAWN_FAR = 128
const DESPAWN_NEAR = 32
const DESPAWN_CHANCE = 1 / 800
const IDLE_TICKS = 600 // Mob.noActionTime: a player within 32 blocks or a hit (monsters.js) resets it
const SALT = 0x6d6f6e73 // "mons"
const NOT_A_FLOOR = /^(bedrock|barrier|glass|.*_glass|.*_leaves|ice|packed_ice|blue_ice|magma_block)$/

module.exports.server = function (serv, settings) {
  const { registry } = serv
  const seed = seed32(settings.generation?.options?.seed ?? 0)
  const floorOk = new Uint8Array(registry.blocksArray.reduce((n, b) => Math.max(n, b.maxStateId), 0) + 1)
  for (const block of registry.blocksArray) {
    const ok = block.boundingBox === 'block' && !NOT_A_FLOOR.test(block.name)
    for (let s = block.minStateId; s <= block.maxStateId; s++) floorOk[s] = ok ? 1 : 0
  }

  const players = () => serv.players.filter(p => p.world === serv.overworld && p.gameMode !== 3 && !p.disconnected &&
    p.bodyReady)
  const monstersNear = pos => {
    let n = 0
    for (const mob of serv.monsters) if (mob.world === serv.overworld && mob.position.distanceTo(pos) <= AREA) n++
    return n
  }

  // The highest standing spot in column (x, z) (a full block with two free cells above it), or null.
  function surface (world, x, z) {
    const column = world.getLoadedColumn(x >> 4, z >> 4)
    if (!column) return null
    const { stateAt } = serv.mobBlocks
    for (let y = column.minY + column.worldHeight - 1; y > column.minY; y--) {
      if (stateAt(world, x, y, z) !== 0) return y + 1
    }
    return null
  }

  // From (x, y, z) down to the floor of the air it is in; null inside a block.
  function floorBelow (world, x, y, z, minY) {
    const { isSolid } = serv.mobBlocks
    if (isSolid(world, x, y, z)) return null
    while (y > minY && !isSolid(world, x, y - 1, z)) y--
    return y > minY ? y : null
  }

  // Vanilla's spawn checks for a monster standing at block (x, y, z).
  function canSpawnAt (world, x, y, z, all, rng) {
    const { stateAt, isSolid, isLiquid } = serv.mobBlocks
    const below = stateAt(world, x, y - 1, z)
    if (below < 0 || !floorOk[below]) return false
    if (isSolid(world, x, y, z) || isSolid(world, x, y + 1, z) || isLiquid(world, x, y, z) || isLiquid(world, x, y + 1, z)) return false
    const centre = new Vec3(x + 0.5, y, z + 0.5)
    let nearest = Infinity
    for (const p of all) nearest = Math.min(nearest, p.position.distanceTo(centre))
    if (nearest < NOT_NEAR || nearest > AREA) return false
    return serv.monsterLight.lightAt(world, x, y, z) <= rng.int(MAX_DARK + 1)
  }

  function spawnPack (world, player, all, rng, inCave) {
    const pcx = Math.floor(player.position.x) >> 4
    const pcz = Math.floor(player.position.z) >> 4
    const cx = pcx + rng.int(2 * RADIUS + 1) - RADIUS
    const cz = pcz + rng.int(2 * RADIUS + 1) - RADIUS
    const column = world.getLoadedColumn(cx, cz)
    if (!column) return 0
    let x = cx * 16 + rng.int(16)
    let z = cz * 16 + rng.int(16)
    const top = surface(world, x, z)
    if (top === null) return 0
    const y = !inCave ? top : floorBelow(world, x, column.minY + 1 + rng.int(top - column.minY - 1), z, column.minY)
    if (y === null) return 0
    const kind = KINDS[rng.int(KINDS.length)]
    const size = rng.between(...PACK)
    let spawned = 0
    for (let tries = 0; spawned < size && tries < size * 3; tries++) {
      if (monstersNear(player.position) >= CAP || serv.monsters.size >= WORLD_CAP) break
      if (tries > 0) {
        x += rng.int(PACK_SPREAD + 1) - rng.int(PACK_SPREAD + 1)
        z += rng.int(PACK_SPREAD + 1) - rng.int(PACK_SPREAD + 1)
      }
      if (!canSpawnAt(world, x, y, z, all, rng)) continue
      try {
        serv.addMob(kind, world, new Vec3(x + 0.5, y, z + 0.5), { yaw: rng.next() * 360 - 180 })
      } catch (err) {
        serv.warn?.(`[monsterSpawning] ${err.message}`)
        return spawned
      }
      spawned++
    }
    return spawned
  }

  // Mob.checkDespawn, for every monster (also those too far for their brain to run).
  function despawn () {
    if (!serv.monsters?.size) return
    const peaceful = Number(serv.difficulty ?? PEACEFUL) === PEACEFUL // '0' after flying-squid's /difficulty 0
    for (const mob of [...serv.monsters]) {
      if (mob.removed) continue
      if (peaceful) {
        mob.destroy()
        continue
      }
      let nearest = Infinity
      for (const player of serv.players) {
        if (player.world !== mob.world || player.gameMode === 3 || player.disconnected) continue
        nearest = Math.min(nearest, player.position.distanceTo(mob.position))
      }
      if (nearest === Infinity) continue // nobody to measure from
      mob.noActionTime++
      if (nearest > DESPAWN_FAR) mob.destroy()
      else if (nearest <= DESPAWN_NEAR) mob.noActionTime = 0
      else if (mob.noActionTime > IDLE_TICKS && mob.rng.next() < DESPAWN_CHANCE) mob.destroy()
    }
  }

  serv.on('tick', (delta, tick) => {
    if (!serv.monsters || !serv.mobBlocks) return
    despawn()
    if (tick % SPAWN_TICKS !== 0) return
    if (Number(serv.difficulty ?? PEACEFUL) === PEACEFUL) return
    const world = serv.overworld
    const all = players()
    for (const [i, player] of all.entries()) {
      const rng = prng(hash(seed, Math.floor(tick / SPAWN_TICKS), i, SALT))
      for (let pack = 0; pack < SURFACE_PACKS + CAVE_PACKS; pack++) {
        if (monstersNear(player.position) >= CAP || serv.monsters.size >= WORLD_CAP) break
        spawnPack(world, player, all, rng, pack >= SURFACE_PACKS)
      }
    }
  })
}
