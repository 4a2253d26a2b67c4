'use strict'
// Other players appear as players. Since 1.20.2 a player is spawned for others with spawn_entity and the entity type
// `player`; flying-squid leaves a player's entity type unset, which goes on the wire as type 0 (acacia_boat on
// 1.21.4), so a client saw a boat where another player stood and never matched it to the player list.

module.exports.server = function (serv) {
  const PLAYER = serv.registry.entitiesByName.player.id
  serv.on('newEntity', entity => {
    if (entity.type === 'player') entity.entityType = PLAYER
  })
}
