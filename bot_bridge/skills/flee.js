'use strict'
const { goals } = require('mineflayer-pathfinder')
const { fail } = require('./lib/core')
const { goto } = require('./lib/world')

const HOSTILE = e => e.type === 'hostile' || e.kind === 'Hostile mobs'

// Run until every hostile mob within `distance` is at least that far away (the pathfinder's inverted goal: away
// from the nearest one, again while one is near).
async function flee (bot, { distance = 16, deadline }) {
  const near = () => bot.nearestEntity(e => HOSTILE(e) && e.position.distanceTo(bot.entity.position) < distance)
  let legs = 0
  for (let threat = near(); threat; threat = near()) {
    if (Date.now() > deadline - 1500) fail(`${threat.name} still within ${distance} blocks`)
    const away = new goals.GoalInvert(new goals.GoalFollow(threat, distance))
    await goto(bot, away, Math.min(6000, deadline - Date.now() - 1000), { unstick: false })
    legs += 1
  }
  return { legs }
}

module.exports = { skill: flee }
