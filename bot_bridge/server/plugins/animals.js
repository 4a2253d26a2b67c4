'use strict'
// Passive animals (cow, sheep, pig, chicken) as vanilla 1.21.4 runs them, as far as a client can tell: a body with
// gravity, collisions against full blocks, ground friction and jumps up one-block steps (LivingEntity.travel); a
// brain that strolls to a random spot every ~6 s at the animal's walking speed (RandomStrollGoal), avoids walking
// into water or off a drop of more than 3 blocks (the path malus of land animals), and panics for 5 s after a hit
// (PanicGoal, running away from the attacker); movement sent every 3 ticks as vanilla's ServerEntity does for animals
// (rel_entity_move / entity_move_look / entity_look + entity_head_rotation; sync_entity_position past 8 blocks).
// Animals live only in world ticks: a frozen world (tickFreeze.js) stands them still. `serv.addMob` is the one
// way in: `/summon <mob> [x y z [nbt]]` (console too), animalSpawning.js, monsterSpawning.js; animalCombat.js hurts and
// kills them, animalProducts.js shears and milks them.
// The same body carries the hostile monsters (zombie, skeleton, spider, creeper: monsters.js gives them their brain
// through serv.mobBrains and their extra metadata through mob.extraMetadata). Every mob run here has `animal: true`
// (ours, not flying-squid's); monsters also `hostile: true`. serv.mobs holds them all, serv.animals the passive ones,
// serv.monsters the hostile ones. flying-squid's own mobs cannot be used: its spawnMob throws for every
// 1.21 animal (they are not in minecraft-data's `mobs`), its physics tests points, not the hit box, its summon
// ignored animals, and it sends no entity metadata on 1.20.2+.
const { Vec3 } = require('vec3')
const { randomUUID } = require('crypto')
const { UserError } = require('flying-squid')
const { seed32, hash, prng } = require('../generation/random')
const mobRules = require('../lib/mobs')
const { sheepColor } = require('../lib/mobs')
const { location, commandSource, syntaxError } = require('../lib/coordinates')
const { readCompound, floatOf, isNumeric, SnbtError } = require('../lib/snbt')

const GRAVITY = 0.08
const VERTICAL_DRAG = 0.98
const JUMP = 0.42
const BLOCK_FRICTION = 0.6 // every block but ice, slime and honey
const GROUND_FRICTION = BLOCK_FRICTION * 0.91
const AIR_FRICTION = 0.91
const GROUND_ACCEL = 0.21600002 / (BLOCK_FRICTION ** 3) // LivingEntity.getFrictionInfluencedSpeed: 1 on such blocks
const AIR_ACCEL = 0.02
const WATER_DRAG = 0.8
const UPDATE_INTERVAL = 3 // ServerEntity's update interval for animals, in ticks
const TRACK_RANGE = 150 // flying-squid's entity view distance: who sees whom
const ACTIVE_RANGE = 128 // vanilla ticks entities near players only
const STROLL_CHANCE = 1 / 120 // RandomStrollGoal: interval 120
const STROLL_RANGE = 10
const STROLL_HEIGHT = 7
const PANIC_TICKS = 100 // how long the last hurt keeps an animal panicking
const PANIC_RANGE = 5
const MAX_TURN = 90 // degrees per tick (MoveControl.rotlerp)
const GIVE_UP_TICKS = 100 // a stroll that has not arrived by then is dropped
const MAX_DROP = 3 // the path finder's max fall distance
const DEATH_TICKS = 20 // LivingEntity.tickDeath: removed 20 ticks after dying
const POSE_DYING = 7
const SALT = 0x616e696d // "anim"
const SUMMON = /^\s*(\S+)(?:\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S[^]*))?)?\s*$/d // entity [x y z [nbt]]

const toByteAngle = deg => {
  const b = Math.floor(deg * 256 / 360) & 255
  return b > 127 ? b - 256 : b
}
const wrapDegrees = d => ((d % 360) + 540) % 360 - 180

module.exports.server = function (serv, settings) {
  const { registry } = serv
  const rules = mobRules(registry)
  const seed = seed32(settings.generation?.options?.seed ?? 0)
  const animals = new Set()
  const mobs = new Set()
  const monsters = new Set()
  serv.animals = animals
  serv.mobs = mobs
  serv.monsters = monsters
  serv.mobBrains = serv.mobBrains ?? {} // name -> (mob, tick) => void, run instead of the animals' stroll and panic

  // Per block state: 1 = a full collision cube (flying-squid's boundingBox 'block'), and the liquids.
  const solid = new Uint8Array(registry.blocksArray.reduce((n, b) => Math.max(n, b.maxStateId), 0) + 1)
  const liquid = new Uint8Array(solid.length)
  for (const block of registry.blocksArray) {
    for (let s = block.minStateId; s <= block.maxStateId; s++) {
      solid[s] = block.boundingBox === 'block' ? 1 : 0
      liquid[s] = ['water', 'lava', 'bubble_column'].includes(block.name) ? 1 : 0
    }
  }
  const P = { x: 0, y: 0, z: 0 }
  // The state at a block, or -1 in a column that is not loaded (a wall: nothing walks or falls into it).
  function stateAt (world, x, y, z) {
    const column = world.getLoadedColumn(x >> 4, z >> 4)
    if (!column) return -1
    if (y < column.minY || y >= column.minY + column.worldHeight) return 0
    P.x = x & 15
    P.y = y
    P.z = z & 15
    return column.getBlockStateId(P)
  }
  const isSolid = (world, x, y, z) => {
    const s = stateAt(world, x, y, z)
    return s < 0 || solid[s] === 1
  }
  const isLiquid = (world, x, y, z) => {
    const s = stateAt(world, x, y, z)
    return s > 0 && liquid[s] === 1
  }
  const loaded = (world, x, z) => !!world.getLoadedColumn(Math.floor(x) >> 4, Math.floor(z) >> 4)

  // Any full block in the cells the box [x±r, z±r] covers, between heights y0 and y1 (whole blocks).
  function boxHits (world, x, z, r, y0, y1) {
    for (let bx = Math.floor(x - r); bx <= Math.floor(x + r - 1e-7); bx++) {
      for (let bz = Math.floor(z - r); bz <= Math.floor(z + r - 1e-7); bz++) {
        for (let by = y0; by <= y1; by++) if (isSolid(world, bx, by, bz)) return true
      }
    }
    return false
  }

  // A standing spot near (x, z) within `up`/`down` blocks of y: a full block below, two free non-liquid cells.
  function standingSpot (world, x, y, z, up, down) {
    for (let fy = Math.floor(y) + up; fy >= Math.floor(y) - down; fy--) {
      if (isSolid(world, x, fy - 1, z) && !isSolid(world, x, fy, z) && !isSolid(world, x, fy + 1, z) &&
          !isLiquid(world, x, fy, z) && !isLiquid(world, x, fy - 1, z) && stateAt(world, x, fy - 1, z) >= 0) return fy
    }
    return null
  }
  serv.animalStandingSpot = standingSpot
  serv.mobBlocks = { stateAt, isSolid, isLiquid, loaded } // the same synchronous block view, for monsters*.js

  // --- the body: LivingEntity.travel, axis by axis against full blocks ---
  function move (mob) {
    const { position: p, motion: v, kind } = mob
    const r = kind.width / 2
    const h = kind.height
    const world = mob.world
    mob.horizontalCollision = false
    let y = p.y + v.y
    if (v.y <= 0) {
      mob.onGround = false
      for (let floor = Math.floor(p.y - 1e-7); floor >= Math.floor(y); floor--) { // every layer passed (a fast fall)
        if (boxHits(world, p.x, p.z, r, floor, floor)) {
          y = floor + 1
          v.y = 0
          mob.onGround = true
          break
        }
      }
    } else {
      const top = Math.floor(y + h)
      if (top > Math.floor(p.y + h - 1e-7) && boxHits(world, p.x, p.z, r, top, top)) {
        y = top - h - 1e-4
        v.y = 0
      }
      mob.onGround = false
    }
    p.y = y
    const y0 = Math.floor(p.y)
    const y1 = Math.floor(p.y + h - 1e-7)
    if (v.x !== 0) {
      const edge = Math.floor(p.x + v.x + Math.sign(v.x) * r)
      if (edge !== Math.floor(p.x + Math.sign(v.x) * (r - 1e-7)) && rowHitsX(world, edge, p.z, r, y0, y1)) {
        p.x = v.x > 0 ? edge - r - 1e-4 : edge + 1 + r + 1e-4
        v.x = 0
        mob.horizontalCollision = true
      } else p.x += v.x
    }
    if (v.z !== 0) {
      const edge = Math.floor(p.z + v.z + Math.sign(v.z) * r)
      if (edge !== Math.floor(p.z + Math.sign(v.z) * (r - 1e-7)) && rowHitsZ(world, p.x, edge, r, y0, y1)) {
        p.z = v.z > 0 ? edge - r - 1e-4 : edge + 1 + r + 1e-4
        v.z = 0
        mob.horizontalCollision = true
      } else p.z += v.z
    }
  }

  // Full blocks in the slice of cells at x = bx (or z = bz) that the box's side facing it covers.
  function rowHitsX (world, bx, z, r, y0, y1) {
    for (let bz = Math.floor(z - r); bz <= Math.floor(z + r - 1e-7); bz++) {
      for (let by = y0; by <= y1; by++) if (isSolid(world, bx, by, bz)) return true
    }
    return false
  }

  function rowHitsZ (world, x, bz, r, y0, y1) {
    for (let bx = Math.floor(x - r); bx <= Math.floor(x + r - 1e-7); bx++) {
      for (let by = y0; by <= y1; by++) if (isSolid(world, bx, by, bz)) return true
    }
    return false
  }

  // Water or a drop of more than MAX_DROP blocks just ahead, where a land animal's path finder would not go.
  function dangerAhead (mob, yawRad) {
    const { position: p, world } = mob
    const reach = mob.kind.width / 2 + 0.5
    const x = Math.floor(p.x - Math.sin(yawRad) * reach)
    const z = Math.floor(p.z + Math.cos(yawRad) * reach)
    const y = Math.floor(p.y)
    if (isLiquid(world, x, y, z) || isLiquid(world, x, y - 1, z)) return true
    if (isSolid(world, x, y, z) || isSolid(world, x, y - 1, z)) return false
    for (let d = 2; d <= MAX_DROP + 1; d++) {
      if (isLiquid(world, x, y - d, z)) return true
      if (isSolid(world, x, y - d, z)) return false
    }
    return true
  }

  // --- the brain: RandomStrollGoal and PanicGoal ---
  function pickTarget (mob, from, range, speed) {
    const { position: p, world, rng } = mob
    for (let i = 0; i < 10; i++) {
      let dx = (rng.next() * 2 - 1) * range
      let dz = (rng.next() * 2 - 1) * range
      if (from) { // panicking: away from what hurt it
        const ax = p.x - from.x
        const az = p.z - from.z
        const len = Math.hypot(ax, az) || 1
        dx = ax / len * range + dx / 2
        dz = az / len * range + dz / 2
      }
      const x = Math.floor(p.x + dx)
      const z = Math.floor(p.z + dz)
      if (!loaded(world, x, z)) continue
      const y = standingSpot(world, x, p.y, z, from ? 4 : STROLL_HEIGHT, from ? 4 : STROLL_HEIGHT)
      if (y !== null) return { x: x + 0.5, y, z: z + 0.5, speed, ticks: 0 }
    }
    return null
  }

  function think (mob) {
    if (mob.panicTicks > 0) {
      mob.panicTicks--
      if (!mob.target || !mob.target.panic) {
        mob.target = pickTarget(mob, mob.panicFrom ?? mob.position.offset(mob.rng.next() - 0.5, 0, mob.rng.next() - 0.5),
          PANIC_RANGE, mob.kind.speed * mob.kind.panic)
        if (mob.target) mob.target.panic = true
      }
      if (mob.panicTicks === 0) mob.target = null
    } else if (!mob.target && mob.rng.next() < STROLL_CHANCE) {
      mob.target = pickTarget(mob, null, STROLL_RANGE, mob.kind.speed)
    }
  }

  // MoveControl + travel: turn toward the target, accelerate, jump when blocked, fall, slide to a stop.
  function step (mob) {
    const v = mob.motion
    let input = 0
    const target = mob.dead ? null : mob.target
    if (target) {
      const dx = target.x - mob.position.x
      const dz = target.z - mob.position.z
      if (dx * dx + dz * dz < 0.3 || ++target.ticks > GIVE_UP_TICKS) {
        mob.target = null
      } else {
        const want = Math.atan2(dz, dx) * 180 / Math.PI - 90
        const turn = Math.max(-MAX_TURN, Math.min(MAX_TURN, wrapDegrees(want - mob.yawDegrees)))
        mob.yawDegrees = wrapDegrees(mob.yawDegrees + turn)
        const yawRad = mob.yawDegrees * Math.PI / 180
        if (mob.onGround && !mob.inWater && dangerAhead(mob, yawRad)) {
          mob.target = null
        } else {
          input = target.speed
          if (mob.horizontalCollision && (mob.onGround || mob.inWater)) v.y = JUMP
        }
      }
    }
    const world = mob.world
    mob.inWater = isLiquid(world, Math.floor(mob.position.x), Math.floor(mob.position.y + 0.1), Math.floor(mob.position.z))
    if (input > 0) {
      const accel = 0.98 * input * (mob.inWater ? AIR_ACCEL : mob.onGround ? input * GROUND_ACCEL : AIR_ACCEL)
      const yawRad = mob.yawDegrees * Math.PI / 180
      v.x += -Math.sin(yawRad) * accel
      v.z += Math.cos(yawRad) * accel
    }
    move(mob)
    if (mob.inWater) {
      v.x *= WATER_DRAG
      v.z *= WATER_DRAG
      v.y = v.y * WATER_DRAG - GRAVITY / 16 + (mob.dead ? 0 : 0.04) // FloatGoal keeps its head above water
    } else {
      const friction = mob.onGround ? GROUND_FRICTION : AIR_FRICTION
      v.x *= friction
      v.z *= friction
      v.y = (v.y - GRAVITY) * VERTICAL_DRAG
    }
    if (Math.abs(v.x) < 0.003) v.x = 0
    if (Math.abs(v.z) < 0.003) v.z = 0
  }

  // --- what players see ---
  const metaIndex = (name, key) => registry.entitiesByName[name].metadataKeys.indexOf(key)
  function metadata (mob) {
    const out = [{ key: metaIndex(mob.name, 'health'), type: 'float', value: mob.health }]
    if (mob.extraMetadata) out.push(...mob.extraMetadata())
    if (mob.name === 'sheep') {
      out.push({ key: metaIndex('sheep', 'wool'), type: 'byte', value: (mob.color & 15) | (mob.sheared ? 0x10 : 0) })
    }
    if (mob.dead) out.push({ key: metaIndex(mob.name, 'pose'), type: 'pose', value: POSE_DYING })
    return out
  }

  function writeWatchers (mob, name, fields) {
    for (const player of mob.watchers) player._client.write(name, fields)
  }

  // Positions in 1/4096 block, as the delta packets count; angles in 1/256 turn.
  function sendMovement (mob, force = false) {
    const p = mob.position
    const x = Math.round(p.x * 4096)
    const y = Math.round(p.y * 4096)
    const z = Math.round(p.z * 4096)
    const yaw = toByteAngle(mob.yawDegrees)
    const sent = mob.sent
    const dX = x - sent.x
    const dY = y - sent.y
    const dZ = z - sent.z
    const moved = dX !== 0 || dY !== 0 || dZ !== 0
    const turned = yaw !== sent.yaw
    mob.yaw = mob.headPitch = yaw // flying-squid's spawn packet: yaw and head yaw
    mob.velocity.set(mob.motion.x * 20, mob.motion.y * 20, mob.motion.z * 20) // flying-squid counts per second
    if (!moved && !turned && !force) return
    const { id: entityId } = mob
    const onGround = mob.onGround
    if (force || Math.max(Math.abs(dX), Math.abs(dY), Math.abs(dZ)) > 32767) {
      writeWatchers(mob, 'sync_entity_position', {
        entityId,
        x: p.x,
        y: p.y,
        z: p.z,
        dx: mob.motion.x,
        dy: mob.motion.y,
        dz: mob.motion.z,
        yaw: mob.yawDegrees,
        pitch: 0,
        onGround
      })
    } else if (moved && turned) {
      writeWatchers(mob, 'entity_move_look', { entityId, dX, dY, dZ, yaw, pitch: 0, onGround })
    } else if (moved) {
      writeWatchers(mob, 'rel_entity_move', { entityId, dX, dY, dZ, onGround })
    } else if (turned) {
      writeWatchers(mob, 'entity_look', { entityId, yaw, pitch: 0, onGround })
    }
    if (turned || force) writeWatchers(mob, 'entity_head_rotation', { entityId, headYaw: yaw })
    mob.sent = { x, y, z, yaw }
  }

  // Spawn for players who came in range, forget those who left (players moving: flying-squid's updateAndSpawn).
  function track (mob) {
    for (const player of serv.players) {
      if (!player.seesAnimals) continue
      const near = player.world === mob.world && player.position.distanceTo(mob.position) <= TRACK_RANGE
      if (near && !mob.watchers.has(player)) player.spawnEntity(mob)
      else if (!near && mob.watchers.has(player)) player.despawnEntities([mob])
    }
    for (const player of mob.watchers) if (!serv.players.includes(player)) mob.watchers.delete(player)
  }

  function remove (mob) {
    if (mob.removed) return
    mob.removed = true
    writeWatchers(mob, 'entity_destroy', { entityIds: [mob.id] })
    mob.watchers.clear()
    animals.delete(mob)
    mobs.delete(mob)
    monsters.delete(mob)
    delete serv.entities[mob.id]
  }

  // The one way a mob comes into the world. `rng`: its own randomness (colour, strolls), seeded by its spawn spot.
  // `tags`: the entity's NBT (lib/snbt.js compound value, e.g. /summon's), read as vanilla's Entity.load: Health here,
  // each plugin its own on 'mobSpawned' (chickenEggs.js: EggLayTime); unknown tags are ignored.
  // (Not serv.spawnMob: flying-squid defines its own after our plugins load, which would replace this.)
  serv.addMob = (name, world, position, { yaw, color, tags = {} } = {}) => {
    const kind = rules.mob(name)
    if (!kind) throw new UserError(`Not an animal or a monster: ${name}`)
    const mob = serv.initEntity('mob', kind.type, world, position.clone()) // throws past max-entities
    const rng = prng(hash(seed, Math.floor(position.x * 16), Math.floor(position.z * 16), SALT + Math.floor(position.y)))
    // LivingEntity.setHealth clamps to [0, max]; at 0 it is dying (removed 20 ticks on, no loot: die() never ran)
    const health = isNumeric(tags.Health) ? Math.min(kind.health, Math.max(0, floatOf(tags.Health))) : kind.health
    Object.assign(mob, {
      animal: true,
      hostile: Boolean(kind.hostile),
      kind,
      name,
      uuid: randomUUID(),
      rng,
      health,
      motion: new Vec3(0, 0, 0),
      velocity: new Vec3(0, 0, 0),
      yawDegrees: yaw ?? Math.floor(rng.next() * 360) - 180,
      pitch: 0,
      onGround: false,
      inWater: false,
      target: null,
      panicTicks: 0,
      panicFrom: null,
      dead: health <= 0,
      deathTicks: 0,
      watchers: new Set(),
      metadata: []
    })
    if (name === 'sheep') {
      mob.color = color ?? sheepColor(rng.next)
      mob.sheared = false
    }
    mob.yaw = mob.headPitch = toByteAngle(mob.yawDegrees)
    mob.sent = { x: Math.round(position.x * 4096), y: Math.round(position.y * 4096), z: Math.round(position.z * 4096), yaw: mob.yaw }
    mob.destroy = () => remove(mob)
    mob.sendMetadata = () => writeWatchers(mob, 'entity_metadata', { entityId: mob.id, metadata: metadata(mob) })
    mob.writeWatchers = (name, fields) => writeWatchers(mob, name, fields)
    mob.sendMovement = force => sendMovement(mob, force)
    // PanicGoal: run from `from` (a position, or anywhere) for the next 5 s.
    mob.panic = from => {
      mob.panicTicks = PANIC_TICKS
      mob.panicFrom = from ? from.clone() : null
      mob.target = null
    }
    // flying-squid's /kill and pvp call takeDamage; animalCombat.js decides what a hurt does.
    mob.takeDamage = ({ damage = 1 } = {}) => serv.hurtAnimal?.(mob, damage, null, { bypassInvulnerability: true })
    mob.teleport = async (to) => { // /tp
      mob.position = to.clone()
      mob.motion.set(0, 0, 0)
      mob.target = null
      sendMovement(mob, true)
      track(mob)
    }
    mobs.add(mob)
    if (mob.hostile) monsters.add(mob)
    else animals.add(mob)
    serv.emit('mobSpawned', mob, tags) // monsters.js sets up a monster's state
    track(mob)
    return mob
  }
  serv.spawnAnimal = serv.addMob

  serv.on('tick', (delta, tickCount) => {
    for (const mob of mobs) {
      if (!loaded(mob.world, mob.position.x, mob.position.z)) continue
      if (!serv.players.some(p => p.world === mob.world && p.position.distanceTo(mob.position) <= ACTIVE_RANGE)) continue
      if (mob.dead) {
        if (++mob.deathTicks >= DEATH_TICKS) {
          remove(mob)
          continue
        }
      } else if (serv.mobBrains[mob.name]) serv.mobBrains[mob.name](mob, tickCount)
      else think(mob)
      step(mob)
      if ((tickCount + mob.id) % UPDATE_INTERVAL === 0) sendMovement(mob)
      if ((tickCount + mob.id) % 20 === 0) track(mob)
    }
  })

  // The NBT argument of `/summon <args>` starting at `from` in args: its tags, or a UserError worded as vanilla's.
  function summonTags (args, from) {
    const line = `summon ${args}` // the command line vanilla counts positions in
    const start = line.length - args.length + from
    try {
      const { tag, end } = readCompound(line, start)
      const rest = line.slice(end).trimEnd()
      if (rest && !/^\s/.test(rest)) {
        throw syntaxError('Expected whitespace to end one argument, but found trailing data', line, end)
      }
      if (rest) throw syntaxError('Incorrect argument for command', line, end + 1)
      return tag.value
    } catch (err) {
      if (err instanceof SnbtError) throw syntaxError(err.message, line, err.cursor)
      throw err
    }
  }

  // /summon <entity> [<x> <y> <z> [<nbt>]]: animals and monsters here, any other entity as flying-squid summons it
  // (players only). A monster summoned on peaceful is gone at the next tick, as in vanilla (monsters.js).
  serv.once('pluginsReady', () => {
    const flyingSquids = serv.commands.hash.summon?.params
    serv.commands.add({
      base: 'summon',
      info: 'summon an entity (vanilla /summon; the console summons at the world spawn or the given position)',
      usage: '/summon <entity> [<x> <y> <z> [<nbt>]]',
      tab: ['entity'],
      op: true,
      parse (str) {
        const match = SUMMON.exec(str)
        if (!match) return false
        return {
          entity: match[1],
          position: match[2] ? match.slice(2, 5) : null,
          tags: match[5] ? summonTags(str, match.indices[5][0]) : {}
        }
      },
      async action ({ entity, position, tags }, ctx) {
        const name = entity.replace(/^minecraft:/, '')
        if (!rules.mob(name)) {
          if (flyingSquids && ctx.player && !position) return flyingSquids.action(entity, ctx)
          throw new UserError(`Can't summon ${name} here (mobs: ${[...rules.names, ...rules.monsters].join(', ')})`)
        }
        const source = await commandSource(serv, ctx)
        const at = position ? location(position, source, 'position to summon') : source.position.clone()
        let mob
        try {
          mob = serv.addMob(name, source.world, at, { tags })
        } catch (err) {
          throw new UserError(err.message)
        }
        const message = `Summoned new ${registry.entitiesByName[name].displayName}`
        if (ctx.player) ctx.player.chat(message)
        else serv.info(message)
        // one parseable line for tests and tools reading the log
        console.log(`GITM_SUMMON id=${mob.id} name=${name} x=${at.x} y=${at.y} z=${at.z}`)
      }
    })
  })

  serv.animalMetadata = metadata
}

module.exports.player = function (player, serv) {
  // spawn.js and logout.js define what we wrap after external plugins run; 'asap' follows all of them.
  player.once('asap', () => {
    const spawnEntity = player.spawnEntity
    player.spawnEntity = entity => {
      if (entity.animal) {
        if (entity.removed || entity.watchers.has(player)) return // flying-squid's tracking and ours both call
        entity.watchers.add(player)
      }
      spawnEntity(entity)
      if (entity.animal) {
        player._client.write('entity_metadata', { entityId: entity.id, metadata: serv.animalMetadata(entity) })
      }
    }
    const despawnEntities = player.despawnEntities
    player.despawnEntities = entities => {
      for (const entity of entities) if (entity.animal) entity.watchers.delete(player)
      despawnEntities(entities)
    }
  })
  player.once('spawned', () => { player.seesAnimals = true })
}
