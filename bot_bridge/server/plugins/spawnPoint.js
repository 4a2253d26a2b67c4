// Spawns players in the overworld on dry, level grass near (0, 0) with a tree within 20 blocks,
// found by the generator's own findSpawn so it matches the terrain exactly. flying-squid's
// default picks a random column in 0..30 and walks down from y=81, which can land in leaves.
'use strict'
const { Vec3 } = require('vec3')
const { findSpawn } = require('../generation/overworld')

module.exports.server = function (serv, settings) {
  // flying-squid's settings plugin assigns serv.getSpawnPoint after external plugins run, and
  // the world plugin settles the seed (possibly from level.dat) asynchronously: wait for both.
  serv.once('pluginsReady', () => {
    const fallback = serv.getSpawnPoint
    const p = findSpawn(settings.generation.options.seed)
    // The middle of the block, as vanilla: on a corner the player stands on four blocks at once.
    const spawn = new Vec3(p.x + 0.5, p.y, p.z + 0.5)
    serv.getSpawnPoint = async (world) => world === serv.overworld ? spawn.clone() : fallback(world)
  })
}
