'use strict'
const { NOTABLE, invCounts, posOf, biomeAt } = require('./lib/core')

function observe (bot, { radius = 32 } = {}) {
  const here = bot.entity.position
  const nearby = {}
  const names = bot.registry.blocksArray
  const wanted = names.filter(b => Object.values(NOTABLE).some(f => f(b.name))).map(b => b.id)
  const found = bot.findBlocks({ matching: wanted, maxDistance: radius, count: 400 })
  for (const p of found) {
    const b = bot.blockAt(p)
    if (!b) continue
    const d = p.offset(0.5, 0.5, 0.5).distanceTo(here)
    const e = nearby[b.name]
    if (!e) nearby[b.name] = { count: 1, nearest: +d.toFixed(1), at: [p.x, p.y, p.z] }
    else {
      e.count += 1
      if (d < e.nearest) { e.nearest = +d.toFixed(1); e.at = [p.x, p.y, p.z] }
    }
  }
  const entities = {}
  for (const e of Object.values(bot.entities)) {
    if (e === bot.entity || !e.name || e.position.distanceTo(here) > radius) continue
    const d = +e.position.distanceTo(here).toFixed(1)
    if (!entities[e.name] || d < entities[e.name]) entities[e.name] = d
  }
  return {
    ok: true,
    reason: '',
    inventory: invCounts(bot),
    held: bot.heldItem?.name ?? null,
    pos: posOf(bot),
    y: Math.floor(here.y),
    biome: biomeAt(bot),
    timeOfDay: bot.time.timeOfDay,
    age: bot.time.age,
    health: bot.health,
    food: bot.food,
    blocks: nearby,
    entities,
    deaths: bot.gitm?.deaths ?? 0
  }
}

module.exports = { skill: observe }
