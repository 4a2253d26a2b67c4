'use strict'
// Item data components (1.20.5+) on prismarine-item stacks: damage, enchantments, custom name, repair cost.
// prismarine-item 1.18 keeps a 1.21 item's components as the raw network list (item.components) and its setters
// (enchants, customName, repairCost, durabilityUsed) write pre-1.20.5 NBT that is never sent, so every change here
// makes a new stack from the network form with the component list edited.
//
//   const components = require('../lib/itemComponents')(registry)
//   components.get(item, 'damage')                  the component's data, or undefined
//   components.with(item, { damage: 3, custom_name: undefined })   a new stack: set, or removed when undefined
//   components.damage(item) / maxDamage(item) / withDamage(item, n)  (null when n reaches the maximum: it broke)
//   components.enchantments(item) -> [{ name, lvl }]  (stored_enchantments on an enchanted book)
//   components.withEnchantments(item, [{ name, lvl }])
//   components.customName(item) -> string | null,  components.withCustomName(item, name | null)
//   components.repairCost(item)
//   components.enchantmentLevel(item, name)
// Enchantment ids on the wire are the order of the enchantment registry the server sent at login (alphabetical,
// the same numbering as minecraft-data's enchantments).

const byRegistry = new WeakMap()

module.exports = function itemComponentsFor (registry) {
  if (!byRegistry.has(registry)) byRegistry.set(registry, build(registry))
  return byRegistry.get(registry)
}

function build (registry) {
  const Item = require('prismarine-item')(registry)
  const codec = registry.loginPacket?.dimensionCodec?.['minecraft:enchantment']
  const enchantmentNames = codec ? codec.entries.map(e => e.key.replace(/^minecraft:/, '')) : registry.enchantmentsArray.map(e => e.name)
  const enchantmentIds = new Map(enchantmentNames.map((name, id) => [name, id]))

  function get (item, type) {
    return item?.components?.find(c => c.type === type)?.data
  }

  function withComponents (item, changes) {
    if (!item) return null
    const notch = Item.toNotch(item)
    const components = (notch.components ?? []).filter(c => !Object.hasOwn(changes, c.type))
    for (const [type, data] of Object.entries(changes)) if (data !== undefined) components.push({ type, data })
    return Item.fromNotch({
      ...notch,
      addedComponentCount: components.length,
      removedComponentCount: (notch.removeComponents ?? []).length,
      components,
      removeComponents: notch.removeComponents ?? []
    })
  }

  const damage = item => get(item, 'damage') ?? 0
  const maxDamage = item => get(item, 'max_damage') ?? registry.items[item.type]?.maxDurability ?? 0

  function withDamage (item, n) {
    const max = maxDamage(item)
    if (max > 0 && n >= max) return null
    return withComponents(item, { damage: n > 0 ? n : undefined })
  }

  const enchantmentsType = item => item?.name === 'enchanted_book' ? 'stored_enchantments' : 'enchantments'

  function enchantments (item) {
    const data = get(item, enchantmentsType(item))
    return (data?.enchantments ?? []).map(({ id, level }) => ({ name: enchantmentNames[id], lvl: level }))
  }

  function withEnchantments (item, list) {
    const type = enchantmentsType(item)
    if (list.length === 0) return withComponents(item, { [type]: undefined })
    return withComponents(item, { [type]: enchantmentData(list) })
  }

  // The component's data as the network wants it ({ enchantments: [{ id, level }], showTooltip }), made an array of
  // { name, lvl } too: prismarine-item's `enchants` hands out this data as it is, and flying-squid (digging's
  // `heldItem.enchants.map`) and other readers expect that list; copies of the stack share the object.
  function enchantmentData (list) {
    const data = list.map(({ name, lvl }) => ({ name, lvl }))
    data.enchantments = list.map(({ name, lvl }) => ({ id: enchantmentIds.get(name), level: lvl }))
    data.showTooltip = true
    return data
  }

  const enchantmentLevel = (item, name) => enchantments(item).find(e => e.name === name)?.lvl ?? 0

  // custom_name is a text component as anonymous NBT: a plain string tag for literal text (vanilla's encoding).
  function customName (item) {
    const data = get(item, 'custom_name')
    if (!data) return null
    if (data.type === 'string') return data.value
    return data.value?.text?.value ?? ''
  }

  function withCustomName (item, name) {
    return withComponents(item, { custom_name: name === null ? undefined : { type: 'string', value: name } })
  }

  const repairCost = item => get(item, 'repair_cost') ?? 0

  return {
    get,
    with: withComponents,
    damage,
    maxDamage,
    withDamage,
    enchantments,
    withEnchantments,
    enchantmentLevel,
    enchantmentIds,
    enchantmentNames,
    customName,
    withCustomName,
    repairCost
  }
}
