'use strict'
// Load for the TPS benchmark: one bot that walks (pathfinder) and digs for a given time, while
// recording each world-age update from the server as [age ticks, wall ms].
// Usage: GITM_MC_VERSION=<mc version> node tps_load.js PORT SECONDS  -> prints one JSON line
// (bench/server_tps.py passes knowledge/version.py's MC_VERSION; without it the script stops.)
const path = require('path')
const modules = path.join(__dirname, '..', 'bot_bridge', 'node_modules')
const mineflayer = require(path.join(modules, 'mineflayer'))
const { pathfinder, Movements, goals } = require(path.join(modules, 'mineflayer-pathfinder'))
const { mcVersion } = require(path.join(__dirname, '..', 'bot_bridge', 'server', 'lib', 'version.js'))

const [port, seconds] = [Number(process.argv[2]), Number(process.argv[3] || 60)]
const bot = mineflayer.createBot({ host: '127.0.0.1', port, username: 'tpsbench', version: mcVersion(), auth: 'offline' })
// as the agent's bots: a knockback must not turn the bot's position to NaN (skills/connect.js)
require(path.join(__dirname, '..', 'bot_bridge', 'skills', 'connect.js')).readVelocityPackets(bot._client)
bot.loadPlugin(pathfinder)
const samples = []
const work = { walks: 0, digs: 0, errors: 0, deaths: 0 }
bot.on('death', () => work.deaths++)

bot.on('time', () => samples.push([bot.time.age, Date.now()]))
bot.once('spawn', async () => {
  bot.pathfinder.setMovements(new Movements(bot))
  const end = Date.now() + seconds * 1000
  setTimeout(finish, seconds * 1000 + 2000)
  while (Date.now() < end) {
    try {
      const p = bot.entity.position
      const dx = Math.round(Math.random() * 20 - 10)
      const dz = Math.round(Math.random() * 20 - 10)
      await withTimeout(bot.pathfinder.goto(new goals.GoalNearXZ(p.x + dx, p.z + dz, 2)), 8000)
      work.walks++
      const below = bot.blockAt(bot.entity.position.offset(1, -1, 0))
      if (below && below.diggable && below.name !== 'bedrock') {
        await withTimeout(bot.dig(below), 8000)
        work.digs++
      }
    } catch (e) {
      work.errors++
      bot.pathfinder.stop()
      await new Promise(resolve => setTimeout(resolve, 250)) // dead (monsters) or stuck: no busy loop
    }
  }
})

function withTimeout (promise, ms) {
  return Promise.race([promise, new Promise((resolve, reject) => setTimeout(() => reject(new Error('timeout')), ms))])
}

function finish () {
  const kinds = ['zombie', 'skeleton', 'spider', 'creeper']
  const monsters = Object.values(bot.entities).filter(e => kinds.includes(e.name)).length
  console.log(JSON.stringify({ samples, work, monsters }))
  bot.quit()
  process.exit(0)
}
