'use strict'
const { goals } = require('mineflayer-pathfinder')
const conv = require('mineflayer/lib/conversions')
const { fail, sleep, itemIn, blockIds, invCounts, isMob } = require('./lib/core')
const { goto, collectDrops } = require('./lib/world')

const REACH = 3 // blocks, for a mob; a block is used from up to 4.5 (vanilla)
const FLUIDS = ['water', 'lava']

// Hold `object` and right-click the nearest `target` with it: a mob (shears on a sheep, a bucket on a cow), or a
// block (a bucket on a water or lava source: vanilla fills it from the item's use, aimed at the source). Fails
// when nothing came of it. `wool`: only a sheep of that colour (lib/core isMob).
async function use (bot, { object, target, entity = false, radius = 32, wool = null, deadline }) {
  if (!itemIn(bot, object)) fail(`no ${object} in inventory`)
  const near = p => p.distanceTo(bot.entity.position)
  const found = entity
    ? bot.nearestEntity(e => isMob(bot, e, [target], wool) && near(e.position) <= radius)
    : bot.findBlock({
      matching: blockIds(bot, [target]),
      maxDistance: radius,
      useExtraInfo: b => !FLUIDS.includes(b.name) || Number(b.getProperties().level) === 0 // a source
    })
  if (!found) fail(`no ${target} within ${radius} blocks`)
  const where = () => entity ? found.position : found.position.offset(0.5, 0.5, 0.5)
  const reach = entity ? REACH : 4
  if (near(where()) > reach - 0.5) {
    const p = where()
    await goto(bot, new goals.GoalNear(p.x, p.y, p.z, entity ? 1 : 2), Math.min(20000, deadline - Date.now() - 3000))
  }
  if (entity && !bot.entities[found.id]) fail(`the ${target} is gone`)
  if (near(where()) > reach + 0.5) fail(`could not reach the ${target}: ${bot.gitm.lastPathError ?? 'too far'}`)
  const before = invCounts(bot)
  await bot.equip(itemIn(bot, object), 'hand')
  if (entity) {
    await bot.lookAt(found.position.offset(0, (found.height ?? 1) * 0.6, 0), true)
    await bot.activateEntity(found)
  } else {
    await bot.lookAt(where(), true)
    useHeldItem(bot)
  }
  await sleep(500)
  await collectDrops(bot, where(), 5, 3000) // shearing drops its wool
  const after = invCounts(bot)
  const gained = Object.keys(after).filter(n => (after[n] || 0) > (before[n] || 0))
  if (!gained.length) fail(`using ${object} on the ${target} gave nothing`)
  return { gained }
}

// The held item's use (use_item) aimed where the bot looks: mineflayer 4.25's activateItem sends the 1.21.2+
// packet's rotation as 0, 0, which a vanilla server turns the player to before using the item.
function useHeldItem (bot) {
  bot._client.write('use_item', {
    hand: 0,
    sequence: 0,
    rotation: { x: conv.toNotchianYaw(bot.entity.yaw), y: conv.toNotchianPitch(bot.entity.pitch) }
  })
}

module.exports = { skill: use }
