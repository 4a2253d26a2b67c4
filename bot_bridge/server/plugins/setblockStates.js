'use strict'
// /setblock with vanilla's block state syntax: `/setblock x y z minecraft:wheat[age=7]`. flying-squid's parser stops
// at the '[' and placed the block's first state (a wheat of age 0) without a word. Unnamed properties keep the
// block's default state, as vanilla, and so does a bare name; an unknown property or value is an error.
// serv.blockStateOf('minecraft:water[level=0]') gives the state id such a block argument names (for /fill).
const { UserError } = require('flying-squid')

const STATE_SYNTAX = /^(\S+ \S+ \S+) ((?:minecraft:)?[a-z0-9_]+)\[([^\]]*)\](.*)$/

module.exports.server = function (serv) {
  const { registry } = serv
  const Block = require('prismarine-block')(registry)

  function stateData (name, text) {
    const block = registry.blocksByName[name]
    if (!block) throw new UserError(`Unknown block type 'minecraft:${name}'`)
    const properties = Block.fromStateId(block.defaultState, 0).getProperties()
    for (const pair of text.split(',').map(s => s.trim()).filter(Boolean)) {
      const [key, value] = pair.split('=').map(s => s.trim())
      const state = block.states?.find(s => s.name === key)
      if (!state) throw new UserError(`Block ${name} does not have property '${key}'`)
      const ok = state.type === 'bool' ? ['true', 'false'].includes(value) : (state.values ?? []).map(String).includes(value)
      if (!ok) throw new UserError(`Block ${name} does not accept '${value}' for ${key} property`)
      properties[key] = state.type === 'bool' ? value === 'true' : state.type === 'int' ? Number(value) : value
    }
    return Block.fromProperties(name, properties, 0).stateId - block.minStateId
  }

  serv.blockStateOf = text => {
    const m = text.match(/^(?:minecraft:)?([a-z0-9_]+)(?:\[([^\]]*)\])?$/)
    if (!m) throw new UserError(`Invalid block '${text}'`)
    return registry.blocksByName[m[1]]?.minStateId + stateData(m[1], m[2] ?? '')
  }

  serv.once('pluginsReady', () => {
    const setblock = serv.commands.hash.setblock
    if (!setblock) return
    const parse = setblock.params.parse
    setblock.params.parse = (str, ctx) => {
      const m = typeof str === 'string' && str.trim().match(STATE_SYNTAX)
      if (!m) {
        // A bare name is the block's default state (vanilla BlockStateParser), not its first: a bed's foot, a
        // chest facing north... (flying-squid's optional numeric data argument, not vanilla's, still wins).
        const parsed = parse(str, ctx)
        if (parsed && parsed[5] === undefined && Number.isNaN(+parsed[4])) {
          parsed[5] = String(stateData(parsed[4].replace(/^minecraft:/, ''), ''))
        }
        return parsed
      }
      const name = m[2].replace(/^minecraft:/, '')
      const data = stateData(name, m[3])
      const parsed = parse(`${m[1]} ${name}${m[4]}`, ctx)
      if (parsed) parsed[5] = String(data) // flying-squid's own data argument stops at 3 digits
      return parsed
    }
  })
}
