#!/usr/bin/env node
// Starts gitm's embedded world: flying-squid plus our survival plugins.
// Usage: node start.js '{"version":"<mc version>","port":0,"seed":1,...}'   (JSON options; version is required,
// from the option or GITM_MC_VERSION: bot_bridge/server.py passes knowledge/version.py's MC_VERSION)
// Prints one line `GITM_SERVER_READY port=<port> seed=<seed> version=<version>` once logins are accepted.
'use strict'
const path = require('path')
const fs = require('fs')
const mcServer = require('flying-squid')
const { mcVersion } = require('./lib/version')

const PLUGIN_DIR = path.join(__dirname, 'plugins')

function parseOptions (argv) {
  const given = argv[2] ? JSON.parse(argv[2]) : {}
  const host = given.host ?? '127.0.0.1'
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1'
  // Offline mode (no Mojang auth) is only safe when nobody else can reach the port.
  if (!loopback && given.onlineMode !== true && !given.allowOfflineOnNetwork) {
    throw new Error(`refusing offline mode on ${host}: bind 127.0.0.1 or pass allowOfflineOnNetwork`)
  }
  return {
    version: mcVersion(given.version),
    host,
    port: given.port ?? 25565,
    seed: given.seed ?? Math.floor(Math.random() * 2 ** 31),
    worldFolder: given.worldFolder,
    saveFolder: given.saveFolder, // plugins/worldSave.js: the world and players on disk
    difficulty: given.difficulty ?? 0, // peaceful by default: the agent is judged on its tech tree
    startTime: given.startTime ?? 0, // plugins/startTime.js
    op: given.op ?? false,
    onlineMode: given.onlineMode ?? false,
    viewDistance: given.viewDistance ?? 6
  }
}

function pluginModules () {
  return Object.fromEntries(fs.readdirSync(PLUGIN_DIR)
    .filter(f => f.endsWith('.js'))
    .sort()
    .map(f => [path.join(PLUGIN_DIR, f), {}]))
}

function main () {
  let opts
  try {
    opts = parseOptions(process.argv)
  } catch (err) {
    console.error(`[gitm] cannot start: ${err.message}`)
    process.exit(2)
  }
  const serv = mcServer.createMCServer({
    motd: 'gitm embedded world',
    'max-players': 10,
    'online-mode': opts.onlineMode,
    logging: false, // our parent process captures stdout into its own log file
    gameMode: 0,
    difficulty: opts.difficulty,
    worldFolder: opts.worldFolder,
    saveFolder: opts.saveFolder,
    startTime: opts.startTime,
    generation: { name: path.join(__dirname, 'generation', 'overworld.js'), options: { seed: opts.seed } },
    kickTimeout: 60000, // 10 s kicked bots during long findBlocks calls
    plugins: pluginModules(),
    modpe: false,
    'view-distance': opts.viewDistance,
    'player-list-text': { header: { text: 'gitm' }, footer: { text: 'embedded world' } },
    'everybody-op': opts.op,
    'max-entities': 100,
    version: opts.version, // the world generator reads it (and the registry) from these options
    host: opts.host,
    port: opts.port
  })
  serv.on('error', err => console.error('[gitm] server error:', err && err.stack))
  serv.once('ready', () => {
    console.log(`GITM_SERVER_READY port=${serv.listeningPort} seed=${opts.seed} version=${opts.version}`)
  })

  let stopping = false
  const stop = async (why) => {
    if (stopping) return
    stopping = true
    console.log(`[gitm] stopping (${why})`)
    // as vanilla's stop, the world is saved first (worldSave.js otherwise saves once a second)
    try { await serv.saveWorldState?.() } catch (e) { console.error('[gitm] saving the world state failed:', e && e.stack) }
    try { await serv.quit?.() } catch (e) {}
    try { await serv.destroy() } catch (e) {}
    process.exit(0)
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  // The parent holds our stdin open; when it dies the pipe closes and we go with it.
  if (process.env.GITM_EXIT_ON_STDIN_CLOSE === '1') {
    process.stdin.on('end', () => stop('parent gone'))
    process.stdin.on('close', () => stop('parent gone'))
    process.stdin.resume()
  }
  process.on('unhandledRejection', err => console.error('[gitm] unhandled rejection:', err && err.stack))
}

main()
