'use strict'
// Blocks that hold items (vanilla block entities: a furnace, a chest, a barrel...), kept per world and position while
// the server runs, and the windows players open on them.
//
//   const blockEntities = require('../lib/blockEntities')(serv)      // one instance per server
//   class Furnace extends blockEntities.BlockEntity {                 // slots, setSlot(i, item), keeps(stateId)
//     keeps (stateId) { return isFurnace(stateId) }                   // the block states it survives
//   }
//   blockEntities.at(world, pos, () => new Furnace(world, pos, size))   // found, or made on first use
//   class FurnaceMenu extends blockEntities.Menu {}                   // a window on one: its container slots are the
//                                                                     // entity's, so every viewer sees each change
//   blockEntities.forEach(fn)
//
// As vanilla: a block replaced by another (e.g. /setblock) loses its entity and drops nothing; a dug one spills its
// items (Containers.dropContents); a window closes when its player walks away (stillValid) and is synced every tick.
const { Vec3 } = require('vec3')
const windowsFor = require('./windows')
const { dropItem } = require('./itemDrops')

const REACH_SQ = 64 // vanilla closes a container whose block is more than 8 blocks from the player

module.exports = function blockEntitiesFor (serv) {
  if (!serv.gitmBlockEntities) serv.gitmBlockEntities = create(serv)
  return serv.gitmBlockEntities
}

function create (serv) {
  const windows = windowsFor(serv)
  const byWorld = new Map() // world -> Map(position key -> BlockEntity)
  const openMenus = new Set()
  const keyOf = pos => `${pos.x},${pos.y},${pos.z}`

  class BlockEntity {
    constructor (world, pos, size) {
      this.world = world
      this.pos = pos.clone()
      this.slots = new Array(size).fill(null)
      this.menus = new Set() // open windows on this block
    }

    setSlot (i, item) { this.slots[i] = item }
    keeps (stateId) { return false } // the block states that keep this entity

    // Vanilla Containers.dropContents: each stack pops out of the broken block.
    dropContents () {
      for (const item of this.slots) {
        if (!item) continue
        const velocity = new Vec3(Math.random() * 2 - 1, Math.random() * 2 + 2, Math.random() * 2 - 1)
        dropItem(serv, this.world, this.pos.offset(0.5, 0.5, 0.5), { id: item.type, count: item.count }, velocity)
      }
      this.slots.fill(null)
    }

    remove () {
      for (const menu of [...this.menus]) windows.close(menu.player)
      byWorld.get(this.world)?.delete(keyOf(this.pos))
    }
  }

  // A window whose first `size` slots are the block entity's own (then the player's inventory, as windows.Menu).
  class Menu extends windows.Menu {
    constructor (entity, player, { type, title }) {
      super(player, { type, title, size: entity.slots.length })
      this.entity = entity
      entity.menus.add(this)
      openMenus.add(this)
    }

    get (i) { return i < this.size ? this.entity.slots[i] : super.get(i) }
    set (i, item) {
      if (i >= this.size) return super.set(i, item)
      this.entity.setSlot(i, item && item.count > 0 ? item : null)
      this.slotChanged(i)
    }

    // Each tick: closed when the player walked away (vanilla stillValid), else what changed is sent. Returns
    // whether the window is still open.
    tick () {
      const center = this.entity.pos.offset(0.5, 0.5, 0.5)
      if (this.player.world !== this.entity.world || this.player.position.distanceSquared(center) > REACH_SQ) {
        windows.close(this.player)
        return false
      }
      this.broadcastChanges()
      return true
    }

    removed () {
      super.removed()
      this.entity.menus.delete(this)
      openMenus.delete(this)
    }
  }

  function at (world, pos, make) {
    if (!byWorld.has(world)) byWorld.set(world, new Map())
    const entities = byWorld.get(world)
    const key = keyOf(pos)
    if (!entities.has(key)) entities.set(key, make())
    return entities.get(key)
  }

  function forEach (fn) {
    for (const entities of byWorld.values()) for (const entity of [...entities.values()]) fn(entity)
  }

  // Vanilla ticks an open window with its player, so a frozen world (tickFreeze.js) still syncs and closes it.
  serv.on('playerTick', () => { for (const menu of [...openMenus]) menu.tick() })

  // The world plugin defines serv.setBlock after the external plugins load: wrap it once all are ready.
  serv.once('pluginsReady', () => {
    const setBlock = serv.setBlock
    serv.setBlock = async (world, position, stateId) => {
      const entity = byWorld.get(world)?.get(keyOf(position))
      if (entity && !entity.keeps(stateId)) entity.remove()
      return setBlock(world, position, stateId)
    }
  })

  // Digging changes the block without serv.setBlock.
  serv.on('newPlayer', player => player.on('dug', ({ position }, cancelled) => {
    const entity = !cancelled && byWorld.get(player.world)?.get(keyOf(position))
    if (!entity) return
    entity.dropContents()
    entity.remove()
  }))

  return { BlockEntity, Menu, at, forEach }
}
