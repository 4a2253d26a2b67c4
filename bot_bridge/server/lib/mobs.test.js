'use strict'
// Unit tests of the animal rules (GITM_MC_VERSION=<mc version> node --test); tests/test_world_mobs.py runs them
// with knowledge/version.py's MC_VERSION, and has the real-server tests.
const test = require('node:test')
const assert = require('node:assert')
const { mcVersion } = require('./version')
const registry = require('prismarine-registry')(mcVersion())
const rules = require('./mobs')(registry)
const { attackDamage, weapon, sheepColor, COLORS, explosionDamage, arrowDamage } = require('./mobs')

const counts = drops => Object.fromEntries(drops.map(d => [d.name, d.count]))
const low = () => 0
const high = () => 0.999999

test('loot: minecraft-data items with vanilla counts', () => {
  assert.deepStrictEqual(counts(rules.drops('cow', {}, low)), { beef: 1 })
  assert.deepStrictEqual(counts(rules.drops('cow', {}, high)), { leather: 2, beef: 3 })
  assert.deepStrictEqual(counts(rules.drops('chicken', {}, high)), { feather: 2, chicken: 1 })
  assert.deepStrictEqual(counts(rules.drops('pig', {}, low)), { porkchop: 1 })
  assert.deepStrictEqual(counts(rules.drops('pig', {}, high)), { porkchop: 3 })
  for (const d of rules.drops('cow', {}, high)) assert.strictEqual(registry.items[d.id].name, d.name)
})

test('a sheep drops its wool unless sheared, and 1 to 3 when shorn', () => {
  const black = COLORS.indexOf('black')
  assert.deepStrictEqual(counts(rules.drops('sheep', { color: black }, high)), { mutton: 2, black_wool: 1 })
  assert.deepStrictEqual(counts(rules.drops('sheep', { color: black, sheared: true }, low)), { mutton: 1 })
  assert.deepStrictEqual(counts(rules.shearing(0, low)), { white_wool: 1 })
  assert.deepStrictEqual(counts(rules.shearing(0, high)), { white_wool: 3 })
})

test('weapons: vanilla attack damage and speed', () => {
  assert.deepStrictEqual(weapon(null), { damage: 1, speed: 4 })
  assert.deepStrictEqual(weapon('dirt'), { damage: 1, speed: 4 })
  assert.strictEqual(weapon('wooden_sword').damage, 4)
  assert.strictEqual(weapon('netherite_sword').damage, 8)
  assert.strictEqual(weapon('stone_axe').damage, 9)
  assert.strictEqual(weapon('netherite_axe').damage, 10)
  assert.strictEqual(weapon('iron_pickaxe').damage, 4)
  assert.strictEqual(weapon('diamond_shovel').damage, 5.5)
  assert.strictEqual(weapon('golden_hoe').damage, 1)
})

test('the attack cooldown scales damage from 20 % to full', () => {
  assert.strictEqual(attackDamage('iron_sword', 100), 6)
  assert.ok(Math.abs(attackDamage('iron_sword', 0) - 6 * (0.2 + 0.8 * (0.5 / 12.5) ** 2)) < 1e-9)
  assert.ok(attackDamage('iron_sword', 6) < attackDamage('iron_sword', 12))
  assert.strictEqual(attackDamage(null, 5), 1) // a fist recharges in 5 ticks
})

test('sheep colours follow vanilla odds', () => {
  let state = 12345
  const rng = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648 }
  const n = 200000
  const seen = {}
  for (let i = 0; i < n; i++) { const c = COLORS[sheepColor(rng)]; seen[c] = (seen[c] ?? 0) + 1 }
  const share = c => (seen[c] ?? 0) / n
  assert.ok(Math.abs(share('white') - 0.8184) < 0.01, `white ${share('white')}`)
  for (const c of ['black', 'gray', 'light_gray']) assert.ok(Math.abs(share(c) - 0.05) < 0.005, `${c} ${share(c)}`)
  assert.ok(Math.abs(share('brown') - 0.03) < 0.004)
  assert.ok(share('pink') > 0 && share('pink') < 0.004)
  assert.deepStrictEqual(Object.keys(seen).sort(), ['black', 'brown', 'gray', 'light_gray', 'pink', 'white'])
})

test('every animal has its registry entity and vanilla health', () => {
  for (const [name, health] of [['cow', 10], ['sheep', 8], ['pig', 10], ['chicken', 4]]) {
    const kind = rules.animal(name)
    assert.strictEqual(registry.entities[kind.type].name, name)
    assert.strictEqual(kind.health, health)
  }
  assert.strictEqual(rules.animal('zombie'), undefined)
})

test('monsters: vanilla health, no animal among them', () => {
  for (const [name, health] of [['zombie', 20], ['skeleton', 20], ['spider', 16], ['creeper', 20]]) {
    const kind = rules.monster(name)
    assert.strictEqual(registry.entities[kind.type].name, name)
    assert.strictEqual(kind.health, health)
    assert.strictEqual(kind.hostile, true)
    assert.strictEqual(rules.animal(name), undefined)
    assert.strictEqual(rules.mob(name).name, name)
  }
  assert.strictEqual(rules.monster('cow'), undefined)
  assert.strictEqual(rules.mob('cow').name, 'cow')
})

test('monster loot: vanilla counts, the spider eye and rare zombie drops only for a player kill', () => {
  assert.deepStrictEqual(counts(rules.drops('zombie', {}, low)), { iron_ingot: 1, carrot: 1, potato: 1 }) // rng 0 < 1/120
  assert.deepStrictEqual(counts(rules.drops('zombie', {}, high)), { rotten_flesh: 2 })
  assert.deepStrictEqual(counts(rules.drops('zombie', { killedByPlayer: false }, low)), {})
  assert.deepStrictEqual(counts(rules.drops('skeleton', {}, high)), { arrow: 2, bone: 2 })
  assert.deepStrictEqual(counts(rules.drops('spider', {}, high)), { string: 2, spider_eye: 1 })
  assert.deepStrictEqual(counts(rules.drops('spider', { killedByPlayer: false }, high)), { string: 2 })
  assert.deepStrictEqual(counts(rules.drops('spider', {}, low)), {}) // string 0, eye -1 clamped to none
  assert.deepStrictEqual(counts(rules.drops('creeper', {}, high)), { gunpowder: 2 })
})

test('explosion damage: 43 at point blank for a creeper, falling to nothing at 6 blocks', () => {
  assert.strictEqual(explosionDamage(3, 0), 43)
  assert.ok(explosionDamage(3, 1) > explosionDamage(3, 3))
  assert.strictEqual(explosionDamage(3, 6), 0)
  assert.ok(explosionDamage(3, 0, 0.5) < explosionDamage(3, 0))
})

test('a skeleton arrow deals 3 to 5 on normal before scaling', () => {
  let state = 7
  const rng = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648 }
  const seen = new Set()
  for (let i = 0; i < 10000; i++) seen.add(arrowDamage(2, rng))
  assert.deepStrictEqual([...seen].sort(), [3, 4, 5])
})
