'use strict'
const { goals } = require('mineflayer-pathfinder')
const { PROTECTED, DIRS, fail, sleep, countOf, isDanger } = require('./lib/core')
const { goto, equipFor } = require('./lib/world')

// dig straight down (1x1) to feet level y, refusing to open into lava; sidesteps around danger
// until: {items, count} stops early once the inventory holds count of items (dig for cobblestone on the way)
async function digDown (bot, { y, tool = null, until = null, deadline }) {
  // a no-op is no success: a planner told "ok" repeats it (SmolLM2 looped go_up to its own y)
  const from = Math.floor(bot.entity.position.y + 0.01)
  if (from <= y) fail(`already at y=${from}, not above y=${y}: dig_down only goes down`)
  let sidesteps = 0
  let airSince = null
  while (Math.floor(bot.entity.position.y + 0.01) > y) {
    if (Date.now() > deadline - 1500) fail(`timed out digging down at y=${Math.floor(bot.entity.position.y)}`)
    if (until && countOf(bot, until.items) >= until.count) return { reachedY: Math.floor(bot.entity.position.y + 0.01), stoppedEarly: true }
    const feet = bot.entity.position.floored()
    const below = bot.blockAt(feet.offset(0, -1, 0))
    const below2 = bot.blockAt(feet.offset(0, -2, 0))
    if (!below) fail('world below not loaded')
    let danger = isDanger(below) || isDanger(below2) || below.name === 'bedrock'
    for (const off of [[1, -1, 0], [-1, -1, 0], [0, -1, 1], [0, -1, -1]]) {
      if (isDanger(bot.blockAt(feet.offset(...off)))) danger = true
    }
    if (below.name === 'water') danger = true
    if (danger) {
      if (below.name === 'bedrock') fail(`bedrock at y=${feet.y - 1}`)
      if (++sidesteps > 6) fail(`lava or water below at y=${feet.y - 1}; could not get around it`)
      // step sideways (digging a 1x2 opening) and go on from there
      if (!(await sidestep(bot, feet, tool))) fail(`lava or water below at y=${feet.y - 1}; no way around`)
      continue
    }
    if (below.boundingBox === 'empty') {
      // falling: wait until we land; standing on an edge without falling: step into the hole
      airSince = airSince ?? Date.now()
      if (Date.now() - airSince > 2000) {
        await goto(bot, new goals.GoalBlock(feet.x, feet.y - 1, feet.z), 3000)
        if (Date.now() - airSince > 8000) fail(`stuck above a hole at y=${feet.y}`)
      }
      await sleep(200)
      continue
    }
    airSince = null
    if (PROTECTED.includes(below.name) && below.diggable) {
      // standing on a station (its own crafting table): step off it and dig there, never dig the station
      if (++sidesteps > 6 || !(await sidestep(bot, feet, tool))) fail(`cannot dig ${below.name} at y=${feet.y - 1}; no way around`)
      continue
    }
    if (!below.diggable) fail(`cannot dig ${below.name} at y=${feet.y - 1}`)
    // center on the block so we fall into the hole
    const cx = feet.x + 0.5
    const cz = feet.z + 0.5
    if (Math.abs(bot.entity.position.x - cx) > 0.25 || Math.abs(bot.entity.position.z - cz) > 0.25) {
      await goto(bot, new goals.GoalBlock(feet.x, feet.y, feet.z), 2000)
    }
    await equipFor(bot, below, tool)
    await bot.lookAt(below.position.offset(0.5, 0.5, 0.5), true)
    await bot.dig(below, true)
    // wait to land (at most ~1.5 s)
    const target = feet.y - 1
    for (let i = 0; i < 15 && bot.entity.position.y > target + 0.05; i++) await sleep(100)
  }
  return { reachedY: Math.floor(bot.entity.position.y + 0.01) }
}

// step to a safe neighbouring column (digging a 1x2 opening into it): true once there
async function sidestep (bot, feet, tool) {
  for (const dir of [...DIRS].sort(() => Math.random() - 0.5)) {
    const n = feet.plus(dir)
    const floor = bot.blockAt(n.offset(0, -1, 0))
    if (!floor || isDanger(floor) || floor.boundingBox !== 'block') continue
    let ok = true
    for (const c of [n, n.offset(0, 1, 0)]) {
      const b = bot.blockAt(c)
      if (isDanger(b) || b.name === 'water' || PROTECTED.includes(b.name)) { ok = false; break }
      if (b.boundingBox === 'block') {
        try { await equipFor(bot, b, tool); await bot.dig(b, true) } catch (e) { ok = false; break }
      }
    }
    if (!ok) continue
    if (await goto(bot, new goals.GoalBlock(n.x, n.y, n.z), 4000)) return true
  }
  return false
}

module.exports = { skill: digDown }
