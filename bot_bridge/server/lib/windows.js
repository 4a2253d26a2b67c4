'use strict'
// Server-side windows ("menus") that behave like vanilla's AbstractContainerMenu on the wire.
//
// The server owns every slot and the cursor ("carried") item. After each change the menu diffs them
// against what the client last saw ("remote") and sends set_slot / set_cursor_item for each difference,
// or one window_items when the client clicked with a stale stateId. Clicks never trust the client's
// items: they are applied to the server's own slots (1.17+ clients only send their predicted result).
//
// API for other plugins (a furnace, a chest...):
//   const windows = require('../lib/windows')(serv)       // one instance per server
//   class FurnaceMenu extends windows.Menu {               // override the slot rules you need:
//     mayPlace (i, item) {}   mayPickup (i) {}   onTake (i, taken) {}   quickMoveStack (i) {}
//     slotChanged (i) {}      removed () {}      takeAll (i) {}          canTakeForPickAll (i) {}
//   }
//   const menu = windows.open(player, new FurnaceMenu(player, { type: 'minecraft:furnace', title, size: 3 }))
//   menu.get(i) / menu.set(i, item)     slots 0..size-1 are the container's (menu.container),
//                                       size..size+35 the player's main inventory + hotbar (player.inventory 9..44)
//   menu.setProperty(property, value)   window property (furnace fuel/progress bars)
//   menu.sendSlot(i)                    send a slot now even if unchanged (vanilla does for result slots)
//   menu.knownByClient(i)               the client already shows slot i as it is (no set_slot for it)
//   windows.close(player)               server-side close (also done when the client closes the window)
//   windows.menuOf(player)              the open menu (the player's inventory menu, id 0, when none is open)
//   windows.copyWithCount(item, n), windows.sameItem(a, b), windows.moveItemStackTo(menu, item, start, end, reverse)
//   windows.placeBackInInventory(player, item), windows.drop(player, item)
//   windows.inventoryAfterClose(player)  player.inventory's slots once the open window gave back what it holds
// Changes made to player.inventory directly (updateSlot) are synced by the inventoryClicks plugin.

const { Vec3 } = require('vec3')
const { dropItem } = require('./itemDrops')

const OUTSIDE = -999
const INVENTORY_TYPE = 'minecraft:inventory'

module.exports = function windowsFor (serv) {
  if (!serv.gitmWindows) serv.gitmWindows = create(serv)
  return serv.gitmWindows
}

function create (serv) {
  const Item = require('prismarine-item')(serv.registry)
  const windowTypes = require('prismarine-windows')(serv.registry).windows

  function copyWithCount (item, count) {
    if (!item || count <= 0) return null
    return Item.fromNotch({ ...Item.toNotch(item), itemCount: count })
  }
  // Item identity without the count: vanilla's ItemStack.isSameItemSameComponents.
  function itemKey (item) {
    if (!item) return ''
    const n = Item.toNotch(item)
    return JSON.stringify([n.itemId, n.components, n.removeComponents])
  }
  function sameItem (a, b) { return !!a && !!b && itemKey(a) === itemKey(b) }
  function stackKey (item) { return item ? `${item.count}x${itemKey(item)}` : '' }

  class Menu {
    // size: number of the container's own slots, placed before the player's 36 inventory slots.
    constructor (player, { type, title = { translate: 'container.inventory' }, size = 0 }) {
      this.player = player
      this.type = type
      this.title = title
      this.size = size
      this.container = new Array(size).fill(null)
      this.id = 0
      this.carried = null
      this.stateId = 0
      this.remote = null // what the client believes: a stackKey per slot; null until the first full sync
      this.remoteCarried = ''
      this.drag = { status: 0, type: 0, slots: [] }
    }

    get slotCount () { return this.size + 36 }
    inventoryIndex (i) { return i >= this.size && i < this.size + 36 ? 9 + i - this.size : -1 }
    get (i) {
      const k = this.inventoryIndex(i)
      return (k >= 0 ? this.player.inventory.slots[k] : this.container[i]) ?? null
    }

    set (i, item) {
      item = item && item.count > 0 ? item : null
      const k = this.inventoryIndex(i)
      if (k >= 0) this.player.inventory.updateSlot(k, item)
      else this.container[i] = item
      this.slotChanged(i)
    }

    // Slot rules (vanilla Slot); override per menu type.
    mayPlace (i, item) { return true }
    mayPickup (i) { return true }
    maxStackSize (i, item) { return Math.min(99, item.stackSize) }
    takeAll (i) { return false } // result slots hand out their whole stack whatever was asked
    onTake (i, taken) {}
    slotChanged (i) {}
    canTakeForPickAll (i) { return true }
    // Shift-click; returns a copy of the moved stack, or null when nothing moved (vanilla ChestMenu).
    quickMoveStack (i) {
      const item = this.get(i)
      if (!item) return null
      const before = item.count
      const left = i < this.size
        ? moveItemStackTo(this, item, this.size, this.slotCount, true)
        : moveItemStackTo(this, item, 0, this.size, false)
      return finishQuickMove(this, i, item, before, left)
    }

    // What closing the window gives back to the player's inventory: the cursor item (a grid adds its items).
    givenBackOnClose () { return this.carried ? [this.carried] : [] }

    // Called when the window closes: the cursor item goes back to the inventory.
    removed () {
      if (this.carried) placeBackInInventory(this.player, this.carried)
      this.carried = null
    }

    // --- slot helpers (vanilla Slot.safeInsert / tryRemove / safeTake) ---
    safeInsert (i, stack, n) {
      if (!stack || !this.mayPlace(i, stack)) return stack
      const current = this.get(i)
      const k = Math.min(n, stack.count, this.maxStackSize(i, stack) - (current ? current.count : 0))
      if (k <= 0) return stack
      if (!current) this.set(i, copyWithCount(stack, k))
      else if (sameItem(current, stack)) this.set(i, copyWithCount(current, current.count + k))
      else return stack
      return copyWithCount(stack, stack.count - k)
    }

    tryRemove (i, count, limit) {
      const item = this.get(i)
      if (!item || !this.mayPickup(i)) return null
      const allowModification = this.mayPlace(i, item)
      if (!allowModification && limit < item.count) return null
      const n = this.takeAll(i) ? item.count : Math.min(count, limit, item.count)
      this.set(i, copyWithCount(item, item.count - n))
      return copyWithCount(item, n)
    }

    safeTake (i, count, limit) {
      const taken = this.tryRemove(i, count, limit)
      if (taken) this.onTake(i, taken)
      return taken
    }

    // --- a click, as vanilla AbstractContainerMenu.doClick ---
    clicked (slot, button, mode) {
      if (mode === 5) return this.dragClick(slot, button)
      if (this.drag.status !== 0) return this.resetDrag()
      if ((mode === 0 || mode === 1) && (button === 0 || button === 1)) {
        if (slot === OUTSIDE) {
          if (!this.carried) return
          if (button === 0) { drop(this.player, this.carried); this.carried = null } else {
            drop(this.player, copyWithCount(this.carried, 1))
            this.carried = copyWithCount(this.carried, this.carried.count - 1)
          }
        } else if (slot >= 0 && mode === 1) {
          if (!this.mayPickup(slot)) return
          // repeated while the slot still holds the same item: shift-click on a result crafts all it can
          let moved = this.quickMoveStack(slot)
          while (moved && sameItem(this.get(slot), moved)) moved = this.quickMoveStack(slot)
        } else if (slot >= 0) {
          this.pickup(slot, button)
        }
      } else if (mode === 2 && slot >= 0 && ((button >= 0 && button < 9) || button === 40)) {
        this.swap(slot, button === 40 ? 45 : 36 + button)
      } else if (mode === 3 && this.player.gameMode === 1 && !this.carried && slot >= 0) {
        const item = this.get(slot)
        if (item) this.carried = copyWithCount(item, item.stackSize)
      } else if (mode === 4 && !this.carried && slot >= 0) {
        const item = this.get(slot)
        if (!item) return
        let taken = this.safeTake(slot, button === 0 ? 1 : item.count, Infinity)
        if (taken) drop(this.player, taken)
        // Ctrl+Q on a result slot keeps crafting while the result stays the same
        while (button === 1 && taken && sameItem(this.get(slot), taken)) {
          taken = this.safeTake(slot, taken.count, Infinity)
          if (taken) drop(this.player, taken)
        }
      } else if (mode === 6 && slot >= 0) {
        this.collectAll(slot, button)
      }
    }

    pickup (slot, button) {
      const item = this.get(slot)
      const carried = this.carried
      if (!item) {
        if (carried) this.carried = this.safeInsert(slot, carried, button === 0 ? carried.count : 1)
      } else if (this.mayPickup(slot)) {
        if (!carried) {
          const taken = this.tryRemove(slot, button === 0 ? item.count : Math.floor((item.count + 1) / 2), Infinity)
          if (taken) { this.carried = taken; this.onTake(slot, taken) }
        } else if (this.mayPlace(slot, carried)) {
          if (sameItem(item, carried)) {
            this.carried = this.safeInsert(slot, carried, button === 0 ? carried.count : 1)
          } else if (carried.count <= this.maxStackSize(slot, carried)) {
            this.carried = item
            this.set(slot, carried)
          }
        } else if (sameItem(item, carried)) {
          const taken = this.tryRemove(slot, item.count, carried.stackSize - carried.count)
          if (taken) {
            this.carried = copyWithCount(carried, carried.count + taken.count)
            this.onTake(slot, taken)
          }
        }
      }
    }

    // Number keys (and F = 40, the offhand) swap a slot with a hotbar slot.
    swap (slot, inventorySlot) {
      const inv = this.player.inventory
      const other = inv.slots[inventorySlot]
      const item = this.get(slot)
      if (!other && !item) return
      if (!other) {
        if (!this.mayPickup(slot)) return
        inv.updateSlot(inventorySlot, item)
        this.set(slot, null)
        this.onTake(slot, item)
      } else if (!item) {
        if (!this.mayPlace(slot, other)) return
        const max = this.maxStackSize(slot, other)
        this.set(slot, copyWithCount(other, Math.min(max, other.count)))
        inv.updateSlot(inventorySlot, copyWithCount(other, other.count - max))
      } else if (this.mayPickup(slot) && this.mayPlace(slot, other)) {
        const max = this.maxStackSize(slot, other)
        if (other.count > max) {
          this.set(slot, copyWithCount(other, max))
          inv.updateSlot(inventorySlot, copyWithCount(other, other.count - max))
          this.onTake(slot, item)
          placeBackInInventory(this.player, item)
        } else {
          inv.updateSlot(inventorySlot, item)
          this.set(slot, other)
          this.onTake(slot, item)
        }
      }
    }

    // Double click: gather items like the cursor's, non-full stacks first.
    collectAll (slot, button) {
      if (!this.carried || (this.get(slot) && this.mayPickup(slot))) return
      const n = this.slotCount
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < n && this.carried.count < this.carried.stackSize; j++) {
          const i = button === 0 ? j : n - 1 - j
          const item = this.get(i)
          if (!sameItem(item, this.carried) || !this.mayPickup(i) || !this.canTakeForPickAll(i)) continue
          if (pass === 0 && item.count === item.stackSize) continue
          const taken = this.safeTake(i, item.count, this.carried.stackSize - this.carried.count)
          if (taken) this.carried = copyWithCount(this.carried, this.carried.count + taken.count)
        }
      }
    }

    // Mode 5: start (button 0/4/8), add slot (1/5/9), end (2/6/10); left = spread evenly, right = one each.
    dragClick (slot, button) {
      const previous = this.drag.status
      const status = button & 3
      const type = (button >> 2) & 3
      if ((previous !== 1 || status !== 2) && previous !== status) return this.resetDrag()
      if (!this.carried) return this.resetDrag()
      if (status === 0) {
        if (type === 0 || type === 1 || (type === 2 && this.player.gameMode === 1)) {
          this.drag = { status: 1, type, slots: [] }
        } else this.resetDrag()
      } else if (status === 1) {
        const item = this.get(slot)
        if (slot >= 0 && slot < this.slotCount && !this.drag.slots.includes(slot) &&
          (!item || sameItem(item, this.carried)) && this.mayPlace(slot, this.carried) &&
          (type === 2 || this.carried.count > this.drag.slots.length)) this.drag.slots.push(slot)
      } else if (status === 2) {
        const slots = this.drag.slots
        this.resetDrag()
        if (slots.length === 1) return this.pickup(slots[0], type)
        const carried = this.carried
        let left = carried.count
        const each = type === 0 ? Math.floor(carried.count / slots.length) : type === 1 ? 1 : carried.stackSize
        for (const i of slots) {
          const item = this.get(i)
          if ((item && !sameItem(item, carried)) || !this.mayPlace(i, carried)) continue
          const had = item ? item.count : 0
          const now = Math.min(each + had, this.maxStackSize(i, carried))
          left -= now - had
          this.set(i, copyWithCount(carried, now))
        }
        this.carried = copyWithCount(carried, left)
      }
    }

    resetDrag () { this.drag = { status: 0, type: 0, slots: [] } }

    // --- synchronisation with the client ---
    nextStateId () {
      this.stateId = (this.stateId + 1) & 32767
      return this.stateId
    }

    broadcastChanges () {
      const client = this.player._client
      if (!this.remote || client.ended) return // nothing was sent yet: the first sync is a full one
      for (let i = 0; i < this.slotCount; i++) {
        const item = this.get(i)
        const key = stackKey(item)
        if (this.remote[i] === key) continue
        this.remote[i] = key
        client.write('set_slot', { windowId: this.id, stateId: this.nextStateId(), slot: i, item: Item.toNotch(item) })
      }
      const carriedKey = stackKey(this.carried)
      if (this.remoteCarried !== carriedKey) {
        this.remoteCarried = carriedKey
        client.write('set_cursor_item', { contents: Item.toNotch(this.carried) })
      }
    }

    // The client already shows this slot as it is now (vanilla setRemoteSlot): nothing to send for it.
    knownByClient (i) {
      if (this.remote) this.remote[i] = stackKey(this.get(i))
    }

    // Send one slot now, changed or not (vanilla does this for a crafting result after each grid change).
    sendSlot (i) {
      const client = this.player._client
      if (!this.remote || client.ended) return
      const item = this.get(i)
      this.remote[i] = stackKey(item)
      client.write('set_slot', { windowId: this.id, stateId: this.nextStateId(), slot: i, item: Item.toNotch(item) })
    }

    broadcastFullState () {
      if (this.player._client.ended) return
      const items = []
      for (let i = 0; i < this.slotCount; i++) items.push(this.get(i))
      this.remote = items.map(stackKey)
      this.remoteCarried = stackKey(this.carried)
      this.player._client.write('window_items', {
        windowId: this.id,
        stateId: this.nextStateId(),
        items: items.map(item => Item.toNotch(item)),
        carriedItem: Item.toNotch(this.carried)
      })
    }

    // The client's prediction of a click, recorded before diffing (vanilla setRemoteSlotNoCopy / setRemoteCarried).
    acceptClientView (changedSlots, cursorItem) {
      if (!this.remote) return
      for (const { location, item } of changedSlots) {
        if (location >= 0 && location < this.slotCount) this.remote[location] = stackKey(Item.fromNotch(item))
      }
      this.remoteCarried = stackKey(Item.fromNotch(cursorItem))
    }

    setProperty (property, value) {
      this.player._client.write('craft_progress_bar', { windowId: this.id, property, value })
    }
  }

  // The player's own inventory window (id 0): every slot is a player.inventory slot, 0..45.
  class InventoryMenu extends Menu {
    constructor (player) {
      super(player, { type: INVENTORY_TYPE })
    }

    get slotCount () { return 46 }
    inventoryIndex (i) { return i >= 0 && i < 46 ? i : -1 }

    mayPlace (i, item) {
      if (i === 0) return false
      if (i >= 5 && i <= 8) return armorSlotOf(item) === i
      return true
    }

    maxStackSize (i, item) { return i >= 5 && i <= 8 ? 1 : super.maxStackSize(i, item) }

    // vanilla InventoryMenu.quickMoveStack
    quickMoveStack (i) {
      const item = this.get(i)
      if (!item) return null
      const before = item.count
      let left
      const armor = armorSlotOf(item)
      if (i === 0) left = moveItemStackTo(this, item, 9, 45, true)
      else if (i >= 1 && i < 9) left = moveItemStackTo(this, item, 9, 45, false)
      else if (armor && !this.get(armor)) left = moveItemStackTo(this, item, armor, armor + 1, false)
      else if (item.name === 'shield' && !this.get(45)) left = moveItemStackTo(this, item, 45, 46, false)
      else if (i >= 9 && i < 36) left = moveItemStackTo(this, item, 36, 45, false)
      else if (i >= 36 && i < 45) left = moveItemStackTo(this, item, 9, 36, false)
      else left = moveItemStackTo(this, item, 9, 45, false)
      return finishQuickMove(this, i, item, before, left)
    }
  }

  function armorSlotOf (item) {
    if (!item) return 0
    const name = item.name
    if (name.endsWith('_helmet') || name === 'carved_pumpkin' || name.endsWith('_head') || name.endsWith('_skull')) return 5
    if (name.endsWith('_chestplate') || name === 'elytra') return 6
    if (name.endsWith('_leggings')) return 7
    if (name.endsWith('_boots')) return 8
    return 0
  }

  // vanilla moveItemStackTo: merge into matching stacks, then fill empty slots. Returns what is left (or null).
  function moveItemStackTo (menu, stack, start, end, reverse) {
    let left = stack
    const order = []
    for (let i = start; i < end; i++) order.push(i)
    if (reverse) order.reverse()
    if (left.stackSize > 1) {
      for (const i of order) {
        if (!left) break
        const item = menu.get(i)
        if (!sameItem(item, left) || !menu.mayPlace(i, left)) continue
        const room = menu.maxStackSize(i, left) - item.count
        if (room <= 0) continue
        const n = Math.min(room, left.count)
        menu.set(i, copyWithCount(item, item.count + n))
        left = copyWithCount(left, left.count - n)
      }
    }
    for (const i of order) {
      if (!left) break
      if (menu.get(i) || !menu.mayPlace(i, left)) continue
      const n = Math.min(menu.maxStackSize(i, left), left.count)
      menu.set(i, copyWithCount(left, n))
      left = copyWithCount(left, left.count - n)
    }
    return left
  }

  // The end of every vanilla quickMoveStack: update the source, run onTake, report what moved.
  function finishQuickMove (menu, i, item, before, left) {
    const after = left ? left.count : 0
    if (after === before) return null
    menu.set(i, left)
    menu.onTake(i, copyWithCount(item, before - after))
    return copyWithCount(item, before)
  }

  // vanilla Inventory.placeItemBackInInventory: stack onto the selected slot, offhand, hotbar, main; then
  // empty slots (hotbar first); drop what does not fit.
  // vanilla Inventory.placeItemBackInInventory over `slots` (player.inventory's numbering): onto stacks of the same
  // item (held slot, offhand, hotbar, main), then into empty slots; put(i, item) writes a slot. Returns what is left.
  function placeBack (slots, heldItemSlot, item, put) {
    const order = [36 + heldItemSlot, 45]
    for (let i = 36; i < 45; i++) order.push(i)
    for (let i = 9; i < 36; i++) order.push(i)
    let left = item
    for (const i of order) {
      if (!left) return null
      const there = slots[i]
      if (!sameItem(there, left) || there.count >= there.stackSize) continue
      const n = Math.min(there.stackSize - there.count, left.count)
      put(i, copyWithCount(there, there.count + n))
      left = copyWithCount(left, left.count - n)
    }
    for (const i of order.slice(2)) {
      if (!left) return null
      if (slots[i]) continue
      const n = Math.min(left.stackSize, left.count)
      put(i, copyWithCount(left, n))
      left = copyWithCount(left, left.count - n)
    }
    return left
  }

  function placeBackInInventory (player, item) {
    const left = placeBack(player.inventory.slots, player.heldItemSlot, item, (i, it) => player.inventory.updateSlot(i, it))
    if (left) drop(player, left)
  }

  // player.inventory's slots as they would be once the open window closed (cursor and crafting grids given back):
  // what a player who leaves takes with them, so what a save must keep even mid-craft.
  function inventoryAfterClose (player) {
    const slots = player.inventory.slots.slice()
    for (const menu of new Set([menuOf(player), player.inventoryMenu])) {
      for (const item of menu.givenBackOnClose()) placeBack(slots, player.heldItemSlot, item, (i, it) => { slots[i] = it })
    }
    return slots
  }

  // vanilla Player.drop(stack, false): from the eyes, thrown where the player looks, picked up after 2 s.
  function drop (player, item) {
    if (!item) return
    const yaw = player.yaw * 2 * Math.PI / 256 // flying-squid stores angles as 1/256 of a turn
    const pitch = player.pitch * 2 * Math.PI / 256
    const speed = 0.3 * 20 // blocks per tick -> blocks per second
    const velocity = new Vec3(-Math.sin(yaw) * Math.cos(pitch) * speed, -Math.sin(pitch) * speed + 2, Math.cos(yaw) * Math.cos(pitch) * speed)
    dropItem(serv, player.world, player.position.offset(0, 1.32, 0), { id: item.type, count: item.count }, velocity, 2000)
  }

  function menuOf (player) {
    if (!player.inventoryMenu) player.inventoryMenu = new api.InventoryMenu(player)
    return player.containerMenu ?? player.inventoryMenu
  }

  // Open a container menu: vanilla ServerPlayer.openMenu (ids cycle 1..100), open_window then the full state.
  function open (player, menu) {
    if (player.containerMenu && player.containerMenu !== player.inventoryMenu) close(player)
    const windowType = windowTypes[menu.type]
    if (!windowType) throw new Error(`unknown window type ${menu.type}`)
    player.windowId = ((player.windowId ?? 0) % 100) + 1
    menu.id = player.windowId
    player.containerMenu = menu
    player._client.write('open_window', {
      windowId: menu.id,
      inventoryType: windowType.type,
      windowTitle: serv._createChatComponent(menu.title).toNetworkFormat()
    })
    menu.broadcastFullState()
    return menu
  }

  // Server-side close (vanilla closeContainer); the client's own close_window goes through closed().
  function close (player) {
    const menu = menuOf(player)
    if (menu.id !== 0) player._client.write('close_window', { windowId: menu.id })
    closed(player)
  }

  // vanilla doCloseContainer: the menu gives back what it holds; the inventory menu takes over, knowing
  // what the client already has in the shared inventory slots.
  function closed (player) {
    const menu = menuOf(player)
    menu.removed()
    const inventoryMenu = player.inventoryMenu
    if (menu !== inventoryMenu) {
      player.containerMenu = null
      if (inventoryMenu.remote && menu.remote) {
        for (let i = 0; i < 36; i++) inventoryMenu.remote[9 + i] = menu.remote[menu.size + i]
      }
    }
    inventoryMenu.broadcastChanges()
  }

  // InventoryMenu may be replaced by a subclass (the crafting plugin adds the 2x2 grid) before players join.
  const api = {
    Menu,
    InventoryMenu,
    OUTSIDE,
    open,
    close,
    closed,
    menuOf,
    copyWithCount,
    sameItem,
    itemKey,
    moveItemStackTo,
    finishQuickMove,
    placeBackInInventory,
    inventoryAfterClose,
    drop
  }
  return api
}
