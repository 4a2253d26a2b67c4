'use strict'
// collect: pick up dropped items of `object` lying within `radius` (walking over them), and when none lies about, wait
// by the nearest of the `near` mobs that lay them (chickens lay eggs) until one is laid. Fails with 'no ...' when
// neither an item nor such a mob is near, and as waiting when the time runs out by a mob that has laid nothing yet.
const { goals } = require('mineflayer-pathfinder')
const { fail, sleep, countOf } = require('./lib/core')
const { goto } = require('./lib/world')

const WAIT_BY = 4 // blocks from the mob waited by
const POLL_MS = 1000

async function collect (bot, { object, near = [], radius = 32, deadline }) {
  const start = countOf(bot, [object])
  const got = () => countOf(bot, [object]) - start
  const dist = e => e.position.distanceTo(bot.entity.position)
  const timeLeft = () => deadline - Date.now()
  const unreachable = new Set()
  const holds = e => { try { return e.getDroppedItem()?.name === object } catch (err) { return false } }
  const lying = () => Object.values(bot.entities)
    .filter(e => e.name === 'item' && !unreachable.has(e.id) && dist(e) <= radius && holds(e))
    .sort((a, b) => dist(a) - dist(b))

  while (timeLeft() > 2000) {
    const [item] = lying()
    if (item) {
      const p = item.position
      await goto(bot, new goals.GoalNear(p.x, p.y, p.z, 0.8), Math.max(500, Math.min(20000, timeLeft() - 1500)), { unstick: false })
      await sleep(400) // the pickup
      if (bot.entities[item.id] && dist(item) > 1.5) unreachable.add(item.id)
      continue
    }
    if (got() > 0) return { collected: got() }
    const mob = near.length ? bot.nearestEntity(e => near.includes(e.name) && dist(e) <= radius) : null
    if (!mob) fail(`no ${object} lying within ${radius} blocks${near.length ? ` and no ${near.join('/')} near` : ''}`)
    if (dist(mob) > WAIT_BY + 2) {
      const p = mob.position
      await goto(bot, new goals.GoalNear(p.x, p.y, p.z, WAIT_BY), Math.max(500, Math.min(15000, timeLeft() - 1500)), { unstick: false })
    }
    await sleep(POLL_MS)
  }
  if (got() > 0) return { collected: got() }
  fail(`still waiting: no ${object} laid by the ${near.join('/') || 'mobs'} near yet`, { waiting: true })
}

module.exports = { skill: collect }
