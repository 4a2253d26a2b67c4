'use strict'
// Hostile monsters (zombie, skeleton, spider, creeper) as vanilla 1.21.4 runs them, simplified. They share the
// animals' body (animals.js: physics, straight-line walking with step-up jumps, movement packets, /summon) and
// combat (animalCombat.js: a player's hits, death, loot from lib/mobs.js); this file gives them their brain
// (serv.mobBrains), burning in daylight and the creeper's explosion. monsterSpawning.js makes them appear at night.
//   Target (NearestAttackableTargetGoal): the nearest survival or adventure player within 16 blocks that the mob can
//     see (a ray from its eyes to the player's eyes through no full block), looked for every 10 ticks; kept while
//     within 16 blocks and alive. A player's hit makes the mob fight that player back (HurtByTargetGoal). Without a
//     target the mob strolls as an animal does.
//   Zombie and spider (MeleeAttackGoal): walk straight at the player; within reach (the mob's box grown by 0.83
//     blocks sideways touching the player's) hit it with player.hurt(3 zombie / 2 spider, 'mob_attack') every 20
//     ticks, so playerHealth.js scales it by difficulty (zombie 2.5/3/4.5, spider 2/2/3 on easy/normal/hard) and
//     knock the player 0.4 away (entity_velocity). A spider only picks a target where the light at it is below 12
//     (vanilla's brightness 0.5: in the dark, or at night), drops it now and then in bright light, and climbs walls.
//   Skeleton (RangedBowAttackGoal): walks in until within 15 blocks and in sight, backs off inside 8, else stands;
//     draws its bow 20 ticks and shoots every 40 ticks after (20 on hard). The arrow is not simulated as an entity:
//     a shot is a hit/miss roll (vanilla's spread, inaccuracy 14 - 4 * difficulty, against the player's box at that
//     distance) and a hit deals vanilla's arrow damage (lib/mobs.js arrowDamage, 3-5 before scaling) with type
//     'arrow' and a 0.4 knockback along the shot.
//   Creeper (SwellGoal): walks up; with the player within 3 blocks and in sight it stops and swells (metadata
//     swell_dir 1, which the client draws), losing it again (-1) if the player gets more than 7 blocks away or out
//     of sight; after 30 ticks of swelling it explodes (power 3): every player and mob within 6 blocks takes
//     vanilla's (1 - d/6)-shaped damage (lib/mobs.js explosionDamage, 43 at point blank before difficulty scaling,
//     type 'explosion') times the share of 3 rays (feet, middle, eyes) that reach it, and is pushed away; blocks are
//     broken along vanilla's 1352 rays (blast resistance slows them), each dropping its loot with chance 1/3; blocks
//     holding an inventory or a bed are left standing. The creeper is gone, without loot.
//   Zombies and skeletons burn in daylight (Mob.isSunBurnTick: by day, light 13+ at them, the sky in view, not in
//     water): on fire for 8 s, 1 damage (on_fire) each second, shown with the on-fire flag.
//   Peaceful removes every monster, and far ones despawn: monsterSpawning.js.
// Everything runs in world ticks: a frozen world's monsters stand still and do not attack.
const { Vec3 } = require('vec3')
const { arrowDamage, explosionDamage } = require('../lib/mobs')
const { skyDarken, lightFilters, skyLight } = require('../lib/light')
const harvestRules = require('../lib/harvest')
const { dropItem } = require('../lib/itemDrops')

const PEACEFUL = 0
const HARD = 3
const TARGET_INTERVAL = 10 // NearestAttackableTargetGoal's randomInterval
const ATTACK_COOLDOWN = 20 // MeleeAttackGoal
const MELEE_REACH = Math.sqrt(2.04) - 0.6 // Mob.getAttackBoundingBox: the box grown this much sideways
const PLAYER_HALF_WIDTH = 0.3
const PLAYER_HEIGHT = 1.8
const PLAYER_EYES = 1.62
const KNOCKBACK = 0.4
const BOW_RANGE = 15 // RangedBowAttackGoal's attackRadius
const BOW_TOO_CLOSE = 8
const BOW_DRAW = 20
const BOW_INTERVAL = { normal: 40, hard: 20 }
const SWELL_START = 3
const SWELL_STOP = 7
const FUSE = 30
const EXPLOSION_POWER = 3
const BLOCK_DROP_CHANCE = 1 / EXPLOSION_POWER
const SUN_FIRE_TICKS = 160
const SPIDER_BRIGHT = 12 // light at which a spider's brightness reaches 0.5
const SUN_BURN_LIGHT = 13 // brightness above 0.5
const KEEP_INVENTORY = /chest|barrel|shulker_box|furnace|smoker|hopper|dispenser|dropper|_bed$|brewing_stand|lectern|beacon|spawner|end_portal|command_block|jigsaw|structure_block|bedrock|barrier/

module.exports.server = function (serv) {
  const { registry } = serv
  const harvest = harvestRules(registry)
  const filterOf = lightFilters(registry)
  const blocks = () => serv.mobBlocks // animals.js, loaded before this file
  const metaIndex = (name, key) => registry.entitiesByName[name].metadataKeys.indexOf(key)
  const resistance = new Float32Array(filterOf.length)
  const airState = new Uint8Array(filterOf.length)
  const keep = new Uint8Array(filterOf.length)
  for (const block of registry.blocksArray) {
    for (let s = block.minStateId; s <= block.maxStateId; s++) {
      resistance[s] = block.resistance ?? 0
      airState[s] = block.name === 'air' || block.name === 'cave_air' || block.name === 'void_air' ? 1 : 0
      keep[s] = KEEP_INVENTORY.test(block.name) || block.resistance >= 1200 ? 1 : 0
    }
  }
  const dayTime = () => ((serv.time ?? 0) % 24000 + 24000) % 24000
  // a number: flying-squid's /difficulty stores the text '0' (its parse result 0 is falsy, so it passes the raw text)
  const difficulty = () => Number(serv.difficulty ?? PEACEFUL)

  // The light at block (x, y, z) as monsters see it: the sky light less the time of day's darkening (no block light).
  function lightAt (world, x, y, z) {
    const column = world.getLoadedColumn(x >> 4, z >> 4)
    if (!column) return 0
    return Math.max(0, skyLight(column, filterOf, x, y, z) - skyDarken(dayTime(), serv.weather))
  }
  function rawSkyAt (world, x, y, z) {
    const column = world.getLoadedColumn(x >> 4, z >> 4)
    return column ? skyLight(column, filterOf, x, y, z) : 0
  }
  serv.monsterLight = { lightAt, rawSkyAt, skyDarken: () => skyDarken(dayTime(), serv.weather) }

  const eyes = mob => mob.position.y + mob.kind.height * 0.85
  const canTarget = (mob, player) => player.world === mob.world && (player.gameMode === 0 || player.gameMode === 2) &&
    !player.dead && player.health > 0 && !player.disconnected && player.bodyReady
  const distance = (mob, player) => mob.position.distanceTo(player.position)

  // A line of sight: no full block on the segment from the mob's eyes to the player's (sampled every 0.25 block).
  function canSee (mob, player) {
    const { isSolid } = blocks()
    const from = new Vec3(mob.position.x, eyes(mob), mob.position.z)
    const to = player.position.offset(0, PLAYER_EYES, 0)
    const d = from.distanceTo(to)
    const n = Math.ceil(d / 0.25)
    for (let i = 1; i < n; i++) {
      const t = i / n
      if (isSolid(mob.world, Math.floor(from.x + (to.x - from.x) * t), Math.floor(from.y + (to.y - from.y) * t),
        Math.floor(from.z + (to.z - from.z) * t))) return false
    }
    return true
  }

  function findTarget (mob) {
    let best = null
    let bestDistance = mob.kind.follow
    for (const player of serv.players) {
      if (!canTarget(mob, player)) continue
      const d = distance(mob, player)
      if (d <= bestDistance && canSee(mob, player)) {
        best = player
        bestDistance = d
      }
    }
    return best
  }

  function setSwell (mob, dir) {
    if (mob.swellDir === dir) return
    mob.swellDir = dir
    mob.sendMetadata()
  }

  function setOnFire (mob, ticks) {
    const was = mob.fireTicks > 0
    mob.fireTicks = Math.max(mob.fireTicks, ticks)
    if (!was && mob.fireTicks > 0) mob.sendMetadata()
  }

  // The melee hit and its knockback: vanilla's LivingEntity.knockback(0.4) away from the attacker, sent to the
  // player's client (which owns its movement).
  function knockPlayer (player, fromX, fromZ, strength = KNOCKBACK) {
    let dx = fromX - player.position.x
    let dz = fromZ - player.position.z
    if (dx * dx + dz * dz < 1e-5) {
      dx = Math.random() - 0.5
      dz = Math.random() - 0.5
    }
    const len = Math.hypot(dx, dz)
    const vy = player.reportedOnGround === false ? 0 : strength
    sendVelocity(player, -dx / len * strength, vy, -dz / len * strength)
  }
  function sendVelocity (player, x, y, z) {
    const units = c => Math.max(-32768, Math.min(32767, Math.round(c * 8000)))
    player._client.write('entity_velocity', { entityId: player.id, velocity: { x: units(x), y: units(y), z: units(z) } })
  }

  function swing (mob) {
    mob.writeWatchers('animation', { entityId: mob.id, animation: 0 })
  }

  function inMeleeReach (mob, player) {
    const reach = mob.kind.width / 2 + MELEE_REACH + PLAYER_HALF_WIDTH
    const dx = Math.abs(player.position.x - mob.position.x)
    const dz = Math.abs(player.position.z - mob.position.z)
    const overlapY = player.position.y < mob.position.y + mob.kind.height && player.position.y + PLAYER_HEIGHT > mob.position.y
    return dx <= reach && dz <= reach && overlapY
  }

  function walkTo (mob, pos, speed = mob.kind.speed) {
    if (mob.target && !mob.target.panic && Math.abs(mob.target.x - pos.x) < 0.5 && Math.abs(mob.target.z - pos.z) < 0.5) {
      mob.target.ticks = 0
      return
    }
    mob.target = { x: pos.x, y: pos.y, z: pos.z, speed, ticks: 0, chase: true }
  }
  const stop = mob => { if (mob.target?.chase) mob.target = null }

  // --- the brains ---
  function brain (mob, tick) {
    if (mob.attackCooldown > 0) mob.attackCooldown--
    burn(mob)
    if (mob.removed || mob.dead) return
    let enemy = mob.enemy
    if (enemy && (!canTarget(mob, enemy) || distance(mob, enemy) > mob.kind.follow)) enemy = mob.enemy = null
    if (enemy && mob.name === 'spider' && !mob.provoked && brightAt(mob) && mob.rng.next() < 0.01) enemy = mob.enemy = null
    if (!enemy && (tick + mob.id) % TARGET_INTERVAL === 0) {
      if (mob.name !== 'spider' || !brightAt(mob)) enemy = mob.enemy = findTarget(mob)
      mob.provoked = false
    }
    if (!enemy) {
      stop(mob)
      if (mob.name === 'creeper') setSwell(mob, -1)
      if (mob.name === 'creeper' && mob.swell > 0) mob.swell--
      strolls(mob)
      return
    }
    if (mob.target && !mob.target.chase) mob.target = null // a stroll ends when a fight starts
    face(mob, enemy)
    if (mob.name === 'skeleton') return shoot(mob, enemy)
    if (mob.name === 'creeper') return creep(mob, enemy)
    walkTo(mob, enemy.position)
    if (mob.name === 'spider' && mob.horizontalCollision) mob.motion.y = 0.2 // Spider.onClimbable: up the wall
    if (mob.attackCooldown <= 0 && inMeleeReach(mob, enemy) && canSee(mob, enemy)) {
      mob.attackCooldown = ATTACK_COOLDOWN
      swing(mob)
      if (enemy.hurt(mob.kind.attack, 'mob_attack', { attacker: mob })) knockPlayer(enemy, mob.position.x, mob.position.z)
    }
  }

  const brightAt = mob => lightAt(mob.world, Math.floor(mob.position.x), Math.floor(mob.position.y + 0.5), Math.floor(mob.position.z)) >= SPIDER_BRIGHT

  // RandomStrollGoal as the animals have it (animals.js's brain is not reachable from here: a short wander).
  function strolls (mob) {
    if (mob.target || mob.rng.next() >= 1 / 120) return
    const x = Math.floor(mob.position.x + (mob.rng.next() * 2 - 1) * 10)
    const z = Math.floor(mob.position.z + (mob.rng.next() * 2 - 1) * 10)
    if (!blocks().loaded(mob.world, x, z)) return
    const y = serv.animalStandingSpot(mob.world, x, mob.position.y, z, 7, 7)
    if (y !== null) mob.target = { x: x + 0.5, y, z: z + 0.5, speed: mob.kind.speed, ticks: 0 }
  }

  // LookControl: the body turns toward the player when standing (walking turns it anyway).
  function face (mob, player) {
    const dx = player.position.x - mob.position.x
    const dz = player.position.z - mob.position.z
    if (!mob.target) mob.yawDegrees = Math.atan2(dz, dx) * 180 / Math.PI - 90
  }

  function shoot (mob, enemy) {
    const d = distance(mob, enemy)
    const seen = canSee(mob, enemy)
    if (d > BOW_RANGE || !seen) walkTo(mob, enemy.position)
    else if (d < BOW_TOO_CLOSE) { // back off, away from the player
      const away = mob.position.minus(enemy.position)
      const len = Math.hypot(away.x, away.z) || 1
      walkTo(mob, { x: mob.position.x + away.x / len * 4, y: mob.position.y, z: mob.position.z + away.z / len * 4 })
    } else stop(mob)
    if (!seen || d > BOW_RANGE) {
      mob.drawTicks = 0
      return
    }
    if (mob.attackCooldown > 0) return
    if (++mob.drawTicks < BOW_DRAW) return
    mob.drawTicks = 0
    mob.attackCooldown = difficulty() === HARD ? BOW_INTERVAL.hard : BOW_INTERVAL.normal
    swing(mob)
    mob.shots = (mob.shots ?? 0) + 1
    // AbstractSkeleton.performRangedAttack: shot at the player's middle, spread by a gaussian of 0.0075 * inaccuracy
    // per block of flight on each axis; a hit if it passes within the player's box (and the arrow's 0.5 width).
    const spread = 0.0075 * (14 - difficulty() * 4) * d
    const gauss = () => Math.sqrt(-2 * Math.log(1 - mob.rng.next())) * Math.cos(2 * Math.PI * mob.rng.next())
    const hit = Math.abs(gauss() * spread) < PLAYER_HALF_WIDTH + 0.25 && Math.abs(gauss() * spread) < PLAYER_HEIGHT / 2 + 0.25
    if (!hit) return
    mob.hits = (mob.hits ?? 0) + 1
    if (enemy.hurt(arrowDamage(difficulty(), mob.rng.next), 'arrow', { attacker: mob })) {
      knockPlayer(enemy, mob.position.x, mob.position.z)
    }
  }

  function creep (mob, enemy) {
    const d = distance(mob, enemy)
    const seen = d <= SWELL_STOP && canSee(mob, enemy)
    if (mob.swellDir > 0 ? !seen : !(d < SWELL_START && seen)) setSwell(mob, -1)
    else setSwell(mob, 1)
    if (mob.swellDir > 0) stop(mob)
    else walkTo(mob, enemy.position)
    mob.swell = Math.max(0, mob.swell + mob.swellDir)
    if (mob.swell >= FUSE) explode(mob)
  }

  // Mob.isSunBurnTick and the fire's 1 damage a second (Entity.baseTick); water puts it out.
  function burn (mob) {
    const { isLiquid } = blocks()
    const bx = Math.floor(mob.position.x)
    const bz = Math.floor(mob.position.z)
    const inWater = isLiquid(mob.world, bx, Math.floor(mob.position.y + 0.1), bz)
    if (mob.kind.burnsInDay && !inWater && serv.weather === 'clear' && skyDarken(dayTime(), serv.weather) < 4) {
      const ey = Math.floor(eyes(mob))
      const light = lightAt(mob.world, bx, ey, bz)
      if (light >= SUN_BURN_LIGHT && rawSkyAt(mob.world, bx, ey, bz) === 15) {
        const brightness = (light / 15) / (4 - 3 * light / 15)
        if (mob.rng.next() * 30 < (brightness - 0.4) * 2) setOnFire(mob, SUN_FIRE_TICKS)
      }
    }
    if (mob.fireTicks <= 0) return
    if (inWater) mob.fireTicks = 0
    else {
      if (mob.fireTicks % 20 === 0) serv.hurtAnimal(mob, 1, null, { type: 'on_fire' })
      mob.fireTicks--
    }
    if (mob.fireTicks === 0 && !mob.dead) mob.sendMetadata()
  }

  // --- the explosion (Explosion.explode, power 3) ---
  function explode (mob) {
    if (mob.exploded) return
    mob.exploded = true
    const world = mob.world
    const centre = mob.position.offset(0, mob.kind.height / 16, 0) // Creeper.explodeCreeper: at the body's feet
    mob.destroy() // Entity.discard: no death, no loot
    breakBlocks(world, centre, mob.rng)
    const reach = EXPLOSION_POWER * 2
    for (const player of serv.players) {
      if (player.world !== world || player.disconnected) continue
      const d = player.position.distanceTo(centre)
      if (d > 64) continue
      player._client.write('explosion', {
        x: centre.x,
        y: centre.y,
        z: centre.z,
        playerKnockback: undefined, // Mineflayer 4.25 adds undefined fields from it: the push goes as a velocity
        explosionParticle: { type: 'explosion_emitter' },
        sound: { soundId: registry.soundsByName['entity.generic.explode'].id + 1 }
      })
      if (d >= reach || player.gameMode === 1 || player.gameMode === 3) continue
      const exposure = seenShare(world, centre, player.position, PLAYER_HEIGHT)
      const impact = (1 - d / reach) * exposure
      player.hurt(explosionDamage(EXPLOSION_POWER, d, exposure), 'explosion', { attacker: mob })
      const to = player.position.offset(0, PLAYER_EYES, 0).minus(centre)
      const len = to.norm() || 1
      sendVelocity(player, to.x / len * impact, to.y / len * impact, to.z / len * impact)
    }
    for (const other of [...(serv.mobs ?? [])]) {
      if (other === mob || other.world !== world || other.dead) continue
      const d = other.position.distanceTo(centre)
      if (d >= reach) continue
      const exposure = seenShare(world, centre, other.position, other.kind.height)
      const damage = explosionDamage(EXPLOSION_POWER, d, exposure)
      if (damage > 0) serv.hurtAnimal(other, damage, mob, { type: 'explosion' })
    }
  }

  // The share of the rays from the centre to an entity's feet, middle and eyes that no full block stops
  // (Explosion.getSeenPercent samples its whole box).
  function seenShare (world, centre, feet, height) {
    const { isSolid } = blocks()
    let seen = 0
    for (const h of [0.1, height / 2, height * 0.9]) {
      const to = feet.offset(0, h, 0)
      const d = centre.distanceTo(to)
      const n = Math.max(1, Math.ceil(d / 0.3))
      let clear = true
      for (let i = 1; i < n && clear; i++) {
        const t = i / n
        if (isSolid(world, Math.floor(centre.x + (to.x - centre.x) * t), Math.floor(centre.y + (to.y - centre.y) * t),
          Math.floor(centre.z + (to.z - centre.z) * t))) clear = false
      }
      if (clear) seen++
    }
    return seen / 3
  }

  // Explosion.calculateExplodedPositions: rays from the centre toward each point on a 16x16x16 cube's surface, each
  // with power * (0.7..1.3) that every 0.3-block step loses 0.225 and each block it passes (resistance + 0.3) * 0.3.
  function breakBlocks (world, centre, rng) {
    const { stateAt } = blocks()
    const hit = new Map()
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        for (let k = 0; k < 16; k++) {
          if (i !== 0 && i !== 15 && j !== 0 && j !== 15 && k !== 0 && k !== 15) continue
          let dx = i / 15 * 2 - 1
          let dy = j / 15 * 2 - 1
          let dz = k / 15 * 2 - 1
          const len = Math.hypot(dx, dy, dz)
          dx = dx / len * 0.3
          dy = dy / len * 0.3
          dz = dz / len * 0.3
          let power = EXPLOSION_POWER * (0.7 + rng.next() * 0.6)
          let x = centre.x
          let y = centre.y
          let z = centre.z
          for (; power > 0; power -= 0.22500001) {
            const bx = Math.floor(x)
            const by = Math.floor(y)
            const bz = Math.floor(z)
            const state = stateAt(world, bx, by, bz)
            if (state < 0) break // not loaded
            if (!airState[state]) {
              power -= (resistance[state] + 0.3) * 0.3
              if (power > 0 && !keep[state]) hit.set(`${bx},${by},${bz}`, state)
            }
            x += dx
            y += dy
            z += dz
          }
        }
      }
    }
    const pickaxe = { name: 'netherite_pickaxe', type: registry.itemsByName.netherite_pickaxe.id }
    for (const [key, state] of hit) {
      const [x, y, z] = key.split(',').map(Number)
      const pos = new Vec3(x, y, z)
      serv.setBlock(world, pos, 0)
      if (rng.next() >= BLOCK_DROP_CHANCE) continue
      const block = registry.blocksByStateId[state]
      if (!block) continue
      // Block loot without a tool requirement (explosions drop what the loot table gives): as a plain pickaxe would.
      let drops = []
      try {
        drops = harvest.drops(block, pickaxe, rng.next)
      } catch (e) {}
      for (const drop of drops) {
        const id = drop.id ?? registry.itemsByName[drop.name]?.id
        if (id === undefined) continue
        dropItem(serv, world, pos.offset(0.5, 0.5, 0.5), { id, count: drop.count ?? 1 }, new Vec3(0, 2, 0))
      }
    }
  }
  serv.explodeCreeper = explode

  // --- spawning hooks: a monster's own state, its extra metadata ---
  serv.on('mobSpawned', mob => {
    if (!mob.hostile) return
    Object.assign(mob, { enemy: null, provoked: false, attackCooldown: 0, fireTicks: 0, drawTicks: 0, swell: 0, swellDir: -1, noActionTime: 0 })
    mob.provoke = attacker => {
      mob.noActionTime = 0
      if (attacker?.type === 'player' && canTarget(mob, attacker)) {
        mob.enemy = attacker
        mob.provoked = true
      }
    }
    mob.extraMetadata = () => {
      const out = [{ key: 0, type: 'byte', value: mob.fireTicks > 0 && !mob.dead ? 0x01 : 0 }]
      if (mob.name === 'creeper') {
        out.push({ key: metaIndex('creeper', 'swell_dir'), type: 'int', value: mob.swellDir })
        out.push({ key: metaIndex('creeper', 'is_ignited'), type: 'boolean', value: false })
      }
      return out
    }
  })
  for (const name of ['zombie', 'skeleton', 'spider', 'creeper']) serv.mobBrains[name] = brain
}
