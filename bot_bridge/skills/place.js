'use strict'
const { placeItem } = require('./lib/world')

async function place (bot, { object }) {
  const b = await placeItem(bot, object)
  bot.gitm.placed.push({ name: object, at: b.position })
  return { placedAt: [b.position.x, b.position.y, b.position.z] }
}

module.exports = { skill: place }
