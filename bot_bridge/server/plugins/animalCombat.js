'use strict'
// Hitting and killing animals (animals.js) as vanilla 1.21.4 does. A player's attack (use_entity attack) deals the
// held item's attack damage scaled by the attack cooldown (Player.attack: 0.2 + 0.8 * strength^2, the strength
// recharging over 20 / attack speed ticks since the last attack or item switch); a hit lands fully once the
// animal's 10 invulnerable ticks have passed (a stronger hit during them adds only the difference: no knockback, no
// hurt animation); a full hit sends damage_event (the client's hurt animation and sound), knocks the animal 0.4 away
// from the attacker (entity_velocity) and makes it panic. At 0 health: entity_status 3 (death), the dying pose, the
// loot popped out as item entities (lib/mobs.js: minecraft-data's entity loot with vanilla's counts), and the
// body removed 20 ticks later (animals.js). flying-squid's pvp dealt 1 damage to anything and deleted dead mobs
// without telling clients.
// Monsters (monsters.js) are hurt the same way, but a hit makes them fight back (mob.provoke, HurtByTargetGoal)
// instead of panicking, and loot marked "killed by a player" (the spider's eye, the zombie's rare iron) drops only if
// a player hit it in the last 100 ticks (LivingEntity.lastHurtByPlayerTime). Other damage (sunlight fire, a creeper's
// explosion) comes through serv.hurtAnimal with its damage type.
const { Vec3 } = require('vec3')
const mobRules = require('../lib/mobs')
const { attackDamage } = require('../lib/mobs')
const { dropItem } = require('../lib/itemDrops')

const INVULNERABLE_TICKS = 20 // LivingEntity.invulnerableTime set by a hit; only its second half accepts full hits
const KNOCKBACK = 0.4
const REACH = 6 // vanilla: entity interaction range 3 plus its 3-block allowance, from the eyes to the hit box
const EYE_HEIGHT = 1.62

module.exports.server = function (serv) {
  const rules = mobRules(serv.registry)
  const damageTypes = serv.registry.loginPacket?.dimensionCodec?.['minecraft:damage_type']?.entries ?? []
  const damageType = key => Math.max(0, damageTypes.findIndex(e => e.key === `minecraft:${key}`))
  const PLAYER_ATTACK = damageType('player_attack')
  const GENERIC_KILL = damageType('generic_kill')
  const PLAYER_KILL_TICKS = 100

  serv.on('tick', () => { // world ticks only: a frozen world keeps its timers
    for (const mob of serv.mobs ?? []) {
      if (mob.invulnerableTime > 0) mob.invulnerableTime--
      if (mob.playerHurtTicks > 0) mob.playerHurtTicks--
    }
  })

  // LivingEntity.knockback(0.4, attacker - mob): half the old motion plus 0.4 away, a hop if on the ground.
  function knockback (mob, attacker) {
    let dx = attacker.position.x - mob.position.x
    let dz = attacker.position.z - mob.position.z
    if (dx * dx + dz * dz < 1e-5) {
      dx = Math.random() - 0.5
      dz = Math.random() - 0.5
    }
    const len = Math.hypot(dx, dz)
    const m = mob.motion
    m.x = m.x / 2 - dx / len * KNOCKBACK
    m.z = m.z / 2 - dz / len * KNOCKBACK
    if (mob.onGround) m.y = Math.min(0.4, m.y / 2 + KNOCKBACK)
    const units = c => Math.max(-32768, Math.min(32767, Math.round(c * 8000))) // 1/8000 block per tick
    mob.writeWatchers('entity_velocity', { entityId: mob.id, velocity: { x: units(m.x), y: units(m.y), z: units(m.z) } })
  }

  function die (mob) {
    mob.dead = true
    mob.target = null
    mob.writeWatchers('entity_status', { entityId: mob.id, entityStatus: 3 })
    mob.sendMetadata() // health 0, dying pose
    // Mob.spawnAtLocation: each stack at the body, pushed up 0.2 and up to 0.1 sideways per tick.
    const killedByPlayer = mob.playerHurtTicks > 0
    for (const drop of rules.drops(mob.name, { color: mob.color, sheared: mob.sheared, killedByPlayer }, mob.rng.next)) {
      const velocity = new Vec3((mob.rng.next() * 0.2 - 0.1) * 20, 0.2 * 20, (mob.rng.next() * 0.2 - 0.1) * 20)
      dropItem(serv, mob.world, mob.position.offset(0, 0.1, 0), drop, velocity)
    }
  }

  // Hurt `mob` by `amount` from `attacker` (a player, a mob, or null); true if it took damage. `type`: the damage
  // type the clients are told (the player's attack by default when a player hits, else generic_kill).
  serv.hurtAnimal = (mob, amount, attacker, { bypassInvulnerability = false, type } = {}) => {
    if (!mob.animal || mob.dead || mob.removed || !(amount > 0)) return false
    let full = true
    if (!bypassInvulnerability && mob.invulnerableTime > INVULNERABLE_TICKS / 2) {
      if (amount <= mob.lastHurt) return false
      mob.health -= amount - mob.lastHurt
      mob.lastHurt = amount
      full = false
    } else {
      mob.health -= amount
      mob.lastHurt = amount
      mob.invulnerableTime = INVULNERABLE_TICKS
    }
    mob.health = Math.max(0, mob.health)
    if (full) {
      const source = attacker ? attacker.id + 1 : 0 // 0: none, else the entity id + 1
      mob.writeWatchers('damage_event', {
        entityId: mob.id,
        sourceTypeId: type ? damageType(type) : attacker?.type === 'player' ? PLAYER_ATTACK : GENERIC_KILL,
        sourceCauseId: source,
        sourceDirectId: source,
        sourcePosition: undefined
      })
      if (attacker) knockback(mob, attacker)
    }
    if (attacker?.type === 'player') mob.playerHurtTicks = PLAYER_KILL_TICKS
    if (mob.hostile) mob.provoke?.(attacker)
    else mob.panic(attacker?.position)
    if (mob.health <= 0) die(mob)
    else mob.sendMetadata()
    return true
  }
}

module.exports.player = function (player, serv) {
  const { registry } = serv
  let charged = 0 // serv.serverTicks at the last attack or held-item switch (players tick through a freeze)
  player._client.on('held_item_slot', () => { charged = serv.serverTicks ?? 0 })

  // pvp.js turns an attack packet into the 'attack' behaviour; animals are ours.
  player.on('attack_cancel', ({ attackedEntity: mob }, cancel) => {
    if (!mob?.animal) return
    cancel(false)
    if (mob.dead || player.gameMode === 3) return
    const eyes = player.position.offset(0, EYE_HEIGHT, 0)
    const reach = REACH + Math.max(mob.kind.width, mob.kind.height)
    if (eyes.distanceTo(mob.position.offset(0, mob.kind.height / 2, 0)) > reach) return
    const held = player.inventory.slots[36 + player.heldItemSlot]
    const ticks = (serv.serverTicks ?? 0) - charged
    charged = serv.serverTicks ?? 0
    serv.hurtAnimal(mob, attackDamage(held ? registry.items[held.type]?.name : null, ticks), player)
  })
}
