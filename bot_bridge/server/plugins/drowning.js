'use strict'
// Drowning, as vanilla's LivingEntity.baseTick: with the eyes under water (not in a bubble column) the air supply
// (300 ticks) drops by 1 each tick; when it reaches -20 it is set back to 0 and the player takes 2 (drown), so
// once out of air every second. Out of water it refills by 4 a tick. The entity metadata's air_supply shows it to the
// client (Mineflayer's bot.oxygenLevel, 'breath' event). Water breathing, creative and spectator: no loss.
// Not modelled: Respiration, conduit power.
const { blockAt, eyesInWater, EYE_HEIGHT } = require('../lib/body')

const MAX_AIR = 300
const AIR_SUPPLY = 1 // entity metadata index

module.exports.server = function (serv) {
  serv.savedPlayerFields = serv.savedPlayerFields ?? new Set()
  serv.savedPlayerFields.add('air')
  serv.on('playerTick', () => {
    for (const player of serv.players) player.airTick?.()
  })
}

module.exports.player = function (player, serv) {
  const waterBreathing = serv.registry.effectsByName.WaterBreathing?.id
  player.air = MAX_AIR
  let shown = MAX_AIR // what clients were told (they start at the maximum)

  function show () {
    if (player.air === shown) return
    shown = player.air
    const metadata = [{ key: AIR_SUPPLY, type: 'int', value: player.air }]
    player._client.write('entity_metadata', { entityId: player.id, metadata })
    player._writeOthersNearby('entity_metadata', { entityId: player.id, metadata })
  }

  player.airTick = () => {
    if (!player.bodyReady || player.disconnected || player.dead || !(player.health > 0)) return
    const eyes = blockAt(player.world, player.position.offset(0, EYE_HEIGHT, 0))
    if (eyesInWater(player) && eyes?.name !== 'bubble_column') {
      if (!player.isInvulnerable() && !player.effects?.[waterBreathing]) {
        player.air--
        if (player.air === -20) {
          player.air = 0
          player.hurt(2, 'drown')
        }
      }
    } else if (player.air < MAX_AIR) {
      player.air = Math.min(player.air + 4, MAX_AIR)
    }
    show()
  }

  player.on('requestRespawn', () => { player.air = shown = MAX_AIR }) // the client's new entity starts full
  player.once('spawned', () => { // a player saved under water comes back with the air it had
    shown = MAX_AIR
    show()
  })
}
