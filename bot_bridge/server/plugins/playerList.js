'use strict'
// The player list (tab list) as vanilla 1.21.4's PlayerList sends it: a joining player gets every entry, itself
// included (Mineflayer's bot.player is that entry), and everyone else gets the newcomer's; a leaving player is
// removed with player_remove. flying-squid sent the joining player's list to everyone but that player, without the
// `listed` flag a vanilla client needs to show an entry, and removed players with a player_info action that
// 1.19.3+ no longer has (the entry stayed).

// vanilla ClientboundPlayerInfoUpdatePacket.createPlayerInitializing
const INITIALIZING = {
  add_player: true,
  initialize_chat: true,
  update_game_mode: true,
  update_listed: true,
  update_latency: true,
  update_display_name: true,
  update_hat: true,
  update_list_order: true
}

module.exports.server = function (serv) {
  const entry = player => ({
    uuid: player.uuid,
    player: { name: player.username, properties: player.profileProperties ?? [] },
    chatSession: undefined, // no signed chat in offline mode
    gamemode: player.gameMode,
    listed: 1,
    latency: player._client.latency ?? 0,
    displayName: undefined, // the client shows the name
    showHat: true,
    listPriority: 0
  })

  const sendPlayerList = (joining) => {
    serv._writeArray('player_info', { action: INITIALIZING, data: [entry(joining)] }, joining.getOtherPlayers())
    joining._client.write('player_info', { action: INITIALIZING, data: serv.players.map(entry) })
  }
  const sendPlayerLeave = (leaving) => leaving._writeOthers('player_remove', { players: [leaving.uuid] })

  // flying-squid's login plugin assigns its own versions of these on every login: keep ours.
  for (const [name, fn] of [['_sendPlayerList', sendPlayerList], ['_sendPlayerEventLeave', sendPlayerLeave]]) {
    Object.defineProperty(serv, name, { get: () => fn, set () {}, configurable: true })
  }
}
