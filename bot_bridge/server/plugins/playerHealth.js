'use strict'
// A player's health as vanilla's LivingEntity/Player/ServerPlayer keep it. flying-squid only had updateHealth (and
// /kill); the survival plugins (hunger, eating, fallDamage, lavaAndFire, drowning, beds) hurt and heal through here:
//   player.hurt(amount, damageType[, { attacker }]) -> whether it hurt: the damage type's food exhaustion, the
//     difficulty scaling of mob damage, the 20-tick invulnerability after a hit (a second hit in its first half only
//     deals what it adds), a damage_event to the player and those near (Mineflayer's 'entityHurt'), waking a sleeper;
//   player.heal(amount), capped at 20;
//   update_health is sent at the end of a player tick when health, food or "saturation is zero" changed, as vanilla's
//     ServerPlayer.doTick does (flying-squid's updateHealth/updateFood still send at once);
//   death (health reaches 0 by any path, /kill included): the death message (death_combat_event to the player, system
//     chat to everyone), entity event 3, the inventory dropped where the player died (keepInventory is false).
//     Mineflayer then asks to respawn: respawn.js; each survival plugin resets its own state on 'requestRespawn'.
// serv.savedPlayerFields: names of player fields kept in the player's saved record (playerState.js) beside its own.
const { Vec3 } = require('vec3')
const { toNbt } = require('../lib/text')

const MAX_HEALTH = 20
const INVULNERABLE_TICKS = 20
const DROP_PICKUP_MS = 2000 // vanilla: 40 ticks for items a player throws or drops
const DROP_DESPAWN_MS = 5 * 60 * 1000
const PEACEFUL = 0
const EASY = 1
const HARD = 3

function damageTypesOf (registry) {
  const entries = registry.loginPacket.dimensionCodec['minecraft:damage_type'].entries
  // the registry_data packet lists them in this order: a damage_event names a type by its index
  return Object.fromEntries(entries.map(({ key, value }, id) => [key.replace(/^minecraft:/, ''), {
    id,
    exhaustion: value.value.exhaustion.value,
    messageId: value.value.message_id.value,
    scaling: value.value.scaling.value
  }]))
}

module.exports.server = function (serv) {
  serv.damageTypes = damageTypesOf(serv.registry)
  serv.savedPlayerFields = serv.savedPlayerFields ?? new Set()
  // Registered once every plugin is in, so after their own player-tick work: the health sync closes the tick.
  serv.once('pluginsReady', () => serv.on('playerTick', () => {
    for (const player of serv.players) player.endBodyTick?.()
  }))
}

module.exports.player = function (player, serv) {
  const types = serv.damageTypes
  const itemEntity = serv.registry.entitiesByName.item.id
  let lastSent = { health: NaN, food: NaN, saturationZero: false }
  player.invulnerableTime = 0
  player.lastHurt = 0
  player.lastDamage = null // { type, attacker } of the last hurt, for the death message

  function sendHealth () {
    if (player.foodSaturation === undefined) player.foodSaturation = 5 // vanilla's FoodData starts at 5
    player._client.write('update_health', { health: player.health, food: player.food, foodSaturation: player.foodSaturation })
    lastSent = { health: player.health, food: player.food, saturationZero: player.foodSaturation === 0 }
  }

  // flying-squid's health.js defines these after our plugins are injected: replace them once all are ('asap').
  player.once('asap', () => {
    player.updateHealth = health => { player.health = health; sendHealth(); checkDeath() }
    player.updateFood = food => { player.food = food; sendHealth() }
    player.updateFoodSaturation = saturation => { player.foodSaturation = saturation; sendHealth() }
  })

  const alive = () => player.health > 0 && !player.dead
  player.isInvulnerable = () => player.gameMode === 1 || player.gameMode === 3 // creative, spectator

  function difficultyScaled (amount, type, attacker) {
    const scales = type.scaling === 'always' ||
      (type.scaling === 'when_caused_by_living_non_player' && attacker && attacker.type !== 'player')
    if (!scales) return amount
    if (serv.difficulty === PEACEFUL) return 0
    if (serv.difficulty === EASY) return Math.min(amount / 2 + 1, amount)
    if (serv.difficulty === HARD) return amount * 3 / 2
    return amount
  }

  player.hurt = (amount, typeName, { attacker } = {}) => {
    const type = types[typeName] ?? types.generic
    const bypasses = typeName === 'out_of_world' || typeName === 'generic_kill'
    if (!alive() || (player.isInvulnerable() && !bypasses)) return false
    amount = difficultyScaled(amount, type, attacker)
    if (amount <= 0) return false
    if (player.sleepingPos) player.stopSleeping?.()
    let dealt = amount
    let fresh = true
    if (player.invulnerableTime > INVULNERABLE_TICKS / 2) {
      if (amount <= player.lastHurt) return false
      dealt = amount - player.lastHurt
      fresh = false
    } else {
      player.invulnerableTime = INVULNERABLE_TICKS
    }
    player.lastHurt = amount
    player.lastDamage = { type: typeName, attacker }
    player.causeFoodExhaustion?.(type.exhaustion)
    player.health = Math.max(0, player.health - dealt)
    if (fresh) {
      const event = {
        entityId: player.id,
        sourceTypeId: type.id,
        sourceCauseId: attacker ? attacker.id + 1 : 0,
        sourceDirectId: attacker ? attacker.id + 1 : 0,
        sourcePosition: undefined
      }
      player._client.write('damage_event', event)
      player._writeOthersNearby('damage_event', event)
    }
    checkDeath()
    return true
  }

  player.heal = amount => {
    if (!alive()) return
    player.health = Math.min(MAX_HEALTH, player.health + amount)
  }
  player.isHurt = () => player.health > 0 && player.health < MAX_HEALTH

  // The end of the player's tick (vanilla's ServerPlayer.doTick): count down the hit cool-down, then tell the client.
  player.endBodyTick = () => {
    if (!player.bodyReady || player.disconnected) return
    if (player.invulnerableTime > 0) player.invulnerableTime--
    const saturationZero = player.foodSaturation === 0
    if (player.health !== lastSent.health || player.food !== lastSent.food || saturationZero !== lastSent.saturationZero) {
      sendHealth()
    }
  }

  function deathMessage () {
    const { type, attacker } = player.lastDamage ?? { type: 'generic' }
    const name = { text: player.username }
    if (type === 'fall') return { translate: 'death.fell.accident.generic', with: [name] }
    const key = `death.attack.${(types[type] ?? types.generic).messageId}`
    return attacker
      ? { translate: `${key}.player`, with: [name, { text: attacker.username ?? attacker.name ?? 'entity' }] }
      : { translate: key, with: [name] }
  }

  function dropInventory () {
    const slots = player.inventory.slots
    for (let slot = 5; slot <= 45; slot++) { // armour, main inventory, hotbar, offhand
      const item = slots[slot]
      if (!item) continue
      const angle = Math.random() * Math.PI * 2
      const push = Math.random() * 2
      const velocity = new Vec3(Math.cos(angle) * push, 4, Math.sin(angle) * push)
      try {
        serv.spawnObject(itemEntity, player.world, player.position.offset(0, 1.3, 0), {
          velocity, itemId: item.type, itemCount: item.count, pickupTime: DROP_PICKUP_MS, deathTime: DROP_DESPAWN_MS
        })
      } catch (err) { // flying-squid refuses new entities past `max-entities`
        serv.warn?.(`[playerHealth] ${err.message}`)
      }
      player.inventory.updateSlot(slot, null)
    }
  }

  function checkDeath () {
    if (player.health > 0 || player.dead || !player.bodyReady) return
    player.dead = true
    if (player.sleepingPos) player.stopSleeping?.()
    const message = toNbt(deathMessage())
    player._client.write('death_combat_event', { playerId: player.id, message })
    for (const other of serv.players) other._client.write('system_chat', { content: message, isActionBar: false })
    player._client.write('entity_status', { entityId: player.id, entityStatus: 3 })
    player._writeOthersNearby('entity_status', { entityId: player.id, entityStatus: 3 })
    dropInventory()
    player.emit('died')
  }

  player.on('requestRespawn', () => {
    player.dead = false
    player.invulnerableTime = 0
    player.lastHurt = 0
    player.lastDamage = null
    player.foodSaturation = 5
  })

  player.once('spawned', () => {
    player.bodyReady = true
    lastSent = { health: player.health, food: player.food, saturationZero: player.foodSaturation === 0 }
  })
}
