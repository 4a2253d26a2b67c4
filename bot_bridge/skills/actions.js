'use strict'
// gitm's action set (GITM's structured actions), each one call from Python:
//   run(bot, name, argsJson, limitMs) -> JSON string {ok, reason, ...details, delta, pos, y, biome, ticks, wallMs}
// Every skill runs under a hard time limit; on expiry the bot is stopped (pathfinder, digging, controls)
// and the result says so. Skills never throw across the bridge: errors become {ok:false, reason}.
// Patterns follow Voyager's skill library (mineBlock, craftItem, smeltItem, exploreUntil) and Mindcraft.
const { pathfinder, Movements, goals } = require('mineflayer-pathfinder')
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

// -- helpers ----------------------------------------------------------------------------------------

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

// -- observation ------------------------------------------------------------------------------------

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

// -- actions ----------------------------------------------------------------------------------------

async function equip (bot, { object, destination = 'hand' }) {
  const it = itemIn(bot, object)
  if (!it) fail(`no ${object} in inventory`)
  await bot.equip(it, destination)
  return { equipped: object }
}

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

async function place (bot, { object }) {
  const b = await placeItem(bot, object)
  bot.gitm.placed.push({ name: object, at: b.position })
  return { placedAt: [b.position.x, b.position.y, b.position.z] }
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
  const needsTable = all.every(r => r.requiresTable)
  let table = null
  let placed = false
  if (needsTable) {
    const s = await station(bot, 'crafting_table', deadline)
    if (!s) fail(`need crafting_table to craft ${object}`, { missing: [{ item: 'crafting_table', count: 1 }] })
    table = s.block
    placed = s.placed
  }
  try {
    const usable = bot.recipesFor(item.id, null, times, table).filter(uses)
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

async function smelt (bot, { object, input, count = 1, fuel = null, fuels = [], keepStation = false, deadline }) {
  if (!itemIn(bot, input) || countOf(bot, [input]) < count) {
    fail(`missing ${count - countOf(bot, [input])} ${input} to smelt ${count} ${object}`,
      { missing: [{ item: input, count: count - countOf(bot, [input]) }] })
  }
  // fuels: [{item, perSmelt}] best first; pick the first we have enough of
  let fuelChoice = null
  for (const f of fuels) {
    const need = Math.ceil(count / f.smelts)
    if (countOf(bot, [f.item]) >= need) { fuelChoice = { item: f.item, n: need }; break }
  }
  if (fuel) {
    const f = fuels.find(x => x.item === fuel)
    fuelChoice = { item: fuel, n: f ? Math.ceil(count / f.smelts) : count }
  }
  if (!fuelChoice || countOf(bot, [fuelChoice.item]) < fuelChoice.n) {
    // name the requested fuel, else coal (the default a planner can mine)
    const want = fuelChoice ?? { item: 'coal', n: Math.ceil(count / 8) }
    const short = want.n - countOf(bot, [want.item])
    fail(`missing ${short} ${want.item} (fuel) to smelt ${count} ${object}`, { missing: [{ item: want.item, count: short }] })
  }
  const s = await station(bot, 'furnace', deadline)
  if (!s) fail(`need furnace to smelt ${object}`, { missing: [{ item: 'furnace', count: 1 }] })
  const start = countOf(bot, [object])
  try {
    const furnace = await bot.openFurnace(s.block)
    try {
      if (furnace.outputItem()) await furnace.takeOutput()
      await furnace.putFuel(bot.registry.itemsByName[fuelChoice.item].id, null, fuelChoice.n)
      await furnace.putInput(bot.registry.itemsByName[input].id, null, count)
      let taken = 0
      while (taken < count) {
        if (Date.now() > deadline - 3000) fail(`smelting timed out with ${taken}/${count} ${object}`)
        await sleep(500)
        const out = furnace.outputItem()
        if (out && (out.count >= count - taken || (!furnace.inputItem() && out.count > 0))) {
          const t = await furnace.takeOutput()
          taken += t?.count ?? out.count
        }
        if (!furnace.inputItem() && !furnace.outputItem()) break
      }
      // leftovers back into the inventory
      if (furnace.fuelItem()) { try { await furnace.takeFuel() } catch (e) {} }
      if (furnace.inputItem()) { try { await furnace.takeInput() } catch (e) {} }
    } finally {
      furnace.close()
    }
  } finally {
    if (s.placed && !keepStation) { await sleep(200); await pickUp(bot, s.block) }
  }
  const got = countOf(bot, [object]) - start
  if (got < count) fail(`smelted only ${got}/${count} ${object}`)
  return { fuel: fuelChoice.item }
}

async function approach (bot, { object, distance = 2, radius = 64, deadline }) {
  const b = bot.registry.blocksByName[object]
  let target = null
  if (b) {
    const found = bot.findBlock({ matching: b.id, maxDistance: radius })
    if (found) target = found.position.offset(0.5, 0.5, 0.5)
  }
  if (!target) {
    const e = bot.nearestEntity(en => en.name === object && en.position.distanceTo(bot.entity.position) <= radius)
    if (e) target = e.position
  }
  if (!target) fail(`no ${object} within ${radius} blocks`)
  const ok = await goto(bot, new goals.GoalNear(target.x, target.y, target.z, distance), deadline - Date.now())
  if (!ok && bot.entity.position.distanceTo(target) > distance + 1) fail(`could not reach ${object}: ${bot.gitm.lastPathError}`)
  return { distance: +bot.entity.position.distanceTo(target).toFixed(1) }
}

// surface: walk legs in one direction (turning when blocked) until a target block is in sight range;
// underground: staircase down to `y` (the ore's height) when well above it, then tunnel (branch mine)
async function explore (bot, { object, blocks = null, strategy = 'surface', radius = 32, y = null, deadline }) {
  const ids = blockIds(bot, blocks ?? [object])
  const look = () => (ids.length ? bot.findBlock({ matching: ids, maxDistance: radius }) : null)
  const startPos = bot.entity.position.clone()
  const descend = strategy === 'underground' && y !== null && feetY(bot) > y + STAIR_SLACK
  // findBlock sees through stone: from high up an ore "found" 30 blocks down is no use, so descend first
  let found = descend ? null : look()
  if (found) return { found: [found.position.x, found.position.y, found.position.z], walked: 0 }
  if (strategy === 'underground') {
    const stairs = descend ? await staircase(bot, { y, deadline }) : {}
    try {
      return { ...stairs, ...await branchMine(bot, { ids, object, radius, deadline }) }
    } catch (e) {
      if (e instanceof ActionFailed && stairs.stairStopped) e.message += `; staircase ${stairs.stairStopped}`
      if (e instanceof ActionFailed) e.extra = { ...stairs, ...e.extra }
      throw e
    }
  }
  let angle = Math.random() * 2 * Math.PI
  let legs = 0
  while (Date.now() < deadline - 2000) {
    const p = bot.entity.position
    const gx = p.x + 24 * Math.cos(angle)
    const gz = p.z + 24 * Math.sin(angle)
    const ok = await goto(bot, new goals.GoalNearXZ(gx, gz, 3), Math.min(20000, deadline - Date.now() - 1000))
    legs += 1
    found = look()
    if (found) {
      return { found: [found.position.x, found.position.y, found.position.z], walked: +bot.entity.position.distanceTo(startPos).toFixed(1) }
    }
    angle += ok ? (Math.random() - 0.5) * 0.8 : Math.PI / 2 + Math.random()
  }
  fail(`explored ${legs} legs (${bot.entity.position.distanceTo(startPos).toFixed(0)} blocks) without finding ${object}`)
}

function isDanger (b) {
  return b && (b.name === 'lava' || b.name === 'fire' || b.name === 'magma_block')
}

const feetY = bot => Math.floor(bot.entity.position.y + 0.01)
// explore underground within this many blocks above the target y tunnels where it is (gitm's executor
// digs down to the ore's y itself first, and dig_down only stops above it at bedrock)
const STAIR_SLACK = 6
const LIQUIDS = ['water', 'lava', 'bubble_column']
const isLiquid = b => Boolean(b) && (LIQUIDS.includes(b.name) || b.getProperties?.().waterlogged === true)
const FALLING = ['sand', 'red_sand', 'gravel', 'suspicious_sand', 'suspicious_gravel']

// why the stair cannot go one step down in `dir` from `feet` (null: it can). A step clears the column
// ahead at head, feet and step height (3 high, so the bot can jump back up it) and needs a solid floor.
function stairBlocked (bot, feet, dir) {
  const col = feet.plus(dir)
  const cells = [col.offset(0, 1, 0), col, col.offset(0, -1, 0)]
  const floor = bot.blockAt(col.offset(0, -2, 0))
  const above = bot.blockAt(col.offset(0, 2, 0))
  if (!floor || !above) return 'world not loaded'
  if (floor.boundingBox !== 'block' || isLiquid(floor) || isDanger(floor)) return `no floor (${floor.name}) at y=${floor.position.y}`
  if (FALLING.includes(above.name)) return `${above.name} overhead`
  for (const c of cells) {
    const b = bot.blockAt(c)
    if (!b) return 'world not loaded'
    if (isLiquid(b) || isDanger(b)) return `${b.name} ahead`
    if (b.boundingBox === 'block' && (PROTECTED.includes(b.name) || !b.diggable)) return `${b.name} ahead`
    // digging must not open the stair to lava or water next to it
    for (const off of SIDES) {
      const n = bot.blockAt(c.offset(...off))
      if (isLiquid(n) || isDanger(n)) return `${n.name} next to the stair`
    }
  }
  return null
}

// walk straight into the dug column ahead and drop onto its step: the pathfinder's planning costs more
// than the move itself on a 1-wide stair
async function stepInto (bot, step) {
  const p = bot.entity.position
  await bot.lookAt(new Vec3(step.x + 0.5, p.y + 1.6, step.z + 0.5), true)
  bot.setControlState('forward', true)
  try {
    for (let i = 0; i < 30; i++) {
      await sleep(50)
      const at = bot.entity.position.floored()
      if (at.equals(step) && bot.entity.onGround) return true
    }
    return false
  } finally {
    bot.setControlState('forward', false)
  }
}

// a 1-wide stair down to feet level y, turning where blocked; never digs into or next to lava/water and
// never onto a step without a solid floor. Blocked on all four sides: stops there (stairStopped says why).
async function staircase (bot, { y, deadline }) {
  const from = feetY(bot)
  let d = Math.floor(Math.random() * 4)
  let turns = 0
  let why = null
  let lastStepMs = 0
  while (feetY(bot) > y) {
    const t = Date.now()
    if (t > deadline - Math.max(3000, 2 * lastStepMs)) { // stop with a reason before the hard limit cuts a step
      fail(`staircase down reached y=${feetY(bot)} of ${y} within the time limit; explore again to go on`,
        { stairFrom: from, reachedY: feetY(bot) })
    }
    const feet = bot.entity.position.floored()
    why = stairBlocked(bot, feet, DIRS[d])
    if (!why) {
      const col = feet.plus(DIRS[d])
      try {
        for (const c of [col.offset(0, 1, 0), col, col.offset(0, -1, 0)]) { // top first: nothing falls in
          const b = bot.blockAt(c)
          if (b.boundingBox === 'block') { await equipFor(bot, b); await bot.dig(b, true) }
        }
      } catch (e) { why = `dig failed: ${e.message}` }
      if (!why && !await stepInto(bot, col.offset(0, -1, 0))) why = 'could not step down'
    }
    if (!why) { turns = 0; lastStepMs = Date.now() - t; continue }
    if (++turns >= 4) break
    d = (d + 1) % 4
  }
  const out = { stairFrom: from, stairTo: feetY(bot) }
  if (feetY(bot) > y) out.stairStopped = `blocked on every side at y=${feetY(bot)} (last: ${why}); tunnelling from there`
  return out
}

// tunnel 1x2 forward, turning every `leg` blocks, until a target is within `radius`
async function branchMine (bot, { ids, object, radius, deadline, leg = 24 }) {
  let d = Math.floor(Math.random() * 4)
  let dug = 0
  let step = 0
  const startPos = bot.entity.position.clone()
  while (Date.now() < deadline - 2000) {
    const found = bot.findBlock({ matching: ids, maxDistance: radius })
    if (found) return { found: [found.position.x, found.position.y, found.position.z], tunnelled: dug }
    const feet = bot.entity.position.floored()
    const dir = DIRS[d]
    const next = feet.plus(dir)
    const cells = [next, next.offset(0, 1, 0)]
    let blocked = false
    for (const c of cells) {
      const b = bot.blockAt(c)
      if (!b) { blocked = true; break }
      // lava next to the tunnel or above: turn instead
      if (SIDES.some(off => isDanger(bot.blockAt(c.offset(...off))))) blocked = true
      if (blocked || b.boundingBox === 'empty') continue
      if (PROTECTED.includes(b.name) || !b.diggable) { blocked = true; break }
      try { await equipFor(bot, b); await bot.dig(b, true); dug += 1 } catch (e) { blocked = true; break }
    }
    const floor = bot.blockAt(next.offset(0, -1, 0))
    if (!blocked && floor && floor.boundingBox !== 'block') {
      // a hole ahead: put a block in it if we can, else turn
      const fill = bot.inventory.items().find(i => ['cobblestone', 'cobbled_deepslate', 'dirt'].includes(i.name))
      if (fill && !isDanger(floor)) {
        try {
          await bot.equip(fill, 'hand')
          const ref = bot.blockAt(feet.offset(0, -1, 0))
          await bot.placeBlock(ref, dir)
        } catch (e) { blocked = true }
      } else blocked = true
    }
    if (blocked) { d = (d + 1) % 4; step = 0; continue }
    await goto(bot, new goals.GoalBlock(next.x, next.y, next.z), 4000)
    step += 1
    if (step >= leg) { d = (d + (Math.random() < 0.5 ? 1 : 3)) % 4; step = 0 }
  }
  fail(`branch-mined ${dug} blocks (${bot.entity.position.distanceTo(startPos).toFixed(0)} from start) without finding ${object}`)
}

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
      let moved = false
      for (const dir of [...DIRS].sort(() => Math.random() - 0.5)) {
        const n = feet.plus(dir)
        const floor = bot.blockAt(n.offset(0, -1, 0))
        if (!floor || isDanger(floor) || floor.boundingBox !== 'block') continue
        let ok = true
        for (const c of [n, n.offset(0, 1, 0)]) {
          const b = bot.blockAt(c)
          if (isDanger(b) || b.name === 'water') { ok = false; break }
          if (b.boundingBox === 'block') {
            try { await equipFor(bot, b, tool); await bot.dig(b, true) } catch (e) { ok = false; break }
          }
        }
        if (!ok) continue
        if (await goto(bot, new goals.GoalBlock(n.x, n.y, n.z), 4000)) { moved = true; break }
      }
      if (!moved) fail(`lava or water below at y=${feet.y - 1}; no way around`)
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
    if (!below.diggable || PROTECTED.includes(below.name)) fail(`cannot dig ${below.name} at y=${feet.y - 1}`)
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

async function goUp (bot, { y, deadline }) {
  const from = Math.floor(bot.entity.position.y + 0.01)
  if (from >= y) fail(`already at y=${from}, not below y=${y}: go_up only climbs`)
  const ok = await goto(bot, new goals.GoalY(y), deadline - Date.now() - 500)
  if (!ok && Math.floor(bot.entity.position.y) < y) fail(`could not climb to y=${y}: ${bot.gitm.lastPathError}`)
  return { reachedY: Math.floor(bot.entity.position.y) }
}

async function attack (bot, { entity, radius = 32, deadline }) {
  const target = bot.nearestEntity(e => e.name === entity && e.position.distanceTo(bot.entity.position) <= radius)
  if (!target) fail(`no ${entity} within ${radius} blocks`)
  const weapon = bot.inventory.items().find(i => i.name.endsWith('_sword')) ?? bot.inventory.items().find(i => i.name.endsWith('_axe'))
  if (weapon) await bot.equip(weapon, 'hand')
  let hits = 0
  while (bot.entities[target.id] && target.isValid !== false) {
    if (Date.now() > deadline - 1000) fail(`${entity} still alive after ${hits} hits`)
    if (target.position.distanceTo(bot.entity.position) > 3) {
      await goto(bot, new goals.GoalNear(target.position.x, target.position.y, target.position.z, 2), 5000)
    }
    if (target.position.distanceTo(bot.entity.position) <= 3.5) {
      await bot.lookAt(target.position.offset(0, (target.height ?? 1) * 0.8, 0), true)
      bot.attack(target)
      hits += 1
    }
    await sleep(650)
  }
  await collectDrops(bot, target.position, 6, 4000)
  return { hits }
}

async function eat (bot, { food }) {
  const it = itemIn(bot, food)
  if (!it) fail(`no ${food} in inventory`)
  if (bot.food >= 20) fail('not hungry (food is 20)')
  await bot.equip(it, 'hand')
  await bot.consume()
  return { food: bot.food }
}

const ACTIONS = { equip, mine, craft, smelt, place, approach, explore, dig_down: digDown, go_up: goUp, attack, eat }

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
    const fn = ACTIONS[name]
    if (!fn) throw new ActionFailed(`unknown action ${name}`)
    args.deadline = t0 + limitMs
    let timer
    let onDeath
    const expiry = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new ActionFailed(`time limit ${Math.round(limitMs / 1000)} s reached`)), limitMs)
      onDeath = () => reject(new ActionFailed('the bot died'))
      bot.once('death', onDeath)
    })
    try {
      const details = await Promise.race([fn(bot, args), expiry])
      Object.assign(result, details ?? {}, { ok: true })
    } finally {
      clearTimeout(timer)
      bot.removeListener('death', onDeath)
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
