'use strict'
// Inventory clicks that work with 1.17+ clients, and an inventory the client always agrees with.
//
// flying-squid 1.12 hands the 1.17+ window_click packet to prismarine-windows, which needs the clicked
// item the packet no longer carries (it now holds the client's predicted changedSlots and cursorItem),
// so every click was lost and the client desynced. Its set_slot packets also lack the stateId, and its
// equipment code calls a player.setEquipment that does not exist (it throws on armor and held slots).
// We take over those listeners from its inventory plugin and run clicks on the server's own slots
// through lib/windows.js, which then corrects the client where its prediction was wrong, like vanilla.

const path = require('path')
const windowsFor = require('../lib/windows')

const builtinInventory = require(path.join(path.dirname(require.resolve('flying-squid')), 'src/lib/plugins/inventory.js'))

// player.inventory slot -> entity_equipment slot (0 main hand, 1 offhand, 2 feet .. 5 head)
const ARMOR_EQUIPMENT = { 5: 5, 6: 4, 7: 3, 8: 2, 45: 1 }

module.exports.server = function (serv) {
  const windows = windowsFor(serv)
  const Item = require('prismarine-item')(serv.registry)

  // flying-squid runs each built-in plugin's `player` hook by reading this property at login time, so
  // wrapping it lets us remove exactly the listeners its inventory plugin adds, right after it adds them.
  const original = builtinInventory.player
  builtinInventory.player = function (player, ...rest) {
    const client = player._client
    const TAKEN = ['window_click', 'set_creative_slot']
    const before = new Set(TAKEN.flatMap(name => client.listeners(name)))
    original.call(this, player, ...rest)
    for (const name of TAKEN) {
      for (const listener of client.listeners(name)) {
        if (!before.has(listener)) client.removeListener(name, listener)
      }
    }
    player.inventory.removeAllListeners('updateSlot') // the inventory was created just now: only its listener
    takeOver(player)
  }

  function takeOver (player) {
    const client = player._client
    player.equipment = player.equipment ?? []
    // flying-squid's held_item_slot handler calls this, then writes entity_equipment itself
    player.setEquipment = (slot, item) => { player.equipment[slot] = item }

    let syncPending = false
    const sync = () => {
      syncPending = false
      windows.menuOf(player).broadcastChanges()
    }
    // Changes made anywhere (pickup, /give, placing, digging) reach the client once per turn, as
    // vanilla's per-tick broadcastChanges does.
    const scheduleSync = () => {
      if (syncPending) return
      syncPending = true
      setImmediate(sync)
    }

    player.inventory.on('updateSlot', (slot, oldItem, newItem) => {
      const equipmentSlot = slot === 36 + player.heldItemSlot ? 0 : ARMOR_EQUIPMENT[slot]
      if (equipmentSlot !== undefined) {
        player.setEquipment(equipmentSlot, newItem)
        player._writeOthersNearby('entity_equipment', {
          entityId: player.id,
          equipments: [{ slot: equipmentSlot, item: Item.toNotch(newItem) }]
        })
      }
      scheduleSync()
    })

    // Vanilla handleSetCreativeModeSlot: only in creative, slots 1-45 of the inventory menu, and the slot is marked
    // as what the client shows (setRemoteSlot): no echo. flying-squid took it in any game mode and echoed it back
    // (Mineflayer 4.25's creative plugin throws on an echoed empty slot).
    client.on('set_creative_slot', ({ slot, item }) => {
      if (player.gameMode !== 1 || !(slot >= 1 && slot <= 45)) return
      const stack = item && item.itemCount > 0 ? Item.fromNotch(item) : null
      player.inventory.updateSlot(slot, stack)
      windows.menuOf(player) // makes sure the inventory menu exists
      player.inventoryMenu?.knownByClient(slot)
    })

    // vanilla sends the whole inventory (window_items) once the player is in the world
    player.on('spawned', () => windows.menuOf(player).broadcastFullState())

    client.on('window_click', packet => {
      const menu = windows.menuOf(player)
      if (packet.windowId !== menu.id) return
      const { slot, mouseButton, mode } = packet
      if (!(slot === -1 || slot === windows.OUTSIDE || (slot >= 0 && slot < menu.slotCount))) return
      const stale = packet.stateId !== menu.stateId
      if (player.gameMode !== 3) {
        try {
          menu.clicked(slot, mouseButton, mode)
        } catch (err) {
          serv.emit('error', err)
        }
      }
      menu.acceptClientView(packet.changedSlots, packet.cursorItem)
      if (stale || player.gameMode === 3) menu.broadcastFullState()
      else menu.broadcastChanges()
    })

    // vanilla closes whatever is open, whichever id the packet names
    client.on('close_window', () => windows.closed(player))

    // flying-squid's Q / Ctrl+Q drop edits the held stack in place, without updateSlot
    client.on('block_dig', ({ status }) => {
      if (status === 3 || status === 4) scheduleSync()
    })

    // what the open window and the cursor hold goes back into the inventory before flying-squid saves it
    player.on('disconnected', () => windows.closed(player))
  }
}
