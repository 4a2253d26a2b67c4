'use strict'
// Shared by every skill: the failure type, constants, inventory and world read-outs.
const { Vec3 } = require('vec3')

const NOTABLE = {
  logs: n => n.endsWith('_log'),
  ores: n => n.endsWith('_ore'),
  water: n => n === 'water',
  lava: n => n === 'lava',
  stations: n => n === 'crafting_table' || n === 'furnace'
}
const PROTECTED = ['crafting_table', 'furnace', 'chest', 'bedrock']
const SIDES = [[0, 1, 0], [1, 0, 0], [-1, 0, 0], [0, 0, 1], [0, 0, -1], [0, -1, 0]]
const DIRS = [new Vec3(1, 0, 0), new Vec3(0, 0, 1), new Vec3(-1, 0, 0), new Vec3(0, 0, -1)] // turning order

class ActionFailed extends Error {}
const fail = (reason, extra = {}) => { const e = new ActionFailed(reason); e.extra = extra; throw e }
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

const posOf = bot => {
  const p = bot.entity?.position
  return p ? { x: +p.x.toFixed(2), y: +p.y.toFixed(2), z: +p.z.toFixed(2) } : null
}

function invCounts (bot) {
  const counts = {}
  for (const it of bot.inventory.items()) counts[it.name] = (counts[it.name] || 0) + it.count
  // the cursor slot (mid-craft) counts too, so a timeout never makes items look lost
  const cursor = bot.inventory.selectedItem
  if (cursor) counts[cursor.name] = (counts[cursor.name] || 0) + cursor.count
  return counts
}
const countOf = (bot, names) => {
  const c = invCounts(bot)
  return names.reduce((s, n) => s + (c[n] || 0), 0)
}
const itemIn = (bot, name) => bot.inventory.items().find(i => i.name === name)

let staticBiomes = null
function biomeAt (bot) {
  try {
    const b = bot.blockAt(bot.entity.position.floored())
    if (b?.biome?.name) return b.biome.name
    // the server's registry data leaves biome names empty: fall back on minecraft-data's table by id
    staticBiomes = staticBiomes ?? require('minecraft-data')(bot.version).biomes
    return staticBiomes[b?.biome?.id]?.name ?? null
  } catch (e) { return null }
}

function stopAll (bot) {
  try { bot.pathfinder.stop() } catch (e) {}
  try { bot.pathfinder.setGoal(null) } catch (e) {}
  try { bot.stopDigging() } catch (e) {}
  try { bot.clearControlStates() } catch (e) {}
  try { if (bot.currentWindow) bot.closeWindow(bot.currentWindow) } catch (e) {}
}

function blockIds (bot, names) {
  const ids = []
  for (const n of names) {
    const b = bot.registry.blocksByName[n]
    if (b) ids.push(b.id)
  }
  return ids
}

// A mob of one of `names`; with `wool` (a DyeColor id) only an unsheared sheep of that colour (its wool metadata
// keeps the colour in the low 4 bits and 0x10 when sheared).
function isMob (bot, e, names, wool = null) {
  if (!names.includes(e.name)) return false
  if (wool === null) return true
  const v = e.metadata?.[bot.registry.entitiesByName.sheep.metadataKeys.indexOf('wool')]
  return typeof v === 'number' && (v & 15) === wool && !(v & 0x10)
}

function isDanger (b) {
  return b && (b.name === 'lava' || b.name === 'fire' || b.name === 'magma_block')
}

module.exports = {
  NOTABLE,
  PROTECTED,
  SIDES,
  DIRS,
  ActionFailed,
  fail,
  sleep,
  posOf,
  invCounts,
  countOf,
  itemIn,
  biomeAt,
  stopAll,
  blockIds,
  isMob,
  isDanger
}
