'use strict'
// Dropped item stacks as vanilla pops them into the world (a dug block's loot, a killed or sheared animal's): item
// entities that plugins/itemEntities.js makes readable and lets players pick up whole.

const PICKUP_DELAY_MS = 500 // vanilla: 10 ticks
const DESPAWN_MS = 5 * 60 * 1000

// One item entity holding `count` of item `id` at `at`, moving at `velocity` (blocks per second, flying-squid's unit),
// picked up after `pickupMs` (vanilla: 10 ticks; 40 for what a player throws). Returns the entity, or null past
// flying-squid's `max-entities` (the item is lost, with a warning).
function dropItem (serv, world, at, { id, count }, velocity, pickupMs = PICKUP_DELAY_MS) {
  try {
    return serv.spawnObject(serv.registry.entitiesByName.item.id, world, at, {
      velocity, itemId: id, itemCount: count, pickupTime: pickupMs, deathTime: DESPAWN_MS
    })
  } catch (err) { // flying-squid refuses new entities past `max-entities`
    serv.warn?.(`[itemDrops] ${err.message}`)
    return null
  }
}

module.exports = { dropItem, PICKUP_DELAY_MS, DESPAWN_MS }
