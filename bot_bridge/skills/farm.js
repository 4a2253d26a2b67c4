'use strict'
// farm: grow `crop` from `seed` until the inventory holds `count` more of `object`. A plot by water (hydrated cells
// first, then dry ones: dry farmland grows crops too, slower): seeds go in lines two blocks apart (no crop of the kind
// beside another on both sides nor diagonally: vanilla halves the growth then), the soil around is tilled too where
// water keeps it (hydrated farmland around a crop speeds it up). Then wait, bone meal on unripe crops when held,
// harvest the ripe ones and replant with the seeds they drop. Crops already growing near the bot (an earlier call's
// plot) are looked after first; a new plot goes by the nearest soil within 96 blocks that water keeps hydrated (a
// lake whose banks all stand above its water hydrates none). Every wait is world time: the crop grows by random ticks
// as the bot stands by.
const { goals } = require('mineflayer-pathfinder')
const { Vec3 } = require('vec3')
const { fail, sleep, itemIn, countOf, blockIds } = require('./lib/core')
const { goto, collectDrops, reachable } = require('./lib/world')

const UP = new Vec3(0, 1, 0)
const AIRS = ['air', 'cave_air']
const POLL_MS = 2000
const WATER_SEARCH = 96 // blocks: a new plot goes by the nearest water this close (hydrated crops grow 2-4x faster)
const SITE_WATERS = 128 // the nearest water blocks looked around for a site
const WATER_DY = 16 // water further above or below the bot is no pond on its slope (a lake down the hill is)
const AROUND = [[-1, -1], [0, -1], [1, -1], [-1, 0], [1, 0], [-1, 1], [0, 1], [1, 1]]

const key = p => `${p.x},${p.y},${p.z}`
const ageOf = block => Number(block?.getProperties().age ?? 0)
const lineCell = p => ((p.x % 2) + 2) % 2 === 0 // planted cells: every other x, so lines run along z

async function farm (bot, { object, crop, seed, ripe, count = 1, soil, waterReach = 4, waterUp = 1, radius = 24, deadline }) {
  const hoe = () => bot.inventory.items().find(i => i.name.endsWith('_hoe'))
  if (!hoe()) fail('need a hoe to till farmland')
  const start = countOf(bot, [object])
  const got = () => countOf(bot, [object]) - start
  const cropId = bot.registry.blocksByName[crop].id
  const farmlandId = bot.registry.blocksByName.farmland.id
  const waterIds = blockIds(bot, ['water'])
  const timeLeft = () => deadline - Date.now()

  // within reach of the block's top, walking there first when needed
  async function near (pos) {
    const block = bot.blockAt(pos)
    if (block && reachable(bot, block)) return true
    await goto(bot, new goals.GoalNear(pos.x, pos.y + 1, pos.z, 2), Math.max(1000, Math.min(20000, timeLeft() - 2000)))
    return bot.blockAt(pos) !== null && reachable(bot, bot.blockAt(pos))
  }

  const cropsNear = () => bot.findBlocks({ matching: cropId, maxDistance: radius, count: 256 })
  const plot = new Map(cropsNear().map(p => [key(p), p])) // crop positions looked after

  // --- the plot: soil with air above, hydrated where water is within reach (same level or up to waterUp above) ---
  const soilIds = blockIds(bot, soil)
  function cells () {
    const water = bot.findBlocks({ matching: waterIds, maxDistance: radius + waterReach, count: 512 })
    const wet = p => water.some(w => Math.abs(w.x - p.x) <= waterReach && Math.abs(w.z - p.z) <= waterReach &&
      w.y - p.y >= 0 && w.y - p.y <= waterUp)
    const open = bot.findBlocks({ matching: [...soilIds, farmlandId], maxDistance: radius, count: 1024 })
      .filter(p => AIRS.includes(bot.blockAt(p.offset(0, 1, 0))?.name))
    return open.map(p => ({ p, wet: wet(p) }))
  }

  async function till (pos) {
    if (bot.blockAt(pos)?.type === farmlandId) return true
    if (!await near(pos)) return false
    await bot.equip(hoe(), 'hand')
    await bot.lookAt(pos.offset(0.5, 1, 0.5), true)
    try { await bot.activateBlock(bot.blockAt(pos), UP) } catch (e) {}
    for (let i = 0; i < 10 && bot.blockAt(pos)?.type !== farmlandId; i++) await sleep(100)
    return bot.blockAt(pos)?.type === farmlandId
  }

  async function plant (pos) {
    const above = pos.offset(0, 1, 0)
    const standsOn = () => { const f = bot.entity.position.floored(); return f.x === above.x && f.z === above.z }
    if (standsOn()) { // step off the cell first
      await goto(bot, new goals.GoalInvert(new goals.GoalBlock(above.x, above.y, above.z)), 5000, { unstick: false })
      if (standsOn()) return false
    }
    const item = itemIn(bot, seed)
    if (!item || bot.blockAt(pos)?.type !== farmlandId || !await near(pos)) return false
    await bot.equip(item, 'hand')
    try { await bot.placeBlock(bot.blockAt(pos), UP) } catch (e) {} // the block update may come late
    for (let i = 0; i < 10 && bot.blockAt(above)?.type !== cropId; i++) await sleep(100)
    if (bot.blockAt(above)?.type !== cropId) return false
    plot.set(key(above), above)
    return true
  }

  // plant every seed held on new cells of the plot (the first near the bot, the rest near that one)
  // a new plot: walk to the nearest soil that water beside it would keep hydrated (the water on its level or one up),
  // within WATER_SEARCH blocks on about the bot's level, when none is near enough for the plot's cells
  async function toWater () {
    const here = bot.entity.position
    const waters = bot.findBlocks({ matching: waterIds, maxDistance: WATER_SEARCH, count: 512,
      useExtraInfo: b => Math.abs(b.position.y - here.y) <= WATER_DY })
    let site = null
    const tillable = p => soilIds.includes(bot.blockAt(p)?.type) && AIRS.includes(bot.blockAt(p.offset(0, 1, 0))?.name)
    for (const w of waters.sort((a, b) => a.distanceTo(here) - b.distanceTo(here)).slice(0, SITE_WATERS)) {
      for (let dy = 0; dy <= waterUp && !site; dy++) {
        for (let dx = -waterReach; dx <= waterReach && !site; dx++) {
          for (let dz = -waterReach; dz <= waterReach && !site; dz++) if (tillable(w.offset(dx, -dy, dz))) site = w.offset(dx, -dy, dz)
        }
      }
      if (site) break
    }
    if (!site || site.distanceTo(here) <= radius - waterReach) return
    await goto(bot, new goals.GoalNear(site.x, site.y + 1, site.z, 2), Math.max(1000, Math.min(60000, timeLeft() - 10000)))
  }

  async function sow () {
    if (!itemIn(bot, seed) || timeLeft() < 5000) return
    if (plot.size === 0) await toWater()
    const all = cells()
    const here = bot.entity.position
    const taken = new Set([...plot.values()].map(p => key(p.offset(0, -1, 0))))
    const free = all.filter(c => lineCell(c.p) && !taken.has(key(c.p)))
    if (free.length === 0) return
    // hydrated cells first, each kind from the plot's first cell outwards (the wet one nearest the bot)
    const first = (a, b) => (b.wet - a.wet) || (a.p.distanceTo(here) - b.p.distanceTo(here))
    const anchor = [...plot.values()][0]?.offset(0, -1, 0) ?? free.sort(first)[0].p
    free.sort((a, b) => (b.wet - a.wet) || (a.p.distanceTo(anchor) - b.p.distanceTo(anchor)))
    const wetCells = new Map(all.filter(c => c.wet).map(c => [key(c.p), c.p]))
    for (const { p } of free) {
      if (!itemIn(bot, seed) || timeLeft() < 5000) break
      if (!await till(p)) continue
      if (!await plant(p)) continue
      for (const [dx, dz] of AROUND) { // hydrated farmland around speeds the crop
        const q = wetCells.get(key(p.offset(dx, 0, dz)))
        if (q && !lineCell(q) && hoe() && timeLeft() > 5000) await till(q)
      }
    }
  }

  // bone meal on the unripe crops, while any is held
  async function fertilize (unripe) {
    for (const p of unripe) {
      while (itemIn(bot, 'bone_meal') && bot.blockAt(p)?.type === cropId && ageOf(bot.blockAt(p)) < ripe) {
        if (timeLeft() < 3000 || !await near(p)) return
        const before = ageOf(bot.blockAt(p))
        const left = countOf(bot, ['bone_meal'])
        await bot.equip(itemIn(bot, 'bone_meal'), 'hand')
        await bot.lookAt(p.offset(0.5, 0.3, 0.5), true)
        try { await bot.activateBlock(bot.blockAt(p), UP) } catch (e) {}
        for (let i = 0; i < 10 && ageOf(bot.blockAt(p)) === before && countOf(bot, ['bone_meal']) === left; i++) await sleep(100)
        if (countOf(bot, ['bone_meal']) === left) return // not taken: no use trying again
      }
    }
  }

  async function harvest (p) {
    if (!await near(p)) return
    const block = bot.blockAt(p)
    if (block?.type !== cropId) return
    await bot.dig(block, true)
    await collectDrops(bot, p.offset(0.5, 0.5, 0.5), 4, 3000)
    plot.delete(key(p))
    if (got() < count) await plant(p.offset(0, -1, 0)) // replant with the seeds it dropped
  }

  await sow()
  while (got() < count) {
    for (const p of [...plot.values()]) if (bot.blockAt(p)?.type !== cropId) plot.delete(key(p)) // gone
    if (plot.size === 0) {
      if (!itemIn(bot, seed)) fail(`no ${seed} to plant and no ${crop} growing`, { got: got() })
      await sow()
      if (plot.size === 0) fail(`could not plant ${seed}: no soil to till within ${radius} blocks`, { got: got() })
    }
    const ripeNow = [...plot.values()].filter(p => ageOf(bot.blockAt(p)) >= ripe)
    for (const p of ripeNow) {
      if (got() >= count || timeLeft() < 3000) break
      await harvest(p)
    }
    if (got() >= count) break
    await sow() // seeds the harvest gave
    await fertilize([...plot.values()].filter(p => ageOf(bot.blockAt(p)) < ripe))
    if (timeLeft() < POLL_MS + 2000) {
      const ages = [...plot.values()].map(p => ageOf(bot.blockAt(p)))
      const moist = [...plot.values()].map(p => bot.blockAt(p.offset(0, -1, 0))?.getProperties().moisture ?? '?')
      fail(`the ${crop} is not ripe yet (ages ${ages.join(',')} of ${ripe} on farmland of moisture ${moist.join(',')} ` +
        `of 7; ${got()}/${count} ${object} harvested)`,
        { growing: plot.size, got: got(), waiting: true })
    }
    if (!ripeNow.length) await sleep(POLL_MS)
  }
  return { harvested: got(), growing: plot.size }
}

module.exports = { skill: farm }
