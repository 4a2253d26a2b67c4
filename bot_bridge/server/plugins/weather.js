'use strict'
// Vanilla's /weather <clear|rain|thunder>: game event 1 (start_raining) when rain begins, 2 (stop_raining) when it
// ends, then the rain and thunder levels (events 7 and 8) a vanilla client draws from; a player who joins while it
// rains is told the same (PlayerList.sendLevelInfo). flying-squid sent the two rain events swapped and no levels.
// Levels jump to their target where vanilla ramps them over a few seconds.

const MESSAGES = {
  clear: 'Set the weather to clear',
  rain: 'Set the weather to rain',
  thunder: 'Set the weather to rain & thunder'
}

// game_state_change packets for a weather: [the rain event, the rain level, the thunder level]
function weatherEvents (weather) {
  return [
    { reason: weather === 'clear' ? 'stop_raining' : 'start_raining', gameMode: 0 },
    { reason: 'rain_level_change', gameMode: weather === 'clear' ? 0 : 1 },
    { reason: 'thunder_level_change', gameMode: weather === 'thunder' ? 1 : 0 }
  ]
}

module.exports.server = function (serv) {
  serv.weather = 'clear'

  // flying-squid's own /weather (weather.js) loads after the external plugins: replace it once all are in
  // ('pluginsReady' comes before 'ready', when logins and console commands start).
  serv.once('pluginsReady', () => serv.commands.add({
    base: 'weather',
    info: 'Sets the weather.',
    usage: '/weather <clear|rain|thunder>',
    op: true,
    parse (str) {
      const weather = str.trim()
      return Object.hasOwn(MESSAGES, weather) && { weather }
    },
    action ({ weather }, ctx) {
      const wasRaining = serv.weather !== 'clear'
      serv.weather = weather
      const [rainEvent, ...levels] = weatherEvents(weather)
      if (wasRaining !== (weather !== 'clear')) serv._writeAll('game_state_change', rainEvent)
      for (const level of levels) serv._writeAll('game_state_change', level)
      if (ctx.player) ctx.player.chat(MESSAGES[weather])
      else serv.info(MESSAGES[weather])
    }
  }))
}

module.exports.player = function (player, serv) {
  player.on('connected', () => {
    if (serv.weather === 'clear') return
    for (const event of weatherEvents(serv.weather)) player._client.write('game_state_change', event)
  })
}
