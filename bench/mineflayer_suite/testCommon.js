// bot.test for mineflayer's external tests, adapted from mineflayer 4.25.0's
// test/externalTests/plugins/testCommon.js (mineflayer 4.25.0) to what gitm's
// embedded server (flying-squid + bot_bridge/server/plugins) offers. Only set-up is adapted; every change is marked
// ADAPTED with the reason. The tests' own assertions and commands are untouched.
'use strict'
const { Vec3 } = require('vec3')
const { spawn } = require('child_process')
const path = require('path')
const assert = require('assert')
const { once, sleep, onceWithCleanup, withTimeout } = require('mineflayer/lib/promise_utils')

const timeout = 5000
const SUITE_DIR = __dirname

// ADAPTED: upstream's world is superflat (bedrock, dirt, dirt, grass_block from y=-64); ours is generated terrain,
// so the arena around (0, groundY, 0) is rebuilt to those layers (bench/mineflayer_suite.py carves it once from the
// console; resetState keeps it). y from -64 up: the superflat column, air above the grass.
const LAYERS = ['bedrock', 'dirt', 'dirt', 'grass_block', 'air', 'air', 'air', 'air', 'air']

module.exports = inject

function inject (bot) {
  console.log(bot.version)

  bot.test = {}
  bot.test.groundY = bot.supportFeature('tallWorld') ? -60 : 4
  bot.test.sayEverywhere = sayEverywhere
  bot.test.clearInventory = clearInventory
  bot.test.becomeSurvival = becomeSurvival
  bot.test.becomeCreative = becomeCreative
  bot.test.fly = fly
  bot.test.teleport = teleport
  bot.test.resetState = resetState
  bot.test.setInventorySlot = setInventorySlot
  bot.test.placeBlock = placeBlock
  bot.test.runExample = runExample
  bot.test.tellAndListen = tellAndListen
  bot.test.selfKill = selfKill
  bot.test.wait = function (ms) {
    return new Promise((resolve) => { setTimeout(resolve, ms) })
  }

  bot.test.awaitItemReceived = async (command) => {
    const p = once(bot.inventory, 'updateSlot')
    bot.chat(command)
    await p // await getting the item
  }
  // setting relative to true makes x, y, & z relative using ~
  bot.test.setBlock = async ({ x = 0, y = 0, z = 0, relative, blockName }) => {
    const { x: _x, y: _y, z: _z } = relative ? bot.entity.position.floored().offset(x, y, z) : { x, y, z }
    const block = bot.blockAt(new Vec3(_x, _y, _z))
    if (block.name === blockName) {
      return
    }
    const p = once(bot.world, `blockUpdate:(${_x}, ${_y}, ${_z})`)
    const prefix = relative ? '~' : ''
    bot.chat(`/setblock ${prefix}${x} ${prefix}${y} ${prefix}${z} ${blockName}`)
    await p
  }

  // ADAPTED: no /fill on our server: /setblock each block of upstream's 11x11 area (grass, 5 layers of air above)
  // that differs from the superflat layers, then wait for those block updates (upstream waits a blind 100 ms).
  async function resetBlocksToSuperflat () {
    const centre = bot.entity.position.floored()
    const pending = []
    for (let layer = 3; layer < LAYERS.length; layer++) {
      const y = layer - 4 + bot.test.groundY
      for (let dx = -5; dx <= 5; dx++) {
        for (let dz = -5; dz <= 5; dz++) {
          const pos = new Vec3(centre.x + dx, y, centre.z + dz)
          const block = bot.blockAt(pos)
          if (block && block.name === LAYERS[layer]) continue
          pending.push(once(bot.world, `blockUpdate:${pos}`, 10000).catch(() => {}))
          bot.chat(`/setblock ${pos.x} ${pos.y} ${pos.z} ${LAYERS[layer]}`)
        }
      }
    }
    await Promise.all(pending)
    await bot.test.wait(100)
  }

  async function placeBlock (slot, position) {
    bot.setQuickBarSlot(slot - 36)
    // always place the block on the top of the block below it, i guess.
    const referenceBlock = bot.blockAt(position.plus(new Vec3(0, -1, 0)))
    return bot.placeBlock(referenceBlock, new Vec3(0, 1, 0))
  }

  // always leaves you in creative mode
  async function resetState () {
    const t0 = Date.now()
    const step = (what) => console.log(`resetState ${what} +${Date.now() - t0} ms`) // slow set-ups, in the log
    await becomeCreative()
    step('creative')
    await clearInventory()
    step('cleared')
    bot.creative.startFlying()
    await teleport(new Vec3(0, bot.test.groundY, 0))
    step('teleported')
    await bot.waitForChunksToLoad()
    await resetBlocksToSuperflat()
    step('blocks reset')
    await sleep(1000)
    await clearInventory()
    step('done')
  }

  async function becomeCreative () {
    return setCreativeMode(true)
  }

  async function becomeSurvival () {
    return setCreativeMode(false)
  }

  // ADAPTED: flying-squid answers /gamemode with plain text ("Set own game mode to creative Mode"), not vanilla's
  // translated commands.gamemode.success.self, so wait for mineflayer's own game mode to reach the target instead.
  // Toggled three times like upstream so the server always sends a change.
  async function setCreativeMode (value) {
    const getGM = val => val ? 'creative' : 'survival'
    const target = getGM(value)
    let toggled = false
    const reached = onceWithCleanup(bot, 'game', {
      timeout,
      checkCondition: () => toggled && bot.game.gameMode === target
    }).catch(() => {
      throw new Error(`/gamemode ${target}: mineflayer's game mode is still ${bot.game.gameMode} after ${timeout} ms`)
    })
    bot.chat(`/gamemode ${target}`)
    bot.chat(`/gamemode ${getGM(!value)}`)
    await onceWithCleanup(bot, 'game', { timeout, checkCondition: () => bot.game.gameMode === getGM(!value) })
      .catch(() => {})
    toggled = true
    bot.chat(`/gamemode ${target}`)
    return reached
  }

  // ADAPTED: no /clear on our server: empty every slot with set_creative_slot and no item, as
  // bot.creative.clearInventory does, which needs creative mode, so a survival bot goes creative and back.
  // The packet is written here rather than through bot.creative: flying-squid echoes each creative slot change
  // with a set_slot (vanilla 1.21.4 does not), and mineflayer 4.25's creative listener throws on an empty echoed
  // slot, which would fail every test in its set-up. (bot.test.setInventorySlot still goes through bot.creative.)
  async function clearInventory () {
    const wasSurvival = bot.game.gameMode !== 'creative'
    if (wasSurvival) await becomeCreative()
    const Item = require('prismarine-item')(bot.registry)
    for (const item of bot.inventory.slots.filter(item => item)) {
      bot._client.write('set_creative_slot', { slot: item.slot, item: Item.toNotch(null) })
      bot._setSlot(item.slot, null)
    }
    await bot.test.wait(400) // what bot.creative allows the server to refuse a slot
    if (wasSurvival) await becomeSurvival()
    const left = bot.inventory.slots.filter(item => item)
    if (left.length > 0) throw new Error('Inventory was not cleared: ' + JSON.stringify(left))
  }

  // you need to be in creative mode for this to work
  async function setInventorySlot (targetSlot, item) {
    assert(item === null || item.name !== 'unknown', `item should not be unknown ${JSON.stringify(item)}`)
    return bot.creative.setInventorySlot(targetSlot, item)
  }

  // ADAPTED: no /execute on our server: a plain /tp (upstream's form for versions without /execute).
  async function teleport (position) {
    bot.test.sayEverywhere(`/tp ${bot.username} ${position.x} ${position.y} ${position.z}`)
    return onceWithCleanup(bot, 'move', {
      timeout,
      checkCondition: () => bot.entity.position.distanceTo(position) < 0.9
    })
  }

  function sayEverywhere (message) {
    bot.chat(message)
    console.log(message)
  }

  async function fly (delta) {
    return bot.creative.flyTo(bot.entity.position.plus(delta))
  }

  async function tellAndListen (to, what, listen) {
    const chatMessagePromise = onceWithCleanup(bot, 'chat', {
      timeout,
      checkCondition: (username, message) => username === to && listen(message)
    })

    bot.chat(what)

    return chatMessagePromise
  }

  // ADAPTED: the example scripts are vendored in bench/mineflayer_suite/examples/ and run with this node.
  async function runExample (file, run) {
    let childBotName

    const detectChildJoin = async () => {
      const [message] = await onceWithCleanup(bot, 'message', {
        timeout,
        checkCondition: message => message.json.translate === 'multiplayer.player.joined'
      })
      childBotName = message.json.with[0].insertion
      bot.chat(`/tp ${childBotName} 50 ${bot.test.groundY} 0`)
      setTimeout(() => {
        bot.chat('loaded')
      }, 5000)
    }

    const runExampleOnReady = async () => {
      await onceWithCleanup(bot, 'chat', {
        checkCondition: (username, message) => message === 'Ready!'
      })
      return run(childBotName)
    }

    const child = spawn(process.execPath, [path.join(SUITE_DIR, file), '127.0.0.1', `${bot.test.port}`])

    child.stdout.on('data', (data) => { console.log(`${data}`) })
    child.stderr.on('data', (data) => { console.error(`${data}`) })

    const closeExample = async (err) => {
      console.log('kill process ' + child.pid)

      try {
        process.kill(child.pid, 'SIGTERM')
        const [code] = await onceWithCleanup(child, 'close', { timeout: 1000 })
        console.log('close requested', code)
      } catch (e) {
        console.log(e)
        console.log('process termination failed, process may already be closed')
      }

      if (err) {
        throw err
      }
    }

    try {
      await withTimeout(Promise.all([detectChildJoin(), runExampleOnReady()]), 30000)
    } catch (err) {
      console.log(err)
      return closeExample(err)
    }
    return closeExample()
  }

  function selfKill () {
    bot.chat('/kill @p')
  }
}

module.exports.LAYERS = LAYERS
