'use strict'
// Vanilla's /gamerule for the rules the embedded world implements: `/gamerule <rule>` answers its value,
// `/gamerule <rule> <value>` sets it. Rules live in serv.gameRules; a plugin that implements another rule declares it
// with serv.declareGameRule(name, defaultValue) (a number or a boolean, as vanilla's integer and boolean rules).
// flying-squid has no game rules at all.
const { UserError } = require('flying-squid')

module.exports.server = function (serv) {
  serv.gameRules = serv.gameRules ?? {}
  const defaults = {}
  serv.declareGameRule = (name, value) => {
    defaults[name] = value
    if (!Object.hasOwn(serv.gameRules, name)) serv.gameRules[name] = value
  }
  // farming.js: random ticks per 16x16x16 section per tick (vanilla default 3; 0 stops crops growing)
  serv.declareGameRule('randomTickSpeed', 3)

  serv.once('pluginsReady', () => serv.commands.add({
    base: 'gamerule',
    info: 'query or set a game rule',
    usage: '/gamerule <rule> [value]',
    op: true,
    parse (str) {
      const [rule, value, ...rest] = str.trim().split(/\s+/)
      if (!rule || rest.length) return false
      return { rule, value }
    },
    action ({ rule, value }, ctx) {
      if (!Object.hasOwn(defaults, rule)) throw new UserError(`Unknown game rule '${rule}'`)
      let message
      if (value === undefined) {
        message = `Gamerule ${rule} is currently set to: ${serv.gameRules[rule]}`
      } else {
        let parsed
        if (typeof defaults[rule] === 'boolean') {
          if (!['true', 'false'].includes(value)) throw new UserError(`Invalid boolean, expected 'true' or 'false' but found '${value}'`)
          parsed = value === 'true'
        } else {
          if (!/^-?\d+$/.test(value)) throw new UserError(`Invalid integer '${value}'`)
          parsed = Number(value)
        }
        serv.gameRules[rule] = parsed
        serv.emit('gameRuleChanged', rule, parsed)
        message = `Gamerule ${rule} is now set to: ${parsed}`
      }
      if (ctx.player) ctx.player.chat(message)
      else serv.info(message)
    }
  }))
}
