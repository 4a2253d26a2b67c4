'use strict'
// Light as the monster plugins approximate it (as farming.js does): sky light is 15 less what the blocks straight
// above filter (minecraft-data's filterLight: 0 for air and glass, 1 for leaves and water, 15 for opaque blocks),
// without spreading sideways; block light (torches, lava...) is not modelled. What a mob or a spawn check sees is that
// sky light less the sky's darkening by the time of day and the weather (vanilla's Level.getSkyDarken).

// Vanilla DimensionType.timeOfDay: the sun's angle as a share of a turn (0 at noon, 0.5 at midnight).
function celestialAngle (dayTime) {
  const d0 = ((dayTime / 24000 - 0.25) % 1 + 1) % 1
  const d1 = 0.5 - Math.cos(d0 * Math.PI) / 2
  return (d0 * 2 + d1) / 3
}

// Level.updateSkyBrightness: 0 by day, 11 at night; rain and thunder each darken by up to 5/16 more.
function skyDarken (dayTime, weather = 'clear') {
  const rain = weather === 'rain' || weather === 'thunder' ? 1 - 5 / 16 : 1
  const thunder = weather === 'thunder' ? 1 - 5 / 16 : 1
  const f = 0.5 + 2 * Math.min(0.25, Math.max(-0.25, Math.cos(celestialAngle(dayTime) * 2 * Math.PI)))
  return Math.floor((1 - f * rain * thunder) * 11)
}

// `filterOf[stateId]`: how much light each block state takes away, for skyLight below.
function lightFilters (registry) {
  const max = registry.blocksArray.reduce((n, b) => Math.max(n, b.maxStateId), 0)
  const filterOf = new Uint8Array(max + 1)
  for (const block of registry.blocksArray) {
    for (let s = block.minStateId; s <= block.maxStateId; s++) filterOf[s] = block.filterLight ?? 15
  }
  return filterOf
}

// The raw sky light (0..15) at block (x, y, z): 15 less the filters of the blocks above, up to the column's top.
// `column` is the loaded chunk column holding (x, z).
const AT = { x: 0, y: 0, z: 0 }
function skyLight (column, filterOf, x, y, z) {
  const top = column.minY + column.worldHeight
  let light = 15
  AT.x = x & 15
  AT.z = z & 15
  for (let by = y + 1; by < top && light > 0; by++) {
    AT.y = by
    light -= filterOf[column.getBlockStateId(AT)]
  }
  return Math.max(0, light)
}

module.exports = { celestialAngle, skyDarken, lightFilters, skyLight }
