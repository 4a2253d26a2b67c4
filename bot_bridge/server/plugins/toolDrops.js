'use strict'
// Tool-gated drops: a dug block drops what vanilla drops for the held tool (nothing without the right tool kind
// and tier: stone needs a pickaxe, iron ore stone+, diamond ore iron+), from minecraft-data's loot table.
// flying-squid drops the loot of any tool, even a bare hand, and throws on blocks added or renamed since 1.20.
const { Vec3 } = require('vec3')
const harvestRules = require('../lib/harvest')
const { dropItem } = require('../lib/itemDrops')

module.exports.server = function (serv) {
  // flying-squid reads registry.blockLoot[name].drops for every dug block: give it an entry for every 1.21.4 block.
  Object.assign(serv.registry.blockLoot, harvestRules(serv.registry).loot)
}

module.exports.player = function (player, serv) {
  const rules = harvestRules(serv.registry)

  player.on('dug_cancel', data => {
    if (!data.dropBlock) return // creative
    data.dropBlock = false // ours replace flying-squid's
    data.toolDrops = rules.drops(data.block, player.inventory.slots[36 + player.heldItemSlot])
  })

  player.on('dug_done', ({ position, toolDrops }, cancelled) => {
    if (cancelled || !toolDrops) return
    for (const drop of toolDrops) {
      // Vanilla pops items from the block's centre, jittered by a quarter block, with a small random push;
      // flying-squid's item physics has no air drag, so a gentler push lands them as close as vanilla's do.
      const at = position.offset(0.25 + Math.random() / 2, 0.25 + Math.random() / 2, 0.25 + Math.random() / 2)
      const velocity = new Vec3(Math.random() * 2 - 1, 3, Math.random() * 2 - 1)
      dropItem(serv, player.world, at, drop, velocity)
    }
  })
}
