// Extracts the raw facts gitm needs from the pinned minecraft-data package and prints them as JSON.
// knowledge/generate.py runs this and turns the extract into knowledge/data/<version>/*.json.
// Only names and numbers leave this script; all grouping and rendering happens in Python.
'use strict'
const path = require('path')

// The version is required: knowledge/generate.py passes knowledge/version.py's MC_VERSION (no default here).
const version = process.argv[2]
if (!version) {
  console.error('usage: node generate.js <minecraft version>   (python -m knowledge.generate passes MC_VERSION)')
  process.exit(2)
}
const repoRoot = path.resolve(__dirname, '..')
const modDir = path.join(repoRoot, 'bot_bridge', 'node_modules', 'minecraft-data')
const mcd = require(modDir)(version)
if (!mcd) throw new Error(`minecraft-data has no data for ${version}`)

const itemName = (id) => (id === null || id === undefined ? null : mcd.items[id].name)
const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

const items = Object.values(mcd.items)
  .map((it) => ({ name: it.name, id: it.id, display_name: it.displayName, stack_size: it.stackSize }))
  .sort(byName)

const recipes = []
for (const [resultId, list] of Object.entries(mcd.recipes)) {
  for (const r of list) {
    const out = { result: itemName(r.result.id), count: r.result.count }
    if (r.inShape) out.shape = r.inShape.map((row) => row.map(itemName))
    else out.ingredients = r.ingredients.map(itemName)
    if (itemName(Number(resultId)) !== out.result) throw new Error(`recipe key mismatch for ${resultId}`)
    recipes.push(out)
  }
}

const blocks = Object.values(mcd.blocks)
  .map((b) => ({
    name: b.name,
    hardness: b.hardness,
    diggable: b.diggable,
    material: b.material,
    harvest_tools: b.harvestTools ? Object.keys(b.harvestTools).map((id) => itemName(Number(id))).sort() : null,
    drops: (b.drops || []).map((d) => itemName(typeof d === 'object' ? d.drop.id ?? d.drop : d)).filter(Boolean),
  }))
  .sort(byName)

const sortKeys = (o) =>
  Array.isArray(o) ? o.map(sortKeys)
    : o && typeof o === 'object' ? Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]))
      : o

const out = {
  version,
  minecraft_data: require(path.join(modDir, 'package.json')).version,
  items,
  recipes,
  blocks,
  block_loot: Object.values(mcd.blockLoot).sort((a, b) => (a.block < b.block ? -1 : 1)),
  entity_loot: Object.values(mcd.entityLoot).sort((a, b) => (a.entity < b.entity ? -1 : 1)),
  entities: Object.values(mcd.entities).map((e) => ({ name: e.name, type: e.type, category: e.category })).sort(byName),
  foods: Object.values(mcd.foods).map((f) => ({ name: f.name, food_points: f.foodPoints, saturation: f.saturation })).sort(byName),
}
process.stdout.write(JSON.stringify(sortKeys(out)))
