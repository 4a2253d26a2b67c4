'use strict'
// flying-squid ticks with setInterval(50 ms), which drifts late (measured 19.89 TPS with one bot, so
// 12,000 ticks took 3 s longer than vanilla's 600 s). Schedule each tick against an absolute clock.

module.exports.server = function (serv) {
  // tick.js is loaded after the external plugins: replace its clock once every plugin has run.
  setImmediate(() => {
    serv.setTickInterval = ticksPerSecond => {
      serv.stopTickInterval()
      const step = 1000 / ticksPerSecond
      let due = Date.now() + step
      const tick = () => {
        const now = Date.now()
        serv.tickCount++
        serv.emit('tick', serv.lastTickTime ? (now - serv.lastTickTime) / 1000 : 0, serv.tickCount)
        serv.lastTickTime = now
        // After a stall of over a second, skip ahead like vanilla ("can't keep up") instead of bursting.
        due = now - due > 1000 ? now + step : due + step
        serv.tickInterval = setTimeout(tick, Math.max(0, due - Date.now()))
      }
      serv.tickInterval = setTimeout(tick, step)
    }
    serv.stopTickInterval = () => {
      if (serv.tickInterval) clearTimeout(serv.tickInterval)
      serv.tickInterval = null
    }
    serv.setTickInterval(20)
  })
}
