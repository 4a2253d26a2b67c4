'use strict'
// The furnace, as vanilla 1.21.4 runs it: a block entity per furnace that smelts on the server tick whether or not
// a window is open, and the vanilla furnace menu (slots 0 input, 1 fuel, 2 output, 3-38 the player's inventory) with
// the four data properties Mineflayer's openFurnace reads. flying-squid has none of this: right-clicking a furnace
// opened nothing, so `bot.openFurnace` timed out.
const { Vec3 } = require('vec3')
const TABLE = require('../data/smelting.json')

const INPUT = 0
const FUEL = 1
const OUTPUT = 2
const MENU_SLOTS = 3
const PLAYER_MAIN = 9 // player.inventory slots 9-44 show as menu slots 3-38
const REACH_SQ = 64 // vanilla closes a container whose block is more than 8 blocks from the player

module.exports.server = function (serv) {
  const { registry } = serv
  const Item = require('prismarine-item')(registry)
  const windows = require('prismarine-windows')(registry)
  const Block = require('prismarine-block')(registry)
  const FURNACE = registry.blocksByName.furnace
  const itemId = name => registry.itemsByName[name].id
  const recipes = new Map(Object.entries(TABLE.recipes).map(([input, r]) => [itemId(input), itemId(r.result)]))
  const burnTicks = new Map(Object.entries(TABLE.fuelTicks).map(([name, ticks]) => [itemId(name), ticks]))
  const BUCKET = itemId('bucket')
  const WET_SPONGE = itemId('wet_sponge')
  const remainders = new Map([[itemId('lava_bucket'), BUCKET]])
  const itemEntity = registry.entitiesByName.item.id
  const byWorld = new Map() // world -> Map(position key -> Furnace)
  const FURNACE_MENU = menuTypeId('minecraft:furnace')

  // The open_window type is the menu's protocol id (14 on 1.21.4); prismarine-windows knows the table.
  function menuTypeId (name) {
    for (let id = 0; id < 64; id++) if (windows.createWindow(0, id, '')?.type === name) return id
    throw new Error(`no menu type id for ${name}`)
  }

  const isFurnace = stateId => stateId >= FURNACE.minStateId && stateId <= FURNACE.maxStateId
  const keyOf = pos => `${pos.x},${pos.y},${pos.z}`
  const copy = item => item ? Item.fromNotch(Item.toNotch(item)) : null
  const sameItem = (a, b) => !!a && !!b && a.type === b.type

  class Furnace {
    constructor (world, pos, lit) {
      this.world = world
      this.pos = pos
      this.slots = [null, null, null]
      this.litTime = 0 // ticks of fuel left (data property 0)
      this.litDuration = 0 // ticks the current fuel item gives (property 1)
      this.cookTime = 0 // progress of the item being smelted (property 2)
      this.cookTotal = 0 // ticks one item takes (property 3); vanilla sets it when the input changes
      this.shownLit = lit // the block's `lit` state, kept in step with the fuel
      this.views = new Set()
    }

    data () { return [this.litTime, this.litDuration, this.cookTime, this.cookTotal] }

    // Every change of a furnace slot goes through here, as vanilla's setItem: a new kind of input restarts cooking.
    setSlot (slot, item, fromView = null) {
      if (slot === INPUT && !sameItem(item, this.slots[INPUT])) {
        this.cookTotal = TABLE.cookTicks
        this.cookTime = 0
      }
      this.slots[slot] = item
      for (const view of this.views) if (view !== fromView) view.showFurnaceSlot(slot, item)
    }

    canSmelt (result) {
      if (!this.slots[INPUT] || result === undefined) return false
      const out = this.slots[OUTPUT]
      return !out || (out.type === result && out.count < out.stackSize)
    }

    // Port of AbstractFurnaceBlockEntity.serverTick (1.21.4).
    tick () {
      const wasLit = this.litTime > 0
      if (wasLit) this.litTime--
      const input = this.slots[INPUT]
      const fuel = this.slots[FUEL]
      const result = input ? recipes.get(input.type) : undefined
      if (this.litTime > 0 || (fuel && input)) {
        if (this.litTime === 0 && this.canSmelt(result)) {
          this.litTime = this.litDuration = burnTicks.get(fuel.type) ?? 0
          if (this.litTime > 0) this.consumeFuel()
        }
        if (this.litTime > 0 && this.canSmelt(result)) {
          if (++this.cookTime >= this.cookTotal) {
            this.cookTime = 0
            this.cookTotal = TABLE.cookTicks
            this.smelt(result)
          }
        } else {
          this.cookTime = 0
        }
      } else if (this.cookTime > 0) {
        this.cookTime = Math.max(0, Math.min(this.cookTime - 2, this.cookTotal))
      }
      if (this.shownLit !== this.litTime > 0) this.showLit(this.litTime > 0)
      for (const view of this.views) view.tick()
    }

    consumeFuel () {
      const fuel = this.slots[FUEL]
      const remainder = remainders.get(fuel.type)
      if (fuel.count > 1) this.setSlot(FUEL, new Item(fuel.type, fuel.count - 1, fuel.metadata, fuel.nbt))
      else this.setSlot(FUEL, remainder ? new Item(remainder, 1) : null)
    }

    smelt (result) {
      const input = this.slots[INPUT]
      const out = this.slots[OUTPUT]
      // Vanilla: drying a wet sponge fills an empty bucket waiting in the fuel slot.
      if (input.type === WET_SPONGE && this.slots[FUEL]?.type === BUCKET) this.setSlot(FUEL, new Item(itemId('water_bucket'), 1))
      this.setSlot(OUTPUT, out ? new Item(out.type, out.count + 1, out.metadata, out.nbt) : new Item(result, 1))
      // Same kind of item left: not a new input, so no cooking restart.
      this.setSlot(INPUT, input.count > 1 ? new Item(input.type, input.count - 1, input.metadata, input.nbt) : null)
    }

    async showLit (lit) {
      this.shownLit = lit
      const block = await this.world.getBlock(this.pos)
      if (block.type !== FURNACE.id) return
      const stateId = Block.fromProperties(FURNACE.name, { ...block.getProperties(), lit }, 0).stateId
      await serv.setBlock(this.world, this.pos, stateId)
    }

    // Vanilla Containers.dropContents: each stack pops out of the broken block.
    dropContents () {
      for (const item of this.slots) {
        if (!item) continue
        serv.spawnObject(itemEntity, this.world, this.pos.offset(0.5, 0.5, 0.5), {
          velocity: new Vec3(Math.random() * 2 - 1, Math.random() * 2 + 2, Math.random() * 2 - 1),
          itemId: item.type,
          itemDamage: item.metadata,
          itemCount: item.count,
          pickupTime: 500,
          deathTime: 60 * 5 * 1000
        })
      }
      this.slots = [null, null, null]
    }

    remove () {
      for (const view of [...this.views]) view.close(true)
      byWorld.get(this.world)?.delete(keyOf(this.pos))
    }
  }

  // One player's open furnace menu: a prismarine window whose slots 0-2 mirror the furnace and 3-38 the player's
  // inventory, so clicks applied to it reach both; furnace-side changes are sent to the client as set_slot.
  class FurnaceView {
    constructor (furnace, player) {
      this.furnace = furnace
      this.player = player
      player.windowId = (player.windowId ?? 0) % 100 + 1 // vanilla's container counter
      this.id = player.windowId
      this.stateId = 0
      this.window = windows.createWindow(this.id, 'minecraft:furnace', 'Furnace')
      this.sentData = furnace.data()
      this.mirroring = false
      this.mirror(() => {
        furnace.slots.forEach((item, slot) => this.window.updateSlot(slot, copy(item)))
        for (let slot = MENU_SLOTS; slot < this.window.slots.length; slot++) {
          this.window.updateSlot(slot, copy(player.inventory.slots[slot - MENU_SLOTS + PLAYER_MAIN]))
        }
      })
      this.onWindowSlot = (slot, oldItem, newItem) => {
        if (this.mirroring) return
        if (slot < MENU_SLOTS) furnace.setSlot(slot, copy(newItem), this)
        else this.mirror(() => player.inventory.updateSlot(slot - MENU_SLOTS + PLAYER_MAIN, copy(newItem)))
      }
      this.onInventorySlot = (slot, oldItem, newItem) => {
        if (this.mirroring || slot < PLAYER_MAIN || slot >= PLAYER_MAIN + this.window.slots.length - MENU_SLOTS) return
        this.showSlot(slot - PLAYER_MAIN + MENU_SLOTS, newItem)
      }
      this.onClose = ({ windowId }) => { if (windowId === this.id) this.close(false) }
      this.window.on('updateSlot', this.onWindowSlot)
      player.inventory.on('updateSlot', this.onInventorySlot)
      player._client.on('close_window', this.onClose)
      furnace.views.add(this)
      player.furnaceView = this
    }

    mirror (change) {
      this.mirroring = true
      try { change() } finally { this.mirroring = false }
    }

    // Vanilla's initMenu: the menu, all its slots, then every data property.
    open () {
      const client = this.player._client
      client.write('open_window', {
        windowId: this.id,
        inventoryType: FURNACE_MENU,
        windowTitle: serv._createChatComponent({ translate: 'container.furnace' }).toNetworkFormat()
      })
      client.write('window_items', {
        windowId: this.id,
        stateId: this.stateId,
        items: this.window.slots.map(item => Item.toNotch(item)),
        carriedItem: Item.toNotch(null)
      })
      this.sentData.forEach((value, property) => client.write('craft_progress_bar', { windowId: this.id, property, value }))
    }

    showFurnaceSlot (slot, item) { this.showSlot(slot, copy(item)) }

    showSlot (slot, item) {
      this.mirror(() => this.window.updateSlot(slot, item ? copy(item) : null))
      this.stateId = (this.stateId + 1) & 0x7fff
      this.player._client.write('set_slot', { windowId: this.id, stateId: this.stateId, slot, item: Item.toNotch(item) })
    }

    // Vanilla broadcastChanges: only the properties that changed since last sent, in index order.
    tick () {
      if (this.player.windowId !== this.id) return this.close(false) // another window replaced ours
      const center = this.furnace.pos.offset(0.5, 0.5, 0.5)
      if (this.player.world !== this.furnace.world || this.player.position.distanceSquared(center) > REACH_SQ) {
        return this.close(true)
      }
      this.furnace.data().forEach((value, property) => {
        if (this.sentData[property] === value) return
        this.sentData[property] = value
        this.player._client.write('craft_progress_bar', { windowId: this.id, property, value })
      })
    }

    close (tellClient) {
      if (!this.furnace.views.delete(this)) return
      this.window.removeListener('updateSlot', this.onWindowSlot)
      this.player.inventory.removeListener('updateSlot', this.onInventorySlot)
      this.player._client.removeListener('close_window', this.onClose)
      if (this.player.furnaceView === this) this.player.furnaceView = undefined
      if (tellClient) this.player._client.write('close_window', { windowId: this.id })
    }
  }

  function furnaceAt (world, pos, lit) {
    if (!byWorld.has(world)) byWorld.set(world, new Map())
    const furnaces = byWorld.get(world)
    const key = keyOf(pos)
    if (!furnaces.has(key)) furnaces.set(key, new Furnace(world, pos.clone(), lit))
    return furnaces.get(key)
  }

  serv.on('asap', () => {
    serv.onBlockInteraction(FURNACE.name, async ({ block, player }) => {
      // Vanilla: sneaking with an item in hand places it against the furnace instead of opening it.
      if (player.crouching && player.inventory.slots[36 + player.heldItemSlot]) return false
      player.furnaceView?.close(true)
      const furnace = furnaceAt(player.world, block.position, block.getProperties().lit)
      new FurnaceView(furnace, player).open()
      return true
    })

    // Vanilla orients a placed furnace to face the player; flying-squid's default faces it away.
    const OPPOSITE = { north: 'south', south: 'north', east: 'west', west: 'east' }
    serv.onItemPlace(FURNACE.name, ({ properties }) => {
      const block = Block.fromProperties(FURNACE.name, { facing: OPPOSITE[properties.facing], lit: false }, 0)
      return { id: FURNACE.id, data: block.stateId - FURNACE.minStateId }
    })
  })

  serv.on('tick', () => {
    for (const furnaces of byWorld.values()) for (const furnace of furnaces.values()) furnace.tick()
  })

  // A furnace replaced by anything else (e.g. /setblock) loses its block entity; vanilla drops nothing then.
  // The world plugin defines serv.setBlock after external plugins load, so wrap it once all are ready.
  serv.once('pluginsReady', () => {
    const setBlock = serv.setBlock
    serv.setBlock = async (world, position, stateId) => {
      if (!isFurnace(stateId)) byWorld.get(world)?.get(keyOf(position))?.remove()
      return setBlock(world, position, stateId)
    }
  })

  serv.dropFurnaceContents = (world, pos) => {
    const furnace = byWorld.get(world)?.get(keyOf(pos))
    if (!furnace) return
    furnace.dropContents()
    furnace.remove()
  }
}

module.exports.player = function (player, serv) {
  // Breaking a furnace spills what it holds (vanilla); digging changes the block without serv.setBlock.
  player.on('dug', ({ position }, cancelled) => {
    if (!cancelled) serv.dropFurnaceContents(player.world, position)
  })
  player.on('disconnected', () => player.furnaceView?.close(false))
}
