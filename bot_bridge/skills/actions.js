'use strict'
// gitm's action set (GITM's structured actions), each one call from Python; the skill for action <name> is
// skills/<name>.js, which exports it as `skill` (helpers shared by skills are in skills/lib/):
//   run(bot, name, argsJson, limitMs) -> JSON string {ok, reason, ...details, delta, pos, y, biome, ticks, wallMs}
// Every skill runs under a hard time limit; on expiry the bot is stopped (pathfinder, digging, controls)
// and the result says so. Skills never throw across the bridge: errors become {ok:false, reason}.
// Patterns follow Voyager's skill library (mineBlock, craftItem, smeltItem, exploreUntil) and Mindcraft.
const fs = require('fs')
const path = require('path')
const { pathfinder, Movements } = require('mineflayer-pathfinder')
const { PROTECTED, ActionFailed, sleep, posOf, invCounts, biomeAt, stopAll } = require('./lib/core')
const { skill: observe } = require('./observe')

// -- set-up ---------------------------------------------------------------------------------------

function setup (bot) {
  if (bot.gitm) return JSON.stringify({ ok: true })
  if (!bot.pathfinder) bot.loadPlugin(pathfinder)
  const registry = bot.registry
  const m = new Movements(bot)
  m.canDig = true
  m.allow1by1towers = true
  m.allowParkour = false // parkour jumps misjudge gaps and fall
  m.allowSprinting = true
  m.liquidCost = 5
  m.maxDropDown = 3
  m.infiniteLiquidDropdownDistance = false
  m.dontCreateFlow = true
  for (const name of PROTECTED) if (registry.blocksByName[name]) m.blocksCantBreak.add(registry.blocksByName[name].id)
  for (const name of ['lava', 'fire', 'magma_block', 'cactus', 'sweet_berry_bush', 'powder_snow']) {
    if (registry.blocksByName[name]) m.blocksToAvoid.add(registry.blocksByName[name].id)
  }
  m.scafoldingBlocks = ['dirt', 'cobblestone', 'cobbled_deepslate', 'netherrack', 'stone', 'andesite', 'diorite', 'granite']
    .filter(n => registry.itemsByName[n]).map(n => registry.itemsByName[n].id)
  bot.pathfinder.setMovements(m)
  bot.pathfinder.thinkTimeout = 8000
  bot.gitm = { movements: m, deaths: 0, lastDeath: null, placed: [], events: [] }
  bot.on('end', reason => { bot.gitm.ended = String(reason ?? 'ended') })
  bot.on('death', () => {
    bot.gitm.deaths += 1
    bot.gitm.lastDeath = { age: bot.time.age, pos: posOf(bot) }
  })
  return JSON.stringify({ ok: true })
}

// the skill named `name`: skills/<name>.js's export `skill` (null when there is none)
function skillFor (name) {
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) return null
  const file = path.join(__dirname, `${name}.js`)
  if (!fs.existsSync(file)) return null
  const mod = require(file)
  return typeof mod.skill === 'function' ? mod.skill : null
}

// -- the one entry point ----------------------------------------------------------------------------

async function run (bot, name, argsJson, limitMs = 60000) {
  const t0 = Date.now()
  const age0 = bot.time?.age ?? 0
  const deaths0 = bot.gitm?.deaths ?? 0
  let before = {}
  const result = { ok: false, reason: '', action: name }
  try {
    if (!bot.gitm) setup(bot)
    if (bot.gitm.ended) return JSON.stringify({ ok: false, reason: 'disconnected', disconnected: true, action: name })
    if (!bot.isAlive || bot.health <= 0) {
      // dead: mineflayer asks to respawn at once; give the server a moment, else have Python log in again
      try { bot.respawn() } catch (e) {}
      for (let i = 0; i < 30 && (!bot.isAlive || bot.health <= 0); i++) await sleep(100)
      if (!bot.isAlive || bot.health <= 0) {
        return JSON.stringify({ ok: false, reason: 'dead and not respawned', disconnected: true, dead: true, action: name })
      }
    }
    before = invCounts(bot)
    const args = typeof argsJson === 'string' ? JSON.parse(argsJson) : (argsJson ?? {})
    if (name === 'observe') return JSON.stringify({ ...observe(bot, args), action: name, ticks: 0, wallMs: Date.now() - t0 })
    const fn = skillFor(name)
    if (!fn) throw new ActionFailed(`unknown action ${name}`)
    args.deadline = t0 + limitMs
    let timer
    let onDeath
    let onEnd
    const expiry = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new ActionFailed(`time limit ${Math.round(limitMs / 1000)} s reached`)), limitMs)
      onDeath = () => reject(new ActionFailed('the bot died'))
      bot.once('death', onDeath)
      // the connection is gone: stop at once rather than blame the terrain ("stuck") when the time is up
      onEnd = reason => {
        const err = new ActionFailed(`the connection to the server ended (${reason ?? 'ended'})`)
        err.extra = { disconnected: true }
        reject(err)
      }
      bot.once('end', onEnd)
    })
    try {
      const details = await Promise.race([fn(bot, args), expiry])
      Object.assign(result, details ?? {}, { ok: true })
    } finally {
      clearTimeout(timer)
      bot.removeListener('death', onDeath)
      bot.removeListener('end', onEnd)
    }
  } catch (e) {
    result.ok = false
    result.reason = e instanceof ActionFailed ? e.message : `error: ${e && e.message}`
    if (e && e.extra) Object.assign(result, e.extra)
    if (!(e instanceof ActionFailed)) result.stack = String(e && e.stack).split('\n').slice(0, 4).join(' | ')
    stopAll(bot)
  }
  try {
    const after = invCounts(bot)
    const delta = {}
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const d = (after[k] || 0) - (before[k] || 0)
      if (d) delta[k] = d
    }
    const died = (bot.gitm?.deaths ?? 0) - deaths0
    Object.assign(result, {
      delta,
      inventory: after,
      pos: posOf(bot),
      y: bot.entity ? Math.floor(bot.entity.position.y + 0.01) : null,
      biome: biomeAt(bot),
      age: bot.time?.age ?? null,
      ticks: (bot.time?.age ?? 0) - age0,
      wallMs: Date.now() - t0,
      died
    })
    if (died && result.ok) { result.ok = false; result.reason = 'the bot died during the action' }
    if (died) {
      for (let i = 0; i < 30 && (!bot.isAlive || bot.health <= 0); i++) await sleep(100)
      result.respawned = Boolean(bot.isAlive && bot.health > 0)
    }
  } catch (e) {}
  return JSON.stringify(result)
}

module.exports = { setup, run, observe: (bot, radius) => JSON.stringify(observe(bot, { radius })) }
