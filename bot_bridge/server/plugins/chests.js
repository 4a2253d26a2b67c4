'use strict'
// Chests, trapped chests, barrels, ender chests and shulker boxes open vanilla's 27-slot windows (ChestMenu as
// generic_9x3, ShulkerBoxMenu) through lib/windows.js, and keep their contents while the server runs: per block, the
// ender chest's per player. flying-squid filled these windows with pre-1.20.5 empty slots, which cannot be encoded
// on 1.21.4: the server logged a window_items error, no window opened, and nothing was ever kept.
// Unlike vanilla, a dug shulker box spills its contents (lib/blockEntities.js) rather than keeping them in the item.
const windowsFor = require('../lib/windows')
const blockEntitiesFor = require('../lib/blockEntities')

const SIZE = 27

module.exports.server = function (serv) {
  const { registry } = serv
  const windows = windowsFor(serv)
  const blockEntities = blockEntitiesFor(serv)
  const shulkerBoxes = registry.blocksArray.filter(b => b.name.endsWith('shulker_box')).map(b => b.name)
  const KINDS = {
    chest: { title: 'container.chest', lidBlocked: true },
    trapped_chest: { title: 'container.chest', lidBlocked: true },
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

  class ContainerMenu extends blockEntities.Menu {
    constructor (entity, player, kind) {
      super(entity, player, { type: kind.type ?? 'minecraft:generic_9x3', title: { translate: kind.title } })
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

  const open = (name, kind) => async ({ block, player }) => {
    // Vanilla: sneaking with an item in hand places it against the block instead of opening it.
    if (player.crouching && player.inventory.slots[36 + player.heldItemSlot]) return false
    if (kind.lidBlocked && await lidBlocked(player.world, block.position)) return true
    const entity = kind.perPlayer
      ? new EnderInventory(player, block.position)
      : blockEntities.at(player.world, block.position,
        () => new Container(player.world, block.position, registry.blocksByName[name]))
    windows.open(player, new ContainerMenu(entity, player, kind))
    return true
  }

  // flying-squid's chest plugin registers its own windows for these blocks on 'asap': register ours first and
  // keep them.
  serv.prependOnceListener('asap', () => {
    const register = serv.onBlockInteraction
    for (const [name, kind] of Object.entries(KINDS)) register(name, open(name, kind))
    serv.onBlockInteraction = (name, handler) => { if (!Object.hasOwn(KINDS, name)) register(name, handler) }
  })
}
