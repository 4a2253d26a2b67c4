'use strict'
// Vanilla's (1.20.3+) `/tick freeze|unfreeze|step|query`: a frozen world stands still (world age, day clock,
// furnaces, item entities, scheduled block updates) while players go on moving, digging and clicking, as vanilla
// keeps ticking players. tickClock.js asks serv.tickManager each clock tick whether the world runs. Clients are told
// with set_ticking_state / step_tick, as vanilla's ServerTickRateManager does. gitm's harness freezes the world while
// its language model thinks; every console use prints `GITM_TICK frozen=<bool> age=<world age> step=<ticks>`.

const TICK_RATE = 20 // vanilla's default; `/tick rate` is not implemented
const ITEM_REACH = 1.75 // flying-squid's pickup radius (entities.js)

// Vanilla TickRateManager: while frozen, the world only runs the ticks a step asked for.
function tickManager () {
  return {
    frozen: false,
    stepTicks: 0,
    runsNormally: true,
    tick () {
      this.runsNormally = !this.frozen || this.stepTicks > 0
      if (this.stepTicks > 0) this.stepTicks--
      return this.runsNormally
    }
  }
}

// `/tick step [ticks]`: a TimeArgument, ticks by default or with a t/s/d suffix.
function parseTicks (text) {
  const match = /^(\d+(?:\.\d+)?)([tsd]?)$/.exec(text)
  if (!match) return NaN
  return Math.round(Number(match[1]) * { '': 1, t: 1, s: 20, d: 24000 }[match[2]])
}

module.exports.server = function (serv) {
  const manager = tickManager()
  serv.tickManager = manager

  const tickingState = () => ({ tick_rate: TICK_RATE, is_frozen: manager.frozen })
  const tickingStep = () => ({ tick_steps: manager.stepTicks })
  serv.sendTickingState = (player) => {
    player._client.write('set_ticking_state', tickingState())
    player._client.write('step_tick', tickingStep())
  }

  function setFrozen (frozen) {
    if (frozen === manager.frozen) return
    manager.frozen = frozen
    serv._writeAll('set_ticking_state', tickingState())
  }

  function setStep (ticks) {
    manager.stepTicks = ticks
    serv._writeAll('step_tick', tickingStep())
  }

  serv.freezeWorld = () => {
    if (manager.stepTicks > 0) setStep(0) // vanilla's freeze interrupts a step
    setFrozen(true)
  }
  serv.unfreezeWorld = () => setFrozen(false)

  serv.on('playerTick', (delta, serverTicks) => {
    if (manager.runsNormally) return
    // Vanilla sends the time every 20 server ticks, frozen or not; flying-squid's daycycle only on world ticks.
    if (serverTicks % 20 === 0) {
      serv._writeAll('update_time', serv.timePacket()) // worldAge.js
    }
    const entities = Object.values(serv.entities).filter(entity => entity.type !== 'player')
    // flying-squid ages entities by the wall clock (despawn, pickup delay): a frozen tick must not count.
    for (const entity of entities) if (entity.bornTime) entity.bornTime += delta * 1000
    // Players still pick up items whose delay ran out (vanilla: the player's own tick touches them).
    for (const entity of entities) {
      if (!entity.pickupTime || Date.now() - entity.bornTime < entity.pickupTime) continue
      const [player] = serv.getNearby({ world: entity.world, position: entity.position, radius: ITEM_REACH })
      if (player) player.collect(entity)
    }
  })

  const STATUS = {
    frozen: 'The game is frozen',
    running: 'The game is running normally'
  }

  serv.commands.add({
    base: 'tick',
    info: 'freeze, unfreeze or step the world, or query its tick state (vanilla /tick)',
    usage: '/tick <freeze|unfreeze|step [<ticks>|stop]|query>',
    op: true,
    parse (str) {
      const [action, arg, ...rest] = str.trim().split(/\s+/)
      if (rest.length || !['freeze', 'unfreeze', 'step', 'query'].includes(action)) return false
      if (action !== 'step' && arg !== undefined) return false
      if (action === 'step' && arg !== undefined && arg !== 'stop' && !(parseTicks(arg) >= 1)) return false
      return { action, arg }
    },
    action ({ action, arg }, ctx) {
      let message
      if (action === 'freeze') {
        serv.freezeWorld()
        message = STATUS.frozen
      } else if (action === 'unfreeze') {
        serv.unfreezeWorld()
        message = STATUS.running
      } else if (action === 'step' && arg === 'stop') {
        message = manager.stepTicks > 0 ? 'Interrupted the current tick step' : 'No tick step in progress'
        if (manager.stepTicks > 0) setStep(0)
      } else if (action === 'step') {
        const ticks = arg === undefined ? 1 : parseTicks(arg)
        message = manager.frozen ? `Stepping ${ticks} tick(s)` : 'Unable to step the game - the game must be frozen first'
        if (manager.frozen) setStep(ticks)
      } else {
        message = `${manager.frozen ? STATUS.frozen : STATUS.running}; target tick rate: ${TICK_RATE} per second`
      }
      if (ctx.player) ctx.player.chat(message)
      else serv.info(message)
      // one parseable line for bot_bridge/server.py, which waits for it
      console.log(`GITM_TICK frozen=${manager.frozen} age=${serv.tickCount} step=${manager.stepTicks}`)
    }
  })
}

module.exports.player = function (player, serv) {
  // Vanilla tells a joining player the tick state (PlayerList.placeNewPlayer); 'connected' comes before the
  // health update on which Mineflayer's 'spawn' fires.
  player.on('connected', () => serv.sendTickingState(player))
}
