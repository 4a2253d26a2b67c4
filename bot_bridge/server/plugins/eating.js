'use strict'
// Eating and drinking, as vanilla 1.21.4's Consumable items: use_item with a food (or a milk bucket) in hand starts
// using it (living-entity flags in the entity metadata, as vanilla shows others the eating pose); after its use time
// (32 ticks; dried kelp 16, honey 40) the player gets the food's nutrition and saturation (minecraft-data's `foods`,
// FoodData.add) and one item is used up, leaving the bowl or bottle or bucket it came in; entity event 9 then tells
// the client it finished (Mineflayer's bot.consume() resolves on it). Releasing the use (block_dig status 5) or
// changing the held item stops it with nothing eaten. A food is refused (nothing happens) at food 20 unless it is
// always edible; milk is always drinkable and clears every effect. Not modelled: the foods' own effects (golden
// apple regeneration, rotten flesh hunger...), eating sounds and particles.

const USE_TICKS = 32
const OWN_USE_TICKS = { dried_kelp: 16, honey_bottle: 40 } // vanilla's consume_seconds 0.8 and 2.0
const ALWAYS_EDIBLE = new Set(['golden_apple', 'enchanted_golden_apple', 'chorus_fruit', 'suspicious_stew'])
const LEFT_OVER = { // what the container becomes once its content is eaten or drunk
  mushroom_stew: 'bowl',
  rabbit_stew: 'bowl',
  beetroot_soup: 'bowl',
  suspicious_stew: 'bowl',
  honey_bottle: 'glass_bottle',
  milk_bucket: 'bucket'
}
const LIVING_FLAGS = 8 // living_entity_flags: 1 using an item, 2 in the offhand
const OFFHAND_SLOT = 45
const FINISHED_USING = 9

module.exports.server = function (serv) {
  serv.on('playerTick', () => {
    for (const player of serv.players) player.useItemTick?.()
  })
}

module.exports.player = function (player, serv) {
  const { registry } = serv
  const Item = require('prismarine-item')(registry)
  player.usingItem = null // { slot, type, ticksLeft }

  const slotOf = hand => hand === 1 || hand === 'off_hand' ? OFFHAND_SLOT : 36 + player.heldItemSlot

  function sendLivingFlags (flags) {
    const metadata = [{ key: LIVING_FLAGS, type: 'byte', value: flags }]
    player._client.write('entity_metadata', { entityId: player.id, metadata })
    player._writeOthersNearby('entity_metadata', { entityId: player.id, metadata })
  }

  function stopUsing () {
    if (!player.usingItem) return
    player.usingItem = null
    sendLivingFlags(0)
  }
  player.stopUsingItem = stopUsing

  const isConsumable = item => Boolean(registry.foodsByName[item.name]) || item.name === 'milk_bucket'
  function canConsume (item) {
    if (item.name === 'milk_bucket' || ALWAYS_EDIBLE.has(item.name) || player.isInvulnerable?.()) return true
    return player.food < 20
  }

  player._client.on('use_item', ({ hand }) => {
    if (!player.bodyReady || player.dead || player.gameMode === 3) return
    const slot = slotOf(hand)
    const item = player.inventory.slots[slot]
    if (!item || !isConsumable(item) || !canConsume(item)) return
    player.usingItem = { slot, type: item.type, ticksLeft: OWN_USE_TICKS[item.name] ?? USE_TICKS }
    sendLivingFlags(slot === OFFHAND_SLOT ? 3 : 1)
  })

  player._client.on('block_dig', ({ status }) => {
    if (status === 5 || status === 'release_use_item') stopUsing()
  })
  player._client.on('held_item_slot', () => stopUsing())

  function giveBack (name) {
    const item = new Item(registry.itemsByName[name].id, 1)
    const slots = player.inventory.slots
    const free = [...Array(9).keys()].map(i => 36 + i).concat([...Array(27).keys()].map(i => 9 + i))
      .find(i => !slots[i])
    if (free !== undefined) player.inventory.updateSlot(free, item)
    // else vanilla drops it; here it is lost (a full inventory while eating stew)
  }

  function finish ({ slot }) {
    const item = player.inventory.slots[slot]
    player._client.write('entity_status', { entityId: player.id, entityStatus: FINISHED_USING })
    const food = registry.foodsByName[item.name]
    if (food) player.eat(food.foodPoints, food.saturation)
    if (item.name === 'milk_bucket') {
      for (const [id, effect] of Object.entries(player.effects ?? {})) if (effect) player.removeEffect(Number(id))
    }
    if (player.gameMode === 1) return // creative keeps the item
    const leftOver = LEFT_OVER[item.name]
    if (item.count > 1) {
      item.count--
      player.inventory.updateSlot(slot, item)
      if (leftOver) giveBack(leftOver)
    } else {
      player.inventory.updateSlot(slot, leftOver ? new Item(registry.itemsByName[leftOver].id, 1) : null)
    }
  }

  player.useItemTick = () => {
    const using = player.usingItem
    if (!using) return
    const item = player.inventory.slots[using.slot]
    if (player.dead || !item || item.type !== using.type ||
        (using.slot !== OFFHAND_SLOT && using.slot !== 36 + player.heldItemSlot)) {
      stopUsing()
      return
    }
    if (--using.ticksLeft > 0) return
    stopUsing()
    finish(using)
  }

  player.on('requestRespawn', () => { player.usingItem = null })
}
