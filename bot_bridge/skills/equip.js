'use strict'
const { fail, itemIn } = require('./lib/core')

async function equip (bot, { object, destination = 'hand' }) {
  const it = itemIn(bot, object)
  if (!it) fail(`no ${object} in inventory`)
  await bot.equip(it, destination)
  return { equipped: object }
}

module.exports = { skill: equip }
