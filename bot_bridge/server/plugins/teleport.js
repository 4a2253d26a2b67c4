'use strict'
// Vanilla's /teleport (alias /tp), from the console as from a player: `tp <destination>`, `tp <x> <y> <z>`,
// `tp <targets> <destination>`, `tp <targets> <x> <y> <z>`. flying-squid's ran for players only (the console got
// "This command is player only"), read ~ from each target rather than from the command's source, and moved y to
// the middle of the block.
const { Vec3 } = require('vec3')
const { UserError } = require('flying-squid')

const LIMIT = 29999999 // vanilla's world border; y within ±20000000

// One coordinate as vanilla's Vec3Argument reads it: `~n` from the source's, a whole x or z to the block's middle.
function coordinate (text, base, centred) {
  const match = /^(~?)(-?(?:\d+\.?\d*|\.\d+))?$/.exec(text)
  if (!match || (!match[1] && !match[2])) throw new UserError(`Expected a coordinate, got '${text}'`)
  const value = Number(match[2] ?? 0)
  if (match[1]) return base + value
  return centred && !match[2].includes('.') ? value + 0.5 : value
}

module.exports.server = function (serv) {
  // The command's source: the player who ran it, or for the console the world spawn, as vanilla's server source.
  const sourceOf = async ctx => ctx.player ?? { position: await serv.getSpawnPoint(serv.overworld), world: serv.overworld }

  function entities (selector, source) {
    const found = serv.selectorString(selector, source.position, source.world, true, source.id)
    if (found.length === 0) throw new UserError(`No entity was found matching '${selector}'`)
    return found
  }

  function location ([x, y, z], source) {
    const at = new Vec3(coordinate(x, source.position.x, true), coordinate(y, source.position.y, false),
      coordinate(z, source.position.z, true))
    if (Math.abs(at.x) > LIMIT || Math.abs(at.z) > LIMIT || Math.abs(at.y) > 20000000) {
      throw new UserError('Invalid position for teleport')
    }
    return at
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
      const to = destination ? destination.position.clone() : location(rest, source)
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
