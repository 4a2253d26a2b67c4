'use strict'
// Beds and sleeping, as vanilla 1.21.4's BedItem/BedBlock, Player and ServerLevel:
//   placing a bed places its foot where it is put and its head one block further in the player's facing (nothing
//     happens if that cell is taken); breaking either half removes the other (one bed drops, from toolDrops.js);
//   using a bed (block_place on it): too far (more than 3 blocks from it, 2 vertically) or a solid block above it are
//     refused with vanilla's action-bar text; otherwise the bed becomes the player's respawn point ("Respawn point
//     set" once); then by day (time of day outside 12542..23459, 12010..23991 in rain, any time in a thunderstorm)
//     "You can sleep only at night", with a hostile mob within 8 blocks (5 vertically) "You may not rest now...",
//     and an occupied bed "This bed is occupied". Else the player lies in it: both halves occupied, pose sleeping and
//     the bed's position in the entity metadata (Mineflayer's bot.sleep() resolves, bot.isSleeping), movement ignored.
//   Players tick through a /tick freeze as in vanilla: a sleeper's counter runs while the day clock stands still. Once
//     every player (spectators aside) has slept 100 ticks the time of day jumps to the next morning (0), rain stops
//     and all wake. Waking (the client's stop_sleeping: bot.wake(), daylight, damage, the bed broken) sends animation 2
//     (Mineflayer's 'wake'), frees the bed and stands the player up beside it.
//   On respawn the player is put beside its bed; a bed gone since sends game event 0 and the world spawn is used.
// Not modelled: beds exploding outside the overworld, the player_list sleeping counts beyond the action bar.
const { Vec3 } = require('vec3')
const { toNbt } = require('../lib/text')
const { blockAt } = require('../lib/body')

const DIRECTIONS = { south: new Vec3(0, 0, 1), west: new Vec3(-1, 0, 0), north: new Vec3(0, 0, -1), east: new Vec3(1, 0, 0) }
const BY_YAW = ['south', 'west', 'north', 'east'] // vanilla's Direction.fromYRot order
const POSE = 6 // entity metadata indices (player)
const SLEEPING_POS = 14
const SLEEPING = 2
const STANDING = 0
const WAKE_UP = 2 // animation
const DEEP_SLEEP_TICKS = 100
const BED_HEIGHT = 0.5625
const SLEEP_Y = 0.6875 // LivingEntity.setPosToBed
// where a bed's head may go (vanilla's replaceable blocks, the common ones)
const REPLACEABLE = new Set(['air', 'cave_air', 'void_air', 'water', 'lava', 'short_grass', 'tall_grass', 'fern', 'large_fern',
  'dead_bush', 'vine', 'snow', 'fire', 'soul_fire', 'seagrass', 'tall_seagrass'])

function actionBar (player, translate, args) {
  player._client.write('system_chat', { content: toNbt(args ? { translate, with: args } : { translate }), isActionBar: true })
}

module.exports.server = function (serv) {
  const { registry } = serv
  const Block = require('prismarine-block')(registry)
  const bedNames = Object.keys(registry.blocksByName).filter(name => name.endsWith('_bed'))
  serv.savedPlayerFields = serv.savedPlayerFields ?? new Set()
  serv.savedPlayerFields.add('respawnBed')

  const isBed = block => Boolean(block && block.name.endsWith('_bed'))
  const stateOf = (name, properties) => Block.fromProperties(name, properties, 0).stateId

  // Level.isDay's sky darkening, by the time of day and the weather
  serv.canSleepNow = () => {
    if (serv.weather === 'thunder') return true
    const t = ((serv.time % 24000) + 24000) % 24000
    return serv.weather === 'rain' ? t >= 12010 && t <= 23991 : t >= 12542 && t <= 23459
  }

  // Resolves once the clients were sent the change (flying-squid's sendBlock writes a few promise turns later).
  async function setOccupied (world, head, occupied) {
    const headBlock = blockAt(world, head)
    if (!isBed(headBlock)) return
    for (const pos of [head, head.minus(DIRECTIONS[headBlock.getProperties().facing])]) {
      const block = blockAt(world, pos)
      if (!isBed(block)) continue
      const props = block.getProperties()
      if (props.occupied !== occupied) await serv.setBlock(world, pos, stateOf(block.name, { ...props, occupied }))
    }
    await new Promise(resolve => setImmediate(resolve))
  }
  serv.setBedOccupied = setOccupied

  // BedBlock.findStandUpPosition, simplified: a free cell (two high, a floor under it) around the bed, the sides of
  // the head then the foot first, else on top of the bed.
  serv.standUpPosition = (world, head) => {
    const block = blockAt(world, head)
    if (!isBed(block)) return null
    const facing = DIRECTIONS[block.getProperties().facing]
    const foot = head.minus(facing)
    const side = new Vec3(facing.z, 0, -facing.x)
    const free = pos => blockAt(world, pos)?.boundingBox === 'empty' && blockAt(world, pos.offset(0, 1, 0))?.boundingBox === 'empty'
    const floor = pos => blockAt(world, pos.offset(0, -1, 0))?.boundingBox === 'block'
    const candidates = [head.plus(side), head.minus(side), foot.plus(side), foot.minus(side), foot.minus(facing),
      head.plus(facing), head.plus(side).plus(facing), head.minus(side).plus(facing), foot.plus(side).minus(facing),
      foot.minus(side).minus(facing)]
    for (const pos of candidates) {
      for (const dy of [0, -1, 1]) {
        const at = pos.offset(0, dy, 0)
        if (free(at) && floor(at)) return at.offset(0.5, 0, 0.5)
      }
    }
    return head.offset(0.5, BED_HEIGHT, 0.5)
  }

  const sleepers = () => serv.players.filter(p => p.gameMode !== 3 && !p.disconnected)
  let announced = { sleeping: 0, active: 0 }
  serv.announceSleepStatus = () => {
    const active = sleepers()
    const sleeping = active.filter(p => p.sleepingPos).length
    const changed = sleeping !== announced.sleeping || active.length !== announced.active
    announced = { sleeping, active: active.length }
    if (!changed || sleeping === 0) return
    const needed = Math.max(1, active.length)
    for (const p of serv.players) {
      if (sleeping >= needed) actionBar(p, 'sleep.skipping_night')
      else actionBar(p, 'sleep.players_sleeping', [String(sleeping), String(needed)])
    }
  }

  serv.once('pluginsReady', () => {
    for (const name of bedNames) {
      serv.onItemPlace(name, ({ player, placedPosition }) => { // BedItem: the foot here, the head ahead
        const degrees = player.yaw * 360 / 256 // flying-squid keeps yaw in 1/256 of a turn
        const facing = BY_YAW[Math.floor(degrees / 90 + 0.5) & 3]
        const headPos = placedPosition.plus(DIRECTIONS[facing])
        if (!REPLACEABLE.has(blockAt(player.world, headPos)?.name)) {
          return { id: -1, data: 0 } // no room for the head: nothing placed, nothing used up
        }
        const block = registry.blocksByName[name]
        serv.setBlock(player.world, headPos, stateOf(name, { facing, occupied: false, part: 'head' }))
        return { id: block.id, data: stateOf(name, { facing, occupied: false, part: 'foot' }) - block.minStateId }
      }, false)
      serv.onBlockInteraction(name, async ({ block, player }) => {
        await player.useBed?.(block)
        return true // never place a block against a bed one uses
      })
    }
  })

  serv.on('playerTick', () => {
    const players = sleepers()
    for (const player of players) player.sleepTick?.()
    const sleeping = players.filter(p => p.sleepingPos)
    if (players.length === 0 || sleeping.length < players.length) return
    if (!sleeping.every(p => p.sleepCounter >= DEEP_SLEEP_TICKS)) return
    if (serv.doDaylightCycle !== false) serv.setTime(0) // ServerLevel.tick: the next morning
    for (const player of sleeping) player.stopSleeping(false)
    serv.announceSleepStatus()
    if (serv.weather && serv.weather !== 'clear') serv.commands.use('weather clear', {}, true)
  })
}

module.exports.player = function (player, serv) {
  const isBed = block => Boolean(block && block.name.endsWith('_bed'))
  player.sleepingPos = null
  player.sleepCounter = 0

  function sendMetadata (metadata) {
    player._client.write('entity_metadata', { entityId: player.id, metadata })
    player._writeOthersNearby('entity_metadata', { entityId: player.id, metadata })
  }

  function hostileNear (head) {
    const centre = head.offset(0.5, 0, 0.5)
    return Object.values(serv.entities).some(entity => entity.type === 'mob' && entity.world === player.world &&
      serv.registry.entities[entity.entityType]?.category === 'Hostile mobs' && !(entity.health <= 0) &&
      Math.abs(entity.position.x - centre.x) <= 8 && Math.abs(entity.position.y - centre.y) <= 5 &&
      Math.abs(entity.position.z - centre.z) <= 8)
  }

  function setRespawn (head) {
    const same = player.respawnBed && head.equals(new Vec3(player.respawnBed.x, player.respawnBed.y, player.respawnBed.z))
    player.respawnBed = { x: head.x, y: head.y, z: head.z }
    if (!same) player._client.write('system_chat', { content: toNbt({ translate: 'block.minecraft.set_spawn' }), isActionBar: false })
  }

  // BedBlock.useWithoutItem then ServerPlayer.startSleepInBed
  player.useBed = (block) => {
    if (!player.bodyReady || player.dead || player.sleepingPos) return
    const props = block.getProperties()
    const head = props.part === 'head' ? block.position : block.position.plus(DIRECTIONS[props.facing])
    const headBlock = blockAt(player.world, head)
    if (!isBed(headBlock)) return
    if (headBlock.getProperties().occupied) return actionBar(player, 'block.minecraft.bed.occupied')
    const foot = head.minus(DIRECTIONS[props.facing])
    const reach = pos => Math.abs(player.position.x - (pos.x + 0.5)) <= 3 && Math.abs(player.position.y - pos.y) <= 2 &&
      Math.abs(player.position.z - (pos.z + 0.5)) <= 3
    if (!reach(head) && !reach(foot)) return actionBar(player, 'block.minecraft.bed.too_far_away')
    const solid = pos => blockAt(player.world, pos)?.boundingBox === 'block'
    if (solid(head.offset(0, 1, 0)) || solid(foot.offset(0, 1, 0))) return actionBar(player, 'block.minecraft.bed.obstructed')
    setRespawn(head)
    if (!serv.canSleepNow()) return actionBar(player, 'block.minecraft.bed.no_sleep')
    if (player.gameMode !== 1 && hostileNear(head)) return actionBar(player, 'block.minecraft.bed.not_safe')
    return startSleeping(head)
  }

  async function startSleeping (head) {
    player.stopUsingItem?.()
    player.sleepingPos = head
    player.sleepCounter = 0
    player.fallDistance = 0
    await serv.setBedOccupied(player.world, head, true) // the bed shows occupied before the sleeper lies in it
    if (player.sleepingPos !== head) return // woken meanwhile
    player.sendPosition(head.offset(0.5, SLEEP_Y, 0.5), false, true) // others see it lie in the bed
    sendMetadata([{ key: POSE, type: 'pose', value: SLEEPING }, { key: SLEEPING_POS, type: 'optional_block_pos', value: head }])
    serv.announceSleepStatus()
  }

  // ServerPlayer.stopSleepInBed
  player.stopSleeping = (announce = true) => {
    const head = player.sleepingPos
    if (!head) return
    const wakeUp = { entityId: player.id, animation: WAKE_UP }
    player._client.write('animation', wakeUp)
    player._writeOthersNearby('animation', wakeUp)
    const standUp = serv.standUpPosition(player.world, head) ?? head.offset(0.5, 1, 0.5)
    serv.setBedOccupied(player.world, head, false)
    player.sleepingPos = null
    player.sleepCounter = 0
    sendMetadata([{ key: POSE, type: 'pose', value: STANDING }, { key: SLEEPING_POS, type: 'optional_block_pos', value: undefined }])
    player.teleport(standUp)
    if (announce) serv.announceSleepStatus()
  }

  // Player.tick: the counter, and waking at daylight or when the bed is gone
  player.sleepTick = () => {
    if (!player.sleepingPos) return
    if (player.sleepCounter < DEEP_SLEEP_TICKS) player.sleepCounter++
    if (!serv.canSleepNow() || !isBed(blockAt(player.world, player.sleepingPos))) player.stopSleeping()
  }

  player._client.on('entity_action', ({ actionId }) => {
    if (actionId === 'stop_sleeping' || actionId === 2) player.stopSleeping()
  })

  // A sleeper does not move (vanilla ignores its movement packets); the server's own teleports still go through.
  player.on('move_cancel', (data, cancel) => {
    if (player.sleepingPos && !data.teleport) cancel(false)
  })

  // breaking either half of a bed takes the other with it
  player.on('dug', ({ position, block }, cancelled) => {
    if (cancelled || !isBed(block)) return
    const props = block.getProperties()
    const pos = new Vec3(position.x, position.y, position.z)
    const otherHalf = pos.plus(DIRECTIONS[props.facing].scaled(props.part === 'head' ? -1 : 1))
    const there = blockAt(player.world, otherHalf)
    if (isBed(there) && there.getProperties().part !== props.part) serv.setBlock(player.world, otherHalf, 0)
  })

  player.on('requestRespawn', async () => {
    player.sleepingPos = null
    player.sleepCounter = 0
    const bed = player.respawnBed
    const standUp = bed && serv.standUpPosition(player.world, new Vec3(bed.x, bed.y, bed.z))
    if (standUp) {
      player.spawnPoint = standUp
    } else {
      if (bed) player._client.write('game_state_change', { reason: 'no_respawn_block_available', gameMode: 0 })
      player.respawnBed = null
      player.spawnPoint = await serv.getSpawnPoint(player.world)
    }
  })

  player.on('disconnected', () => {
    if (player.sleepingPos) serv.setBedOccupied(player.world, player.sleepingPos, false)
  })
}
