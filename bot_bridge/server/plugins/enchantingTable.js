'use strict'
// The enchanting table, as vanilla 1.21.4's EnchantmentMenu: right-clicking one opens a `minecraft:enchantment`
// window (slot 0 the item, slot 1 lapis lazuli, 2-37 the player's inventory) whose ten data properties are the three
// options' level costs (0-2), the player's enchantment seed (3), and each option's shown enchantment id (4-6) and
// level (7-9), -1 when none; from the bookshelves around the table (EnchantingTableBlock.BOOKSHELF_OFFSETS: two
// blocks out, with air or another replaceable block between) and the player's seed (lib/enchanting.js).
// Choosing option i (the enchant_item / container button click packet) needs i+1 lapis and i+1 levels, and at least
// the option's cost in levels; it enchants the item (a book becomes an enchanted book), takes the lapis and i+1
// levels, and draws the player a new seed. flying-squid opened nothing on a table (Mineflayer's openEnchantmentTable
// timed out). The items go back to the player when the window closes; it closes past 8 blocks away.
const { Vec3 } = require('vec3')
const windowsFor = require('../lib/windows')
const enchantingRules = require('../lib/enchanting')
const itemComponents = require('../lib/itemComponents')
const xp = require('../lib/experience')

const ITEM = 0
const LAPIS = 1
const SIZE = 2
const REACH_SQ = 64
// vanilla #enchantment_power_transmitter (= #replaceable) blocks between a bookshelf and the table
const TRANSMITTERS = new Set(['air', 'cave_air', 'void_air', 'water', 'lava', 'short_grass', 'fern', 'dead_bush',
  'seagrass', 'tall_seagrass', 'fire', 'soul_fire', 'snow', 'vine', 'glow_lichen', 'light', 'tall_grass', 'large_fern',
  'structure_void', 'bubble_column', 'warped_roots', 'nether_sprouts', 'crimson_roots', 'hanging_roots'])
const BOOKSHELF_OFFSETS = []
for (let dx = -2; dx <= 2; dx++) {
  for (let dz = -2; dz <= 2; dz++) {
    for (let dy = 0; dy <= 1; dy++) if (Math.abs(dx) === 2 || Math.abs(dz) === 2) BOOKSHELF_OFFSETS.push(new Vec3(dx, dy, dz))
  }
}

module.exports.server = function (serv) {
  const { registry } = serv
  const Item = require('prismarine-item')(registry)
  const windows = windowsFor(serv)
  const rules = enchantingRules(registry)
  const items = itemComponents(registry)
  const BOOKSHELF = registry.blocksByName.bookshelf.id
  const transmitters = new Set([...TRANSMITTERS].filter(n => registry.blocksByName[n]).map(n => registry.blocksByName[n].id))
  const open = new Set()

  // vanilla Player.getEnchantmentSeed (kept while the server runs)
  const seedOf = player => {
    if (player.enchantmentSeed === undefined) player.enchantmentSeed = Math.floor(Math.random() * 2 ** 32) | 0
    return player.enchantmentSeed
  }

  async function countBookshelves (world, pos) {
    let n = 0
    for (const offset of BOOKSHELF_OFFSETS) {
      if ((await world.getBlockType(pos.plus(offset))) !== BOOKSHELF) continue
      const between = new Vec3(Math.trunc(offset.x / 2), Math.trunc(offset.y / 2), Math.trunc(offset.z / 2))
      if (transmitters.has(await world.getBlockType(pos.plus(between)))) n++
    }
    return n
  }

  // vanilla ItemStack.isEnchantable: an enchantable item without enchantments yet
  const isEnchantable = item => !!item && rules.enchantability(item.name) > 0 && items.enchantments(item).length === 0

  class EnchantmentMenu extends windows.Menu {
    constructor (player, pos, bookshelves) {
      super(player, { type: 'minecraft:enchantment', title: { translate: 'container.enchant' }, size: SIZE })
      this.pos = pos
      this.bookshelves = bookshelves
      this.data = [0, 0, 0, seedOf(player), -1, -1, -1, -1, -1, -1]
      this.sent = [...this.data]
      open.add(this)
    }

    mayPlace (i, item) {
      if (i === LAPIS) return item.name === 'lapis_lazuli'
      return true
    }

    maxStackSize (i, item) { return i === ITEM ? 1 : super.maxStackSize(i, item) }

    slotChanged (i) {
      if (i < SIZE) {
        this.slotsChanged()
        // the bookshelves may have changed since the window opened: count again, and offer again if so
        countBookshelves(this.player.world, this.pos).then(n => {
          if (n === this.bookshelves || this.player.containerMenu !== this) return
          this.bookshelves = n
          this.slotsChanged()
        }).catch(() => {})
      }
    }

    // vanilla EnchantmentMenu.slotsChanged
    slotsChanged () {
      const item = this.get(ITEM)
      if (isEnchantable(item)) {
        const { costs, clues, levels } = rules.tableOffers(seedOf(this.player), this.bookshelves, item.name)
        this.data = [...costs, seedOf(this.player), ...clues, ...levels]
      } else {
        this.data = [0, 0, 0, seedOf(this.player), -1, -1, -1, -1, -1, -1]
      }
      this.sendData(true)
    }

    // Data properties go out as shorts (vanilla ClientboundContainerSetDataPacket): the seed's low 16 bits.
    // Unlike vanilla (changed properties only), a slot change sends all ten: Mineflayer listens only once the window
    // is open, after the opening values went by, and its enchant() waits until it has heard all three costs, so an
    // option whose cost stays 0 (few bookshelves) would keep it waiting for ever.
    sendData (all = false) {
      this.data.forEach((value, property) => {
        if (!all && this.sent[property] === value) return
        this.sent[property] = value
        this.setProperty(property, property === 3 ? ((value & 0xffff) << 16) >> 16 : value)
      })
    }

    // vanilla EnchantmentMenu.clickMenuButton
    clickMenuButton (id) {
      if (id < 0 || id > 2) return false
      const item = this.get(ITEM)
      const lapis = this.get(LAPIS)
      const needed = id + 1
      const creative = this.player.gameMode === 1
      const cost = this.data[id]
      if ((!lapis || lapis.count < needed) && !creative) return false
      if (cost <= 0 || !item || ((xp.level(this.player) < needed || xp.level(this.player) < cost) && !creative)) return false
      const list = rules.enchantmentList(seedOf(this.player), item.name, id, cost)
      if (list.length === 0) return false
      // Player.onEnchantmentPerformed: the levels go, a new seed is drawn
      if (!creative) xp.giveLevels(this.player, -needed)
      this.player.enchantmentSeed = Math.floor(Math.random() * 2 ** 32) | 0
      let result = item
      if (item.name === 'book') result = Item.fromNotch({ ...Item.toNotch(item), itemId: registry.itemsByName.enchanted_book.id })
      if (!creative) this.set(LAPIS, windows.copyWithCount(lapis, lapis.count - needed))
      this.set(ITEM, items.withEnchantments(result, list))
      return true
    }

    quickMoveStack (i) {
      const item = this.get(i)
      if (!item) return null
      const before = item.count
      let left
      if (i < SIZE) left = windows.moveItemStackTo(this, item, SIZE, SIZE + 36, true)
      else if (item.name === 'lapis_lazuli') left = windows.moveItemStackTo(this, item, LAPIS, LAPIS + 1, true)
      else {
        if (this.get(ITEM) || !this.mayPlace(ITEM, item)) return null
        this.set(ITEM, windows.copyWithCount(item, 1))
        left = windows.copyWithCount(item, item.count - 1)
      }
      return windows.finishQuickMove(this, i, item, before, left)
    }

    givenBackOnClose () {
      return [...super.givenBackOnClose(), ...[this.get(ITEM), this.get(LAPIS)].filter(Boolean)]
    }

    // vanilla clearContainer: the item and the lapis go back to the player
    removed () {
      super.removed()
      open.delete(this)
      for (const i of [ITEM, LAPIS]) {
        const item = this.get(i)
        if (!item) continue
        this.container[i] = null
        windows.placeBackInInventory(this.player, item)
      }
    }
  }

  serv.once('asap', () => {
    serv.onBlockInteraction('enchanting_table', async ({ block, player }) => {
      if (player.crouching && player.inventory.slots[36 + player.heldItemSlot]) return false
      const pos = block.position.clone()
      const bookshelves = await countBookshelves(player.world, pos)
      windows.open(player, new EnchantmentMenu(player, pos, bookshelves)).sendData(true)
      return true
    })
  })

  serv.on('newPlayer', player => {
    player._client.on('enchant_item', ({ windowId, enchantment }) => {
      const menu = windows.menuOf(player)
      if (!(menu instanceof EnchantmentMenu) || menu.id !== windowId || player.gameMode === 3) return
      if (menu.clickMenuButton(enchantment)) menu.broadcastChanges()
    })
  })

  // vanilla stillValid: the window closes when its player is more than 8 blocks from the table
  serv.on('playerTick', () => {
    for (const menu of [...open]) {
      if (menu.player.containerMenu !== menu) { open.delete(menu); continue }
      const far = menu.player.position.distanceSquared(menu.pos.offset(0.5, 0.5, 0.5)) > REACH_SQ
      if (far) windows.close(menu.player)
    }
  })
}
