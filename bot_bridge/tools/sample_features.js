#!/usr/bin/env node
// Samples the gatherable things of gitm's overworld generator without a server and prints JSON.
// Usage: GITM_MC_VERSION=<mc version> node sample_features.js <seed[,seed...]> [searchRadiusBlocks=300] [checkRadiusChunks=4]
// For each seed: the nearest block of each kind to the spawn (chunks scanned ring by ring out to the search radius,
// heights 40..110, stopping once every kind is found closer than the ring), support problems (plants without a
// valid block below, sugar cane without water beside its base, lakes leaking) within checkRadiusChunks of the spawn,
// cave air and lava in that area, and what lies within SPAWN_CLEAR blocks of the spawn.
'use strict'
const path = require('path')
const generation = require(path.join(__dirname, '..', 'server', 'generation', 'overworld.js'))
const { mcVersion } = require(path.join(__dirname, '..', 'server', 'lib', 'version.js'))

const VERSION = mcVersion()
const registry = require('minecraft-data')(VERSION)
const { MIN_Y, SEA_LEVEL } = generation.constants
const KINDS = ['sand', 'gravel', 'clay', 'dandelion', 'poppy', 'azure_bluet', 'oxeye_daisy', 'cornflower', 'short_grass',
  'sugar_cane', 'pumpkin', 'melon', 'lake_water', 'lava']
const FLOWERS = new Set(['dandelion', 'poppy', 'azure_bluet', 'oxeye_daisy', 'cornflower'])
const PLANT_SOIL = new Set(['grass_block', 'dirt'])
const CANE_SOIL = new Set(['grass_block', 'dirt', 'sand'])
const SEDIMENTS = new Set(['sand', 'gravel', 'clay'])
const SURFACE_LO = 40
const SURFACE_HI = 110
const SPAWN_CLEAR = 16

function blockNames () {
  const names = new Array(registry.blocksArray.reduce((m, b) => Math.max(m, b.maxStateId), 0) + 1)
  for (const b of registry.blocksArray) for (let s = b.minStateId; s <= b.maxStateId; s++) names[s] = b.name
  return names
}

function sample (seed, searchRadius, checkRadius, names) {
  const generateChunk = generation({ seed, version: VERSION, registry })
  const shape = generation.shapeFor(seed)
  const spawn = generation.findSpawn(seed)
  const scx = Math.floor(spawn.x / 16)
  const scz = Math.floor(spawn.z / 16)
  const cache = new Map()
  const chunkAt = (cx, cz) => {
    const key = `${cx},${cz}`
    let c = cache.get(key)
    if (!c) {
      if (cache.size > 600) cache.clear()
      c = generateChunk(cx, cz)
      cache.set(key, c)
    }
    return c
  }
  const p = { x: 0, y: 0, z: 0 }
  const at = (x, y, z) => {
    p.x = ((x % 16) + 16) % 16; p.y = y; p.z = ((z % 16) + 16) % 16
    return names[chunkAt(Math.floor(x / 16), Math.floor(z / 16)).getBlockStateId(p)]
  }
  const nearest = {}
  const counts = Object.fromEntries(KINDS.map(k => [k, 0]))
  const problems = []
  const problem = msg => { if (problems.length < 20) problems.push(msg) }
  const maxRing = Math.ceil(searchRadius / 16)
  let ms = 0
  let chunks = 0
  for (let ring = 0; ring <= maxRing; ring++) {
    if (ring > 0 && KINDS.every(k => nearest[k] && nearest[k].distance < (ring - 1) * 16)) break
    for (let cx = scx - ring; cx <= scx + ring; cx++) {
      for (let cz = scz - ring; cz <= scz + ring; cz++) {
        if (Math.max(Math.abs(cx - scx), Math.abs(cz - scz)) !== ring) continue
        const t0 = process.hrtime.bigint()
        const chunk = generateChunk(cx, cz)
        ms += Number(process.hrtime.bigint() - t0) / 1e6
        chunks++
        const check = ring <= checkRadius
        if (check) cache.set(`${cx},${cz}`, chunk)
        const q = { x: 0, y: 0, z: 0 }
        for (q.x = 0; q.x < 16; q.x++) {
          for (q.z = 0; q.z < 16; q.z++) {
            const wx = cx * 16 + q.x
            const wz = cz * 16 + q.z
            const d = Math.hypot(wx - spawn.x, wz - spawn.z)
            const lo = check ? MIN_Y : SURFACE_LO
            for (q.y = lo; q.y <= SURFACE_HI; q.y++) {
              let name = names[chunk.getBlockStateId(q)]
              if (name === 'air' || name === 'stone' || name === 'deepslate' || name === 'grass_block' || name === 'dirt') continue
              const sea = name === 'water' && q.y <= SEA_LEVEL
              if (name === 'water') name = 'lake_water'
              if (!(name in counts)) continue
              if (sea && !check) continue
              if (SEDIMENTS.has(name)) { // only where it can be seen: under water or open air (not blobs in rock)
                q.y++
                const up = names[chunk.getBlockStateId(q)]
                q.y--
                if (up !== 'air' && up !== 'water') continue
              }
              if (!sea) counts[name]++
              if (!sea && (!nearest[name] || d < nearest[name].distance)) nearest[name] = { distance: +d.toFixed(1), x: wx, y: q.y, z: wz }
              if (!check) continue
              const below = at(wx, q.y - 1, wz)
              const where = `${name}@${wx},${q.y},${wz}`
              if ((FLOWERS.has(name) || name === 'short_grass') && !PLANT_SOIL.has(below)) problem(`${where} on ${below}`)
              if ((name === 'pumpkin' || name === 'melon') && below !== 'grass_block') problem(`${where} on ${below}`)
              if (name === 'sugar_cane' && below !== 'sugar_cane') {
                if (!CANE_SOIL.has(below)) problem(`${where} on ${below}`)
                const wet = [[1, 0], [-1, 0], [0, 1], [0, -1]].some(([dx, dz]) => at(wx + dx, q.y - 1, wz + dz) === 'water')
                if (!wet) problem(`${where}: no water beside its base`)
              }
              if (name === 'sugar_cane' && at(wx, q.y - 3, wz) === 'sugar_cane') problem(`${where}: cane taller than 3`)
              if (name === 'lake_water') { // seas and lakes
                for (const [dx, dy, dz] of [[1, 0, 0], [-1, 0, 0], [0, 0, 1], [0, 0, -1], [0, -1, 0]]) {
                  const n = at(wx + dx, q.y + dy, wz + dz)
                  if (n === 'air' || n === 'cave_air') problem(`${where} leaks into air at ${dx},${dy},${dz}`)
                }
              }
            }
          }
        }
      }
    }
  }
  // Caves and lava in the checked area; anything dug out within SPAWN_CLEAR of the spawn.
  const caves = { columns: 0, air: 0, lava: 0, openings: 0, lavaAboveMinus55: 0 }
  const spawnArea = { caveAir: 0, lake: 0, lava: 0, columns: 0 }
  for (let cx = scx - checkRadius; cx <= scx + checkRadius; cx++) {
    for (let cz = scz - checkRadius; cz <= scz + checkRadius; cz++) {
      const chunk = chunkAt(cx, cz)
      const q = { x: 0, y: 0, z: 0 }
      for (q.x = 0; q.x < 16; q.x++) {
        for (q.z = 0; q.z < 16; q.z++) {
          const wx = cx * 16 + q.x
          const wz = cz * 16 + q.z
          const lake = shape.lakeAt(wx, wz)
          const top = lake ? lake.floor : shape.surfaceHeight(wx, wz)
          const near = Math.hypot(wx - spawn.x, wz - spawn.z) <= SPAWN_CLEAR
          caves.columns++
          if (near) spawnArea.columns++
          if (lake && near) spawnArea.lake++
          let open = true // air straight down from the surface
          for (q.y = top; q.y > MIN_Y; q.y--) {
            const name = names[chunk.getBlockStateId(q)]
            if (name === 'air' || name === 'cave_air') {
              caves.air++
              if (near) spawnArea.caveAir++
              if (open && q.y === top) caves.openings++
            } else {
              open = false
            }
            if (name === 'lava') {
              caves.lava++
              if (q.y > -55) caves.lavaAboveMinus55++
              if (near) spawnArea.lava++
            }
          }
        }
      }
    }
  }
  return {
    seed,
    spawn,
    searchRadius,
    chunksScanned: chunks,
    msPerChunk: +(ms / chunks).toFixed(2),
    nearest,
    counts,
    problems,
    caves,
    spawnArea
  }
}

function main () {
  const [seedsArg, radiusArg, checkArg] = process.argv.slice(2)
  if (!seedsArg) {
    console.error('usage: sample_features.js <seed[,seed...]> [searchRadiusBlocks=300] [checkRadiusChunks=4]')
    process.exit(2)
  }
  const names = blockNames()
  const results = seedsArg.split(',').map(Number)
    .map(seed => sample(seed, radiusArg === undefined ? 300 : Number(radiusArg), checkArg === undefined ? 4 : Number(checkArg), names))
  console.log(JSON.stringify(results, null, 1))
}

main()
