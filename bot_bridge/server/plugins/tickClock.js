'use strict'
// flying-squid ticks with setInterval(50 ms), which drifts late (measured 19.89 TPS with one bot, so
// 12,000 ticks took 3 s longer than vanilla's 600 s). Schedule each tick against an absolute clock.
// A late tick is followed by back-to-back catch-up ticks, so the tick count alone hides lag: each tick's
// start lateness and duration (ms) go into a ring buffer that the console command `tickstats` reports.
// Each clock tick emits 'tick' (the world's tick; its count, serv.tickCount, is the world age) only when
// tickFreeze.js's manager lets the world run, then 'playerTick' always: vanilla ticks players through a freeze.
const { performance } = require('perf_hooks')

const KEPT = 6000 // the last 5 minutes of ticks

function tickStats () {
  const late = new Float64Array(KEPT)
  const took = new Float64Array(KEPT)
  let n = 0
  return {
    add (lateMs, tookMs) {
      late[n % KEPT] = lateMs
      took[n % KEPT] = tookMs
      n++
    },
    reset () { n = 0 },
    summary () {
      const count = Math.min(n, KEPT)
      const pct = values => {
        const v = Array.from(values.subarray(0, count)).sort((a, b) => a - b)
        const at = q => v[Math.min(count - 1, Math.ceil(q * count) - 1)]
        const r = x => Math.round(x * 100) / 100
        return count ? { p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(v[count - 1]) } : null
      }
      return { ticks: count, late_ms: pct(late), duration_ms: pct(took) }
    }
  }
}

module.exports.server = function (serv) {
  const stats = tickStats()
  serv.tickStats = stats
  serv.serverTicks = 0 // clock ticks, frozen or not (vanilla's MinecraftServer.tickCount)
  // tick.js is loaded after the external plugins: replace its clock once every plugin has run.
  setImmediate(() => {
    serv.setTickInterval = ticksPerSecond => {
      serv.stopTickInterval()
      const step = 1000 / ticksPerSecond
      let due = performance.now() + step
      const tick = () => {
        const now = performance.now()
        const delta = serv.lastTickTime ? (now - serv.lastTickTime) / 1000 : 0
        serv.serverTicks++
        if (serv.tickManager?.tick() ?? true) {
          serv.tickCount++
          serv.emit('tick', delta, serv.tickCount)
        }
        serv.emit('playerTick', delta, serv.serverTicks)
        serv.lastTickTime = now
        stats.add(now - due, performance.now() - now)
        // After a stall of over a second, skip ahead like vanilla ("can't keep up") instead of bursting.
        due = now - due > 1000 ? now + step : due + step
        serv.tickInterval = setTimeout(tick, Math.max(0, due - performance.now()))
      }
      serv.tickInterval = setTimeout(tick, step)
    }
    serv.stopTickInterval = () => {
      if (serv.tickInterval) clearTimeout(serv.tickInterval)
      serv.tickInterval = null
    }
    serv.setTickInterval(20)
  })

  serv.commands.add({
    base: 'tickstats',
    info: 'tick start lateness and duration percentiles (ms) over the last ticks; "reset" starts over',
    usage: '/tickstats [reset]',
    onlyConsole: true,
    action (arg) {
      if (arg === 'reset') stats.reset()
      // one parseable line for bench/server_tps.py, which reads the server's log
      else console.log('GITM_TICK_STATS ' + JSON.stringify(stats.summary()))
    }
  })
}
