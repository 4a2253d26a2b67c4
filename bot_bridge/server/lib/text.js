'use strict'
// Text components as a vanilla 1.21.4 server writes them: NBT since 1.20.3. flying-squid only builds `{text}`, so
// translated and styled components (what vanilla sends for refusals and kicks) are built from their JSON form here.
const nbt = require('prismarine-nbt')

function toNbt (component) {
  if (typeof component === 'string') return nbt.string(component)
  if (typeof component === 'boolean') return nbt.byte(component ? 1 : 0) // NbtOps writes booleans as bytes
  if (Array.isArray(component)) {
    // NBT lists hold one type: plain texts alone are a list of strings; beside compounds each is wrapped as {"": text},
    // as vanilla's NbtOps writes a mixed list (a translation's `with` of a count and a name)
    if (component.every(c => typeof c === 'string')) return nbt.list({ type: 'string', value: component })
    return nbt.list({ type: 'compound', value: component.map(c => toNbt(typeof c === 'string' ? { '': c } : c).value) })
  }
  return nbt.comp(Object.fromEntries(Object.entries(component).map(([key, value]) => [key, toNbt(value)])))
}

function sendSystemMessage (player, component) {
  player._client.write('system_chat', { content: toNbt(component), isActionBar: false })
}

module.exports = { toNbt, sendSystemMessage }
