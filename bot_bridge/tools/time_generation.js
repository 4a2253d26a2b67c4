#!/usr/bin/env node
// CPU time per chunk of gitm's overworld generator (or another generator module given by path), without a server.
// Usage: GITM_MC_VERSION=<mc version> node time_generation.js [path/to/overworld.js]
// Generates the 5x5 chunks around the spawn of seeds 1..10 twice (a second set 5 chunks east), after a warm-up
// 100 chunks away; prints CPU (user + system) and wall ms per chunk. On a shared machine compare CPU time, and
// interleave runs of the generators being compared.
'use strict'
const path = require('path')
const { mcVersion } = require(path.join(__dirname, '..', 'server', 'lib', 'version.js'))

const VERSION = mcVersion()
const registry = require('minecraft-data')(VERSION)
const modulePath = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'server', 'generation', 'overworld.js'))
const generation = require(modulePath)

function run (offset) {
  let n = 0
  for (let seed = 1; seed <= 10; seed++) {
    const generateChunk = generation({ seed, version: VERSION, registry })
    const spawn = generation.findSpawn(seed)
    const scx = Math.floor(spawn.x / 16) + offset
    const scz = Math.floor(spawn.z / 16)
    for (let cx = scx - 2; cx <= scx + 2; cx++) {
      for (let cz = scz - 2; cz <= scz + 2; cz++) { generateChunk(cx, cz); n++ }
    }
  }
  return n
}

run(100)
const cpu0 = process.cpuUsage()
const t0 = process.hrtime.bigint()
const n = run(0) + run(5)
const cpu = process.cpuUsage(cpu0)
const wall = Number(process.hrtime.bigint() - t0) / 1e6
console.log(JSON.stringify({ generator: modulePath, chunks: n, cpuMsPerChunk: +((cpu.user + cpu.system) / 1000 / n).toFixed(2), wallMsPerChunk: +(wall / n).toFixed(2) }))
