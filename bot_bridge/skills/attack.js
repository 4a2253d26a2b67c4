'use strict'
const { goals } = require('mineflayer-pathfinder')
const { fail, sleep, itemIn, isMob } = require('./lib/core')
const { goto, collectDrops } = require('./lib/world')

const REACH = 3 // vanilla's attack reach is 3 blocks (survival)
const HIT_EVERY_MS = 650 // a sword's full-strength cooldown (1.6 attacks a second) and a little

// Chase the nearest such mob (a hit one flees) and hit it until it dies, holding `weapon` (the best one held, the
// action's check picks it), then pick up its drops where it fell. `wool`: only a sheep of that colour (lib/core isMob).
// Health falling below `retreatBelow` in the fight: break off (the caller flees or eats; a monster fights back). A
// fight begun that low goes on until the bot is hurt again (regeneration is slow: waiting gets the drop no nearer).
async function attack (bot, { entity, radius = 32, weapon = null, wool = null, retreatBelow = 0, deadline }) {
  const target = bot.nearestEntity(e => isMob(bot, e, [entity], wool) && e.position.distanceTo(bot.entity.position) <= radius)
  if (!target) fail(`no ${wool === null ? '' : 'unsheared sheep of that wool colour, no '}${entity} within ${radius} blocks`)
  const held = weapon && itemIn(bot, weapon)
  if (held) await bot.equip(held, 'hand')
  let hits = 0
  let last = target.position.clone()
  const retreatAt = Math.min(retreatBelow, bot.health)
  while (bot.entities[target.id] && target.isValid !== false) {
    if (Date.now() > deadline - 1500) fail(`${entity} still alive after ${hits} hits`, { hits })
    if (bot.health < retreatAt) fail(`broke off the fight with the ${entity} at health ${bot.health} after ${hits} hits`, { hits })
    last = target.position.clone()
    const d = last.distanceTo(bot.entity.position)
    if (d > radius * 1.5) fail(`${entity} got away (${d.toFixed(0)} blocks) after ${hits} hits`, { hits })
    if (d > REACH - 0.5) {
      await goto(bot, new goals.GoalNear(last.x, last.y, last.z, 1), Math.min(4000, deadline - Date.now() - 1500))
    }
    if (target.position.distanceTo(bot.entity.position) <= REACH) {
      await bot.lookAt(target.position.offset(0, (target.height ?? 1) * 0.8, 0), true)
      bot.attack(target)
      hits += 1
      await sleep(HIT_EVERY_MS)
    }
  }
  await collectDrops(bot, last, 6, 4000)
  return { hits, weapon: held ? held.name : 'hand' }
}

module.exports = { skill: attack }
