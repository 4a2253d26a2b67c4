'use strict'
// Dropped items that clients can read. flying-squid sends no entity metadata at all on 1.20.2+ ("todo: fix in
// mcdata"), so a client never learns what an item entity holds and Mineflayer's getDroppedItem() throws. We send
// the stack at the item metadata index, as vanilla does. Pickup also takes the whole stack (flying-squid adds one
// item per pickup whatever the entity holds, and omits the collect packet's count).

module.exports.player = function (player, serv) {
  const { registry } = serv
  const Item = require('prismarine-item')(registry)
  const itemEntity = registry.entitiesByName.item.id
  const itemIndex = serv.supportFeature('metadataIxOfItem')
  const isItem = entity => entity.entityType === itemEntity && entity.itemId !== undefined

  const metadata = entity => [{
    key: itemIndex,
    type: 'item_stack',
    value: Item.toNotch(new Item(entity.itemId, entity.itemCount))
  }]

  // Vanilla pickup order: stacks of the same item (held, offhand, hotbar, main), then empty slots (hotbar, main).
  const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i)
  const HOTBAR = range(36, 45)
  const MAIN = range(9, 36)

  function collect (entity) {
    if (!isItem(entity)) return
    const { slots } = player.inventory
    const stackSize = registry.items[entity.itemId]?.stackSize ?? 64
    let left = entity.itemCount
    for (const slot of [36 + player.heldItemSlot, 45, ...HOTBAR, ...MAIN]) {
      const item = slots[slot]
      if (left === 0 || !item || item.type !== entity.itemId || item.count >= stackSize) continue
      const n = Math.min(left, stackSize - item.count)
      item.count += n
      player.inventory.updateSlot(slot, item)
      left -= n
    }
    for (const slot of [...HOTBAR, ...MAIN]) {
      if (left === 0 || slots[slot]) continue
      const n = Math.min(left, stackSize)
      player.inventory.updateSlot(slot, new Item(entity.itemId, n))
      left -= n
    }
    const taken = entity.itemCount - left
    if (taken === 0) return // inventory full: the item stays on the ground
    entity._writeOthersNearby('collect', {
      collectedEntityId: entity.id, collectorEntityId: player.id, pickupItemCount: taken
    })
    if (left === 0) {
      entity.destroy()
    } else {
      entity.itemCount = left
      entity._writeOthersNearby('entity_metadata', { entityId: entity.id, metadata: metadata(entity) })
    }
  }

  // spawn.js and inventory.js define what we replace after external plugins run; 'asap' follows all of them.
  player.once('asap', () => {
    const spawnEntity = player.spawnEntity
    player.spawnEntity = entity => {
      spawnEntity(entity)
      if (isItem(entity)) player._client.write('entity_metadata', { entityId: entity.id, metadata: metadata(entity) })
    }
    player.collect = collect
  })
}
