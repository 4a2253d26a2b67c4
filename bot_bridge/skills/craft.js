'use strict'
const { fail, sleep, countOf } = require('./lib/core')
const { station, pickUp } = require('./lib/world')

function missingFor (bot, recipe, times) {
  const have = {}
  for (const it of bot.inventory.items()) have[it.type] = (have[it.type] || 0) + it.count
  const missing = []
  for (const d of recipe.delta) {
    if (d.count >= 0) continue
    const need = -d.count * times
    const got = have[d.id] || 0
    if (got < need) missing.push({ item: bot.registry.items[d.id].name, count: need - got })
  }
  return missing
}

// materials: item names the recipe must use (validated in Python), e.g. birch_planks for sticks
async function craft (bot, { object, count = 1, materials = [], keepStation = false, deadline }) {
  const item = bot.registry.itemsByName[object]
  if (!item) fail(`unknown item ${object}`)
  const start = countOf(bot, [object])
  const wanted = materials.map(m => bot.registry.itemsByName[m].id)
  const uses = r => wanted.every(id => r.delta.some(d => d.count < 0 && d.id === id))
  const all = bot.recipesAll(item.id, null, true).filter(uses)
  if (all.length === 0) fail(`${object} has no crafting recipe`)
  const per = all[0].result.count
  const times = Math.ceil(count / per)
  // the table unless a recipe of the 2x2 grid can be made now (white_bed: 3 wool and planks at a table, or a bed
  // of another colour dyed in the grid)
  const needsTable = all.some(r => r.requiresTable) && bot.recipesFor(item.id, null, count, null).filter(uses).length === 0
  let table = null
  let placed = false
  if (needsTable) {
    const s = await station(bot, 'crafting_table', deadline)
    if (!s) fail(`need crafting_table to craft ${object}`, { missing: [{ item: 'crafting_table', count: 1 }] })
    table = s.block
    placed = s.placed
  }
  try {
    const usable = bot.recipesFor(item.id, null, count, table).filter(uses) // count: of the result, not crafts
    if (usable.length === 0) {
      // report what the cheapest recipe lacks
      const total = m => m.reduce((s, x) => s + x.count, 0) + 0.1 * m.filter(x => !x.item.startsWith('oak_') && /_(planks|log)$/.test(x.item)).length
      const best = all.map(r => missingFor(bot, r, times)).sort((a, b) => total(a) - total(b))[0]
      const text = best.map(m => `${m.count} ${m.item}`).join(', ')
      fail(`missing ${text} to craft ${count} ${object}`, { missing: best })
    }
    let lastErr = null
    for (const r of usable) {
      try {
        await bot.craft(r, times, table ?? undefined)
        lastErr = null
        break
      } catch (e) { lastErr = e }
    }
    if (lastErr) fail(`crafting ${object} failed: ${lastErr.message}`)
    await sleep(100)
    const got = countOf(bot, [object]) - start
    if (got < count) fail(`crafted only ${got}/${count} ${object}`)
  } finally {
    if (placed && !keepStation && table) await pickUp(bot, table)
  }
  return { usedTable: Boolean(table), placedTable: placed }
}

module.exports = { skill: craft }
