'use strict'
// Vanilla's /fill <from> <to> <block> [hollow|keep|outline|replace [filter]] (FillCommand): every block of the box
// between two corners, at most 32768, replaced, with the count of those that changed. flying-squid had no /fill
// (Mineflayer's fishing test floods the ground under its bot with one). Not supported: `destroy` (it would drop each
// block's loot), block tags (#minecraft:logs) and block entity data in the block argument.
const { Vec3 } = require('vec3')
const { UserError } = require('flying-squid')
const { sendSystemMessage } = require('../lib/text')

const MAX_BLOCKS = 32768
const COORD = '(~-?\\d*\\.?\\d*|-?\\d+\\.?\\d*)'
const BLOCK = '((?:minecraft:)?[a-z0-9_]+(?:\\[[^\\]]*\\])?)'
const SYNTAX = new RegExp(`^${COORD} ${COORD} ${COORD} ${COORD} ${COORD} ${COORD} ${BLOCK}(?: (\\w+))?(?: ${BLOCK})?$`)
const MODES = ['replace', 'keep', 'hollow', 'outline']
const AIR = /^(air|cave_air|void_air)$/

module.exports.server = function (serv) {
  const { registry } = serv
  const Block = require('prismarine-block')(registry)

  // a block matches a filter when it is of the filter's block and has every property the filter names
  function matches (stateId, filter) {
    const block = Block.fromStateId(stateId, 0)
    if (block.type !== filter.type) return false
    const wanted = filter.properties
    const props = block.getProperties()
    return Object.keys(wanted).every(key => props[key] === wanted[key])
  }

  function filterOf (text) {
    const stateId = serv.blockStateOf(text)
    const named = (text.match(/\[([^\]]*)\]/)?.[1] ?? '').split(',').map(s => s.split('=')[0].trim()).filter(Boolean)
    const block = Block.fromStateId(stateId, 0)
    const all = block.getProperties()
    return { type: block.type, properties: Object.fromEntries(named.map(key => [key, all[key]])) }
  }

  serv.once('pluginsReady', () => serv.commands.add({
    base: 'fill',
    info: 'fill a region with a block',
    usage: '/fill <x1> <y1> <z1> <x2> <y2> <z2> <block> [hollow|keep|outline|replace [filter]]',
    op: true,
    parse (str) {
      const m = str.trim().match(SYNTAX)
      if (!m) return false
      const [, x1, y1, z1, x2, y2, z2, block, mode = 'replace', filter] = m
      if (mode === 'destroy') throw new UserError('/fill ... destroy is not supported here')
      if (!MODES.includes(mode) || (filter && mode !== 'replace')) return false
      return { coords: [x1, y1, z1, x2, y2, z2], stateId: serv.blockStateOf(block), mode, filter: filter && filterOf(filter) }
    },
    async action ({ coords, stateId, mode, filter }, ctx) {
      const origin = ctx.player ? ctx.player.position : new Vec3(0, 128, 0) // as /setblock from the console
      const axis = i => ['x', 'y', 'z'][i % 3]
      const [x1, y1, z1, x2, y2, z2] = coords.map((c, i) => Math.floor(serv.posFromString(c, origin[axis(i)])))
      const min = new Vec3(Math.min(x1, x2), Math.min(y1, y2), Math.min(z1, z2))
      const max = new Vec3(Math.max(x1, x2), Math.max(y1, y2), Math.max(z1, z2))
      const volume = (max.x - min.x + 1) * (max.y - min.y + 1) * (max.z - min.z + 1)
      if (volume > MAX_BLOCKS) {
        throw new UserError(`Too many blocks in the specified area (maximum ${MAX_BLOCKS}, specified ${volume})`)
      }
      const world = ctx.player ? ctx.player.world : serv.overworld
      const air = registry.blocksByName.air.defaultState
      let filled = 0
      for (let x = min.x; x <= max.x; x++) {
        for (let y = min.y; y <= max.y; y++) {
          for (let z = min.z; z <= max.z; z++) {
            const pos = new Vec3(x, y, z)
            const shell = x === min.x || x === max.x || y === min.y || y === max.y || z === min.z || z === max.z
            let target = stateId
            if (!shell && mode === 'hollow') target = air
            if (!shell && mode === 'outline') continue
            const now = await world.getBlockStateId(pos)
            if (mode === 'keep' && !AIR.test(Block.fromStateId(now, 0).name)) continue
            if (filter && !matches(now, filter)) continue
            if (now === target) continue
            await serv.setBlock(world, pos, target)
            filled++
          }
        }
      }
      const component = filled
        ? { translate: 'commands.fill.success', with: [String(filled)] }
        : { text: '', color: 'red', extra: [{ translate: 'commands.fill.failed' }] }
      if (ctx.player) sendSystemMessage(ctx.player, component)
      else serv.info(filled ? `Successfully filled ${filled} block(s)` : 'No blocks were filled')
    }
  }))
}
