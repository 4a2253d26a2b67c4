'use strict'
// Unit tests of the fishing rules (node --test); tests/test_world_fishing.py runs them and has the real-server tests.
const test = require('node:test')
const assert = require('node:assert')
const { mcVersion } = require('./version')
const registry = require('prismarine-registry')(mcVersion())
const rules = require('./fishing')

// a fixed sequence of floats in [0, 1) as the random source
const sequence = (...values) => { let i = 0; return () => values[i++ % values.length] }

function shares (options, rolls = 20000) {
  const counts = {}
  for (let i = 0; i < rolls; i++) {
    const { table } = rules.catchLoot(options)
    counts[table] = (counts[table] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / rolls]))
}

test('loot: fish 85, junk 10, treasure 5 in open water; no treasure elsewhere', () => {
  const open = shares({ openWater: true })
  assert.ok(Math.abs(open.fish - 0.85) < 0.02 && Math.abs(open.junk - 0.10) < 0.015, JSON.stringify(open))
  assert.ok(Math.abs(open.treasure - 0.05) < 0.01, JSON.stringify(open))
  const closed = shares({ openWater: false })
  assert.strictEqual(closed.treasure, undefined)
  assert.ok(Math.abs(closed.fish - 85 / 95) < 0.02, JSON.stringify(closed))
})

test('loot: Luck of the Sea III moves weight from fish and junk to treasure (85-3, 10-6, 5+6)', () => {
  const lucky = shares({ openWater: true, luck: 3 })
  assert.ok(Math.abs(lucky.treasure - 11 / 97) < 0.015 && Math.abs(lucky.junk - 4 / 97) < 0.01, JSON.stringify(lucky))
})

test('loot: the first roll picks the table, the second the item; every item exists', () => {
  assert.deepStrictEqual(rules.catchLoot({}, sequence(0, 0)), { table: 'fish', name: 'cod', count: 1 })
  assert.deepStrictEqual(rules.catchLoot({}, sequence(0.999, 0.999)), { table: 'junk', name: 'rotten_flesh', count: 1 })
  for (let i = 0; i < 2000; i++) {
    const { name } = rules.catchLoot({ openWater: true, luck: 3 })
    assert.ok(registry.itemsByName[name], name)
  }
})

test('timers: vanilla tick ranges, Lure takes 100 ticks a level', () => {
  assert.strictEqual(rules.lureTicks(0, () => 0), 100)
  assert.strictEqual(rules.lureTicks(0, () => 0.999999), 600)
  assert.strictEqual(rules.lureTicks(3, () => 0), 0)
  assert.strictEqual(rules.approachTicks(() => 0.999999), 80)
  assert.strictEqual(rules.nibbleTicks(() => 0), 20)
  assert.strictEqual(rules.BITE_PARTICLES, 6)
})

test('open water: inside-water layers under above-water layers only', () => {
  assert.ok(rules.isOpenWater(dy => dy <= 0 ? 'inside' : 'above'))
  assert.ok(rules.isOpenWater(() => 'inside'))
  assert.ok(!rules.isOpenWater(dy => dy === -1 ? 'invalid' : 'inside')) // a one-deep pond: ground under the bobber
  assert.ok(!rules.isOpenWater(dy => dy === 2 ? 'inside' : dy === 1 ? 'above' : 'inside'))
  assert.ok(!rules.isOpenWater(() => 'above'))
})

test('the catch is thrown towards the player, a little upwards', () => {
  const v = rules.throwTowards({ x: 0, y: 60, z: 0 }, { x: 4, y: 60, z: 0 })
  assert.strictEqual(v.x, 0.4)
  assert.strictEqual(v.z, 0)
  assert.ok(Math.abs(v.y - 0.16) < 1e-9) // 0.08 x the square root of the distance (4)
})

test('water height: sources and falling water 8/9, flowing less, full under more water', () => {
  assert.strictEqual(rules.waterHeight(0, false), 8 / 9)
  assert.strictEqual(rules.waterHeight(3, false), 5 / 9)
  assert.strictEqual(rules.waterHeight(8, false), 8 / 9)
  assert.strictEqual(rules.waterHeight(0, true), 1)
})
