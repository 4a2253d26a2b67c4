'use strict'
// Shared by the skills that move, dig and place: goto with a watchdog, tools, drops, stations.
const { goals } = require('mineflayer-pathfinder')
const { Vec3 } = require('vec3')
const { PROTECTED, SIDES, DIRS, fail, sleep, itemIn, isDanger } = require('./core')

const STUCK_MS = 8000 // no movement of a block and no block dug for this long: stuck

// goto with its own time limit and a progress watchdog; resolves true/false instead of throwing.
// Stuck (no progress, or the pathfinder gave up without a path): re-path once, then (if `unstick`)
// dig through the block toward the goal, then fail with lastPathError "stuck at x,y,z: ...".
async function goto (bot, goal, ms = 30000, { unstick = true } = {}) {
  const end = Date.now() + ms
  const attempt = () => pathOnce(bot, goal, end - Date.now())
  let r = await attempt()
  if (r !== 'ok' && r !== 'failed') r = await attempt()
  if (unstick && r !== 'ok' && r !== 'failed' && await digThrough(bot, goal, end)) r = await attempt()
  if (r !== 'ok' && r !== 'failed') {
    const p = bot.entity.position.floored()
    const why = r === 'stuck' ? `no progress for ${STUCK_MS / 1000} s` : 'no path'
    bot.gitm.lastPathError = `stuck at ${p.x},${p.y},${p.z}: ${why}`
  }
  return r === 'ok'
}

// one pathfinder run: 'ok'; 'stuck' (the watchdog fired); 'nopath' (the pathfinder ended, with an empty
// path, away from the goal: it resolves then as if it had arrived); 'failed' (time out, stopped)
async function pathOnce (bot, goal, ms) {
  if (ms <= 0) { bot.gitm.lastPathError = 'goto timeout'; return 'failed' }
  let timer, watch
  let mark = bot.entity.position.clone()
  let markAt = Date.now()
  const onDug = () => { markAt = Date.now() }
  bot.on('diggingCompleted', onDug)
  try {
    await Promise.race([
      bot.pathfinder.goto(goal),
      new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error('goto timeout')), ms) }),
      new Promise((resolve, reject) => {
        watch = setInterval(() => {
          if (bot.entity.position.distanceTo(mark) >= 1) { mark = bot.entity.position.clone(); markAt = Date.now() }
          if (Date.now() - markAt >= STUCK_MS) reject(new Error('stuck'))
        }, 250)
      })
    ])
    const at = bot.entity.position.floored()
    return goal.isEnd(at) || goal.isEnd(at.offset(0, 1, 0)) ? 'ok' : 'nopath' // the pathfinder's own test
  } catch (e) {
    // stop() alone leaves a flag set when no path is active, and that flag then kills the NEXT goto
    // ("Path was stopped"); setGoal(null) resets the path and clears it.
    try { bot.pathfinder.stop(); bot.pathfinder.setGoal(null) } catch (_) {}
    try { bot.stopDigging() } catch (_) {}
    bot.gitm.lastPathError = String(e && e.message)
    return e?.message === 'stuck' ? 'stuck' : e?.name === 'NoPath' ? 'nopath' : 'failed'
  } finally {
    clearTimeout(timer)
    clearInterval(watch)
    bot.removeListener('diggingCompleted', onDug)
  }
}

// dig the feet and head blocks one step toward the goal (or the block above/below for a GoalY),
// unless they are stations, next to lava, or too slow to dig in the time left
async function digThrough (bot, goal, end) {
  const feet = bot.entity.position.floored()
  const gx = goal.x ?? goal.pos?.x
  const gz = goal.z ?? goal.pos?.z
  const gy = goal.y ?? goal.pos?.y
  const dx = gx === undefined ? 0 : gx - feet.x
  const dz = gz === undefined ? 0 : gz - feet.z
  let cells
  if (dx || dz) {
    const step = Math.abs(dx) >= Math.abs(dz) ? new Vec3(Math.sign(dx), 0, 0) : new Vec3(0, 0, Math.sign(dz))
    cells = [feet.plus(step), feet.plus(step).offset(0, 1, 0)]
  } else if (gy !== undefined && gy !== feet.y) {
    cells = [gy > feet.y ? feet.offset(0, 2, 0) : feet.offset(0, -1, 0)]
  } else return false
  let dug = 0
  for (const c of cells) {
    const b = bot.blockAt(c)
    if (!b || b.boundingBox !== 'block') continue
    if (PROTECTED.includes(b.name) || !b.diggable) return false
    if (SIDES.some(off => isDanger(bot.blockAt(c.offset(...off))))) return false
    const tool = bestToolFor(bot, b)
    if (b.digTime(tool?.type ?? null, false, false, false) > end - Date.now() - 1000) return false
    try { await equipFor(bot, b); await bot.dig(b, true); dug += 1 } catch (e) { return false }
  }
  return dug > 0
}

function bestToolFor (bot, block) {
  // the held-able item with the fastest dig time that can harvest the block
  let best = null
  let bestTime = block.digTime(null, false, false, false)
  for (const it of bot.inventory.items()) {
    if (!/_(pickaxe|axe|shovel|hoe|sword)$|^shears$/.test(it.name)) continue
    const t = block.digTime(it.type, false, false, false)
    const harvest = block.canHarvest(it.type)
    if (!harvest && block.harvestTools) continue
    if (t < bestTime) { best = it; bestTime = t }
  }
  return best
}

function canHarvestWithInventory (bot, block) {
  if (!block.harvestTools) return true
  return bot.inventory.items().some(it => block.canHarvest(it.type))
}

async function equipFor (bot, block, toolName) {
  let tool = toolName ? itemIn(bot, toolName) : null
  if (!tool) tool = bestToolFor(bot, block)
  if (tool && bot.heldItem?.name !== tool.name) await bot.equip(tool, 'hand')
}

function nearbyItems (bot, center, radius) {
  return Object.values(bot.entities).filter(e => e.name === 'item' && e.position.distanceTo(center) < radius)
}

// walk over dropped items near `center` so they are picked up
async function collectDrops (bot, center, radius = 6, ms = 6000) {
  const end = Date.now() + ms
  await sleep(250)
  for (let tries = 0; tries < 6 && Date.now() < end; tries++) {
    const items = nearbyItems(bot, center, radius)
      .filter(e => e.position.y > -70)
      .sort((a, b) => a.position.distanceTo(bot.entity.position) - b.position.distanceTo(bot.entity.position))
    if (items.length === 0) return
    const it = items[0]
    if (it.position.distanceTo(bot.entity.position) < 1.2) { await sleep(200); continue }
    const p = it.position
    await goto(bot, new goals.GoalNear(p.x, p.y, p.z, 0.8), Math.max(500, Math.min(4000, end - Date.now())), { unstick: false })
    await sleep(150)
  }
}

function reachable (bot, block) {
  return bot.entity.position.offset(0, bot.entity.eyeHeight ?? 1.62, 0).distanceTo(block.position.offset(0.5, 0.5, 0.5)) <= 4.4
}

async function digBlock (bot, block, toolName, deadline) {
  const current = bot.blockAt(block.position)
  if (!current || current.name !== block.name) return false
  await equipFor(bot, current, toolName)
  if (!reachable(bot, current)) {
    const ok = await goto(bot, new goals.GoalLookAtBlock(current.position, bot.world, { reach: 4 }),
      Math.max(1000, Math.min(30000, deadline - Date.now())))
    if (!ok && !reachable(bot, current)) return false
    await equipFor(bot, current, toolName)
  }
  const now = bot.blockAt(block.position)
  if (!now || now.name !== block.name) return false
  await bot.dig(now, true)
  return true
}

function freeSpotNear (bot) {
  // an air block (with air above) standing on a solid block, next to the bot but not where it stands
  const base = bot.entity.position.floored()
  const spots = []
  for (let dx = -2; dx <= 2; dx++) {
    for (let dz = -2; dz <= 2; dz++) {
      for (let dy = -1; dy <= 1; dy++) {
        if (Math.abs(dx) <= 0 && Math.abs(dz) <= 0) continue
        const p = base.offset(dx, dy, dz)
        const at = bot.blockAt(p)
        const below = bot.blockAt(p.offset(0, -1, 0))
        if (!at || !below) continue
        if (at.name !== 'air' && at.name !== 'cave_air') continue
        if (below.boundingBox !== 'block' || PROTECTED.includes(below.name)) continue
        // not inside the bot's body column
        if (dx === 0 && dz === 0) continue
        if (Math.abs(dx) <= 0.3 && Math.abs(dz) <= 0.3) continue
        spots.push({ p, below, d: Math.abs(dx) + Math.abs(dz) + Math.abs(dy) * 0.5 })
      }
    }
  }
  spots.sort((a, b) => a.d - b.d)
  return spots
}

async function placeItem (bot, name) {
  const it = itemIn(bot, name)
  if (!it) fail(`no ${name} in inventory`)
  const spots = freeSpotNear(bot)
  for (const { p, below } of spots.slice(0, 10)) {
    // the bot's own body would block the placement
    const feet = bot.entity.position.floored()
    if (p.x === feet.x && p.z === feet.z) continue
    try {
      await bot.equip(itemIn(bot, name), 'hand')
      await bot.lookAt(p.offset(0.5, 0.2, 0.5), true)
      await bot.placeBlock(below, new Vec3(0, 1, 0))
    } catch (e) {
      // placeBlock's event may time out although the block is there
    }
    await sleep(100)
    const now = bot.blockAt(p)
    if (now && now.name === name) return now
  }
  // no spot: dig one out (underground)
  for (const off of DIRS) {
    const p = bot.entity.position.floored().plus(off)
    const at = bot.blockAt(p)
    const below = bot.blockAt(p.offset(0, -1, 0))
    if (!at || !below || below.boundingBox !== 'block') continue
    if (at.name !== 'air' && !PROTECTED.includes(at.name) && at.diggable && at.boundingBox === 'block') {
      try { await equipFor(bot, at); await bot.dig(at, true) } catch (e) { continue }
    }
    if (bot.blockAt(p).name !== 'air') continue
    try {
      await bot.equip(itemIn(bot, name), 'hand')
      await bot.placeBlock(below, new Vec3(0, 1, 0))
    } catch (e) {}
    await sleep(100)
    if (bot.blockAt(p)?.name === name) return bot.blockAt(p)
  }
  fail(`no free spot to place ${name}`)
}

// a station (crafting_table / furnace) within 6 blocks, else the nearest within 16 walked to, else one placed
async function station (bot, name, deadline) {
  const id = bot.registry.blocksByName[name].id
  const near = bot.findBlock({ matching: id, maxDistance: 16 })
  if (near) {
    if (!reachable(bot, near)) {
      await goto(bot, new goals.GoalLookAtBlock(near.position, bot.world, { reach: 4 }), Math.min(20000, deadline - Date.now()))
    }
    if (reachable(bot, near)) return { block: bot.blockAt(near.position), placed: false }
  }
  if (!itemIn(bot, name)) return null
  const b = await placeItem(bot, name)
  return { block: b, placed: true }
}

async function pickUp (bot, block) {
  // dig our station back up (a furnace needs a pickaxe to drop) and collect it
  try {
    const b = bot.blockAt(block.position)
    if (!b || b.name !== block.name) return false
    if (b.harvestTools && !canHarvestWithInventory(bot, b)) return false
    await equipFor(bot, b)
    await bot.dig(b, true)
    await collectDrops(bot, b.position.offset(0.5, 0.5, 0.5), 4, 4000)
    return true
  } catch (e) { return false }
}

module.exports = {
  goto,
  pathOnce,
  digThrough,
  bestToolFor,
  canHarvestWithInventory,
  equipFor,
  nearbyItems,
  collectDrops,
  reachable,
  digBlock,
  freeSpotNear,
  placeItem,
  station,
  pickUp
}
