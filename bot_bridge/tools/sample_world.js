#!/usr/bin/env node
// Samples gitm's overworld generator without a server and prints JSON figures.
// Usage: GITM_MC_VERSION=<mc version> node sample_world.js <seed[,seed...]> [radiusChunks=2]
// (tests/test_generation.py passes knowledge/version.py's MC_VERSION; without it the script stops.)
// For each seed: the spawn point (the spawnPoint plugin's logic), the nearest log to it, ore
// counts per chunk (with per-band and mean/max y) over the (2r+1)^2 chunks around spawn,
// layer checks, the fraction of ore-hosting rock per y (to derive expected ore counts), surface
// stats, ms/chunk and a digest of the sampled chunks for determinism.
'use strict'
const path = require('path')
const crypto = require('crypto')
const generation = require(path.join(__dirname, '..', 'server', 'generation', 'overworld.js'))

const { mcVersion } = require(path.join(__dirname, '..', 'server', 'lib', 'version.js'))

const VERSION = mcVersion()
const registry = require('minecraft-data')(VERSION)
const { MIN_Y, WORLD_HEIGHT, SEA_LEVEL } = generation.constants
const MAX_Y = MIN_Y + WORLD_HEIGHT - 1
const ORES = ['coal', 'iron', 'copper', 'gold', 'redstone', 'lapis', 'diamond', 'emerald']
const ROCK_TOP = 100 // rockByY covers MIN_Y..ROCK_TOP; the terrain never reaches it
const HOSTS = new Set(['stone', 'deepslate', 'tuff'])
const BANDS = [[-64, -49], [-48, -17], [-16, -1], [0, 15], [16, 47], [48, 79], [80, 319]]

function blockNames () {
  const names = new Array(registry.blocksArray.reduce((m, b) => Math.max(m, b.maxStateId), 0) + 1)
  for (const b of registry.blocksArray) for (let s = b.minStateId; s <= b.maxStateId; s++) names[s] = b.name
  return names
}

function sample (seed, radius, names) {
  const generateChunk = generation({ seed, version: VERSION, registry })
  const spawn = generation.findSpawn(seed)
  const scx = Math.floor(spawn.x / 16)
  const scz = Math.floor(spawn.z / 16)
  const ores = Object.fromEntries(ORES.map(o => [o, { count: 0, stone: 0, deepslate: 0, sumY: 0, minY: null, maxY: null, bands: BANDS.map(() => 0) }]))
  const layers = { belowZeroLava: 0, belowZeroSolid: 0, belowZeroDeepslateFamily: 0, belowZeroStoneFamily: 0, floorBedrock: 0, floorColumns: 0, deepslateAbove8: 0, bedrockAboveMinus60: 0 }
  const rock = new Array(ROCK_TOP - MIN_Y + 1).fill(0)
  const surface = { min: Infinity, max: -Infinity, sum: 0, columns: 0, water: 0, grass: 0, sand: 0 }
  const logs = { oak_log: 0, birch_log: 0 }
  let nearestLog = Infinity
  let nearestLogAt = null
  const digest = crypto.createHash('sha256')
  let genMs = 0
  let chunks = 0
  const pos = { x: 0, y: 0, z: 0 }
  for (let cx = scx - radius; cx <= scx + radius; cx++) {
    for (let cz = scz - radius; cz <= scz + radius; cz++) {
      const t0 = process.hrtime.bigint()
      const chunk = generateChunk(cx, cz)
      genMs += Number(process.hrtime.bigint() - t0) / 1e6
      chunks++
      digest.update(chunk.dump())
      for (const part of Object.values(chunk.dumpLight())) digest.update(JSON.stringify(part))
      for (pos.x = 0; pos.x < 16; pos.x++) {
        for (pos.z = 0; pos.z < 16; pos.z++) {
          const wx = cx * 16 + pos.x
          const wz = cz * 16 + pos.z
          let top = null
          for (pos.y = MIN_Y; pos.y <= MAX_Y; pos.y++) {
            if (((pos.y - MIN_Y) & 15) === 0 && chunk.sections[(pos.y - MIN_Y) >> 4].isEmpty()) { pos.y += 15; continue } // all air
            const name = names[chunk.getBlockStateId(pos)]
            if (name === 'air') continue
            const y = pos.y
            if (y === MIN_Y) { layers.floorColumns++; if (name === 'bedrock') layers.floorBedrock++ }
            if (y < 0 && name === 'lava') layers.belowZeroLava++
            else if (y < 0) {
              layers.belowZeroSolid++
              if (name === 'bedrock' || name === 'tuff' || name.startsWith('deepslate')) layers.belowZeroDeepslateFamily++
              if (name === 'stone' || (name.endsWith('_ore') && !name.startsWith('deepslate_'))) layers.belowZeroStoneFamily++
            }
            if (y >= 8 && name.startsWith('deepslate')) layers.deepslateAbove8++
            if (y > -60 && name === 'bedrock') layers.bedrockAboveMinus60++
            if (y <= ROCK_TOP && (HOSTS.has(name) || name.endsWith('_ore'))) rock[y - MIN_Y]++
            if (name.endsWith('_log')) {
              logs[name] = (logs[name] || 0) + 1
              const d = Math.hypot(wx - spawn.x, wz - spawn.z)
              if (d < nearestLog) { nearestLog = d; nearestLogAt = { x: wx, y, z: wz } }
            }
            if (name.endsWith('_ore')) {
              const ore = name.replace(/^deepslate_/, '').replace(/_ore$/, '')
              const o = ores[ore]
              o.count++
              o[name.startsWith('deepslate_') ? 'deepslate' : 'stone']++
              o.sumY += y
              o.minY = o.minY === null ? y : Math.min(o.minY, y)
              o.maxY = o.maxY === null ? y : Math.max(o.maxY, y)
              o.bands[BANDS.findIndex(([lo, hi]) => y >= lo && y <= hi)]++
            }
            if (!name.endsWith('_log') && !name.endsWith('_leaves')) top = { y, name }
          }
          surface.columns++
          surface.min = Math.min(surface.min, top.y)
          surface.max = Math.max(surface.max, top.y)
          surface.sum += top.y
          if (top.name === 'water') surface.water++
          else if (top.name === 'grass_block' || top.name === 'dirt') surface.grass++
          else if (top.name === 'sand') surface.sand++
        }
      }
    }
  }
  const at = (x, y, z) => {
    const chunk = generateChunk(Math.floor(x / 16), Math.floor(z / 16))
    return names[chunk.getBlockStateId({ x: ((x % 16) + 16) % 16, y, z: ((z % 16) + 16) % 16 })]
  }
  const again = generation({ seed, version: VERSION, registry })(scx, scz).dump()
  return {
    seed,
    radiusChunks: radius,
    chunks,
    msPerChunk: +(genMs / chunks).toFixed(2),
    spawn,
    spawnBlocks: { below: at(spawn.x, spawn.y - 1, spawn.z), feet: at(spawn.x, spawn.y, spawn.z), head: at(spawn.x, spawn.y + 1, spawn.z) },
    nearestLog: nearestLogAt && { distance: +nearestLog.toFixed(2), ...nearestLogAt },
    logs,
    ores: Object.fromEntries(Object.entries(ores).map(([k, o]) => [k, {
      count: o.count,
      perChunk: +(o.count / chunks).toFixed(2),
      stone: o.stone,
      deepslate: o.deepslate,
      meanY: o.count ? +(o.sumY / o.count).toFixed(1) : null,
      minY: o.minY,
      maxY: o.maxY,
      bands: Object.fromEntries(BANDS.map(([lo, hi], i) => [`${lo}..${hi}`, o.bands[i]]))
    }])),
    layers,
    rockByY: { fromY: MIN_Y, fraction: rock.map(n => +(n / (chunks * 256)).toFixed(4)) },
    surface: {
      min: surface.min,
      max: surface.max,
      mean: +(surface.sum / surface.columns).toFixed(1),
      seaLevel: SEA_LEVEL,
      waterFraction: +(surface.water / surface.columns).toFixed(3),
      grassFraction: +(surface.grass / surface.columns).toFixed(3),
      sandFraction: +(surface.sand / surface.columns).toFixed(3)
    },
    digest: digest.digest('hex'),
    regeneratedChunkIdentical: again.equals(generateChunk(scx, scz).dump())
  }
}

function main () {
  const [seedsArg, radiusArg] = process.argv.slice(2)
  if (!seedsArg) {
    console.error('usage: sample_world.js <seed[,seed...]> [radiusChunks=2]')
    process.exit(2)
  }
  const seeds = seedsArg.split(',').map(Number)
  const radius = radiusArg === undefined ? 2 : Number(radiusArg)
  const names = blockNames()
  const results = seeds.map(seed => sample(seed, radius, names))
  console.log(JSON.stringify(seeds.length === 1 ? results[0] : results, null, 1))
}

main()
