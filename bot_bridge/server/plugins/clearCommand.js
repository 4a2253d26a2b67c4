'use strict'
// Vanilla's /clear [targets] [item] [maxCount] (ClearInventoryCommands): removes items from players' inventories
// (main, hotbar, armor, off hand and the 2x2 crafting grid), all of them or those of one item, at most maxCount
// (0 only counts them), and says how many. flying-squid had no /clear (Mineflayer's example tests start with one).
// Item predicates with tags or components (#minecraft:logs, stone[...]) are not supported.
const { UserError } = require('flying-squid')
const { sendSystemMessage } = require('../lib/text')

const SLOTS = [1, 2, 3, 4, ...Array.from({ length: 41 }, (_, i) => 5 + i)] // crafting grid, armor, main, off hand

module.exports.server = function (serv) {
  const { registry } = serv

  function targetsOf (selector, ctx) {
    if (selector === undefined || selector === '@s') {
      if (!ctx.player) throw new UserError('An entity is required to run this command here')
      return [ctx.player]
    }
    if (selector === '@a') return serv.players.slice()
    const found = ctx.player ? ctx.player.selectorString(selector) : serv.selectorString(selector)
    return found.filter(e => e.type === 'player')
  }

  function clear (player, itemId, max) {
    let removed = 0
    for (const slot of SLOTS) {
      const item = player.inventory.slots[slot]
      if (!item || (itemId !== undefined && item.type !== itemId)) continue
      if (max === 0) { removed += item.count; continue }
      const take = max === undefined ? item.count : Math.min(item.count, max - removed)
      if (take <= 0) break
      removed += take
      item.count -= take
      player.inventory.updateSlot(slot, item.count > 0 ? item : null)
    }
    return removed
  }

  serv.once('pluginsReady', () => serv.commands.add({
    base: 'clear',
    info: 'clear items from player inventories',
    usage: '/clear [targets] [item] [maxCount]',
    op: true,
    parse (str) {
      const [selector, item, max, ...rest] = str.trim().split(/\s+/).filter(Boolean)
      if (rest.length) return false
      let itemId
      if (item !== undefined) {
        const name = item.replace(/^minecraft:/, '')
        if (!registry.itemsByName[name]) throw new UserError(`Unknown item '${item}'`)
        itemId = registry.itemsByName[name].id
      }
      if (max !== undefined && !/^\d+$/.test(max)) throw new UserError(`Expected integer for maxCount, found '${max}'`)
      return { selector, itemId, max: max === undefined ? undefined : Number(max) }
    },
    action ({ selector, itemId, max }, ctx) {
      const targets = targetsOf(selector, ctx)
      if (!targets.length) throw new UserError('No player was found')
      const removed = targets.reduce((n, player) => n + clear(player, itemId, max), 0)
      const one = targets.length === 1
      const who = one ? { text: targets[0].username } : String(targets.length)
      const counting = max === 0
      let component, text
      if (removed === 0) {
        component = { text: '', color: 'red', extra: [{ translate: `clear.failed.${one ? 'single' : 'multiple'}`, with: [who] }] }
        text = one ? `No items were found on player ${targets[0].username}` : `No items were found on ${targets.length} players`
      } else {
        const key = `commands.clear.${counting ? 'test' : 'success'}.${one ? 'single' : 'multiple'}`
        component = { translate: key, with: [String(removed), who] }
        text = `${counting ? 'Found' : 'Removed'} ${removed} item(s) ${counting ? 'on' : 'from'} ${one ? 'player ' + targets[0].username : targets.length + ' players'}`
      }
      if (ctx.player) sendSystemMessage(ctx.player, component)
      else serv.info(text)
    }
  }))
}
