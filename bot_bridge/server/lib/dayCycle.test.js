'use strict'
// The day cycle of flying-squid's daycycle plugin under plugins/worldAge.js (node --test), on a bare event emitter
// standing for the server; tests/test_world_beds.py runs it and has the real-server bed tests.
const test = require('node:test')
const assert = require('node:assert')
const EventEmitter = require('events')
const path = require('path')

const squid = path.join(path.dirname(require.resolve('flying-squid')), 'src/lib')

function world () {
  const serv = new EventEmitter()
  serv.tickCount = 0
  serv._writeAll = () => {}
  serv.commands = { add: () => {} }
  require(path.join(squid, 'plugins/behavior')).server(serv)
  require(path.join(squid, 'plugins/daycycle')).server(serv)
  require('../plugins/worldAge').server(serv)
  return serv
}

const settle = () => new Promise(resolve => setImmediate(resolve))

test('a time set in the tick of a day-cycle step is kept (the night a sleep skipped does not come back)', async () => {
  const serv = world()
  serv.setTime(13000)
  serv.emit('tick', 0.05, 20) // the day cycle's step every 20 ticks
  serv.setTime(0) // in the same tick: the sleepers' morning (plugins/beds.js, on the playerTick after the tick)
  await settle()
  assert.strictEqual(serv.time, 0)
})

test('the day cycle still moves the time on 20 ticks a second', async () => {
  const serv = world()
  serv.setTime(23990)
  serv.emit('tick', 0.05, 19)
  await settle()
  assert.strictEqual(serv.time, 23990)
  serv.emit('tick', 0.05, 20)
  await settle()
  assert.strictEqual(serv.time, 10) // wrapped past the day's end
})
