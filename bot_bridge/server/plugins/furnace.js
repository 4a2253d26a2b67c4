'use strict'
// The furnace, as vanilla 1.21.4 runs it: a block entity per furnace that smelts on the server tick whether or not
// a window is open, and the vanilla furnace menu (slots 0 input, 1 fuel, 2 output, 3-38 the player's inventory) with
// the four data properties Mineflayer's openFurnace reads. flying-squid has none of this: right-clicking a furnace
// opened nothing, so `bot.openFurnace` timed out.
const path = require('path')
const windowsFor = require('../lib/windows')
const blockEntitiesFor = require('../lib/blockEntities')

const INPUT = 0
const FUEL = 1
const OUTPUT = 2
const MENU_SLOTS = 3 // then the player's main inventory (3-29) and hotbar (30-38)

module.exports.server = function (serv) {
  const { registry } = serv
  // Generated with the knowledge base from its smelting and fuel tables (knowledge/generate.py), so the bot's plans
  // and this furnace agree; the path holds in a checkout and in an installed package alike.
  const TABLE = require(path.join(__dirname, '..', '..', '..', 'knowledge', 'data', registry.version.minecraftVersion,
    'furnace.json'))
  const Item = require('prismarine-item')(registry)
  const windows = windowsFor(serv)
  const blockEntities = blockEntitiesFor(serv)
  const Block = require('prismarine-block')(registry)
  const FURNACE = registry.blocksByName.furnace
  const itemId = name => registry.itemsByName[name].id
  const recipes = new Map(Object.entries(TABLE.recipes).map(([input, r]) => [itemId(input), itemId(r.result)]))
  const burnTicks = new Map(Object.entries(TABLE.fuelTicks).map(([name, ticks]) => [itemId(name), ticks]))
  const BUCKET = itemId('bucket')
  const WET_SPONGE = itemId('wet_sponge')
  const WATER_BUCKET = itemId('water_bucket')
  const remainders = new Map([[itemId('lava_bucket'), BUCKET]])

  const isFurnace = stateId => stateId >= FURNACE.minStateId && stateId <= FURNACE.maxStateId

  class Furnace extends blockEntities.BlockEntity {
    constructor (world, pos, lit) {
      super(world, pos, MENU_SLOTS)
      this.litTime = 0 // ticks of fuel left (data property 0)
      this.litDuration = 0 // ticks the current fuel item gives (property 1)
      this.cookTime = 0 // progress of the item being smelted (property 2)
      this.cookTotal = 0 // ticks one item takes (property 3); vanilla sets it when the input changes
      this.shownLit = lit // the block's `lit` state, kept in step with the fuel
    }

    keeps (stateId) { return isFurnace(stateId) } // lit or not, facing any way

    data () { return [this.litTime, this.litDuration, this.cookTime, this.cookTotal] }

    // Every change of a furnace slot goes through here, as vanilla's setItem: a new kind of input restarts cooking.
    setSlot (slot, item) {
      if (slot === INPUT && !windows.sameItem(item, this.slots[INPUT])) {
        this.cookTotal = TABLE.cookTicks
        this.cookTime = 0
      }
      this.slots[slot] = item
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
    }

    consumeFuel () {
      const fuel = this.slots[FUEL]
      const remainder = remainders.get(fuel.type) // a lava bucket leaves its bucket
      const left = windows.copyWithCount(fuel, fuel.count - 1) // null once the last one burns
      this.setSlot(FUEL, left ?? (remainder ? new Item(remainder, 1) : null))
    }

    smelt (result) {
      const input = this.slots[INPUT]
      const out = this.slots[OUTPUT]
      // Vanilla: drying a wet sponge fills an empty bucket waiting in the fuel slot.
      if (input.type === WET_SPONGE && this.slots[FUEL]?.type === BUCKET) this.setSlot(FUEL, new Item(WATER_BUCKET, 1))
      this.setSlot(OUTPUT, out ? windows.copyWithCount(out, out.count + 1) : new Item(result, 1))
      this.setSlot(INPUT, windows.copyWithCount(input, input.count - 1)) // the same item: cooking goes on
    }

    async showLit (lit) {
      this.shownLit = lit
      const block = await this.world.getBlock(this.pos)
      if (block.type !== FURNACE.id) return
      const stateId = Block.fromProperties(FURNACE.name, { ...block.getProperties(), lit }, 0).stateId
      await serv.setBlock(this.world, this.pos, stateId)
    }
  }

  // One player's open furnace window (vanilla FurnaceMenu): its container slots are the furnace's own, so clicks
  // (lib/windows.js) act on the block entity and every viewer sees the furnace's changes.
  class FurnaceMenu extends blockEntities.Menu {
    constructor (furnace, player) {
      super(furnace, player, { type: 'minecraft:furnace', title: { translate: 'container.furnace' } })
      this.furnace = furnace
      this.sent = furnace.data()
    }

    // FurnaceFuelSlot / FurnaceResultSlot: fuel (or an empty bucket, for wet sponges) only; nothing goes into output.
    mayPlace (i, item) {
      if (i === FUEL) return burnTicks.has(item.type) || item.type === BUCKET
      return i !== OUTPUT
    }

    maxStackSize (i, item) { return i === FUEL && item.type === BUCKET ? 1 : super.maxStackSize(i, item) }

    // AbstractFurnaceMenu.quickMoveStack: output and furnace slots go to the inventory; from the inventory,
    // smeltables go to the input, fuels to the fuel slot, anything else between main inventory and hotbar.
    quickMoveStack (i) {
      const item = this.get(i)
      if (!item) return null
      const before = item.count
      let left = item
      const inv = MENU_SLOTS
      if (i === OUTPUT) left = windows.moveItemStackTo(this, item, inv, inv + 36, true)
      else if (i < MENU_SLOTS) left = windows.moveItemStackTo(this, item, inv, inv + 36, false)
      else if (recipes.has(item.type)) left = windows.moveItemStackTo(this, item, INPUT, INPUT + 1, false)
      else if (burnTicks.has(item.type)) left = windows.moveItemStackTo(this, item, FUEL, FUEL + 1, false)
      else if (i < inv + 27) left = windows.moveItemStackTo(this, item, inv + 27, inv + 36, false)
      else left = windows.moveItemStackTo(this, item, inv, inv + 27, false)
      return windows.finishQuickMove(this, i, item, before, left)
    }

    // Vanilla sends every data property right after the full slot state when the window opens...
    sendAllData () { this.sent.forEach((value, property) => this.setProperty(property, value)) }

    // ...then, each tick, the slots and properties that changed, properties in index order.
    tick () {
      if (!super.tick()) return
      this.furnace.data().forEach((value, property) => {
        if (this.sent[property] === value) return
        this.sent[property] = value
        this.setProperty(property, value)
      })
    }
  }

  serv.on('asap', () => {
    serv.onBlockInteraction(FURNACE.name, async ({ block, player }) => {
      // Vanilla: sneaking with an item in hand places it against the furnace instead of opening it.
      if (player.crouching && player.inventory.slots[36 + player.heldItemSlot]) return false
      const furnace = blockEntities.at(player.world, block.position,
        () => new Furnace(player.world, block.position, block.getProperties().lit))
      windows.open(player, new FurnaceMenu(furnace, player)).sendAllData()
      return true
    })

    // Vanilla orients a placed furnace to face the player; flying-squid's default faces it away.
    const OPPOSITE = { north: 'south', south: 'north', east: 'west', west: 'east' }
    serv.onItemPlace(FURNACE.name, ({ properties }) => {
      const block = Block.fromProperties(FURNACE.name, { facing: OPPOSITE[properties.facing], lit: false }, 0)
      return { id: FURNACE.id, data: block.stateId - FURNACE.minStateId }
    })
  })

  // The block entity ticks with the world (tickClock.js skips a frozen one); its windows with their players.
  serv.on('tick', () => blockEntities.forEach(entity => { if (entity instanceof Furnace) entity.tick() }))
}
