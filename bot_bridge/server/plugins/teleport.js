'use strict'
// Vanilla's /teleport (alias /tp), from the console as from a player: `tp <destination>`, `tp <x> <y> <z>`,
// `tp <targets> <destination>`, `tp <targets> <x> <y> <z>`. flying-squid's ran for players only (the console got
// "This command is player only"), read ~ from each target rather than from the command's source, and moved y to
// the middle of the block.
const { UserError } = require('flying-squid')
const { location, commandSource } = require('../lib/coordinates')

module.exports.server = function (serv) {
  const sourceOf = ctx => commandSource(serv, ctx)

  function entities (selector, source) {
    const found = serv.selectorString(selector, source.position, source.world, true, source.id)
    if (found.length === 0) throw new UserError(`No entity was found matching '${selector}'`)
    return found
  }

  const command = {
    base: 'teleport',
    aliases: ['tp'],
    info: 'to teleport entities',
    usage: '/teleport [<targets>] (<destination>|<x> <y> <z>)',
    op: true,
    parse (str) {
      const args = str.trim().split(/\s+/)
      return [1, 2, 3, 4].includes(args.length) && args
    },
    async action (args, ctx) {
      const source = await sourceOf(ctx)
      if (!ctx.player && args.length % 2 === 1) throw new UserError('A player is required to run this command here')
      const targets = args.length % 2 === 1 ? [ctx.player] : entities(args[0], source)
      const rest = args.length % 2 === 1 ? args : args.slice(1)
      const destination = rest.length === 1 ? entities(rest[0], source)[0] : null
      const to = destination ? destination.position.clone() : location(rest, source, 'position for teleport')
      for (const target of targets) await target.teleport(to.clone())
      const who = targets.length === 1 ? (targets[0].username ?? `entity ${targets[0].id}`) : `${targets.length} entities`
      const where = destination ? (destination.username ?? `entity ${destination.id}`) : `${to.x}, ${to.y}, ${to.z}`
      const message = `Teleported ${who} to ${where}`
      if (ctx.player) ctx.player.chat(message)
      else serv.info(message)
    }
  }
  // flying-squid's tp.js loads after the external plugins: replace its command once all are in.
  serv.once('pluginsReady', () => serv.commands.add(command))
}
