#!/usr/bin/env node
// Runs mineflayer's external tests (vendored from mineflayer 4.25.0 in externalTests/) against a running server, the
// way mineflayer's test/externalTest.js does under mocha (vendored as upstream-externalTest.js), without mocha.
//
//   node runner.js --port PORT --file NAME [--cases A,B] [--timeout MS] [--no-client-fix]
//
// NODE_PATH must hold bot_bridge/node_modules (mineflayer, vec3, prismarine-*), GITM_MC_VERSION the version. Standard output carries only JSON
// lines: first {"file": NAME, "cases": [...]}, then one {"test", "ok", "error", "seconds"} per case as it ends.
// Everything the tests and mineflayer print goes to standard error.
'use strict'
const path = require('path')
const util = require('util')
const Module = require('module')

const SUITE_DIR = __dirname
const TESTS_DIR = path.join(SUITE_DIR, 'externalTests')

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
console.log = (...args) => process.stderr.write(util.format(...args) + '\n')
console.info = console.log

// The vendored tests require mineflayer's internals as '../../lib/promise_utils' (a path inside mineflayer's repo):
// point such requests from our copies at the installed mineflayer's lib, so the test files stay unchanged.
// Client fix (off with --no-client-fix): bot_bridge/node_modules holds three copies of vec3 (gitm's 0.2.0 on top,
// mineflayer's and prismarine-world's own 0.1.10), so positions from different packages are different classes and
// assert.deepStrictEqual (rayTrace.js) fails on them; mineflayer's own tree has one copy. One copy for all here.
const CLIENT_FIX = !process.argv.includes('--no-client-fix')
const resolve = Module._resolveFilename
let mineflayerDir = null
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^(?:\.\.\/)+lib\/(.+)$/.exec(request)
  if (m && parent && parent.filename && parent.filename.startsWith(SUITE_DIR)) {
    return resolve.call(this, `mineflayer/lib/${m[1]}`, parent, ...rest)
  }
  if (CLIENT_FIX && request === 'vec3') {
    mineflayerDir ??= path.dirname(resolve.call(this, 'mineflayer/package.json', module, ...rest))
    return resolve.call(this, 'vec3', { id: mineflayerDir, filename: path.join(mineflayerDir, 'index.js'), paths: Module._nodeModulePaths(mineflayerDir) }, ...rest)
  }
  return resolve.call(this, request, parent, ...rest)
}

const mineflayer = require('mineflayer')
const commonTest = require('./testCommon')
// gitm's Minecraft version (GITM_MC_VERSION from knowledge/version.py); the vendored tests are 4.25.0's, for 1.21.4
const VERSION = require('../../bot_bridge/server/lib/version').mcVersion()

function parseArgs (argv) {
  const args = { timeout: 60000, cases: null, clientFix: CLIENT_FIX }
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--port') args.port = parseInt(argv[++i], 10)
    else if (a === '--file') args.file = argv[++i]
    else if (a === '--cases') args.cases = argv[++i].split(',').filter(Boolean)
    else if (a === '--timeout') args.timeout = parseInt(argv[++i], 10)
    else if (a === '--no-client-fix') args.clientFix = false // read above too, before any require
    else throw new Error(`unknown argument ${a}`)
  }
  if (!args.port || !args.file) throw new Error('usage: runner.js --port PORT --file NAME [--cases A,B] [--timeout MS]')
  return args
}

// A client-side bug, not the server's: mineflayer 4.25.0 compares game_state_change's reason with numbers
// (3: game mode, 1/2/7/8: rain) but minecraft-data 3.117 decodes it for 1.21.4 as a name ('change_game_mode'),
// so bot.game.gameMode and bot.isRaining never change, against a vanilla server too. Turn the names back into
// vanilla's ids before mineflayer sees the packet (off with --no-client-fix).
function fixGameStateReason (bot) {
  const mappings = bot.registry.protocol?.play?.toClient?.types?.packet_game_state_change?.[1]?.[0]?.type?.[1]
    ?.mappings ?? {}
  const ids = Object.fromEntries(Object.entries(mappings).map(([id, name]) => [name, Number(id)]))
  const emit = bot._client.emit
  bot._client.emit = function (event, packet, ...rest) {
    if (event === 'game_state_change' && typeof packet?.reason === 'string' && packet.reason in ids) {
      packet = { ...packet, reason: ids[packet.reason] }
    }
    return emit.call(this, event, packet, ...rest)
  }
}

function connect (port, clientFix) {
  return new Promise((resolve, reject) => {
    const bot = mineflayer.createBot({
      username: 'flatbot',
      viewDistance: 'tiny',
      port,
      host: '127.0.0.1',
      version: VERSION
    })
    if (clientFix) fixGameStateReason(bot)
    commonTest(bot)
    bot.test.port = port
    const timer = setTimeout(() => reject(new Error('no spawn within 60 s')), 60000)
    bot.once('spawn', () => { clearTimeout(timer); resolve(bot) })
    bot.once('end', (reason) => { clearTimeout(timer); reject(new Error(`connection ended before spawn: ${reason}`)) })
    bot.once('error', (err) => { clearTimeout(timer); reject(err) })
  })
}

// The cases of one test file, named as externalTest.js names its mocha tests.
function loadCases (file) {
  const testFunctions = require(path.join(TESTS_DIR, file))(VERSION)
  if (typeof testFunctions !== 'object') return [[file, testFunctions]]
  return Object.entries(testFunctions).filter(([, f]) => f !== undefined).map(([name, f]) => [`${file} ${name}`, f])
}

function withDeadline (promise, ms, what) {
  let timer
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timeout of ${ms}ms exceeded (${what})`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

function message (err) {
  if (err instanceof Error) return err.message || err.name || String(err)
  return typeof err === 'string' ? err : util.inspect(err, { depth: 2 })
}

async function main () {
  const args = parseArgs(process.argv)
  let cases = loadCases(args.file)
  if (args.cases) cases = cases.filter(([name]) => args.cases.includes(name.slice(args.file.length + 1)))
  out({ file: args.file, cases: cases.map(([name]) => name) })

  // Like mocha, an uncaught exception (a packet handler throwing) fails the running case. A rejection nobody
  // handled does not: mocha passes it on to the process's other listeners, and creative.js leaves one on purpose.
  let failCurrent = null
  process.on('uncaughtException', (err) => {
    console.log('uncaught exception during test:', err && err.stack)
    if (failCurrent) failCurrent(err)
  })
  process.on('unhandledRejection', (err) => console.log('unhandled rejection (ignored, as mocha does):', err && err.stack))

  let bot = null
  let onEnd = null // this case's listener for a lost connection
  for (const [name, testFunction] of cases) {
    const started = Date.now()
    let error = null
    try {
      // mocha's before(): a bot (again, if the last case lost it) before each case; beforeEach(): resetState
      if (bot === null || bot._client.ended) {
        bot = await connect(args.port, args.clientFix).catch((e) => {
          throw new Error(`cannot connect the test bot: ${message(e)}`)
        })
      }
      const current = bot
      const run = new Promise((resolve, reject) => {
        failCurrent = reject
        onEnd = (reason) => reject(new Error(`the bot was disconnected: ${reason}`))
        current.once('end', onEnd)
        ;(async () => {
          try {
            await bot.test.resetState()
          } catch (e) {
            throw new Error(`resetState (the set-up before each test): ${message(e)}`)
          }
          bot.test.sayEverywhere(`### Starting ${name}`)
          await new Promise((resolve, reject) => {
            const done = (e) => e ? reject(e) : resolve()
            Promise.resolve(testFunction(bot, done)).then(() => resolve(), reject)
          })
        })().then(resolve, reject)
      })
      await withDeadline(run, args.timeout, name)
    } catch (e) {
      error = e
    }
    failCurrent = null
    if (onEnd) bot?.off('end', onEnd)
    onEnd = null
    const seconds = (Date.now() - started) / 1000
    out({ test: name, ok: error === null, error: error === null ? null : message(error), seconds })
    if (error && bot && !bot._client.ended) {
      // A timed-out test may still be running: a fresh bot keeps it from acting in the next case.
      bot.quit()
      await new Promise((resolve) => setTimeout(resolve, 1000))
      bot = null
    }
  }
  if (bot && !bot._client.ended) {
    bot.quit()
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  process.exit(0)
}

main().catch((e) => {
  process.stderr.write(`runner failed: ${e && e.stack}\n`)
  process.exit(1)
})
