'use strict'
// flying-squid sends the world's age as 0 in every time update; vanilla sends the ticks the world has
// run. Clients (and gitm's tick budget) count game ticks from it, so send the real age.

function long (n) {
  return [Math.floor(n / 2 ** 32), n >>> 0]
}

module.exports.server = function (serv) {
  serv.timePacket = () => ({ age: long(serv.tickCount), time: long(serv.time), tickDayTime: serv.doDaylightCycle })
  serv.setTime = (time) => {
    serv.time = time
    serv._writeAll('update_time', serv.timePacket())
  }
  // flying-squid's day cycle reads the time at a tick and writes time + 20 a few promise turns later (its async
  // 'changeTime' behaviour): a time set in between was undone (a night skipped by sleepers in the same tick came
  // back as 13000-odd). The second's step is taken here, in the tick, from the time as it is; its late write is
  // dropped. (Cancel listeners run synchronously, at the start of the behaviour.)
  serv.on('changeTime_cancel', ({ old, newTime }, cancel) => {
    cancel(false)
    serv.setTime((serv.time + newTime - old) % 24000)
  })
}

module.exports.player = function (player, serv) {
  // Vanilla tells a joining player the time at once rather than at the next full second.
  player.on('spawned', () => {
    player._client.write('update_time', serv.timePacket())
  })
}
