'use strict'
// No faster breaking: a survival finish-dig (block_dig status 2) that comes clearly before the vanilla dig time
// for the held tool is refused as vanilla does: the real block is sent back and nothing drops.
// flying-squid's own check never fires (it reads `.stop` off a Promise), assumes a bare hand, and its refusal
// sends a block id where a state id belongs; it also reads `onGround`, which 1.21.2+ moved into `flags`.
const { performance } = require('perf_hooks')
const harvestRules = require('../lib/harvest')

// Network jitter and client-side rounding: a finish after 70% of the vanilla time is accepted.
const TOLERANCE = 0.7
const TICK_MS = 50
const EYE_HEIGHT = 1.62
const MAX_PENDING = 16

const key = ({ x, y, z }) => `${x},${y},${z}`

module.exports.player = function (player, serv) {
  const rules = harvestRules(serv.registry)
  let onGround = true
  let digging = null // the dig started last: { at, sequence, onGround, wet }
  const finished = new Map() // position key -> that dig, finish time added, until flying-squid's 'dug' looks at it

  for (const packet of ['position', 'position_look', 'look', 'flying']) {
    player._client.on(packet, p => { onGround = p.flags?.onGround ?? p.onGround ?? onGround })
  }

  // Eyes in water without Aqua Affinity on the helmet: 5x slower.
  async function slowedByWater () {
    const helmet = player.inventory.slots[5]
    if (rules.enchantLevel(helmet, 'aqua_affinity') > 0) return false
    const eyes = await player.world.getBlock(player.position.offset(0, EYE_HEIGHT, 0))
    return eyes?.name === 'water'
  }

  player._client.on('block_dig', ({ status, location, sequence }) => {
    if (status === 0) {
      const wet = slowedByWater().catch(() => false)
      digging = { pos: key(location), at: performance.now(), sequence, onGround, wet }
    } else if (status === 1) {
      digging = null
    } else if (status === 2 && digging?.pos === key(location)) {
      if (finished.size >= MAX_PENDING) finished.clear()
      finished.set(digging.pos, { ...digging, finishedAt: performance.now(), sequence })
      digging = null
    }
  })

  player.on('dug_cancel', async ({ position, block }, cancel) => {
    if (player.gameMode === 1) return // creative breaks instantly
    const dig = finished.get(key(position))
    finished.delete(key(position))
    const held = player.inventory.slots[36 + player.heldItemSlot]
    // Lenient on the player's state: the better of dig start and finish counts.
    const wet = dig ? (await dig.wet) && (await slowedByWater().catch(() => false)) : false
    const ticks = rules.digTicks(block, held, onGround || Boolean(dig?.onGround), wet)
    if (ticks === 0) return
    if (dig && dig.finishedAt - dig.at >= ticks * TICK_MS * TOLERANCE) return
    cancel(false) // skip flying-squid's refusal, which shows the client the wrong block
    player._client.write('block_change', { location: position, type: block.stateId })
    player._client.write('acknowledge_player_digging', { sequenceId: dig?.sequence ?? 0 })
  })
}
