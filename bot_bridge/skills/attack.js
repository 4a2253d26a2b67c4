'use strict'
const { goals } = require('mineflayer-pathfinder')
const { fail, sleep } = require('./lib/core')
const { goto, collectDrops } = require('./lib/world')

async function attack (bot, { entity, radius = 32, deadline }) {
  const target = bot.nearestEntity(e => e.name === entity && e.position.distanceTo(bot.entity.position) <= radius)
  if (!target) fail(`no ${entity} within ${radius} blocks`)
  const weapon = bot.inventory.items().find(i => i.name.endsWith('_sword')) ?? bot.inventory.items().find(i => i.name.endsWith('_axe'))
  if (weapon) await bot.equip(weapon, 'hand')
  let hits = 0
  while (bot.entities[target.id] && target.isValid !== false) {
    if (Date.now() > deadline - 1000) fail(`${entity} still alive after ${hits} hits`)
    if (target.position.distanceTo(bot.entity.position) > 3) {
      await goto(bot, new goals.GoalNear(target.position.x, target.position.y, target.position.z, 2), 5000)
    }
    if (target.position.distanceTo(bot.entity.position) <= 3.5) {
      await bot.lookAt(target.position.offset(0, (target.height ?? 1) * 0.8, 0), true)
      bot.attack(target)
      hits += 1
    }
    await sleep(650)
  }
  await collectDrops(bot, target.position, 6, 4000)
  return { hits }
}

module.exports = { skill: attack }
