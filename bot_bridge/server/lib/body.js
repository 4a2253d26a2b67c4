'use strict'
// What a player's body touches, as vanilla's Entity asks it each tick: the blocks inside the player's box (0.6 wide,
// 1.8 high; 0.6 high while sleeping), water and lava with their surface heights, the block the eyes are in. Reads the
// loaded world synchronously (prismarine-world's sync view): a block in a column not loaded counts as air.
const { Vec3 } = require('vec3')

const HALF_WIDTH = 0.3
const HEIGHT = 1.8
const EYE_HEIGHT = 1.62
const SLEEPING_HEIGHT = 0.2 // vanilla's sleeping pose: 0.2 x 0.2, eyes at 0.2
// Blocks whose cell is full of water without saying so in a `waterlogged` property.
const ALWAYS_WET = new Set(['water', 'bubble_column', 'kelp', 'kelp_plant', 'seagrass', 'tall_seagrass'])

function blockAt (world, pos) {
  try {
    return world.sync.getBlock(new Vec3(Math.floor(pos.x), Math.floor(pos.y), Math.floor(pos.z)))
  } catch (e) {
    return null // the column is not loaded
  }
}

// The fluid filling a block: 'water', 'lava' or null.
function fluidName (block) {
  if (!block) return null
  if (block.name === 'lava') return 'lava'
  if (ALWAYS_WET.has(block.name) || block.getProperties?.().waterlogged === true) return 'water'
  return null
}

// The fluid in a block and how high its surface stands in the cell (vanilla's FluidState.getHeight: a full block
// under the same fluid, else amount/9: 8/9 for a source or a falling column).
function fluidIn (world, block) {
  const fluid = fluidName(block)
  if (!fluid) return null
  const sameAbove = fluidName(blockAt(world, block.position.offset(0, 1, 0))) === fluid
  const level = block.name === fluid ? Number(block.getProperties().level ?? 0) : 0 // 0 source, 1..7 flowing, 8+ falling
  const amount = level === 0 || level >= 8 ? 8 : 8 - level
  return { fluid, height: sameAbove ? 1 : amount / 9 }
}

function boxOf (player, p) {
  const height = player.sleepingPos ? SLEEPING_HEIGHT : HEIGHT
  return { minX: p.x - HALF_WIDTH, maxX: p.x + HALF_WIDTH, minY: p.y, maxY: p.y + height, minZ: p.z - HALF_WIDTH, maxZ: p.z + HALF_WIDTH }
}

// Every block cell the player's box (standing at pos) overlaps (vanilla deflates the box by 0.001 first).
function cellsOf (player, pos) {
  const b = boxOf(player, pos)
  const e = 0.001
  const cells = []
  for (let x = Math.floor(b.minX + e); x <= Math.floor(b.maxX - e); x++) {
    for (let y = Math.floor(b.minY + e); y <= Math.floor(b.maxY - e); y++) {
      for (let z = Math.floor(b.minZ + e); z <= Math.floor(b.maxZ - e); z++) cells.push(new Vec3(x, y, z))
    }
  }
  return { box: b, cells }
}

// Whether the box touches the fluid (vanilla's updateFluidHeightAndDoFluidPushing: the surface is above the box's foot).
function touchesFluid (player, fluid, pos = player.position) {
  const { box, cells } = cellsOf(player, pos)
  for (const cell of cells) {
    const f = fluidIn(player.world, blockAt(player.world, cell))
    if (f && f.fluid === fluid && cell.y + f.height >= box.minY + 0.001) return true
  }
  return false
}

// The blocks (by name) the box is inside of, for fire, cobwebs, climbables...
function blocksTouched (player, pos = player.position) {
  return cellsOf(player, pos).cells.map(cell => blockAt(player.world, cell)).filter(Boolean)
}

// Vanilla's isEyeInFluid(WATER): the fluid's surface above the eyes (less 1/9).
function eyesInWater (player, pos = player.position) {
  const eyeY = pos.y + (player.sleepingPos ? SLEEPING_HEIGHT : EYE_HEIGHT) - 0.11111111
  const at = new Vec3(pos.x, eyeY, pos.z)
  const f = fluidIn(player.world, blockAt(player.world, at))
  return Boolean(f && f.fluid === 'water' && Math.floor(eyeY) + f.height > eyeY)
}

module.exports = { blockAt, fluidName, fluidIn, touchesFluid, blocksTouched, eyesInWater, EYE_HEIGHT }
