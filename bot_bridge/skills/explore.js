'use strict'
const { goals } = require('mineflayer-pathfinder')
const { Vec3 } = require('vec3')
const { PROTECTED, SIDES, DIRS, ActionFailed, fail, sleep, blockIds, isMob, isDanger } = require('./lib/core')
const { goto, equipFor } = require('./lib/world')

// surface: walk legs in one direction (turning when blocked) until a target block is in sight range, climbing out
// first when under a roof (after a mine, walking tunnels finds no water or trees);
// underground: staircase down to `y` (the ore's height) when well above it, then tunnel (branch mine)
// entities: mobs' names instead of blocks, any of them will do. The client knows the mobs the server tracks, far
// beyond sight (a player hears and glimpses them), so go to the one known quickest to reach until one is within
// radius: walk (the surface) until a stair down can reach it, then staircase towards it (on the surface, after
// climbing out). None known: on the surface walk legs; underground (monsters, in the caves' dark by day), staircase
// down to `y`, by default MOB_DEPTH below the surface when the sky is in view, then tunnel until one is within
// radius.
// `wool`: only a sheep of that colour (lib/core isMob).
async function explore (bot, { object, blocks = null, entities = null, wool = null, strategy = 'surface', radius = 32, y = null, deadline }) {
  const ids = entities ? [] : blockIds(bot, blocks ?? [object])
  const nearMob = () => bot.nearestEntity(e => isMob(bot, e, entities, wool) && e.position.distanceTo(bot.entity.position) <= radius)
  const look = () => entities ? nearMob() : (ids.length ? bot.findBlock({ matching: ids, maxDistance: radius }) : null)
  const startPos = bot.entity.position.clone()
  // on the surface under a roof: climb out first (for a block, unless one is within radius already)
  const climbed = strategy === 'surface' && !skyInView(bot) && (entities || !look()) ? await climbOut(bot, deadline) : {}
  if (entities) {
    const known = () => nearestToReach(bot, e => isMob(bot, e, entities, wool))
    if (known()) return { ...climbed, ...await approach(bot, known, radius, deadline) }
    if (strategy === 'underground' && y === null && skyInView(bot)) y = feetY(bot) - MOB_DEPTH
  }
  const descend = strategy === 'underground' && y !== null && feetY(bot) > y + STAIR_SLACK
  // findBlock sees through stone: from high up an ore "found" 30 blocks down is no use, so descend first
  let found = descend ? null : look()
  if (found) return { found: at(found), ...named(found), ...climbed, walked: 0 }
  if (strategy === 'underground') {
    const stairs = descend ? await staircase(bot, { y, deadline }) : {}
    try {
      return { ...stairs, ...await branchMine(bot, { look, object, deadline }) }
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
      return { found: at(found), ...named(found), ...climbed, walked: +bot.entity.position.distanceTo(startPos).toFixed(1) }
    }
    angle += ok ? (Math.random() - 0.5) * 0.8 : Math.PI / 2 + Math.random()
  }
  fail(`explored ${legs} legs (${bot.entity.position.distanceTo(startPos).toFixed(0)} blocks) without finding ${object}`)
}

const feetY = bot => Math.floor(bot.entity.position.y + 0.01)
const at = found => { const p = found.position.floored(); return [p.x, p.y, p.z] } // a block's, or a mob's cell
const named = found => found.stateId === undefined ? { mob: found.name } : {} // an entity: which mob it is
// a monster hunt by day goes this far below the surface: out of the sun, into the caves' levels
const MOB_DEPTH = 16
const SKY_CHECK = 64 // blocks looked up for a roof

// nothing opaque above the bot's head (up to SKY_CHECK blocks; leaves and glass let the sky through): out under
// the sky
function skyInView (bot) {
  const head = bot.entity.position.floored().offset(0, 2, 0)
  for (let dy = 0; dy < SKY_CHECK; dy++) {
    const b = bot.blockAt(head.offset(0, dy, 0))
    if (!b) return true // above the loaded world
    if (b.boundingBox === 'block' && !b.transparent) return false
  }
  return true
}

// under a roof: climb to the open sky (the pathfinder digs and pillars up), CLIMB_STEP levels at a time
async function climbOut (bot, deadline) {
  const from = feetY(bot)
  while (!skyInView(bot) && Date.now() < deadline - 5000) {
    const before = feetY(bot)
    await goto(bot, new goals.GoalY(before + CLIMB_STEP), Math.min(30000, deadline - Date.now() - 3000))
    if (feetY(bot) <= before) break
  }
  return { climbedFrom: from, climbedTo: feetY(bot) }
}
const CLIMB_STEP = 8

// The known entity passing `test` that is quickest to reach: each level down on a stair digs three blocks where a
// level sideways walks one (a monster deep below is further than one as far off in a shallow cave)
const STAIR_COST = 3
function nearestToReach (bot, test) {
  const me = bot.entity.position
  let best = null
  let bestCost = Infinity
  for (const e of Object.values(bot.entities)) {
    if (e === bot.entity || !test(e)) continue
    const cost = Math.hypot(e.position.x - me.x, e.position.z - me.z) + Math.abs(e.position.y - me.y) *
      (e.position.y < me.y ? STAIR_COST : 1)
    if (cost < bestCost) { best = e; bestCost = cost }
  }
  return best
}

// towards the mob `known()` gives until one is within radius: on the surface walk until a stair down (one
// block sideways a level) reaches its level near it, then staircase towards it STAIR_LEG levels at a time (the
// stair turns where lava or water is in the way), re-aimed at the nearest each time; at its level, walk (the
// pathfinder digs) towards it
const STAIR_LEG = 8
async function approach (bot, known, radius, deadline) {
  const startPos = bot.entity.position.clone()
  let stairs = {}
  let stuck = 0
  while (Date.now() < deadline - 3000) {
    const mob = known()
    if (!mob) break
    const p = mob.position
    const me = bot.entity.position
    if (p.distanceTo(me) <= radius) {
      return { found: at(mob), mob: mob.name, walked: +me.distanceTo(startPos).toFixed(1), ...stairs }
    }
    const from = me.clone()
    const down = feetY(bot) - Math.floor(p.y)
    const side = Math.hypot(p.x - me.x, p.z - me.z)
    if (down > STAIR_SLACK && side <= down + STAIR_SLACK) {
      const dir = Math.abs(p.x - me.x) >= Math.abs(p.z - me.z) ? DIRS[p.x > me.x ? 0 : 2] : DIRS[p.z > me.z ? 1 : 3]
      stairs = await staircase(bot, { y: Math.max(Math.floor(p.y), feetY(bot) - STAIR_LEG), dir, deadline })
    } else {
      // sideways: to where the stair reaches it, or to it at its level
      const reach = down > STAIR_SLACK ? down : 2
      const f = Math.max(0, (side - reach) / side)
      await goto(bot, new goals.GoalNearXZ(me.x + (p.x - me.x) * f, me.z + (p.z - me.z) * f, 2),
        Math.min(20000, deadline - Date.now() - 2000))
    }
    if (bot.entity.position.distanceTo(from) < 1 && ++stuck >= 3) {
      fail(`could not get nearer the ${mob.name} ${p.distanceTo(bot.entity.position).toFixed(0)} blocks away: ` +
        (stairs.stairStopped ?? bot.gitm.lastPathError))
    }
  }
  fail(`went ${bot.entity.position.distanceTo(startPos).toFixed(0)} blocks without getting within ${radius} of a ` +
    'mob (gone, or out of time)', stairs)
}
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
async function staircase (bot, { y, dir = null, deadline }) {
  const from = feetY(bot)
  let d = dir ? DIRS.indexOf(dir) : Math.floor(Math.random() * 4)
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

// tunnel 1x2 forward, turning every `leg` blocks, until `look` finds a target (within `radius`)
async function branchMine (bot, { look, object, deadline, leg = 24 }) {
  let d = Math.floor(Math.random() * 4)
  let dug = 0
  let step = 0
  const startPos = bot.entity.position.clone()
  while (Date.now() < deadline - 2000) {
    const found = look()
    if (found) return { found: at(found), ...named(found), tunnelled: dug }
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

module.exports = { skill: explore }
