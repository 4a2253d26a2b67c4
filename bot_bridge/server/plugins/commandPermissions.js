'use strict'
// Vanilla's permission levels for players' commands: a player who is not op (level 0) may only run the level-0
// commands (/help, /me, /msg, /list...); every other command (kill, effect, tp, give, gamemode, xp, op...: level 2+)
// is left out of that player's command tree, so running it gets the same refusal as a command that does not exist.
// flying-squid left /kill and /effect open to anyone (a stranger on the machine killed the bot mid-dig) and refused
// its other commands with its own text. The console (gitm's harness) keeps every command.
const { sendSystemMessage } = require('../lib/text')

// The level-0 commands among those flying-squid and our plugins register (it has no /msg, /list, /trigger...).
const LEVEL_0 = new Set(['help', 'me'])

// Commands.finishParsing: the parse stops at the first word (cursor 0), so the whole input is the bad part.
// CommandSourceStack.sendFailure wraps each line in an empty red component.
function unknownCommand (player, input) {
  const failure = component => sendSystemMessage(player, { text: '', color: 'red', extra: [component] })
  failure({ translate: 'command.unknown.command' })
  const context = [{ text: '' }] // the (empty) input before the cursor
  if (input) context.push({ text: input, color: 'red', underlined: true })
  context.push({ translate: 'command.context.here', color: 'red', italic: true })
  failure({ text: '', color: 'gray', clickEvent: { action: 'suggest_command', value: '/' + input }, extra: context })
}

module.exports.server = function (serv) {
  const commands = serv.commands
  const use = commands.use.bind(commands)
  // Every player's command comes through here (player.handleCommand), with the player's op status.
  commands.use = async (input, ctx = {}, op = true) => {
    if (!ctx.player) return use(input, ctx, op)
    const [command] = commands.find(input) ?? []
    if (!command || !(op || LEVEL_0.has(command.params.base))) return unknownCommand(ctx.player, input)
    return use(input, ctx, op)
  }
}
