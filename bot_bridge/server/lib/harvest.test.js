'use strict'
// Unit tests of the harvesting rules (GITM_MC_VERSION=<mc version> node --test); tests/test_world_drops.py runs them
// with knowledge/version.py's MC_VERSION, and has the real-server tests.
const test = require('node:test')
const assert = require('node:assert')
const { mcVersion } = require('./version')
const VERSION = mcVersion()
const registry = require('prismarine-registry')(VERSION)
const Block = require('prismarine-block')(registry)
const Item = require('prismarine-item')(registry)
const rules = require('./harvest')(registry)

const block = (name, props) => props
  ? Block.fromProperties(name, props, 0)
  : Block.fromStateId(registry.blocksByName[name].defaultState, 0)
const item = name => name ? new Item(registry.itemsByName[name].id, 1) : null
const names = drops => drops.map(d => `${d.count} ${d.name}`)
const always = (value) => () => value

test('tool tier gates drops', () => {
  assert.deepStrictEqual(names(rules.drops(block('stone'), null)), [])
  assert.deepStrictEqual(names(rules.drops(block('stone'), item('wooden_pickaxe'))), ['1 cobblestone'])
  assert.deepStrictEqual(names(rules.drops(block('iron_ore'), item('wooden_pickaxe'))), [])
  assert.deepStrictEqual(names(rules.drops(block('iron_ore'), item('stone_pickaxe'))), ['1 raw_iron'])
  assert.deepStrictEqual(names(rules.drops(block('diamond_ore'), item('stone_pickaxe'))), [])
  assert.deepStrictEqual(names(rules.drops(block('diamond_ore'), item('iron_pickaxe'))), ['1 diamond'])
  assert.deepStrictEqual(names(rules.drops(block('deepslate_iron_ore'), item('iron_pickaxe'))), ['1 raw_iron'])
})

test('blocks without a tool requirement drop by hand', () => {
  assert.deepStrictEqual(names(rules.drops(block('oak_log'), null)), ['1 oak_log'])
  assert.deepStrictEqual(names(rules.drops(block('dirt'), null)), ['1 dirt'])
  assert.deepStrictEqual(names(rules.drops(block('grass_block'), null)), ['1 dirt'])
  assert.deepStrictEqual(names(rules.drops(block('wall_torch'), null)), ['1 torch']) // absent from the 1.20 loot data
  assert.deepStrictEqual(names(rules.drops(block('glass'), null)), []) // silk touch only
})

test('chance and count tables', () => {
  assert.deepStrictEqual(names(rules.drops(block('oak_leaves'), null, always(0.99))), [])
  assert.deepStrictEqual(names(rules.drops(block('oak_leaves'), null, always(0))), ['1 oak_sapling', '1 stick', '1 apple'])
  assert.deepStrictEqual(names(rules.drops(block('oak_leaves'), item('shears'))), ['1 oak_leaves'])
  assert.deepStrictEqual(names(rules.drops(block('gravel'), null, always(0.05))), ['1 flint'])
  assert.deepStrictEqual(names(rules.drops(block('gravel'), null, always(0.5))), ['1 gravel'])
  assert.deepStrictEqual(names(rules.drops(block('clay'), null)), ['4 clay_ball'])
  assert.deepStrictEqual(names(rules.drops(block('copper_ore'), item('stone_pickaxe'), always(0))), ['2 raw_copper'])
  assert.deepStrictEqual(names(rules.drops(block('oak_slab', { type: 'double' }), null)), ['2 oak_slab'])
  assert.deepStrictEqual(names(rules.drops(block('short_grass'), null, always(0.5))), [])
})

test('shears-only plants, azalea saplings and counts from the block state', () => {
  const silkPickaxe = { name: 'diamond_pickaxe', enchants: [{ name: 'silk_touch', lvl: 1 }] }
  for (const name of ['vine', 'glow_lichen', 'seagrass', 'hanging_roots', 'nether_sprouts', 'small_dripleaf']) {
    assert.deepStrictEqual(names(rules.drops(block(name), null)), [], name)
    assert.deepStrictEqual(names(rules.drops(block(name), silkPickaxe)), [], name)
    assert.deepStrictEqual(names(rules.drops(block(name), item('shears'))), [`1 ${name}`], name)
  }
  assert.deepStrictEqual(names(rules.drops(block('tall_seagrass'), item('shears'))), ['2 seagrass'])
  assert.deepStrictEqual(names(rules.drops(block('dead_bush'), null, always(0.99))), ['2 stick'])
  assert.deepStrictEqual(names(rules.drops(block('azalea_leaves'), null, always(0.04))), ['1 azalea'])
  assert.deepStrictEqual(names(rules.drops(block('flowering_azalea_leaves'), null, always(0))),
    ['1 flowering_azalea', '1 stick'])
  assert.deepStrictEqual(names(rules.drops(block('sea_pickle'), null)), ['1 sea_pickle']) // the default state
  assert.deepStrictEqual(names(rules.drops(block('sea_pickle', { pickles: 3, waterlogged: true }), null)),
    ['3 sea_pickle'])
})

test(`every ${VERSION} block has a loot entry of existing items`, () => {
  for (const { name } of registry.blocksArray) {
    assert.ok(rules.loot[name], name)
    for (const d of rules.loot[name].drops) assert.ok(registry.itemsByName[d.item], `${name}: ${d.item}`)
  }
})

test('vanilla dig ticks', () => {
  assert.strictEqual(rules.digTicks(block('stone'), null), 150)
  assert.strictEqual(rules.digTicks(block('stone'), item('wooden_pickaxe')), 23)
  assert.strictEqual(rules.digTicks(block('iron_ore'), item('wooden_pickaxe')), 150) // fast, but no drop
  assert.strictEqual(rules.digTicks(block('iron_ore'), item('stone_pickaxe')), 23)
  assert.strictEqual(rules.digTicks(block('obsidian'), item('diamond_pickaxe')), 188)
  assert.strictEqual(rules.digTicks(block('oak_log'), item('iron_axe')), 10)
  assert.strictEqual(rules.digTicks(block('cobweb'), item('iron_sword')), 8)
  assert.strictEqual(rules.digTicks(block('dirt'), null), 15)
  assert.strictEqual(rules.digTicks(block('dirt'), null, false), 75)
  assert.strictEqual(rules.digTicks(block('dirt'), null, true, true), 75)
  assert.strictEqual(rules.digTicks(block('short_grass'), null), 0)
  assert.strictEqual(rules.digTicks(block('bedrock'), item('netherite_pickaxe')), Infinity)
})

test("never slower than Mineflayer's own dig time, so bot.dig is always accepted", () => {
  const tools = [null, 'shears', ...['wooden', 'stone', 'iron', 'golden', 'diamond', 'netherite']
    .flatMap(tier => ['pickaxe', 'axe', 'shovel', 'hoe', 'sword'].map(kind => `${tier}_${kind}`))]
  for (const { name } of registry.blocksArray) {
    const b = block(name)
    for (const tool of tools) {
      const held = item(tool)
      const ours = rules.digTicks(b, held) * 50
      const mineflayer = b.digTime(held ? held.type : null, false, false, false)
      assert.ok(ours <= mineflayer, `${name} with ${tool}: ${ours} ms > Mineflayer's ${mineflayer} ms`)
    }
  }
})

test('crops: a young one drops its seed, a grown one its produce and 0-3 more (vanilla binomial pools)', () => {
  const sum = (drops, name) => drops.filter(d => d.name === name).reduce((n, d) => n + d.count, 0)
  for (let age = 0; age < 7; age++) {
    assert.deepStrictEqual(names(rules.drops(block('wheat', { age }), null)), ['1 wheat_seeds'])
    assert.deepStrictEqual(names(rules.drops(block('carrots', { age }), null)), ['1 carrot'])
  }
  assert.deepStrictEqual(names(rules.drops(block('beetroots', { age: 2 }), null)), ['1 beetroot_seeds'])
  assert.deepStrictEqual(names(rules.drops(block('wheat', { age: 7 }), null, always(0.99))), ['1 wheat'])
  assert.deepStrictEqual(names(rules.drops(block('wheat', { age: 7 }), null, always(0))), ['1 wheat', '3 wheat_seeds'])
  assert.deepStrictEqual(names(rules.drops(block('carrots', { age: 7 }), null, always(0.99))), ['1 carrot'])
  assert.deepStrictEqual(names(rules.drops(block('carrots', { age: 7 }), null, always(0))), ['4 carrot'])
  assert.deepStrictEqual(names(rules.drops(block('beetroots', { age: 3 }), null, always(0))), ['1 beetroot', '3 beetroot_seeds'])
  assert.deepStrictEqual(names(rules.drops(block('potatoes', { age: 7 }), null, always(0))), ['4 potato', '1 poisonous_potato'])
  const seeds = new Set()
  for (let i = 0; i < 300; i++) {
    const drops = rules.drops(block('wheat', { age: 7 }), null)
    assert.strictEqual(sum(drops, 'wheat'), 1)
    seeds.add(sum(drops, 'wheat_seeds'))
  }
  assert.deepStrictEqual([...seeds].sort(), [0, 1, 2, 3])
})

test('enchantment levels are read from a 1.21 item component as from a plain list', () => {
  const pick = Item.fromNotch({
    itemId: registry.itemsByName.diamond_pickaxe.id,
    itemCount: 1,
    components: [{ type: 'enchantments', data: { enchantments: [{ id: registry.enchantmentsByName.efficiency.id, level: 3 }], showTooltip: true } }],
    removeComponents: []
  })
  assert.strictEqual(rules.enchantLevel(pick, 'efficiency'), 3)
  assert.strictEqual(rules.enchantLevel(pick, 'silk_touch'), 0)
  assert.strictEqual(rules.enchantLevel({ name: 'diamond_pickaxe', enchants: [{ name: 'efficiency', lvl: 2 }] }, 'efficiency'), 2)
  assert.ok(rules.digTicks(block('stone'), pick) < rules.digTicks(block('stone'), item('diamond_pickaxe')))
})
