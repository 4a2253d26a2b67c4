'use strict'
const { goals } = require('mineflayer-pathfinder')
const { fail } = require('./lib/core')
const { goto } = require('./lib/world')

async function goUp (bot, { y, deadline }) {
  const from = Math.floor(bot.entity.position.y + 0.01)
  if (from >= y) fail(`already at y=${from}, not below y=${y}: go_up only climbs`)
  const ok = await goto(bot, new goals.GoalY(y), deadline - Date.now() - 500)
  if (!ok && Math.floor(bot.entity.position.y) < y) fail(`could not climb to y=${y}: ${bot.gitm.lastPathError}`)
  return { reachedY: Math.floor(bot.entity.position.y) }
}

module.exports = { skill: goUp }
