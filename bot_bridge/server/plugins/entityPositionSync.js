'use strict'
// A long move of an entity (a /tp, a fall, a respawn) as vanilla 1.21.2+ sends it to the players watching:
// sync_entity_position (ClientboundEntityPositionSyncPacket: position, velocity, angles in degrees). flying-squid
// sends the pre-1.21.2 entity_teleport, whose 1.21.4 layout (dx/dy/dz, flags) it does not fill, so the packet
// failed to encode and the watching client stalled.

const DEGREES_PER_STEP = 360 / 256 // flying-squid keeps entity angles in 1/256 of a turn

module.exports.server = function (serv) {
  // communication.js defines this before the external plugins load; every entity_teleport goes through it.
  const writeArray = serv._writeArray
  serv._writeArray = (name, fields, players) => {
    if (name !== 'entity_teleport') return writeArray(name, fields, players)
    const { entityId, x, y, z, yaw, pitch, onGround } = fields
    const velocity = serv.entities[entityId]?.velocity
    return writeArray('sync_entity_position', {
      entityId,
      x,
      y,
      z,
      // vanilla sends the entity's motion in blocks per tick; flying-squid keeps blocks per second
      dx: (velocity?.x ?? 0) / 20,
      dy: (velocity?.y ?? 0) / 20,
      dz: (velocity?.z ?? 0) / 20,
      yaw: yaw * DEGREES_PER_STEP,
      pitch: pitch * DEGREES_PER_STEP,
      onGround: !!onGround
    }, players)
  }
}
