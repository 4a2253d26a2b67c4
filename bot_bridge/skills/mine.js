'use strict'
const { fail, countOf, blockIds } = require('./lib/core')
const { canHarvestWithInventory, digBlock, collectDrops } = require('./lib/world')

// mine: find blocks of `blocks`, reach, dig with the best (or given) tool, collect drops,
// until the inventory holds `count` more of `items` (the drops that count).
async function mine (bot, { blocks, items, count = 1, tool = null, radius = 64, deadline }) {
  const ids = blockIds(bot, blocks)
  if (ids.length === 0) fail(`no block named ${blocks.join('/')}`)
  const start = countOf(bot, items)
  const bad = new Set()
  let dug = 0
  let failures = 0
  while (countOf(bot, items) - start < count) {
    if (Date.now() > deadline - 1500) fail(`timed out after mining ${countOf(bot, items) - start}/${count}`)
    const here = bot.entity.position
    const candidates = bot.findBlocks({ matching: ids, maxDistance: radius, count: 64 })
      .filter(p => !bad.has(p.toString()))
      // prefer blocks near the bot's own height (logs low on the trunk, ore not under our feet)
      .sort((a, b) => score(a) - score(b))
    function score (p) {
      const d = p.distanceTo(here)
      const dy = p.y - here.y
      return d + (dy > 3 ? 3 * (dy - 3) : 0) + (p.x === Math.floor(here.x) && p.z === Math.floor(here.z) && dy < 0 ? 2 : 0)
    }
    if (candidates.length === 0) {
      const got = countOf(bot, items) - start
      const label = blocks.find(b => !b.startsWith('deepslate_')) ?? blocks[0]
      const progress = got ? ` (mined ${got}/${count})` : ''
      if (bad.size > 0) fail(`could not reach any ${label} within ${radius} blocks (${bad.size} tried)${progress}`, { found: bad.size })
      fail(`no ${label} within ${radius} blocks${progress}`, { found: 0 })
    }
    const block = bot.blockAt(candidates[0])
    if (!block) { bad.add(candidates[0].toString()); continue }
    if (!canHarvestWithInventory(bot, block)) {
      const need = Object.keys(block.harvestTools).map(id => bot.registry.items[id].name)
      const order = ['wooden', 'stone', 'iron', 'golden', 'diamond', 'netherite']
      need.sort((a, b) => order.indexOf(a.split('_')[0]) - order.indexOf(b.split('_')[0]))
      const cheapest = need.find(n => !n.startsWith('golden')) ?? need[0]
      fail(`need ${cheapest} to mine ${block.name}`, { needTool: cheapest })
    }
    let ok = false
    try {
      ok = await digBlock(bot, block, tool, deadline)
    } catch (e) {
      ok = false
      bot.gitm.lastDigError = String(e && e.message)
    }
    if (!ok) {
      bad.add(block.position.toString())
      failures += 1
      if (failures > 12) fail(`could not reach any ${blocks.find(b => !b.startsWith('deepslate_')) ?? blocks[0]} (${failures} tried: ${bot.gitm.lastPathError ?? 'no path'})`)
      continue
    }
    dug += 1
    await collectDrops(bot, block.position.offset(0.5, 0.5, 0.5), 5, 5000)
  }
  return { dug }
}

module.exports = { skill: mine }
