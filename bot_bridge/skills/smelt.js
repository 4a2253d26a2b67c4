'use strict'
const { fail, sleep, countOf, itemIn } = require('./lib/core')
const { station, pickUp } = require('./lib/world')

async function smelt (bot, { object, input, count = 1, fuel = null, fuels = [], keepStation = false, deadline }) {
  if (!itemIn(bot, input) || countOf(bot, [input]) < count) {
    fail(`missing ${count - countOf(bot, [input])} ${input} to smelt ${count} ${object}`,
      { missing: [{ item: input, count: count - countOf(bot, [input]) }] })
  }
  // fuels: [{item, perSmelt}] best first; pick the first we have enough of
  let fuelChoice = null
  for (const f of fuels) {
    const need = Math.ceil(count / f.smelts)
    if (countOf(bot, [f.item]) >= need) { fuelChoice = { item: f.item, n: need }; break }
  }
  if (fuel) {
    const f = fuels.find(x => x.item === fuel)
    fuelChoice = { item: fuel, n: f ? Math.ceil(count / f.smelts) : count }
  }
  if (!fuelChoice || countOf(bot, [fuelChoice.item]) < fuelChoice.n) {
    // name the requested fuel, else coal (the default a planner can mine)
    const want = fuelChoice ?? { item: 'coal', n: Math.ceil(count / 8) }
    const short = want.n - countOf(bot, [want.item])
    fail(`missing ${short} ${want.item} (fuel) to smelt ${count} ${object}`, { missing: [{ item: want.item, count: short }] })
  }
  const s = await station(bot, 'furnace', deadline)
  if (!s) fail(`need furnace to smelt ${object}`, { missing: [{ item: 'furnace', count: 1 }] })
  const start = countOf(bot, [object])
  try {
    const furnace = await bot.openFurnace(s.block)
    try {
      if (furnace.outputItem()) await furnace.takeOutput()
      await furnace.putFuel(bot.registry.itemsByName[fuelChoice.item].id, null, fuelChoice.n)
      await furnace.putInput(bot.registry.itemsByName[input].id, null, count)
      let taken = 0
      while (taken < count) {
        if (Date.now() > deadline - 3000) fail(`smelting timed out with ${taken}/${count} ${object}`)
        await sleep(500)
        const out = furnace.outputItem()
        if (out && (out.count >= count - taken || (!furnace.inputItem() && out.count > 0))) {
          const t = await furnace.takeOutput()
          taken += t?.count ?? out.count
        }
        if (!furnace.inputItem() && !furnace.outputItem()) break
      }
      // leftovers back into the inventory
      if (furnace.fuelItem()) { try { await furnace.takeFuel() } catch (e) {} }
      if (furnace.inputItem()) { try { await furnace.takeInput() } catch (e) {} }
    } finally {
      furnace.close()
    }
  } finally {
    if (s.placed && !keepStation) { await sleep(200); await pickUp(bot, s.block) }
  }
  const got = countOf(bot, [object]) - start
  if (got < count) fail(`smelted only ${got}/${count} ${object}`)
  return { fuel: fuelChoice.item }
}

module.exports = { skill: smelt }
