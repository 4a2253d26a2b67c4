'use strict'
const { goals } = require('mineflayer-pathfinder')
const { fail } = require('./lib/core')
const { goto, placeItem, pickUp } = require('./lib/world')

// Sleep through the night: in a bed within `radius`, else in the held bed placed next to the bot (and picked up
// again after). The server skips the night once every player sleeps; the bot wakes in the morning.
async function sleepInBed (bot, { radius = 8, deadline }) {
  let bed = bot.findBlock({ matching: b => bot.isABed(b), maxDistance: radius })
  let placed = null
  if (!bed) {
    const held = bot.inventory.items().find(i => i.name.endsWith('_bed'))
    if (!held) fail(`no bed within ${radius} blocks and none held`)
    placed = bed = await placeItem(bot, held.name)
  }
  try {
    if (bed.position.offset(0.5, 0.5, 0.5).distanceTo(bot.entity.position) > 2.5) {
      await goto(bot, new goals.GoalNear(bed.position.x, bed.position.y, bed.position.z, 2), Math.min(15000, deadline - Date.now() - 20000))
    }
    try {
      await bot.sleep(bed)
    } catch (e) {
      fail(`cannot sleep: ${e.message}`)
    }
    const woke = new Promise(resolve => bot.once('wake', resolve))
    const late = new Promise(resolve => setTimeout(resolve, Math.max(0, deadline - Date.now() - 3000)))
    await Promise.race([woke, late])
    if (bot.isSleeping) {
      await bot.wake().catch(() => {})
      fail('the night did not pass (another player awake?)')
    }
    return { slept: true, timeOfDay: bot.time.timeOfDay }
  } finally {
    if (placed) await pickUp(bot, placed)
  }
}

module.exports = { skill: sleepInBed }
