'use strict'
// Using an item on an animal (use_entity interact, main hand), as vanilla's Sheep/Cow.mobInteract: shears on an
// unsheared sheep pop 1 to 3 wool of its colour, mark it sheared (its wool metadata: the client draws it bare) and
// wear the shears by 1; an empty bucket on a cow becomes a milk bucket (one of a stack: the milk goes to a free slot,
// or is dropped). A sheared sheep standing on grass eats it (grass_block -> dirt) and regrows its wool
// (EatBlockGoal: a 1 in 1000 chance a tick). Both only in world ticks, like every animal.
const { Vec3 } = require('vec3')
const mobRules = require('../lib/mobs')
const { dropItem } = require('../lib/itemDrops')
const wearItem = require('../lib/itemWear')

const EAT_CHANCE = 1 / 1000
const REACH = 6 // as animalCombat.js: interaction range 3 plus its allowance
const EYE_HEIGHT = 1.62
const HOTBAR_THEN_MAIN = [...Array.from({ length: 9 }, (_, i) => 36 + i), ...Array.from({ length: 27 }, (_, i) => 9 + i)]

module.exports.server = function (serv) {
  const { registry } = serv
  const grass = registry.blocksByName.grass_block
  const dirt = registry.blocksByName.dirt.defaultState

  serv.on('tick', () => {
    for (const mob of serv.animals ?? []) {
      if (mob.name !== 'sheep' || !mob.sheared || mob.dead || !mob.onGround || mob.rng.next() >= EAT_CHANCE) continue
      const below = mob.position.offset(0, -0.5, 0).floored()
      const column = mob.world.getLoadedColumn(below.x >> 4, below.z >> 4)
      const state = column?.getBlockStateId({ x: below.x & 15, y: below.y, z: below.z & 15 })
      if (state === undefined || state < grass.minStateId || state > grass.maxStateId) continue
      serv.setBlock(mob.world, below, dirt)
      mob.sheared = false
      mob.sendMetadata()
    }
  })
}

module.exports.player = function (player, serv) {
  const { registry } = serv
  const Item = require('prismarine-item')(registry)
  const rules = mobRules(registry)

  function shear (mob, slot) {
    if (mob.sheared) return
    mob.sheared = true
    mob.sendMetadata()
    const rng = mob.rng.next
    for (const drop of rules.shearing(mob.color, rng)) {
      // Sheep.shear: from 1 block up, with a little random push (blocks per tick * 20)
      const velocity = new Vec3((rng() - rng()) * 0.1 * 20, rng() * 0.05 * 20 + 2, (rng() - rng()) * 0.1 * 20)
      dropItem(serv, mob.world, mob.position.offset(0, 1, 0), drop, velocity)
    }
    wearItem(serv, player, slot, 1)
  }

  // ItemUtils.createFilledResult: the bucket becomes milk, or one of a stack does.
  function milk (slot, bucket) {
    const milkBucket = new Item(registry.itemsByName.milk_bucket.id, 1)
    if (bucket.count === 1) {
      player.inventory.updateSlot(slot, milkBucket)
      return
    }
    bucket.count--
    player.inventory.updateSlot(slot, bucket)
    const free = HOTBAR_THEN_MAIN.find(i => !player.inventory.slots[i])
    if (free !== undefined) player.inventory.updateSlot(free, milkBucket)
    else dropItem(serv, player.world, player.position.offset(0, 1.32, 0), { id: milkBucket.type, count: 1 }, new Vec3(0, 2, 0), 2000)
  }

  player._client.on('use_entity', ({ target, mouse, hand }) => {
    if (mouse !== 0 || hand !== 0) return // interact with the main hand (interact_at is for armour stands)
    const mob = serv.entities[target]
    if (!mob?.animal || mob.dead || player.gameMode === 3) return
    const eyes = player.position.offset(0, EYE_HEIGHT, 0)
    if (eyes.distanceTo(mob.position.offset(0, mob.kind.height / 2, 0)) > REACH + Math.max(mob.kind.width, mob.kind.height)) return
    const slot = 36 + player.heldItemSlot
    const held = player.inventory.slots[slot]
    const name = held && registry.items[held.type]?.name
    if (mob.name === 'sheep' && name === 'shears') shear(mob, slot)
    else if (mob.name === 'cow' && name === 'bucket') milk(slot, held)
  })
}
