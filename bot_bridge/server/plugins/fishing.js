'use strict'
// Fishing as vanilla 1.21.4's FishingRodItem and FishingHook: using a rod casts a fishing_bobber (its spawn data is
// the owner's entity id) from the player's eyes along the look; it falls (0.03 a tick, 0.92 drag), stops on the
// ground and bobs at the water surface. In water a fish is lured after 100-600 ticks (less with Lure), swims up for
// 20-80 ticks and bites: 6 bubble and 6 fishing particles at the bobber (what clients such as Mineflayer's
// bot.fish() wait for), then it stays on the hook 20-40 ticks. Using the rod again reels in: with a fish on the
// hook, a catch from the fishing loot table (treasure only in open water) is thrown towards the player, with 1-6
// experience; the rod takes 1 damage (2 when the bobber lay on the ground). The bobber goes when its owner leaves,
// dies, stops holding a rod or goes 32 blocks away, and after a minute on the ground.
// Not modelled: hooking entities, rain's faster bites, the fish's approach particles, experience as an orb (the
// points are given at once), treasure's and junk's random damage and enchantments.
const { Vec3 } = require('vec3')
const { randomUUID } = require('crypto')
const rules = require('../lib/fishing')
const { dropItem } = require('../lib/itemDrops')
const wearItem = require('../lib/itemWear')

const EYE_HEIGHT = 1.62
const GRAVITY = 0.03
const DRAG = 0.92
const SUBSTEPS = 4 // collision checks along a tick's move
const MAX_GROUND_TICKS = 1200
const MAX_DISTANCE = 32
const SINK = 0.1 // how far under the surface the bobber floats

module.exports.server = function (serv) {
  const { registry } = serv
  const bobberType = registry.entitiesByName.fishing_bobber.id
  const rod = registry.itemsByName.fishing_rod.id
  const bobbers = new Map() // player -> bobber entity

  const enchantLevel = (item, name) => (item?.enchants ?? []).find(e => e.name === name)?.lvl ?? 0
  const heldRodSlot = player => [36 + player.heldItemSlot, 45].find(s => player.inventory.slots[s]?.type === rod)
  const solid = block => block && block.boundingBox === 'block'

  async function waterAt (world, cell) {
    const block = await world.getBlock(cell)
    if (block?.name !== 'water') return 0
    const above = await world.getBlock(cell.offset(0, 1, 0))
    return rules.waterHeight(Number(block.getProperties().level ?? 0), above?.name === 'water')
  }

  async function openWater (world, cell) {
    const kinds = []
    for (let dy = -1; dy <= 2; dy++) {
      let kind = null
      for (let dx = -2; dx <= 2 && kind !== 'invalid'; dx++) {
        for (let dz = -2; dz <= 2 && kind !== 'invalid'; dz++) {
          const block = await world.getBlock(cell.offset(dx, dy, dz))
          const here = ['air', 'cave_air', 'lily_pad'].includes(block?.name) ? 'above'
            : block?.name === 'water' && Number(block.getProperties().level) === 0 ? 'inside' : 'invalid'
          kind = kind === null || kind === here ? here : 'invalid'
        }
      }
      kinds.push(kind)
    }
    return rules.isOpenWater(dy => kinds[dy + 1])
  }

  function particles (bobber, type) {
    const { x, y, z } = bobber.position
    serv._writeArray('world_particles', {
      longDistance: false,
      alwaysShow: false,
      x,
      y: y + 0.5,
      z,
      offsetX: rules.BOBBER_WIDTH,
      offsetY: 0,
      offsetZ: rules.BOBBER_WIDTH,
      velocityOffset: 0.2,
      amount: rules.BITE_PARTICLES,
      particle: { type }
    }, serv.getNearby(bobber))
  }

  // FishingHook(Player, Level, luck, lureSpeed): from the eyes, 0.3 to the side of the look, thrown along it
  function cast (player, item, yaw, pitch) {
    const rad = Math.PI / 180
    const cosYaw = Math.cos(-yaw * rad - Math.PI)
    const sinYaw = Math.sin(-yaw * rad - Math.PI)
    const cosPitch = -Math.cos(-pitch * rad)
    const sinPitch = Math.sin(-pitch * rad)
    const start = player.position.offset(-sinYaw * 0.3, EYE_HEIGHT, -cosYaw * 0.3)
    let motion = new Vec3(-sinYaw, Math.max(-5, Math.min(5, -(sinPitch / cosPitch))), -cosYaw)
    const triangle = () => 0.0103365 * (Math.random() - Math.random())
    const length = motion.norm()
    motion = new Vec3(motion.x * (0.6 / length + triangle()), motion.y * (0.6 / length + triangle()),
      motion.z * (0.6 / length + triangle()))

    const lureLevel = enchantLevel(item, 'lure')
    const bobber = serv.initEntity('object', bobberType, player.world, start)
    Object.assign(bobber, {
      uuid: randomUUID(),
      name: 'fishing_bobber',
      data: player.id, // the spawn packet's data: the owner, which clients draw the line to
      yaw: 0,
      pitch: 0,
      velocity: motion.scaled(20), // flying-squid's unit (blocks per second) for the spawn packet
      metadata: [],
      owner: player,
      motion,
      state: 'flying',
      groundTicks: 0,
      lureLevel,
      lure: rules.lureTicks(lureLevel, Math.random),
      approach: 0,
      nibble: 0,
      luck: enchantLevel(item, 'luck_of_the_sea'),
      openWater: true
    })
    bobber.updateAndSpawn()
    bobbers.set(player, bobber)
  }

  function discard (player) {
    const bobber = bobbers.get(player)
    bobbers.delete(player)
    if (bobber && serv.entities[bobber.id]) bobber.destroy()
    return bobber
  }

  function reelIn (player, slot) {
    const bobber = discard(player)
    let damage = 0
    if (bobber.nibble > 0) {
      const loot = rules.catchLoot({ luck: bobber.luck, openWater: bobber.openWater })
      const v = rules.throwTowards(bobber.position, player.position)
      dropItem(serv, bobber.world, bobber.position.clone(), { id: registry.itemsByName[loot.name].id, count: loot.count },
        new Vec3(v.x, v.y, v.z).scaled(20))
      player.setXp((player.xp ?? 0) + 1 + Math.floor(Math.random() * 6))
      damage = 1
    }
    if (bobber.state === 'ground') damage = 2
    if (damage && player.gameMode !== 1) wearItem(serv, player, slot, damage)
  }

  serv.on('newPlayer', player => {
    player._client.on('use_item', ({ hand, rotation }) => {
      if (player.gameMode === 3) return
      const slot = hand === 1 ? 45 : 36 + player.heldItemSlot
      const item = player.inventory.slots[slot]
      if (item?.type !== rod) return
      if (bobbers.has(player)) return reelIn(player, slot)
      // the 1.21.2+ packet carries the look in degrees (flying-squid keeps 1/256 turns)
      cast(player, item, rotation?.x ?? player.yaw * 360 / 256, rotation?.y ?? player.pitch * 360 / 256)
    })
    player.on('disconnected', () => discard(player))
  })

  async function move (bobber) {
    const step = bobber.motion.scaled(1 / SUBSTEPS)
    let pos = bobber.position
    let onGround = false
    for (let i = 0; i < SUBSTEPS; i++) {
      const next = pos.plus(step)
      if (solid(await bobber.world.getBlock(next.floored()))) {
        onGround = true
        break
      }
      pos = next
      const height = await waterAt(bobber.world, pos.floored())
      if (height > 0 && pos.y - Math.floor(pos.y) <= height) break
    }
    return { pos, onGround }
  }

  async function tick (bobber) {
    const owner = bobber.owner
    if (owner.disconnected || owner.health <= 0 || heldRodSlot(owner) === undefined ||
        owner.world !== bobber.world || owner.position.distanceTo(bobber.position) > MAX_DISTANCE) {
      discard(owner)
      return
    }
    const cell = bobber.position.floored()
    const height = await waterAt(bobber.world, cell)
    if (bobber.state === 'flying') {
      if (height > 0) {
        bobber.state = 'bobbing'
        bobber.motion = new Vec3(bobber.motion.x * 0.3, 0, bobber.motion.z * 0.3)
      } else {
        bobber.motion = bobber.motion.offset(0, -GRAVITY, 0)
        const { pos, onGround } = await move(bobber)
        if (onGround) {
          bobber.state = 'ground'
          bobber.motion = new Vec3(0, 0, 0)
        }
        await bobber.sendPosition(pos, onGround)
        bobber.motion = bobber.motion.scaled(DRAG)
        return
      }
    }
    if (bobber.state === 'ground') {
      if (height <= 0) {
        if (++bobber.groundTicks >= MAX_GROUND_TICKS) discard(owner)
        return
      }
      bobber.state = 'bobbing' // the water came to it
    }
    if (height <= 0) { // the water went away: fall again
      bobber.state = 'flying'
      return
    }
    // bobbing: at the surface of its cell's water, drifting to a stop
    const surface = new Vec3(bobber.position.x + bobber.motion.x, cell.y + height - SINK, bobber.position.z + bobber.motion.z)
    bobber.motion = new Vec3(bobber.motion.x * 0.9, 0, bobber.motion.z * 0.9)
    if (!solid(await bobber.world.getBlock(surface.floored()))) await bobber.sendPosition(surface, false)
    if (bobber.nibble <= 0 && bobber.approach <= 0) bobber.openWater = true
    else bobber.openWater = bobber.openWater && await openWater(bobber.world, cell)
    catching(bobber)
  }

  // FishingHook.catchingFish (one step a tick)
  function catching (bobber) {
    if (bobber.nibble > 0) {
      if (--bobber.nibble <= 0) bobber.lure = rules.lureTicks(bobber.lureLevel, Math.random) // got away: wait again
    } else if (bobber.approach > 0) {
      if (--bobber.approach <= 0) {
        particles(bobber, 'bubble')
        particles(bobber, 'fishing')
        bobber.nibble = rules.nibbleTicks(Math.random)
      }
    } else if (--bobber.lure <= 0) {
      bobber.approach = rules.approachTicks(Math.random)
    }
  }

  let ticking = false
  serv.on('tick', () => {
    if (ticking || bobbers.size === 0) return
    ticking = true
    Promise.all([...bobbers.values()].map(tick))
      .catch(err => console.error('[gitm] fishing:', err && err.stack))
      .finally(() => { ticking = false })
  })
}
