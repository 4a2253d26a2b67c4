'use strict'
// Log a bot in and resolve once it has spawned: one bridge call instead of polling from Python.
const mineflayer = require('mineflayer')

// prismarine-block looks up a block's whole material string for tool speed. In 1.21.4 ores are
// "incorrect_for_<tier>_tool" (pickaxe blocks named by their harvest tier) and some blocks have
// "a;b" materials, so a stone pickaxe dug iron ore at hand speed (4.55 s, vanilla 1.15 s). Give
// those materials the speeds vanilla uses, so bot.dig takes vanilla's time (the server checks it).
function useVanillaDigSpeeds (registry) {
  const { materials } = registry
  for (const [name, speeds] of Object.entries(materials)) {
    const parts = name.startsWith('incorrect_for_') ? ['mineable/pickaxe'] : name.split(';')
    if (parts.length === 1 && parts[0] === name) continue
    for (const part of parts) {
      for (const [item, speed] of Object.entries(materials[part] ?? {})) speeds[item] = Math.max(speeds[item] ?? 1, speed)
    }
  }
}

// Mineflayer 4.25 reads entity_velocity as velocityX/Y/Z, while minecraft-data's 1.21.4 protocol names it one
// `velocity` vector: every velocity became NaN, and a knockback sent to the bot itself (a mob's hit, an explosion)
// made its own position NaN. Fill in the names Mineflayer reads before its own listener runs.
function readVelocityPackets (client) {
  client.prependListener('entity_velocity', packet => {
    if (packet.velocity && packet.velocityX === undefined) {
      packet.velocityX = packet.velocity.x
      packet.velocityY = packet.velocity.y
      packet.velocityZ = packet.velocity.z
    }
  })
}

// version: required, from bot_bridge/bot.py (knowledge/version.py's MC_VERSION); no default, so a caller that forgets
// it gets this error rather than a bot of another version than the server and the knowledge base.
function connect ({ host = '127.0.0.1', port, username = 'gitm', version, timeoutMs = 30000 }) {
  if (typeof version !== 'string' || !version) {
    return Promise.reject(new Error('connect: no Minecraft version given (pass {version}: knowledge/version.py MC_VERSION)'))
  }
  const bot = mineflayer.createBot({ host, port, username, version, auth: 'offline', hideErrors: true })
  useVanillaDigSpeeds(bot.registry)
  readVelocityPackets(bot._client)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      bot.end()
      reject(new Error(`bot '${username}' did not spawn on ${host}:${port} within ${timeoutMs / 1000} s`))
    }, timeoutMs)
    bot.once('spawn', () => { clearTimeout(timer); resolve(bot) })
    bot.once('kicked', reason => { clearTimeout(timer); reject(new Error(`kicked: ${JSON.stringify(reason)}`)) })
    bot.once('error', err => { clearTimeout(timer); reject(err) })
  })
}

module.exports = { connect, useVanillaDigSpeeds, readVelocityPackets }
