'use strict'
// Entities put into the world by using an item on a block, as vanilla 1.21.4 does: a spawn egg spawns its mob
// (SpawnEggItem.useOn: in the clicked block if nothing there collides, else in front of the clicked face; our
// animals and monsters through animals.js's serv.addMob), an armor stand stands where a block would be placed
// (ArmorStandItem.useOn: not on a block's underside, facing the player in steps of 45 degrees, the space free of
// entities), an end crystal sits on obsidian or bedrock with air above it (EndCrystalItem.useOn). Each uses one item
// in survival. flying-squid spawned none of them (Mineflayer's placeEntity timed out). A placed armor stand or end
// crystal is hit down (ArmorStand.hurt: at once in creative, by two hits within 5 ticks in survival, which drop the
// armor stand item); not modelled: an end crystal's explosion (it is just removed), armor stands' gravity and
// equipment, mobs from eggs we have no behaviour for.
const { Vec3 } = require('vec3')
const { randomUUID } = require('crypto')
const { blockAt } = require('../lib/body')
const { dropItem } = require('../lib/itemDrops')

const FACES = [new Vec3(0, -1, 0), new Vec3(0, 1, 0), new Vec3(0, 0, -1), new Vec3(0, 0, 1), new Vec3(-1, 0, 0), new Vec3(1, 0, 0)]
const DOWN = 0
const UP = 1
const REPLACEABLE = /^(air|cave_air|void_air|water|lava|short_grass|tall_grass|fern|large_fern|dead_bush|snow|vine|seagrass|fire)$/
const ARMOR_STAND_HIT_TICKS = 5

module.exports.server = function (serv) {
  const { registry } = serv
  const free = block => !block || block.boundingBox === 'empty'

  function useUp (player) {
    if (player.gameMode === 1) return
    const slot = 36 + player.heldItemSlot
    const item = player.inventory.slots[slot]
    if (!item) return
    item.count--
    player.inventory.updateSlot(slot, item.count > 0 ? item : null)
  }

  // entities (players, mobs, placed objects) whose box meets the cell box [min, max)
  function entitiesIn (world, min, max) {
    return Object.values(serv.entities).filter(e => {
      if (e.world !== world || e.dead || e.type === 'object' && !e.placedObject) return false
      const half = (e.kind?.width ?? (e.type === 'player' ? 0.6 : 0.5)) / 2
      const height = e.kind?.height ?? (e.type === 'player' ? 1.8 : 1)
      const p = e.position
      return p.x + half > min.x && p.x - half < max.x && p.z + half > min.z && p.z - half < max.z &&
        p.y + height > min.y && p.y < max.y
    })
  }

  function spawnPlaced (name, world, position, yaw256) {
    yaw256 = ((Math.round(yaw256) % 256) + 256) % 256
    if (yaw256 > 127) yaw256 -= 256 // the packet's angle is a signed byte
    const entity = serv.initEntity('object', registry.entitiesByName[name].id, world, position)
    Object.assign(entity, {
      uuid: randomUUID(),
      name,
      placedObject: true,
      yaw: yaw256,
      pitch: 0,
      headPitch: 0,
      data: 0,
      metadata: [],
      lastHit: -Infinity
    })
    entity.updateAndSpawn()
    return entity
  }

  const eggs = registry.itemsArray.filter(item => item.name.endsWith('_spawn_egg'))
  const spawnEgg = mobName => ({ player, referencePosition, direction }) => {
    const world = player.world
    const clicked = blockAt(world, referencePosition)
    if (!clicked || direction < 0 || direction > 5) return { id: -1 }
    const pos = free(clicked) ? referencePosition.clone() : referencePosition.plus(FACES[direction])
    try {
      serv.addMob(mobName, world, pos.offset(0.5, 0, 0.5), { yaw: Math.round(player.yaw * 360 / 256) })
      useUp(player)
    } catch (err) { // a mob we have no behaviour for (addMob refuses it), or too many entities
      console.error(`[gitm] spawn egg ${mobName}: ${err.message}`)
    }
    return { id: -1 } // nothing placed as a block
  }

  function armorStand ({ player, referencePosition, direction }) {
    if (direction === DOWN || direction < 0 || direction > 5) return { id: -1 }
    const world = player.world
    const clicked = blockAt(world, referencePosition)
    // BlockPlaceContext: a replaceable clicked block is replaced, else the cell in front of the face
    const pos = clicked && REPLACEABLE.test(clicked.name) ? referencePosition.clone() : referencePosition.plus(FACES[direction])
    const cells = [pos, pos.offset(0, 1, 0)]
    if (!cells.every(p => free(blockAt(world, p)))) return { id: -1 }
    if (entitiesIn(world, pos, pos.offset(1, 2, 1)).length) return { id: -1 }
    const degrees = player.yaw * 360 / 256
    const wrapped = ((degrees - 180) % 360 + 540) % 360 - 180 // Mth.wrapDegrees
    const yaw = Math.floor((wrapped + 22.5) / 45) * 45
    spawnPlaced('armor_stand', world, pos.offset(0.5, 0, 0.5), yaw * 256 / 360)
    useUp(player)
    return { id: -1 }
  }

  function endCrystal ({ player, referencePosition }) {
    const world = player.world
    const clicked = blockAt(world, referencePosition)
    if (!clicked || (clicked.name !== 'obsidian' && clicked.name !== 'bedrock')) return { id: -1 }
    const above = referencePosition.offset(0, 1, 0)
    if (!/^(air|cave_air|void_air)$/.test(blockAt(world, above)?.name ?? '')) return { id: -1 }
    if (entitiesIn(world, above, above.offset(1, 2, 1)).length) return { id: -1 }
    spawnPlaced('end_crystal', world, above.offset(0.5, 0, 0.5), 0)
    useUp(player)
    return { id: -1 }
  }

  serv.once('pluginsReady', () => {
    for (const egg of eggs) serv.onItemPlace(egg.name, spawnEgg(egg.name.replace(/_spawn_egg$/, '')), false)
    serv.onItemPlace('armor_stand', armorStand, false)
    serv.onItemPlace('end_crystal', endCrystal, false)
  })

  // ArmorStand.hurt / EndCrystal.hurt
  serv.hitPlacedObject = (entity, player) => {
    if (!entity.placedObject || !serv.entities[entity.id]) return
    if (entity.name === 'armor_stand' && player.gameMode !== 1) {
      const now = serv.serverTicks ?? 0
      if (now - entity.lastHit > ARMOR_STAND_HIT_TICKS) {
        entity.lastHit = now
        serv._writeArray('entity_status', { entityId: entity.id, entityStatus: 32 }, serv.getNearby(entity))
        return
      }
      dropItem(serv, entity.world, entity.position.offset(0, 0.5, 0), { id: registry.itemsByName.armor_stand.id, count: 1 })
    }
    entity.destroy()
  }
}

module.exports.player = function (player, serv) {
  player.on('attack_cancel', ({ attackedEntity }, cancel) => {
    if (!attackedEntity?.placedObject) return
    cancel(false)
    if (player.gameMode === 3) return
    serv.hitPlacedObject(attackedEntity, player)
  })
}
