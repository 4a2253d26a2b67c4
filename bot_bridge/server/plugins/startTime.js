'use strict'
// A new world's time of day (vanilla keeps it in level.dat's DayTime; a new world's is 0, sunrise): the server's
// `startTime` option. flying-squid's daycycle.js has set 0 before external plugins load; a world restored from its
// save keeps its own time (worldSave.js loads after this plugin).

module.exports.server = function (serv, settings) {
  if (Number.isInteger(settings.startTime)) serv.time = settings.startTime
}
