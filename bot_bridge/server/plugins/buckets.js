'use strict'
// Buckets, as vanilla's BucketItem: using an empty bucket (use_item) aimed at a water or lava source takes the
// source (the block becomes air) and gives a water_bucket or lava_bucket; using a full one aimed at a block pours
// its source in front of that face and gives the empty bucket back. flying-squid has no bucket at all.
// The aim is the rotation the 1.21.2+ use_item packet carries, which vanilla turns the player to first.
const { Vec3 } = require('vec3')
const windowsFor = require('../lib/windows')

const REACH = 4.5 // vanilla's block interaction range in survival
const EYE_HEIGHT = 1.62
const STEP = 0.05
const FILLED = { water: 'water_bucket', lava: 'lava_bucket' }
const POURED = { water_bucket: 'water', lava_bucket: 'lava' }

module.exports.player = function (player, serv) {
  const { registry } = serv
  const Item = require('prismarine-item')(registry)
  const windows = windowsFor(serv)

  // The first cell along the aim holding anything but air (a non-source fluid is passed through when looking for
  // a source, as vanilla's SOURCE_ONLY clip does), and the cell before it; null when nothing is in reach.
  async function aimedAt (yaw, pitch, sourceOnly) {
    const y = yaw * Math.PI / 180
    const p = pitch * Math.PI / 180
    const dir = new Vec3(-Math.sin(y) * Math.cos(p), -Math.sin(p), Math.cos(y) * Math.cos(p))
    const eyes = player.position.offset(0, EYE_HEIGHT, 0)
    let before = eyes.floored()
    for (let t = 0; t <= REACH; t += STEP) {
      const cell = eyes.plus(dir.scaled(t)).floored()
      if (cell.equals(before) && t > 0) continue
      const block = await player.world.getBlock(cell)
      const fluid = FILLED[block.name] !== undefined
      const source = fluid && Number(block.getProperties().level) === 0
      if (block.name !== 'air' && block.name !== 'cave_air' && !(fluid && !(sourceOnly && source))) {
        return { block, cell, before }
      }
      before = cell
    }
    return null
  }

  // vanilla ItemUtils.createFilledResult: the held stack becomes the result, or loses one and the result goes to
  // the inventory (dropped when full)
  function exchangeHeld (held, resultName) {
    const slot = 36 + player.heldItemSlot
    const result = new Item(registry.itemsByName[resultName].id, 1)
    if (held.count === 1) return player.inventory.updateSlot(slot, result)
    player.inventory.updateSlot(slot, windows.copyWithCount(held, held.count - 1))
    windows.placeBackInInventory(player, result)
  }

  player._client.on('use_item', async ({ hand, rotation }) => {
    if (hand !== 0 || player.gameMode === 3) return
    const held = player.inventory.slots[36 + player.heldItemSlot]
    if (!held || !(held.name === 'bucket' || POURED[held.name])) return
    if (rotation) { player.yaw = rotation.x; player.pitch = rotation.y }
    const hit = await aimedAt(player.yaw, player.pitch, held.name === 'bucket')
    if (!hit) return
    if (held.name === 'bucket') {
      const filled = FILLED[hit.block.name]
      if (!filled) return
      await serv.setBlock(player.world, hit.cell, registry.blocksByName.air.defaultState)
      if (player.gameMode !== 1) exchangeHeld(held, filled)
      return
    }
    const into = await player.world.getBlock(hit.before)
    if (!(into.name === 'air' || into.name === 'cave_air' || FILLED[into.name])) return
    await serv.setBlock(player.world, hit.before, registry.blocksByName[POURED[held.name]].defaultState)
    if (player.gameMode !== 1) exchangeHeld(held, 'bucket')
  })
}
