'use strict'
// "X joined the game" / "X left the game" as vanilla 1.21.4 writes them (PlayerList.placeNewPlayer and
// ServerGamePacketListenerImpl.removePlayerFromWorld): a yellow translatable system message,
// multiplayer.player.joined / multiplayer.player.left, whose argument is the player's display name (the name with
// vanilla's insertion, click and hover events, Player.decorateDisplayNameComponent). flying-squid broadcast the plain
// text "X joined the game." (Mineflayer and the vanilla client look for the translation key).
const nbt = require('prismarine-nbt')

const JOINED = 'multiplayer.player.joined'
const LEFT = 'multiplayer.player.left'

// A UUID as vanilla's UUIDUtil.CODEC writes it: four ints, most significant first.
function uuidInts (uuid) {
  const hex = uuid.replace(/-/g, '')
  return [0, 8, 16, 24].map(i => Number.parseInt(hex.slice(i, i + 8), 16) | 0)
}

function displayName (player) {
  return nbt.comp({
    text: nbt.string(player.username),
    insertion: nbt.string(player.username),
    clickEvent: nbt.comp({ action: nbt.string('suggest_command'), value: nbt.string(`/tell ${player.username} `) }),
    hoverEvent: nbt.comp({
      action: nbt.string('show_entity'),
      contents: nbt.comp({
        type: nbt.string('minecraft:player'),
        id: { type: 'intArray', value: uuidInts(player.uuid) },
        name: nbt.comp({ text: nbt.string(player.username) })
      })
    })
  })
}

function message (key, player) {
  return nbt.comp({
    translate: nbt.string(key),
    with: nbt.list({ type: 'compound', value: [displayName(player).value] }),
    color: nbt.string('yellow')
  })
}

module.exports.server = function (serv) {
  const announce = (key, player) => {
    console.log(`[gitm] ${player.username} ${key === JOINED ? 'joined' : 'left'} the game`)
    const content = message(key, player)
    for (const other of serv.players) {
      if (other === player && key === LEFT) continue
      other._client.write('system_chat', { content, isActionBar: false })
    }
  }

  // flying-squid's login.js and logout.js announce through serv.broadcast with these exact texts, from closures no
  // plugin can reach: those two messages become vanilla's, every other broadcast is left alone.
  serv.once('pluginsReady', () => {
    const broadcast = serv.broadcast
    serv.broadcast = (text, options = {}) => {
      if (typeof text === 'string' && text.startsWith(serv.color.yellow) && !options.whitelist) {
        const rest = text.slice(serv.color.yellow.length)
        for (const [suffix, key] of [[' joined the game.', JOINED], [' left the game.', LEFT]]) {
          if (!rest.endsWith(suffix)) continue
          const name = rest.slice(0, -suffix.length)
          const player = serv.players.find(p => p.username === name) // logout.js announces before removing
          if (player) return announce(key, player)
        }
      }
      return broadcast(text, options)
    }
  })
}
