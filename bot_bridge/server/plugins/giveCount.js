'use strict'
// flying-squid's /give keeps the count as a string, so giving an item the player already holds
// concatenates ("4" + 4 = "44"). Test set-up relies on /give: parse the count as a number.

module.exports.server = function (serv) {
  // players.js, which defines /give, loads after the external plugins ('pluginsReady' comes before any command).
  serv.once('pluginsReady', () => {
    const give = serv.commands.hash.give
    if (!give) return
    const parse = give.params.parse
    give.params.parse = (args, ctx) => {
      const parsed = parse(args, ctx)
      return parsed && { ...parsed, count: Number(parsed.count) }
    }
  })
}
