'use strict'
// Farming, as vanilla 1.21.4 does it (flying-squid has none of it):
// - a hoe used on grass, dirt or a dirt path with air above (any face but the bottom) makes farmland; on coarse dirt,
//   dirt; on rooted dirt, dirt and a hanging_roots drop (HoeItem.TILLABLES); the hoe loses one durability point
//   (Unbreaking N spares it with chance N/(N+1)) and breaks at its maximum;
// - seeds (wheat_seeds, carrot, potato, beetroot_seeds) place their crop at age 0 on farmland with enough light
//   (flying-squid's generic placement looks for a block named like the item: wheat_seeds placed nothing);
// - random ticks: vanilla picks randomTickSpeed (game rule, default 3) blocks per 16x16x16 section each tick, so a
//   block gets one with chance randomTickSpeed/4096 per tick. Only the farmland and crops this plugin has seen
//   (tilled, planted, or set by /setblock or any serv.setBlock) are random-ticked, each with that chance, which is the
//   same rate; their chunks need not have a player nearby (vanilla: within the simulation distance). Then
//   CropBlock.randomTick: at light 9+ a crop below its last age grows one stage with chance 1/(floor(25/f)+1), f the
//   vanilla growth speed (1, +3 for the hydrated farmland below or +1 dry, +3/4 or +1/4 for each of the 8 around,
//   halved by same crops around in both rows or diagonally); beetroots only on a third of their ticks.
//   A lone crop on hydrated farmland gets 1/7: a stage every ~8 minutes, a field's inner crop (f=10) every ~3.4.
//   FarmBlock.randomTick: water within 4 blocks (same level or one up) or rain falling on it sets moisture 7, else
//   it dries one step, and dry farmland with nothing planted turns back to dirt.
//   Random ticks are world ticks: a frozen world (tickFreeze.js) grows nothing.
// - bone meal used on a crop that is not fully grown advances it 2-5 stages (beetroots 0-1) and is used up
//   (not in creative);
// - a crop whose farmland is gone (dug, replaced) pops off with its drops.
// Light is approximated: sky light is 15 minus the light the blocks straight above filter, block light is the
// brightest source within 6 blocks minus its distance (no occlusion).
// Trampling is not implemented.
const path = require('path')
const { Vec3 } = require('vec3')
const harvestRules = require('../lib/harvest')
const windowsFor = require('../lib/windows')
const components = require('../lib/itemComponents')

const TILLABLES = {
  grass_block: { to: 'farmland', airAbove: true },
  dirt_path: { to: 'farmland', airAbove: true },
  dirt: { to: 'farmland', airAbove: true },
  coarse_dirt: { to: 'dirt', airAbove: true },
  rooted_dirt: { to: 'dirt', airAbove: false, drop: 'hanging_roots' }
}
// crop block -> its seed and last age, from the knowledge base's crop table (the one home of these facts)
const TABLE = require(path.join(__dirname, '..', '..', '..', 'knowledge', 'data', 'tables', 'crops.json'))
const CROP_TABLE = TABLE.crops.blocks
const [BONE_MEAL_MIN, BONE_MEAL_MAX] = TABLE.growth.bone_meal
const SEEDS = Object.fromEntries(Object.entries(CROP_TABLE).map(([crop, c]) => [c.seed, crop]))
const CROPS = Object.fromEntries(Object.entries(CROP_TABLE).map(([crop, c]) => [crop, c.max_age]))
// vanilla #maintains_farmland: what keeps dry farmland from turning back to dirt
const MAINTAINS_FARMLAND = new Set([...Object.keys(CROPS), 'pumpkin_stem', 'attached_pumpkin_stem', 'melon_stem',
  'attached_melon_stem', 'torchflower_crop', 'pitcher_crop'])
// vanilla #replaceable blocks a seed may be planted into
const REPLACEABLE = new Set(['air', 'cave_air', 'void_air', 'short_grass', 'fern', 'dead_bush', 'vine', 'glow_lichen',
  'snow', 'light', 'structure_void'])
const DOWN = 0
const TOP_Y = 320
const SECTION_BLOCKS = 16 * 16 * 16
const PICKUP_DELAY_MS = 500
const DESPAWN_MS = 5 * 60 * 1000
const BONE_MEAL_PARTICLES = 1505 // vanilla LevelEvent.PARTICLES_AND_SOUND_PLANT_GROWTH

const keyOf = pos => `${pos.x},${pos.y},${pos.z}`

module.exports.server = function (serv) {
  const { registry } = serv
  const Block = require('prismarine-block')(registry)
  const rules = harvestRules(registry)
  const items = components(registry)
  const windows = windowsFor(serv)
  const itemEntity = registry.entitiesByName.item.id
  const FARMLAND = registry.blocksByName.farmland
  const AIR = registry.blocksByName.air.defaultState
  const cropIds = new Set(Object.keys(CROPS).map(name => registry.blocksByName[name].id))
  const lightSources = new Set(registry.blocksArray.filter(b => b.emitLight >= 9).map(b => b.id))
  const lightOf = new Map(registry.blocksArray.map(b => [b.id, b.emitLight ?? 0]))
  const filterOf = new Map(registry.blocksArray.map(b => [b.id, b.filterLight ?? 15]))
  const maintains = new Set([...MAINTAINS_FARMLAND].filter(n => registry.blocksByName[n]).map(n => registry.blocksByName[n].id))
  const waterIds = new Set(['water', 'bubble_column'].map(n => registry.blocksByName[n]?.id).filter(x => x !== undefined))
  const waterloggable = new Set(registry.blocksArray.filter(b => b.states?.some(s => s.name === 'waterlogged')).map(b => b.id))

  const isCropState = stateId => cropIds.has(registry.blocksByStateId[stateId]?.id)
  const isFarmlandState = stateId => stateId >= FARMLAND.minStateId && stateId <= FARMLAND.maxStateId

  // The blocks that take random ticks: world -> Map(key -> position)
  const ticking = new Map()
  function track (world, pos) {
    if (!ticking.has(world)) ticking.set(world, new Map())
    ticking.get(world).set(keyOf(pos), pos.clone())
  }
  const untrack = (world, pos) => ticking.get(world)?.delete(keyOf(pos))

  const stateWith = (block, properties) => Block.fromProperties(block.name, { ...block.getProperties(), ...properties }, 0).stateId

  // --- light (approximated, see above) ---
  async function skyLight (world, pos) {
    let light = 15
    for (let y = pos.y + 1; y < TOP_Y && light > 0; y++) light -= filterOf.get(await world.getBlockType(new Vec3(pos.x, y, pos.z))) ?? 15
    return Math.max(0, light)
  }
  async function blockLight (world, pos, needed) {
    let best = 0
    const reach = 15 - needed
    for (let dx = -reach; dx <= reach; dx++) {
      for (let dy = -reach; dy <= reach; dy++) {
        for (let dz = -reach; dz <= reach; dz++) {
          const d = Math.abs(dx) + Math.abs(dy) + Math.abs(dz)
          if (d > reach) continue
          const type = await world.getBlockType(pos.offset(dx, dy, dz))
          if (lightSources.has(type)) best = Math.max(best, lightOf.get(type) - d)
        }
      }
    }
    return best
  }
  // vanilla getRawBrightness(pos, 0) >= needed
  async function bright (world, pos, needed) {
    return (await skyLight(world, pos)) >= needed || (await blockLight(world, pos, needed)) >= needed
  }

  // --- drops (as toolDrops.js pops a dug block's items) ---
  function popItems (world, pos, drops) {
    for (const { id, count } of drops) {
      const at = pos.offset(0.25 + Math.random() / 2, 0.25 + Math.random() / 2, 0.25 + Math.random() / 2)
      try {
        serv.spawnObject(itemEntity, world, at, {
          velocity: new Vec3(Math.random() * 2 - 1, 3, Math.random() * 2 - 1),
          itemId: id,
          itemCount: count,
          pickupTime: PICKUP_DELAY_MS,
          deathTime: DESPAWN_MS
        })
      } catch (err) { // flying-squid refuses new entities past `max-entities`
        serv.warn?.(`[farming] ${err.message}`)
      }
    }
  }

  // A crop standing on what is no longer farmland breaks (vanilla canSurvive on a neighbour update); serv.setBlock's
  // wrapper below pops its drops.
  async function checkCropAbove (world, pos) {
    const above = pos.offset(0, 1, 0)
    if (!cropIds.has(await world.getBlockType(above))) return
    if ((await world.getBlockType(pos)) === FARMLAND.id) return
    await serv.setBlock(world, above, AIR)
  }

  // --- random ticks ---
  async function isNearWater (world, pos) {
    for (let dx = -4; dx <= 4; dx++) {
      for (let dy = 0; dy <= 1; dy++) {
        for (let dz = -4; dz <= 4; dz++) {
          const block = await world.getBlock(pos.offset(dx, dy, dz))
          if (waterIds.has(block.type)) return true
          if (waterloggable.has(block.type) && block.getProperties().waterlogged) return true
        }
      }
    }
    return false
  }

  async function farmlandTick (world, pos, block) {
    const moisture = Number(block.getProperties().moisture)
    const raining = serv.weather && serv.weather !== 'clear' && (await skyLight(world, pos)) === 15
    if (raining || await isNearWater(world, pos)) {
      if (moisture < 7) await serv.setBlock(world, pos, stateWith(block, { moisture: 7 }))
    } else if (moisture > 0) {
      await serv.setBlock(world, pos, stateWith(block, { moisture: moisture - 1 }))
    } else if (!maintains.has(await world.getBlockType(pos.offset(0, 1, 0)))) {
      await serv.setBlock(world, pos, registry.blocksByName.dirt.defaultState)
    }
  }

  // vanilla CropBlock.getGrowthSpeed
  async function growthSpeed (world, pos, type) {
    let f = 1
    for (let i = -1; i <= 1; i++) {
      for (let j = -1; j <= 1; j++) {
        const below = await world.getBlock(pos.offset(i, -1, j))
        let g = 0
        if (below.type === FARMLAND.id) g = Number(below.getProperties().moisture) > 0 ? 3 : 1
        if (i !== 0 || j !== 0) g /= 4
        f += g
      }
    }
    const same = async (dx, dz) => (await world.getBlockType(pos.offset(dx, 0, dz))) === type
    const row = (await same(-1, 0)) || (await same(1, 0))
    const column = (await same(0, -1)) || (await same(0, 1))
    if (row && column) f /= 2
    else if ((await same(-1, -1)) || (await same(1, -1)) || (await same(1, 1)) || (await same(-1, 1))) f /= 2
    return f
  }

  async function cropTick (world, pos, block) {
    const skip = CROP_TABLE[block.name].skip_one_in // beetroots skip a third of their ticks
    if (skip && Math.floor(Math.random() * skip) === 0) return
    const age = Number(block.getProperties().age)
    if (age >= CROPS[block.name]) return
    if (!await bright(world, pos, 9)) return
    const f = await growthSpeed(world, pos, block.type)
    if (Math.floor(Math.random() * (Math.floor(25 / f) + 1)) === 0) {
      await serv.setBlock(world, pos, stateWith(block, { age: age + 1 }))
    }
  }

  async function randomTick (world, pos) {
    const block = await world.getBlock(pos)
    if (block.type === FARMLAND.id) return farmlandTick(world, pos, block)
    if (cropIds.has(block.type)) return cropTick(world, pos, block)
    untrack(world, pos)
  }

  let running = false // one pass at a time: block reads are asynchronous
  serv.on('tick', () => {
    const speed = serv.gameRules?.randomTickSpeed ?? 3
    if (speed <= 0 || running) return
    const chance = speed / SECTION_BLOCKS
    const due = []
    for (const [world, positions] of ticking) {
      for (const pos of positions.values()) if (Math.random() < chance) due.push([world, pos])
    }
    if (due.length === 0) return
    running = true
    Promise.all(due.map(([world, pos]) => randomTick(world, pos).catch(err => serv.warn?.(`[farming] ${err.message}`))))
      .finally(() => { running = false })
  })

  // Every block change goes through serv.setBlock (the world plugin defines it after the external plugins load).
  serv.once('pluginsReady', () => {
    const setBlock = serv.setBlock
    serv.setBlock = async (world, position, stateId) => {
      const tracked = ticking.get(world)?.has(keyOf(position))
      const before = tracked ? await world.getBlock(position) : null
      const result = await setBlock(world, position, stateId)
      if (isCropState(stateId) || isFarmlandState(stateId)) track(world, position)
      else if (tracked) {
        untrack(world, position)
        // a crop turned to air over what is no longer farmland broke: its farmland was dug (flying-squid then
        // clears the plant above without drops) or replaced; a crop /setblock-ed away on its farmland drops nothing
        const unsupported = (await world.getBlockType(position.offset(0, -1, 0))) !== FARMLAND.id
        if (cropIds.has(before.type) && stateId === AIR && unsupported) popItems(world, position, rules.drops(before, null))
        await checkCropAbove(world, position)
      }
      return result
    }
  })
  // Digging changes the block without serv.setBlock.
  serv.on('newPlayer', player => player.on('dug', ({ position }, cancelled) => {
    if (cancelled || !ticking.get(player.world)?.has(keyOf(position))) return
    untrack(player.world, position)
    checkCropAbove(player.world, position).catch(err => serv.warn?.(`[farming] ${err.message}`))
  }))

  // --- the hoe, seeds and bone meal ---
  const held = player => player.inventory.slots[36 + player.heldItemSlot]

  // vanilla ItemStack.hurtAndBreak(1, player, hand) outside creative
  function damageHeld (player) {
    if (player.gameMode === 1) return
    const slot = 36 + player.heldItemSlot
    const item = player.inventory.slots[slot]
    const unbreaking = items.enchantmentLevel(item, 'unbreaking')
    if (unbreaking > 0 && Math.floor(Math.random() * (unbreaking + 1)) > 0) return
    player.inventory.updateSlot(slot, items.withDamage(item, items.damage(item) + 1))
  }

  function consumeHeld (player) {
    if (player.gameMode === 1) return
    const slot = 36 + player.heldItemSlot
    const item = player.inventory.slots[slot]
    player.inventory.updateSlot(slot, windows.copyWithCount(item, item.count - 1))
  }

  const till = rule => async ({ block, player }) => {
    const hoe = held(player)
    if (!hoe || !hoe.name.endsWith('_hoe') || player.gameMode >= 2) return false
    const pos = block.position
    if (rule.airAbove) {
      if (block.direction === DOWN) return false
      const above = registry.blocks[await player.world.getBlockType(pos.offset(0, 1, 0))]
      if (!['air', 'cave_air', 'void_air'].includes(above?.name)) return false
    }
    await serv.setBlock(player.world, pos, registry.blocksByName[rule.to].defaultState)
    if (rule.drop) popItems(player.world, pos.offset(0, 1, 0), [{ id: registry.itemsByName[rule.drop].id, count: 1 }])
    damageHeld(player)
    return true
  }

  const plant = cropName => async ({ player, placedPosition }) => {
    const world = player.world
    const at = registry.blocks[await world.getBlockType(placedPosition)]
    if (!REPLACEABLE.has(at?.name)) return {}
    if ((await world.getBlockType(placedPosition.offset(0, -1, 0))) !== FARMLAND.id) return {}
    if (!await bright(world, placedPosition, 8)) return {} // CropBlock.canSurvive
    return { id: registry.blocksByName[cropName].id, data: 0 }
  }

  // vanilla BoneMealItem.growCrop on a CropBlock: CropBlock.growCrops (beetroots: a third of the stages)
  const boneMeal = cropName => async ({ block, player }) => {
    const item = held(player)
    if (item?.name !== 'bone_meal' || player.gameMode >= 2) return false
    const age = Number(block.getProperties().age)
    const max = CROPS[cropName]
    if (age >= max) return false // not a valid target: nothing happens, nothing is used
    let increase = BONE_MEAL_MIN + Math.floor(Math.random() * (BONE_MEAL_MAX - BONE_MEAL_MIN + 1))
    increase = Math.floor(increase / (CROP_TABLE[cropName].bone_meal_divisor ?? 1)) // beetroots: a third
    await serv.setBlock(player.world, block.position, stateWith(block, { age: Math.min(max, age + increase) }))
    consumeHeld(player)
    for (const p of serv.players.filter(p => p.world === player.world)) {
      p._client.write('world_event', { effectId: BONE_MEAL_PARTICLES, location: block.position, data: 15, global: false })
    }
    return true
  }

  serv.once('asap', () => {
    for (const [name, rule] of Object.entries(TILLABLES)) serv.onBlockInteraction(name, till(rule))
    for (const [item, crop] of Object.entries(SEEDS)) serv.onItemPlace(item, plant(crop))
    for (const crop of Object.keys(CROPS)) serv.onBlockInteraction(crop, boneMeal(crop))
  })

  serv.farming = { track, ticking }
}
