'use strict'
// A command that fails is an error message to whoever ran it, never the end of the server. flying-squid re-threw any
// error that was not its own UserError outside the command (an uncaught exception: the server died), e.g. /setblock
// with an unknown block name, or a malformed selector. Vanilla answers "An unexpected error occurred trying to
// execute that command" and logs the error; an unknown block is a plain "Unknown block type" error.
const { UserError } = require('flying-squid')

const skipPrefix = name => name.replace(/^minecraft:/, '')

module.exports.server = function (serv) {
  // Both the console's and a player's commands go through the root command's use().
  const use = serv.commands.use.bind(serv.commands)
  serv.commands.use = async (...args) => {
    try {
      return await use(...args)
    } catch (err) {
      if (err?.userError) throw err
      serv.err(`command '${args[0]}' failed: ${err?.stack ?? err}`)
      throw new UserError('An unexpected error occurred trying to execute that command')
    }
  }

  serv.once('pluginsReady', () => { // all built-in commands are in
    const setblock = serv.commands.hash.setblock
    if (!setblock) return
    const parse = setblock.params.parse
    setblock.params.parse = (str, ctx) => {
      const parsed = parse(str, ctx)
      const name = parsed && parsed[4]
      if (name && !(isNaN(+name) ? serv.registry.blocksByName[skipPrefix(name)] : serv.registry.blocks[+name])) {
        throw new UserError(`Unknown block type 'minecraft:${skipPrefix(name)}'`)
      }
      return parsed
    }
  })
}
