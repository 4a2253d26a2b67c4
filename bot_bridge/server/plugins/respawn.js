'use strict'
// On 1.21.4 the client's respawn request arrives as the mapped string 'perform_respawn', and
// flying-squid only respawns on the numeric 0 (its respawn packet also lacks 1.20.5+'s worldState),
// so a dead player stayed dead. Respawn as vanilla does: at the world spawn, full health and food.

const GAME_MODES = ['survival', 'creative', 'adventure', 'spectator']

module.exports.player = function (player, serv) {
  player._client.on('client_command', (data) => {
    if ((data.actionId ?? data.payload) !== 'perform_respawn') return // 0 is flying-squid's own case
    player.behavior('requestRespawn', {}, () => {
      player._client.write('respawn', {
        worldState: {
          ...serv.registry.loginPacket.worldState,
          gamemode: GAME_MODES[player.gameMode] ?? 'survival',
          previousGamemode: 255,
          isFlat: false
        },
        copyMetadata: 0
      })
      player.position = player.spawnPoint.clone()
      player.sendSelfPosition()
      player.updateHealth(20)
      player.updateFood(20)
      player.nearbyEntities = []
      player.updateAndSpawn()
    })
  })
}
