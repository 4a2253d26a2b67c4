'use strict'
// Vanilla ItemStack.hurtAndBreak for a player's tool: `amount` more damage, kept in the item's `damage` component
// (1.20.5+); at its max durability the item breaks (gone, and entity event 47 lets clients play the break).

module.exports = function wearItem (serv, player, slot, amount = 1) {
  const item = player.inventory.slots[slot]
  const max = item && serv.registry.items[item.type]?.maxDurability
  if (!max) return
  const used = (item.durabilityUsed ?? 0) + amount
  if (used >= max) {
    player.inventory.updateSlot(slot, null)
    const status = { entityId: player.id, entityStatus: 47 } // EntityEvent.MAINHAND_BREAK (the held item's slot)
    player._client.write('entity_status', status)
    player._writeOthersNearby('entity_status', status)
    return
  }
  item.components = (item.components ?? []).filter(c => c.type !== 'damage').concat([{ type: 'damage', data: used }])
  item.componentMap?.set('damage', { type: 'damage', data: used })
  player.inventory.updateSlot(slot, item)
}
