'use strict'
const { goals } = require('mineflayer-pathfinder')
const { fail } = require('./lib/core')
const { goto } = require('./lib/world')

async function approach (bot, { object, distance = 2, radius = 64, deadline }) {
  const b = bot.registry.blocksByName[object]
  let target = null
  if (b) {
    const found = bot.findBlock({ matching: b.id, maxDistance: radius })
    if (found) target = found.position.offset(0.5, 0.5, 0.5)
  }
  if (!target) {
    const e = bot.nearestEntity(en => en.name === object && en.position.distanceTo(bot.entity.position) <= radius)
    if (e) target = e.position
  }
  if (!target) fail(`no ${object} within ${radius} blocks`)
  const ok = await goto(bot, new goals.GoalNear(target.x, target.y, target.z, distance), deadline - Date.now())
  if (!ok && bot.entity.position.distanceTo(target) > distance + 1) fail(`could not reach ${object}: ${bot.gitm.lastPathError}`)
  return { distance: +bot.entity.position.distanceTo(target).toFixed(1) }
}

module.exports = { skill: approach }
