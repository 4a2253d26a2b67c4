'use strict'
// One connection per profile, as vanilla (PlayerList.disconnectAllPlayersWithProfile): a login whose UUID is already
// playing disconnects the older connection ("You logged in from another location") and joins once that player is
// gone and saved (with a world folder, the newer login loads what the older one saved). flying-squid let both play
// under one name.
const { once } = require('events')
const { toNbt } = require('../lib/text')

const REASON = 'You logged in from another location'
const DUPLICATE_LOGIN = { translate: 'multiplayer.disconnect.duplicate_login' }

async function disconnect (older) {
  // logout.js saves the player right after 'disconnected', without waiting: keep that save to wait for it.
  const save = older.save
  let saved
  older.save = () => (saved = save())
  const gone = once(older, 'disconnected')
  console.log(`[gitm] ${older.username} lost connection: ${REASON}`)
  older._client.end(REASON, toNbt(DUPLICATE_LOGIN))
  await gone
  try {
    await saved
  } catch (err) { // logout.js leaves a failed save unhandled: a log line, never a failed login
    console.error(`[gitm] saving ${older.username} failed:`, err && err.stack)
  }
}

module.exports.server = function (serv) {
  // 'newPlayer' comes right before flying-squid awaits player.login(): the new login waits for the older to leave.
  serv.on('newPlayer', player => {
    const login = player.login
    player.login = async () => {
      const older = serv.players.filter(other => other !== player && other.uuid === player._client.uuid)
      await Promise.all(older.map(disconnect))
      return login()
    }
  })
}
