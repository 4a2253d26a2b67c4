'use strict'
// Chests, trapped chests, barrels, ender chests and shulker boxes open vanilla's 27-slot windows (ChestMenu as
// generic_9x3, ShulkerBoxMenu) through lib/windows.js, and keep their contents while the server runs: per block, the
// ender chest's per player. flying-squid filled these windows with pre-1.20.5 empty slots, which cannot be encoded
// on 1.21.4: the server logged a window_items error, no window opened, and nothing was ever kept.
// Unlike vanilla, a dug shulker box spills its contents (lib/blockEntities.js) rather than keeping them in the item.
//
// As vanilla: a chest (or trapped chest) put beside a single one of the same kind facing the same way joins it into a
// double chest (ChestBlock.getStateForPlacement: type left/right; sneaking against a chest's side joins that one), a
// double chest opens as one 54-slot window (generic_9x6: the right half's slots, then the left's, CompoundContainer),
// and breaking a half leaves the other single. Placed chests and ender chests face the player. Opening and closing
// tells nearby clients how many players have it open (ContainerOpenersCounter): a block_action (event 1, the count)
// for chests, ender chests and shulker boxes (the lid animation, Mineflayer's chestLidMove), the `open` property for
// barrels. flying-squid turned placed chests away from the player, never joined them and sent no lid events.
const { Vec3 } = require('vec3')
const windowsFor = require('../lib/windows')
const blockEntitiesFor = require('../lib/blockEntities')
const { blockAt } = require('../lib/body')

const SIZE = 27
const LID_EVENT = 1 // ChestBlockEntity.triggerEvent / ShulkerBoxBlockEntity: event 1 = number of players looking in
const EVENT_RANGE = 64 // ServerLevel.doBlockEvent broadcasts to players within 64 blocks
const DIRECTIONS = { north: new Vec3(0, 0, -1), east: new Vec3(1, 0, 0), south: new Vec3(0, 0, 1), west: new Vec3(-1, 0, 0) }
const CLOCKWISE = { north: 'east', east: 'south', south: 'west', west: 'north' }
const COUNTER_CLOCKWISE = { north: 'west', west: 'south', south: 'east', east: 'north' }
const OPPOSITE = { north: 'south', south: 'north', east: 'west', west: 'east' }
const BY_YAW = ['south', 'west', 'north', 'east'] // vanilla's Direction.fromYRot order
const FACE = [null, null, 'north', 'south', 'west', 'east'] // block_place's direction: the clicked face

module.exports.server = function (serv) {
  const { registry } = serv
  const Block = require('prismarine-block')(registry)
  const windows = windowsFor(serv)
  const blockEntities = blockEntitiesFor(serv)
  const shulkerBoxes = registry.blocksArray.filter(b => b.name.endsWith('shulker_box')).map(b => b.name)
  const KINDS = {
    chest: { title: 'container.chest', lidBlocked: true, double: true },
    trapped_chest: { title: 'container.chest', lidBlocked: true, double: true },
    barrel: { title: 'container.barrel' },
    ender_chest: { title: 'container.enderchest', lidBlocked: true, perPlayer: true },
    ...Object.fromEntries(shulkerBoxes.map(name => [name, { title: 'container.shulkerBox', type: 'minecraft:shulker_box' }]))
  }
  const isShulkerBox = item => !!item && item.name.endsWith('shulker_box')

  class Container extends blockEntities.BlockEntity {
    constructor (world, pos, block) {
      super(world, pos, SIZE)
      this.block = block
    }

    // the same block in any orientation, open or not
    keeps (stateId) { return stateId >= this.block.minStateId && stateId <= this.block.maxStateId }
  }

  // Two chest halves as one container (vanilla CompoundContainer): slots 0-26 the first's, 27-53 the second's. A
  // window on it is a window on both halves, so breaking either closes it.
  class DoubleChest {
    constructor (first, second) {
      this.first = first
      this.second = second
      this.world = first.world
      this.pos = first.pos
    }

    get slots () { return [...this.first.slots, ...this.second.slots] }
    setSlot (i, item) { return i < SIZE ? this.first.setSlot(i, item) : this.second.setSlot(i - SIZE, item) }
    get menus () {
      const halves = [this.first, this.second]
      return { add: menu => halves.forEach(h => h.menus.add(menu)), delete: menu => halves.forEach(h => h.menus.delete(menu)) }
    }
  }

  // ContainerOpenersCounter, per block: how many players have a window open on it.
  const openers = new Map() // world -> Map(position key -> count)
  function sendLid (world, pos, count) {
    const block = blockAt(world, pos)
    if (!block) return
    if (block.name === 'barrel') { // BarrelBlockEntity.updateBlockState
      const open = count > 0
      if (block.getProperties().open !== open) {
        serv.setBlock(world, pos, Block.fromProperties('barrel', { ...block.getProperties(), open }, 0).stateId)
      }
      return
    }
    const packet = { location: pos, byte1: LID_EVENT, byte2: Math.min(count, 255), blockId: block.type }
    for (const player of serv.players) {
      if (player.world === world && player.position.distanceTo(pos.offset(0.5, 0.5, 0.5)) <= EVENT_RANGE) {
        player._client.write('block_action', packet)
      }
    }
  }
  function changeOpeners (world, positions, delta) {
    if (!openers.has(world)) openers.set(world, new Map())
    const counts = openers.get(world)
    for (const pos of positions) {
      const key = `${pos.x},${pos.y},${pos.z}`
      const count = Math.max(0, (counts.get(key) ?? 0) + delta)
      if (count === 0) counts.delete(key)
      else counts.set(key, count)
      sendLid(world, pos, count)
    }
  }

  class ContainerMenu extends blockEntities.Menu {
    constructor (entity, player, kind, positions, title) {
      super(entity, player, { type: kind.type ?? 'minecraft:generic_9x3', title: { translate: title ?? kind.title } })
      this.lidWorld = entity.world
      this.lidPositions = positions
      changeOpeners(this.lidWorld, positions, +1)
    }

    removed () {
      super.removed()
      if (this.lidPositions) changeOpeners(this.lidWorld, this.lidPositions, -1)
      this.lidPositions = null
    }

    // vanilla ShulkerBoxSlot: no shulker box inside a shulker box
    mayPlace (i, item) { return i >= this.size || !(this.type === 'minecraft:shulker_box' && isShulkerBox(item)) }
  }

  // The ender chest's inventory is the player's (kept across reconnects), whichever ender chest opens it: it belongs
  // to no block, so it is never spilled.
  const enderItems = new Map() // player uuid -> slots
  class EnderInventory extends blockEntities.BlockEntity {
    constructor (player, pos) {
      super(player.world, pos, SIZE)
      if (!enderItems.has(player.uuid)) enderItems.set(player.uuid, this.slots)
      this.slots = enderItems.get(player.uuid)
    }
  }

  // Vanilla ChestBlock.isChestBlockedAt (and the ender chest's): a full solid block above keeps the lid shut.
  async function lidBlocked (world, pos) {
    const above = registry.blocks[await world.getBlockType(pos.offset(0, 1, 0))]
    return !!above && above.boundingBox === 'block' && !above.transparent
  }

  const containerAt = (world, pos, name) =>
    blockEntities.at(world, pos, () => new Container(world, pos, registry.blocksByName[name]))

  // ChestBlock.getConnectedDirection: where a double chest's other half is
  const connected = props => DIRECTIONS[props.type === 'left' ? CLOCKWISE[props.facing] : COUNTER_CLOCKWISE[props.facing]]
  // The other half of a double chest at pos, if it is one (same block, facing the same way, pointing back).
  function partnerOf (world, pos, block) {
    const props = block.getProperties()
    if (props.type === undefined || props.type === 'single') return null
    const other = pos.plus(connected(props))
    const there = blockAt(world, other)
    if (!there || there.name !== block.name) return null
    const theirs = there.getProperties()
    if (theirs.facing !== props.facing || theirs.type === 'single' || theirs.type === props.type) return null
    return { pos: other, block: there }
  }

  const open = (name, kind) => async ({ block, player }) => {
    // Vanilla: sneaking with an item in hand places it against the block instead of opening it.
    if (player.crouching && player.inventory.slots[36 + player.heldItemSlot]) return false
    const world = player.world
    const pos = block.position
    if (kind.lidBlocked && await lidBlocked(world, pos)) return true
    if (kind.perPlayer) {
      windows.open(player, new ContainerMenu(new EnderInventory(player, pos), player, kind, [pos]))
      return true
    }
    const partner = kind.double && partnerOf(world, pos, block)
    if (partner) {
      if (await lidBlocked(world, partner.pos)) return true
      // ChestBlock.getBlockType: the right half is the combiner's first
      const [first, second] = block.getProperties().type === 'right' ? [pos, partner.pos] : [partner.pos, pos]
      const entity = new DoubleChest(containerAt(world, first, name), containerAt(world, second, name))
      const menu = new ContainerMenu(entity, player, { type: 'minecraft:generic_9x6' }, [first, second], 'container.chestDouble')
      windows.open(player, menu)
      return true
    }
    windows.open(player, new ContainerMenu(containerAt(world, pos, name), player, kind, [pos]))
    return true
  }

  // ChestBlock.getStateForPlacement (also EnderChestBlock's facing): facing the player, joined to a single chest
  // beside it of the same kind and facing; the joined chest takes the other side (ChestBlock.updateShape).
  const place = name => ({ player, placedPosition, referencePosition, direction, properties }) => {
    const world = player.world
    const degrees = player.yaw * 360 / 256 // flying-squid keeps yaw in 1/256 of a turn
    let facing = OPPOSITE[BY_YAW[Math.floor(degrees / 90 + 0.5) & 3]]
    const waterlogged = !!properties?.waterlogged
    const block = registry.blocksByName[name]
    if (name === 'ender_chest') {
      return { id: block.id, data: Block.fromProperties(name, { facing, waterlogged }, 0).stateId - block.minStateId }
    }
    const candidate = dir => { // the facing of a single chest of this kind that way, if any
      const there = blockAt(world, placedPosition.plus(DIRECTIONS[dir]))
      if (!there || there.name !== name) return null
      const props = there.getProperties()
      return props.type === 'single' ? props.facing : null
    }
    let type = 'single'
    const clicked = FACE[direction]
    const sneaking = !!player.crouching
    if (clicked && sneaking) {
      const partnerFacing = candidate(OPPOSITE[clicked])
      if (partnerFacing && (partnerFacing === clicked || partnerFacing === OPPOSITE[clicked]) === false) {
        facing = partnerFacing
        type = COUNTER_CLOCKWISE[partnerFacing] === OPPOSITE[clicked] ? 'right' : 'left'
      }
    }
    if (type === 'single' && !sneaking) {
      if (facing === candidate(CLOCKWISE[facing])) type = 'left'
      else if (facing === candidate(COUNTER_CLOCKWISE[facing])) type = 'right'
    }
    if (type !== 'single') {
      const partnerPos = placedPosition.plus(DIRECTIONS[type === 'left' ? CLOCKWISE[facing] : COUNTER_CLOCKWISE[facing]])
      const partner = blockAt(world, partnerPos)
      const other = type === 'left' ? 'right' : 'left'
      serv.setBlock(world, partnerPos, Block.fromProperties(name, { ...partner.getProperties(), type: other }, 0).stateId)
    }
    return { id: block.id, data: Block.fromProperties(name, { facing, type, waterlogged }, 0).stateId - block.minStateId }
  }

  // ChestBlock.updateShape: a half whose other half is gone (dug, replaced) becomes single.
  function unjoin (world, pos, block) {
    const partner = block && partnerOf(world, pos, block)
    if (!partner) return
    const props = partner.block.getProperties()
    serv.setBlock(world, partner.pos, Block.fromProperties(partner.block.name, { ...props, type: 'single' }, 0).stateId)
  }
  const isChest = block => !!block && (block.name === 'chest' || block.name === 'trapped_chest')
  serv.once('pluginsReady', () => {
    const setBlock = serv.setBlock
    serv.setBlock = async (world, position, stateId) => {
      const before = blockAt(world, position)
      const result = await setBlock(world, position, stateId)
      if (isChest(before) && registry.blocksByStateId[stateId]?.name !== before.name) unjoin(world, position, before)
      return result
    }
  })
  serv.on('newPlayer', player => player.on('dug', ({ position, block }, cancelled) => {
    if (!cancelled && isChest(block)) unjoin(player.world, new Vec3(position.x, position.y, position.z), block)
  }))

  // flying-squid's chest plugin registers its own windows for these blocks on 'asap': register ours first and
  // keep them.
  serv.prependOnceListener('asap', () => {
    const register = serv.onBlockInteraction
    for (const [name, kind] of Object.entries(KINDS)) register(name, open(name, kind))
    for (const name of ['chest', 'trapped_chest', 'ender_chest']) serv.onItemPlace(name, place(name), false)
    serv.onBlockInteraction = (name, handler) => { if (!Object.hasOwn(KINDS, name)) register(name, handler) }
  })
}
