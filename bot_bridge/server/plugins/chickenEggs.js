'use strict'
// Chickens lay eggs as vanilla 1.21.4's Chicken.aiStep: each adult chicken counts down an egg timer of 6000-11999 ticks
// (set when it comes into the world and again after each egg) and drops an egg where it stands when it runs out.
// A chicken's NBT may set the timer, as vanilla's "EggLayTime" tag (`/summon chicken ~ ~ ~ {EggLayTime:100}`).
// Chickens live in world ticks near players only (animals.js), and so does their timer: a frozen world lays nothing.
const path = require('path')
const { Vec3 } = require('vec3')
const { dropItem } = require('../lib/itemDrops')
const { intOf } = require('../lib/snbt')

// the egg timer's fewest and most ticks, from the knowledge base's table (the one home of the fact)
const [EGG_TIME_MIN, EGG_TIME_MAX] = require(path.join(__dirname, '..', '..', '..', 'knowledge', 'data', 'tables',
  'sources.json')).special.items.egg.every
const ACTIVE_RANGE = 128 // as animals.js: vanilla ticks entities near players only

module.exports.server = function (serv) {
  const egg = serv.registry.itemsByName.egg.id
  const eggTime = mob => EGG_TIME_MIN + Math.floor(mob.rng.next() * (EGG_TIME_MAX - EGG_TIME_MIN + 1))

  serv.on('mobSpawned', (mob, tags) => {
    if (mob.name === 'chicken') mob.eggTime = 'EggLayTime' in tags ? intOf(tags.EggLayTime) : eggTime(mob)
  })

  serv.on('tick', () => {
    for (const mob of serv.animals ?? []) {
      if (mob.name !== 'chicken' || mob.dead || mob.eggTime === undefined) continue
      if (!serv.players.some(p => p.world === mob.world && p.position.distanceTo(mob.position) <= ACTIVE_RANGE)) continue
      if (--mob.eggTime > 0) continue
      // ItemEntity's pop: a little up, a little aside (blocks a second, flying-squid's unit)
      dropItem(serv, mob.world, mob.position.clone(), { id: egg, count: 1 },
        new Vec3(mob.rng.next() * 4 - 2, 4, mob.rng.next() * 4 - 2))
      mob.eggTime = eggTime(mob)
    }
  })
}
