'use strict'
// Vanilla's /experience (alias /xp): `add|set <targets> <amount> [levels|points]`, `query <target> <levels|points>`.
// flying-squid only had `/xp <amount>[L] [player]` (still accepted), so `/xp set <player> 30 levels`, which tests and
// Mineflayer's own external tests use for set-up, failed.
const { UserError } = require('flying-squid')
const xp = require('../lib/experience')
const { getXpRequired } = require('flying-squid').experience

module.exports.server = function (serv) {
  const reply = (ctx, message) => ctx.player ? ctx.player.chat(message) : serv.info(message)

  function targets (selector, ctx) {
    const players = serv.getPlayers ? serv.getPlayers(selector, ctx.player) : [serv.getPlayer(selector)].filter(Boolean)
    if (!players.length) throw new UserError('No player was found')
    return players
  }

  // vanilla Player.giveExperiencePoints: points go onto the bar, levelling up as they fill it.
  const givePoints = (player, points) => player.setXp(Math.max(0, (player.xp ?? 0) + points))
  // vanilla ExperienceCommand.setPoints: only within the current level.
  function setPoints (player, points) {
    const level = xp.level(player)
    if (points >= getXpRequired(level)) return false
    player.setXp(xp.getBaseXpFromLevel(level) + points)
    return true
  }

  serv.once('pluginsReady', () => serv.commands.add({
    base: 'experience',
    aliases: ['xp'],
    info: 'add, set or query experience levels or points',
    usage: '/experience <add|set> <targets> <amount> [levels|points] | /experience query <target> <levels|points>',
    op: true,
    parse (str) {
      const args = str.trim().split(/\s+/)
      const legacy = str.trim().match(/^(-?\d+)(L)?(?: ([a-zA-Z0-9_]+))?$/)
      if (legacy) return { action: 'add', target: legacy[3], amount: Number(legacy[1]), unit: legacy[2] ? 'levels' : 'points' }
      const [action, target, amount, unit = 'points', ...rest] = args
      if (rest.length || !target) return false
      if (action === 'query') {
        if (!['levels', 'points'].includes(amount) || unit !== 'points' || args.length !== 3) return false
        return { action, target, unit: amount }
      }
      if (!['add', 'set'].includes(action) || !/^-?\d+$/.test(amount ?? '') || !['levels', 'points'].includes(unit)) return false
      if (action === 'set' && Number(amount) < 0) return false
      return { action, target, amount: Number(amount), unit }
    },
    action ({ action, target, amount, unit }, ctx) {
      if (!target && !ctx.player) throw new UserError('Console can\'t give itself experience.')
      const players = target ? targets(target, ctx) : [ctx.player]
      for (const player of players) {
        if (action === 'query') {
          const value = unit === 'levels' ? xp.level(player) : (player.xp ?? 0) - xp.getBaseXpFromLevel(xp.level(player))
          reply(ctx, `${player.username} has ${value} experience ${unit}`)
        } else if (action === 'add') {
          if (unit === 'levels') xp.giveLevels(player, amount)
          else givePoints(player, amount)
        } else if (unit === 'levels') {
          xp.setLevels(player, amount)
        } else if (!setPoints(player, amount)) {
          throw new UserError('Unable to set experience points above the maximum points for the player\'s current level')
        }
      }
      if (action === 'add') reply(ctx, `Gave ${amount} experience ${unit} to ${players.map(p => p.username).join(', ')}`)
      if (action === 'set') reply(ctx, `Set ${amount} experience ${unit} on ${players.map(p => p.username).join(', ')}`)
    }
  }))
}
