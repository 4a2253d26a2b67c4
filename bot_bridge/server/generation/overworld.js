// Placeholder flat world (replaced by the real generator): bedrock at -64, stone to 60, grass at 64.
'use strict'
const { Vec3 } = require('vec3')
module.exports = function generation (options) {
  const { registry } = options
  const Chunk = require('prismarine-chunk')(registry)
  const b = registry.blocksByName
  return function generateChunk () {
    const chunk = new Chunk({ minY: -64, worldHeight: 384 })
    for (let x = 0; x < 16; x++) {
      for (let z = 0; z < 16; z++) {
        for (let y = -64; y <= 64; y++) {
          const id = y === -64 ? b.bedrock.defaultState : y < 61 ? b.stone.defaultState : y < 64 ? b.dirt.defaultState : b.grass_block.defaultState
          chunk.setBlockStateId(new Vec3(x, y, z), id)
        }
        for (let y = -64; y < 320; y += 1) chunk.setSkyLight(new Vec3(x, y, z), 15)
      }
    }
    return chunk
  }
}
