'use strict'
// Fall damage, as vanilla's Entity.checkFallDamage / LivingEntity.causeFallDamage: while the client reports the player
// off the ground, each drop adds to player.fallDistance; on landing it deals ceil((fallDistance - 3) x the landing
// block's multiplier) (a bed 0.5, hay or honey 0.2, slime 0 unless sneaking). Water, a climbable block, a cobweb,
// powder snow or a berry bush resets the distance (no damage into water); lava halves it each tick (lavaAndFire.js).
// A server teleport (/tp, respawn) starts a fresh fall (playerMotion.js). Creative and spectator players take none.
const { blockAt, touchesFluid, blocksTouched } = require('../lib/body')

const SAFE_FALL_DISTANCE = 3
const LANDING_MULTIPLIER = { hay_block: 0.2, honey_block: 0.2 }
const BREAKS_FALL = new Set(['ladder', 'vine', 'scaffolding', 'twisting_vines', 'twisting_vines_plant', 'weeping_vines',
  'weeping_vines_plant', 'cave_vines', 'cave_vines_plant', 'cobweb', 'powder_snow', 'sweet_berry_bush'])

module.exports.server = function (serv) {
  serv.savedPlayerFields = serv.savedPlayerFields ?? new Set()
  serv.savedPlayerFields.add('fallDistance')
}

module.exports.player = function (player) {
  player.fallDistance = 0

  function multiplierOn (landing) {
    if (!landing) return 1
    if (landing.name.endsWith('_bed')) return 0.5
    if (landing.name === 'slime_block') return player.crouching ? 1 : 0
    return LANDING_MULTIPLIER[landing.name] ?? 1
  }

  player.on('motion', ({ from, to, onGround }) => {
    if (player.isInvulnerable() || touchesFluid(player, 'water', to) ||
        blocksTouched(player, to).some(block => BREAKS_FALL.has(block.name))) {
      player.fallDistance = 0
      return
    }
    if (onGround) {
      if (player.fallDistance > 0) {
        const landing = blockAt(player.world, to.offset(0, -0.2, 0)) // vanilla's getOnPosLegacy
        const damage = Math.ceil((player.fallDistance - SAFE_FALL_DISTANCE) * multiplierOn(landing))
        if (damage > 0) player.hurt(damage, 'fall')
      }
      player.fallDistance = 0
    } else if (to.y < from.y) {
      player.fallDistance += from.y - to.y
    }
  })

  player.on('requestRespawn', () => { player.fallDistance = 0 })
}
