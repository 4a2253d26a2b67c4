'use strict'
// The player's own movement, as vanilla's ServerGamePacketListenerImpl.handleMovePlayer sees it, for the survival
// plugins: each movement packet (position, position_look, flying) emits player 'motion' { from, to, wasOnGround,
// onGround }. Since 1.21.2 onGround travels in the packet's `flags`, which flying-squid does not read. As vanilla,
// the packets a client sends between a server teleport (sendSelfPosition: /tp, respawn, a refused move) and its
// teleport_confirm are not movement, and a sleeping player does not move. Also keeps player.sprinting and
// player.crouching from entity_action, which arrives as names on 1.21.4 (flying-squid compares numbers), and
// player.reportedOnGround, the client's last word on it.
const { Vec3 } = require('vec3')

module.exports.player = function (player) {
  let last = null // { position, onGround } of the last movement taken
  let awaitingConfirm = false
  player.sprinting = false
  player.crouching = false

  player._client.on('entity_action', ({ actionId }) => {
    if (actionId === 'start_sprinting' || actionId === 3) player.sprinting = true
    else if (actionId === 'stop_sprinting' || actionId === 4) player.sprinting = false
    else if (actionId === 'start_sneaking' || actionId === 0) player.crouching = true
    else if (actionId === 'stop_sneaking' || actionId === 1) player.crouching = false
  })

  player.once('asap', () => { // updatePositions.js defines sendSelfPosition after our plugins are injected
    const sendSelfPosition = player.sendSelfPosition
    player.sendSelfPosition = (...args) => {
      awaitingConfirm = true
      last = null
      return sendSelfPosition(...args)
    }
  })
  player._client.on('teleport_confirm', () => {
    awaitingConfirm = false
    last = null
  })

  const onMove = packet => {
    if (awaitingConfirm || !player.bodyReady || player.dead || player.sleepingPos) {
      last = null
      return
    }
    const onGround = Boolean(packet.flags?.onGround ?? packet.onGround ?? last?.onGround)
    const to = packet.x === undefined ? last?.position : new Vec3(packet.x, packet.y, packet.z)
    if (!to) return
    if (last) player.emit('motion', { from: last.position, to, wasOnGround: last.onGround, onGround })
    last = { position: to, onGround }
    player.reportedOnGround = onGround
  }
  for (const name of ['position', 'position_look', 'flying']) player._client.on(name, onMove)
  player.on('requestRespawn', () => { last = null; player.sprinting = false })
}
