'use strict'
// Keeps each player's inventory, position, health, food (and saturation...) across a reconnect (same username, so
// the same offline uuid), as a vanilla server does with playerdata/<uuid>.dat. flying-squid only
// saves player data into a world folder; without one (our default: no region files to write) a
// reconnected player came back at spawn with an empty inventory. This keeps the same record in
// memory for the server's lifetime, through flying-squid's own read/save hooks and login path.

const playerDat = require('flying-squid/src/lib/playerDat')
const slotIds = require('flying-squid/src/lib/convertInventorySlotId')
const windowsFor = require('../lib/windows')

const FIRST_KEPT_SLOT = 5 // 0..4 are the 2x2 crafting grid and its result, which vanilla empties on close

module.exports.server = function (serv, settings) {
  if (settings.worldFolder) return // flying-squid saves into the world folder itself
  const saved = serv.playerRecords = new Map() // uuid -> record; worldSave.js keeps it on disk
  const windows = windowsFor(serv)
  const { read, save } = playerDat

  playerDat.save = async (player, worldFolder, ...rest) => {
    if (worldFolder !== undefined) return save(player, worldFolder, ...rest)
    // a dead player rejoins as a fresh respawn at the world spawn, as after vanilla's death screen
    if (!(player.health > 0)) { saved.delete(player.uuid); return }
    saved.set(player.uuid, {
      player: {
        health: player.health,
        food: player.food,
        gameMode: player.gameMode,
        xp: player.xp,
        heldItemSlot: player.heldItemSlot,
        position: player.position.clone(),
        yaw: player.yaw,
        pitch: player.pitch,
        onGround: player.onGround,
        // the survival plugins' own fields (saturation, air, fire, bed spawn...): serv.savedPlayerFields
        ...Object.fromEntries([...(serv.savedPlayerFields ?? [])].map(key => [key, player[key]]))
      },
      // the shape read() returns from NBT, which login turns back into window slots; taken as if the open window
      // had closed, so a save mid-craft keeps what sits in the grid or on the cursor
      inventory: windows.inventoryAfterClose(player)
        .map((item, slot) => item && slot >= FIRST_KEPT_SLOT && {
          Slot: { value: Number(slotIds.toNBT(slot)) },
          id: { value: `minecraft:${item.name}` },
          Count: { value: item.count },
          ...(item.nbt ? { tag: item.nbt } : {})
        })
        .filter(Boolean)
    })
  }

  playerDat.read = async (uuid, spawnPoint, worldFolder) => {
    if (worldFolder !== undefined) return read(uuid, spawnPoint, worldFolder)
    const s = saved.get(uuid)
    if (!s) return read(uuid, spawnPoint, worldFolder) // flying-squid's defaults: spawn, full health
    return { player: { ...s.player, position: s.player.position.clone() }, inventory: s.inventory }
  }
}
