'use strict'
// Command arguments as vanilla reads them: a position (Vec3Argument) and the command's source (the player who ran it,
// or for the console the world spawn, as vanilla's server command source), and Brigadier's syntax error. Shared by
// /teleport and /summon.
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

// `x y z` relative to `source.position`; throws a UserError outside the world.
function location ([x, y, z], source, what = 'position') {
  const at = new Vec3(coordinate(x, source.position.x, true), coordinate(y, source.position.y, false),
    coordinate(z, source.position.z, true))
  if (Math.abs(at.x) > LIMIT || Math.abs(at.z) > LIMIT || Math.abs(at.y) > 20000000) {
    throw new UserError(`Invalid ${what}`)
  }
  return at
}

async function commandSource (serv, ctx) {
  return ctx.player ?? { position: await serv.getSpawnPoint(serv.overworld), world: serv.overworld }
}

const CONTEXT = 10 // Brigadier's CommandSyntaxException.CONTEXT_AMOUNT

// Brigadier's syntax error text: what went wrong, where in the command line, and the text that led up to it.
function syntaxError (message, input, cursor) {
  const at = Math.min(input.length, cursor)
  const before = (at > CONTEXT ? '...' : '') + input.slice(Math.max(0, at - CONTEXT), at)
  return new UserError(`${message} at position ${at}: ${before}<--[HERE]`)
}

module.exports = { coordinate, location, commandSource, syntaxError }
