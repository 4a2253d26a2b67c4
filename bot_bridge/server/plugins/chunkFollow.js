'use strict'
// The chunks sent to a player follow it wherever it goes, as vanilla's ChunkMap.move does each tick. flying-squid
// re-sent the chunks around a player only from its 'move' event, with the distance measured before the move was
// applied, and not while the previous chunks were still on their way: a player teleported soon after joining (a /tp
// of another player) was left without the chunks around its new position until it walked 16 blocks (Mineflayer's
// waitForChunksToLoad hung). Each tick, a player 16 blocks from where its chunks were last sent gets them again.
module.exports.server = function (serv) {
  serv.on('playerTick', () => {
    for (const player of serv.players) {
      if (player.disconnected || player.sendingChunks || !player.lastPositionChunkUpdated) continue
      if (!player.worldSendRestOfChunks || player.position.distanceTo(player.lastPositionChunkUpdated) <= 16) continue
      player.worldSendRestOfChunks().catch(err => console.error('[gitm] sending chunks failed:', err && err.stack))
    }
  })
}
