'use strict'
// Unit tests of the enchanting rules (GITM_MC_VERSION=<mc version> node --test); tests/test_world_enchanting.py runs
// them with knowledge/version.py's MC_VERSION, and has the real-server tests.
const test = require('node:test')
const assert = require('node:assert')
const { mcVersion } = require('./version')
const registry = require('prismarine-registry')(mcVersion())
const rules = require('./enchanting')(registry)
const { JavaRandom } = require('./enchanting')

test("java.util.Random's sequence", () => {
  assert.strictEqual(new JavaRandom(0).nextInt(), -1155484576)
  assert.strictEqual(new JavaRandom(42).nextInt(10), 0)
  const r = new JavaRandom(1)
  assert.deepStrictEqual([r.nextInt(100), r.nextInt(100), r.nextInt(16)], [85, 88, 6])
  assert.ok(Math.abs(new JavaRandom(0).nextFloat() - 0.73096776) < 1e-7)
})

test('enchantability as vanilla components', () => {
  assert.strictEqual(rules.enchantability('diamond_pickaxe'), 10)
  assert.strictEqual(rules.enchantability('golden_sword'), 22)
  assert.strictEqual(rules.enchantability('iron_chestplate'), 9)
  assert.strictEqual(rules.enchantability('book'), 1)
  assert.strictEqual(rules.enchantability('shears'), 0)
  assert.strictEqual(rules.enchantability('stick'), 0)
})

test('costs: 0 bookshelves give 1-2 / 1-6 (0 below 2) / 1-8 (0 below 3), 15 give 30 for the last option', () => {
  for (let seed = 0; seed < 500; seed++) {
    const { costs } = rules.tableOffers(seed * 7919, 0, 'iron_pickaxe')
    assert.ok(costs[0] >= 1 && costs[0] <= 2, costs)
    assert.ok(costs[1] === 0 || (costs[1] >= 2 && costs[1] <= 6), costs)
    assert.ok(costs[2] === 0 || (costs[2] >= 3 && costs[2] <= 8), costs)
    assert.strictEqual(rules.tableOffers(seed, 15, 'diamond_sword').costs[2], 30)
  }
  assert.deepStrictEqual(rules.tableOffers(5, 15, 'stick').costs, [0, 0, 0])
})

test('offers only enchantments for the item, compatible together, within their levels', () => {
  const pickaxe = new Set(['efficiency', 'unbreaking', 'fortune', 'silk_touch'])
  const sword = new Set(['sharpness', 'smite', 'bane_of_arthropods', 'knockback', 'fire_aspect', 'looting', 'sweeping_edge', 'unbreaking'])
  for (let seed = 0; seed < 300; seed++) {
    for (const [item, allowed] of [['diamond_pickaxe', pickaxe], ['diamond_sword', sword]]) {
      const { costs, clues, levels } = rules.tableOffers(seed, 15, item)
      for (let slot = 0; slot < 3; slot++) {
        const list = rules.enchantmentList(seed, item, slot, costs[slot])
        assert.ok(list.length >= 1, `${item} ${seed} ${slot}`)
        for (const e of list) {
          assert.ok(allowed.has(e.name), `${item} got ${e.name}`)
          assert.ok(e.lvl >= 1 && e.lvl <= rules.definitions.get(e.name).maxLevel)
        }
        for (let i = 0; i < list.length; i++) {
          for (let j = i + 1; j < list.length; j++) assert.ok(rules.compatible(list[i].name, list[j].name), JSON.stringify(list))
        }
        // the clue shown is one of the enchantments the option gives
        const shown = registry.enchantments[clues[slot]].name
        assert.ok(list.some(e => e.name === shown && e.lvl === levels[slot]), `${shown} ${levels[slot]} not in ${JSON.stringify(list)}`)
      }
    }
  }
})

test('a book gets one enchantment fewer when offered several, never a treasure one', () => {
  for (let seed = 0; seed < 200; seed++) {
    const list = rules.enchantmentList(seed, 'book', 2, 30)
    assert.ok(list.length >= 1)
    for (const e of list) assert.ok(!['mending', 'frost_walker', 'soul_speed', 'swift_sneak', 'wind_burst', 'binding_curse', 'vanishing_curse'].includes(e.name))
  }
})
