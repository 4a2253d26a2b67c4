'use strict'
// Log a bot in and resolve once it has spawned: one bridge call instead of polling from Python.
const mineflayer = require('mineflayer')

function connect ({ host = '127.0.0.1', port, username = 'gitm', version = '1.21.4', timeoutMs = 30000 }) {
  const bot = mineflayer.createBot({ host, port, username, version, auth: 'offline', hideErrors: true })
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

module.exports = { connect }
