'use strict'
// The anvil, as vanilla 1.21.4's AnvilMenu: right-clicking an anvil (chipped or damaged too) opens a `minecraft:anvil`
// window (0 the item, 1 the addition, 2 the result, 3-38 the player's inventory) with one data property, the level
// cost. AnvilMenu.createResult: an item repaired with its material (a quarter of its durability per item) or with a
// second one of its kind (both durabilities + 12% of the maximum), enchantments merged from the second item or an
// enchanted book (anvil costs from the enchantment registry, halved from a book), renamed from the name_item packet
// (1 level), plus both items' prior-work penalty; 40 levels or more is "too expensive" outside creative. Taking the
// result costs the levels, uses up the inputs (only the material needed), and wears the anvil with chance 12%
// (anvil -> chipped -> damaged -> gone). The inputs go back to the player when the window closes; it closes past
// 8 blocks away. flying-squid opened nothing on an anvil (Mineflayer's openAnvil timed out).
const windowsFor = require('../lib/windows')
const enchantingRules = require('../lib/enchanting')
const itemComponents = require('../lib/itemComponents')
const xp = require('../lib/experience')

const INPUT = 0
const ADDITION = 1
const RESULT = 2
const SIZE = 3
const REACH_SQ = 64
const MAX_NAME_LENGTH = 50
const TOO_EXPENSIVE = 40
const DAMAGE_CHANCE = 0.12
const NEXT_ANVIL = { anvil: 'chipped_anvil', chipped_anvil: 'damaged_anvil', damaged_anvil: null }
const LEVEL_EVENT_ANVIL_DESTROYED = 1029
const LEVEL_EVENT_ANVIL_USED = 1030

module.exports.server = function (serv) {
  const { registry } = serv
  const Block = require('prismarine-block')(registry)
  const windows = windowsFor(serv)
  const rules = enchantingRules(registry)
  const items = itemComponents(registry)
  const open = new Set()

  const creative = player => player.gameMode === 1
  const hoverName = item => items.customName(item) ?? registry.items[item.type]?.displayName ?? item.name
  const isDamageable = item => items.maxDamage(item) > 0
  const isValidRepairItem = (item, addition) => (registry.itemsByName[item.name]?.repairWith ?? []).includes(addition.name)
  // EnchantmentHelper.getEnchantmentsForCrafting: a book's stored enchantments, else the item's
  const enchantmentsOf = item => items.enchantments(item)
  const canEnchant = (name, item) => rules.supports(name, item.name)

  class AnvilMenu extends windows.Menu {
    constructor (player, pos) {
      super(player, { type: 'minecraft:anvil', title: { translate: 'container.repair' }, size: SIZE })
      this.pos = pos
      this.cost = 0
      this.sentCost = null
      this.itemName = null
      this.repairItemCountCost = 0
      this.onlyRenaming = false
      open.add(this)
    }

    mayPlace (i) { return i !== RESULT }
    // vanilla AnvilMenu.mayPickup
    mayPickup (i) {
      if (i !== RESULT) return true
      return (creative(this.player) || xp.level(this.player) >= this.cost) && this.cost > 0
    }

    takeAll (i) { return i === RESULT }
    canTakeForPickAll (i) { return i !== RESULT }

    slotChanged (i) {
      if ((i === INPUT || i === ADDITION) && !this.updating) this.createResult()
    }

    setCost (cost) {
      this.cost = cost
      if (this.sentCost === cost) return
      this.sentCost = cost
      this.setProperty(0, cost)
    }

    setResult (item) {
      this.updating = true
      this.container[RESULT] = item
      this.updating = false
    }

    // vanilla AnvilMenu.createResult
    createResult () {
      const input = this.get(INPUT)
      this.onlyRenaming = false
      let i = 0
      let tax = 0
      let k = 0
      if (!input) {
        this.setResult(null)
        return this.setCost(0)
      }
      let result = input
      const addition = this.get(ADDITION)
      const enchants = enchantmentsOf(input).map(e => ({ ...e }))
      tax += items.repairCost(input) + (addition ? items.repairCost(addition) : 0)
      this.repairItemCountCost = 0
      const fail = () => { this.setResult(null); this.setCost(0) }
      if (addition) {
        const isBook = addition.name === 'enchanted_book'
        if (isDamageable(result) && isValidRepairItem(input, addition)) {
          let l = Math.min(items.damage(result), Math.floor(items.maxDamage(result) / 4))
          if (l <= 0) return fail()
          let m
          for (m = 0; l > 0 && m < addition.count; m++) {
            result = items.withDamage(result, items.damage(result) - l)
            i++
            l = Math.min(items.damage(result), Math.floor(items.maxDamage(result) / 4))
          }
          this.repairItemCountCost = m
        } else {
          if (!isBook && (result.type !== addition.type || !isDamageable(result))) return fail()
          if (isDamageable(result) && !isBook) {
            const l = items.maxDamage(input) - items.damage(input)
            const m = items.maxDamage(addition) - items.damage(addition)
            const n = m + Math.floor(items.maxDamage(result) * 12 / 100)
            const p = Math.max(0, items.maxDamage(result) - (l + n))
            if (p < items.damage(result)) {
              result = items.withDamage(result, p)
              i += 2
            }
          }
          let anyApplied = false
          let anyRejected = false
          for (const { name, lvl } of enchantmentsOf(addition)) {
            const definition = rules.definitions.get(name)
            if (!definition) continue
            const current = enchants.find(e => e.name === name)
            const q = current?.lvl ?? 0
            let r = q === lvl ? lvl + 1 : Math.max(lvl, q)
            let ok = canEnchant(name, input) || creative(this.player) || input.name === 'enchanted_book'
            for (const other of enchants) {
              if (other.name !== name && !rules.compatible(name, other.name)) {
                ok = false
                i++
              }
            }
            if (!ok) {
              anyRejected = true
              continue
            }
            anyApplied = true
            r = Math.min(r, definition.maxLevel)
            if (current) current.lvl = r
            else enchants.push({ name, lvl: r })
            let s = definition.anvilCost
            if (isBook) s = Math.max(1, Math.floor(s / 2))
            i += s * r
            if (input.count > 1) i = TOO_EXPENSIVE
          }
          if (anyRejected && !anyApplied) return fail()
        }
      }
      if (this.itemName !== null && this.itemName.trim() !== '') {
        if (this.itemName !== hoverName(input)) {
          k = 1
          i += k
          result = items.withCustomName(result, this.itemName)
        }
      } else if (items.customName(input) !== null) {
        k = 1
        i += k
        result = items.withCustomName(result, null)
      }
      let cost = i <= 0 ? 0 : tax + i
      if (i <= 0) result = null
      if (k === i && k > 0) {
        if (cost >= TOO_EXPENSIVE) cost = TOO_EXPENSIVE - 1
        this.onlyRenaming = true
      }
      if (cost >= TOO_EXPENSIVE && !creative(this.player)) result = null
      if (result) {
        let u = Math.max(items.repairCost(result), addition ? items.repairCost(addition) : 0)
        if (k !== i || k === 0) u = u * 2 + 1 // AnvilMenu.calculateIncreasedRepairCost
        result = items.with(result, { repair_cost: u > 0 ? u : undefined })
        result = items.withEnchantments(result, enchants)
      }
      this.setResult(result)
      this.setCost(cost)
    }

    // vanilla AnvilMenu.setItemName (the name_item packet)
    setItemName (name) {
      const text = [...String(name)].filter(c => c >= ' ' && c !== '\u007f' && c !== '\u00a7').join('') // StringUtil.filterText
      if (text.length > MAX_NAME_LENGTH) return
      this.itemName = text
      const result = this.get(RESULT)
      if (result) this.setResult(items.withCustomName(result, text.trim() === '' ? null : text))
      this.createResult()
      this.broadcastChanges()
    }

    // vanilla AnvilMenu.onTake
    onTake (i) {
      if (i !== RESULT) return
      if (!creative(this.player)) xp.giveLevels(this.player, -this.cost)
      this.updating = true
      if (this.repairItemCountCost > 0) {
        const addition = this.get(ADDITION)
        this.set(ADDITION, addition && addition.count > this.repairItemCountCost
          ? windows.copyWithCount(addition, addition.count - this.repairItemCountCost)
          : null)
      } else if (!this.onlyRenaming) {
        this.set(ADDITION, null)
      }
      this.set(INPUT, null)
      this.updating = false
      this.setCost(0)
      this.createResult()
      this.wearAnvil().catch(err => serv.warn?.(`[anvil] ${err.message}`))
    }

    async wearAnvil () {
      if (creative(this.player)) return
      const world = this.player.world
      const block = await world.getBlock(this.pos)
      if (!(block.name in NEXT_ANVIL)) return
      let event = LEVEL_EVENT_ANVIL_USED
      if (Math.random() < DAMAGE_CHANCE) {
        const next = NEXT_ANVIL[block.name]
        if (next) {
          const state = Block.fromProperties(next, { facing: block.getProperties().facing }, 0).stateId
          await serv.setBlock(world, this.pos, state)
        } else {
          await serv.setBlock(world, this.pos, registry.blocksByName.air.defaultState)
          event = LEVEL_EVENT_ANVIL_DESTROYED
          if (this.player.containerMenu === this) windows.close(this.player)
        }
      }
      for (const p of serv.players.filter(p => p.world === world)) {
        p._client.write('world_event', { effectId: event, location: this.pos, data: 0, global: false })
      }
    }

    // vanilla ItemCombinerMenu.quickMoveStack
    quickMoveStack (i) {
      const item = this.get(i)
      if (!item) return null
      if (i === RESULT) {
        const left = windows.moveItemStackTo(this, item, SIZE, SIZE + 36, true)
        if (left && left.count === item.count) return null
        this.setResult(null)
        this.onTake(RESULT, item)
        if (left) windows.drop(this.player, left)
        return windows.copyWithCount(item, item.count)
      }
      const before = item.count
      const left = i < SIZE
        ? windows.moveItemStackTo(this, item, SIZE, SIZE + 36, false)
        : windows.moveItemStackTo(this, item, this.get(INPUT) ? ADDITION : INPUT, RESULT, false)
      return windows.finishQuickMove(this, i, item, before, left)
    }

    givenBackOnClose () {
      return [...super.givenBackOnClose(), ...[this.get(INPUT), this.get(ADDITION)].filter(Boolean)]
    }

    // vanilla clearContainer: the inputs go back to the player
    removed () {
      super.removed()
      open.delete(this)
      for (const i of [INPUT, ADDITION]) {
        const item = this.get(i)
        if (!item) continue
        this.container[i] = null
        windows.placeBackInInventory(this.player, item)
      }
      this.container[RESULT] = null
    }
  }

  serv.once('asap', () => {
    for (const name of Object.keys(NEXT_ANVIL)) {
      serv.onBlockInteraction(name, ({ block, player }) => {
        if (player.crouching && player.inventory.slots[36 + player.heldItemSlot]) return false
        const menu = windows.open(player, new AnvilMenu(player, block.position.clone()))
        menu.setCost(0)
        return true
      })
    }
  })

  serv.on('newPlayer', player => {
    player._client.on('name_item', ({ name }) => {
      const menu = windows.menuOf(player)
      if (menu instanceof AnvilMenu) menu.setItemName(name)
    })
  })

  serv.on('playerTick', () => {
    for (const menu of [...open]) {
      if (menu.player.containerMenu !== menu) { open.delete(menu); continue }
      if (menu.player.position.distanceSquared(menu.pos.offset(0.5, 0.5, 0.5)) > REACH_SQ) windows.close(menu.player)
    }
  })
}
