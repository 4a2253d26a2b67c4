'use strict'
// Hunger as vanilla's FoodData (1.21.4): food 0..20, saturation 0..food, exhaustion 0..40. Each 4 exhaustion costs
// one saturation, or one food once saturation is gone (never on peaceful). Each player tick:
//   food 20 and saturation left, hurt: heal min(saturation, 6)/6 every 10 ticks for that much exhaustion;
//   food >= 18, hurt: heal 1 every 80 ticks for 6 exhaustion;
//   food 0: 1 starvation damage every 80 ticks while health > 10 (easy), > 1 (normal), always (hard).
// Peaceful (Player.aiStep): +1 health every 20 ticks and +1 food every 10 ticks.
// Exhaustion (Player / ServerPlayer): sprinting 0.1 per metre on the ground, swimming or walking in water 0.01 per
// metre, a jump 0.05 (0.2 sprinting), an attack 0.1, a block broken 0.005, damage its type's (playerHealth.js),
// healing as above, the Hunger effect 0.005 x (amplifier + 1) a tick; the Saturation effect feeds amplifier + 1 food a
// tick. Creative and spectator players get none. Players tick through a /tick freeze, as in vanilla.
const { touchesFluid, eyesInWater } = require('../lib/body')

const MAX_FOOD = 20
const MAX_EXHAUSTION = 40
const PEACEFUL = 0
const NORMAL = 2
const HARD = 3

module.exports.server = function (serv) {
  serv.savedPlayerFields = serv.savedPlayerFields ?? new Set()
  for (const field of ['foodSaturation', 'foodExhaustion', 'foodTickTimer']) serv.savedPlayerFields.add(field)
  serv.on('playerTick', () => {
    for (const player of serv.players) player.foodTick?.()
  })
}

module.exports.player = function (player, serv) {
  player.foodExhaustion = 0
  player.foodTickTimer = 0
  let ticks = 0 // the player's own tick count (peaceful regeneration runs on it)
  const HUNGER = serv.registry.effectsByName.Hunger?.id
  const SATURATION = serv.registry.effectsByName.Saturation?.id

  player.causeFoodExhaustion = amount => {
    if (player.isInvulnerable?.() || !(amount > 0)) return
    player.foodExhaustion = Math.min((player.foodExhaustion ?? 0) + amount, MAX_EXHAUSTION)
  }

  // FoodData.add, as eating does (eating.js): saturation can never exceed the food level
  player.eat = (nutrition, saturation) => {
    player.food = Math.max(0, Math.min(MAX_FOOD, player.food + nutrition))
    player.foodSaturation = Math.max(0, Math.min(player.food, (player.foodSaturation ?? 0) + saturation))
  }

  player.foodTick = () => {
    if (!player.bodyReady || player.disconnected || player.dead || !(player.health > 0)) return
    ticks++
    if (player.foodSaturation === undefined) player.foodSaturation = 5
    const difficulty = serv.difficulty
    const hunger = player.effects?.[HUNGER]
    if (hunger) player.causeFoodExhaustion(0.005 * (hunger.amplifier + 1)) // MobEffect HUNGER
    const saturation = player.effects?.[SATURATION]
    if (saturation) player.eat(saturation.amplifier + 1, (saturation.amplifier + 1) * 2) // eat(n, 1.0): n x 1.0 x 2
    if (difficulty === PEACEFUL) { // Player.aiStep, before FoodData.tick
      if (player.isHurt() && ticks % 20 === 0) player.heal(1)
      if (player.food < MAX_FOOD && ticks % 10 === 0) player.food++
    }
    if (player.foodExhaustion > 4) {
      player.foodExhaustion -= 4
      if (player.foodSaturation > 0) player.foodSaturation = Math.max(player.foodSaturation - 1, 0)
      else if (difficulty !== PEACEFUL) player.food = Math.max(player.food - 1, 0)
    }
    if (player.foodSaturation > 0 && player.isHurt() && player.food >= MAX_FOOD) {
      if (++player.foodTickTimer >= 10) {
        const spent = Math.min(player.foodSaturation, 6)
        player.heal(spent / 6)
        player.causeFoodExhaustion(spent)
        player.foodTickTimer = 0
      }
    } else if (player.food >= 18 && player.isHurt()) {
      if (++player.foodTickTimer >= 80) {
        player.heal(1)
        player.causeFoodExhaustion(6)
        player.foodTickTimer = 0
      }
    } else if (player.food <= 0) {
      if (++player.foodTickTimer >= 80) {
        if (player.health > 10 || difficulty === HARD || (player.health > 1 && difficulty === NORMAL)) {
          player.hurt(1, 'starve')
        }
        player.foodTickTimer = 0
      }
    } else {
      player.foodTickTimer = 0
    }
  }

  // ServerPlayer.checkMovementStatistics and the jump in handleMovePlayer.
  player.on('motion', ({ from, to, wasOnGround, onGround }) => {
    const dx = to.x - from.x
    const dy = to.y - from.y
    const dz = to.z - from.z
    if (wasOnGround && !onGround && dy > 0) player.causeFoodExhaustion(player.sprinting ? 0.2 : 0.05)
    const horizontal = Math.round(Math.sqrt(dx * dx + dz * dz) * 100) // centimetres, as vanilla's statistics
    if (touchesFluid(player, 'water', to)) {
      const metres = eyesInWater(player, to) ? Math.round(Math.sqrt(dx * dx + dy * dy + dz * dz) * 100) : horizontal
      player.causeFoodExhaustion(0.01 * metres * 0.01)
    } else if (onGround && player.sprinting) {
      player.causeFoodExhaustion(0.1 * horizontal * 0.01)
    }
  })

  player.on('dug', (data, cancelled) => { if (!cancelled) player.causeFoodExhaustion(0.005) })

  player._client.on('use_entity', ({ target, mouse }) => { // Player.attack
    if ((mouse === 1 || mouse === 'attack') && serv.entities[target] && serv.entities[target] !== player) {
      player.causeFoodExhaustion(0.1)
    }
  })

  player.on('requestRespawn', () => { // a fresh FoodData, as vanilla's new ServerPlayer
    player.food = 20
    player.foodSaturation = 5
    player.foodExhaustion = 0
    player.foodTickTimer = 0
  })
}
