'use strict'
const { fail, itemIn } = require('./lib/core')

async function eat (bot, { food }) {
  const it = itemIn(bot, food)
  if (!it) fail(`no ${food} in inventory`)
  if (bot.food >= 20) fail('not hungry (food is 20)')
  await bot.equip(it, 'hand')
  await bot.consume()
  return { food: bot.food }
}

module.exports = { skill: eat }
