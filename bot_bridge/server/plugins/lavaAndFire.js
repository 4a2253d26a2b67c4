'use strict'
// Burning, as vanilla's Entity.baseTick / lavaHurt: a player touching lava is set on fire for 15 s (300 ticks) and
// hurt 4 (damage type lava; the 20-tick cool-down in playerHealth.js makes that every 10 ticks), and its fall distance
// halves each tick; inside a fire block 1 (soul fire 2, type in_fire) and 8 s of fire; standing on magma without
// sneaking 1 (hot_floor). While burning and out of lava, 1 (on_fire) every 20 ticks. Water puts the fire out. The
// entity metadata's on-fire flag shows it (with the crouching and sprinting flags vanilla keeps beside it). Below
// the world (64 under its floor) the void hurts 4 every tick. Fire resistance or creative/spectator: no burns.
// Not modelled: rain putting the fire out, armour, Fire Protection.
const { blockAt, touchesFluid, blocksTouched } = require('../lib/body')

const LAVA_FIRE_TICKS = 300
const FIRE_BLOCK_FIRE_TICKS = 160
const FIRE_DAMAGE = { fire: 1, soul_fire: 2 }
const VOID_Y = -64 - 64 // the overworld's floor, less vanilla's 64

module.exports.server = function (serv) {
  serv.savedPlayerFields = serv.savedPlayerFields ?? new Set()
  serv.savedPlayerFields.add('fireTicks')
  serv.on('playerTick', () => {
    for (const player of serv.players) player.fireTick?.()
  })
}

module.exports.player = function (player, serv) {
  const fireResistance = serv.registry.effectsByName.FireResistance?.id
  player.fireTicks = 0
  let shownFlags = 0 // the shared flags the clients were last told (0 until then, as they assume)

  const fireImmune = () => player.isInvulnerable() || Boolean(player.effects?.[fireResistance])
  const ignite = ticks => { if (player.fireTicks < ticks) player.fireTicks = ticks }

  function showFlags () {
    const flags = (player.fireTicks > 0 ? 0x01 : 0) | (player.crouching ? 0x02 : 0) | (player.sprinting ? 0x08 : 0)
    if (flags === shownFlags) return
    shownFlags = flags
    const metadata = [{ key: 0, type: 'byte', value: flags }]
    player._client.write('entity_metadata', { entityId: player.id, metadata })
    player._writeOthersNearby('entity_metadata', { entityId: player.id, metadata })
  }

  player.fireTick = () => {
    if (!player.bodyReady || player.disconnected || player.dead || !(player.health > 0)) return
    const inLava = touchesFluid(player, 'lava')
    if (touchesFluid(player, 'water')) player.fireTicks = 0
    for (const block of blocksTouched(player)) {
      const damage = FIRE_DAMAGE[block.name]
      if (damage === undefined || fireImmune()) continue
      ignite(FIRE_BLOCK_FIRE_TICKS)
      player.hurt(damage, 'in_fire')
    }
    const below = blockAt(player.world, player.position.offset(0, -0.2, 0))
    if (below?.name === 'magma_block' && player.reportedOnGround && !player.crouching && !fireImmune()) {
      player.hurt(1, 'hot_floor')
    }
    if (player.fireTicks > 0) {
      if (fireImmune()) player.fireTicks = Math.max(0, player.fireTicks - 4)
      else {
        if (player.fireTicks % 20 === 0 && !inLava) player.hurt(1, 'on_fire')
        player.fireTicks--
      }
    }
    if (inLava) {
      if (!fireImmune()) {
        ignite(LAVA_FIRE_TICKS)
        player.hurt(4, 'lava')
      }
      player.fallDistance *= 0.5
    }
    if (player.position.y < VOID_Y) player.hurt(4, 'out_of_world')
    if (player.dead) player.fireTicks = 0
    showFlags()
  }

  player.on('requestRespawn', () => { player.fireTicks = shownFlags = 0 }) // the client's new entity starts unflagged
}
