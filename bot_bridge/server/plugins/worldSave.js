'use strict'
// Keeps the world and every player on disk, so a server killed at any moment (kill -9 included) starts again where
// it was, as a vanilla server reloads its world folder. With the option `saveFolder` (bot_bridge/server.py passes it):
//   blocks.log   every block change of the overworld, one line `x y z stateId`, appended as it happens. The terrain
//                is a pure function of the seed, so a column is generated and then these changes are laid on it.
//   state.json   world age and time of day, and each player's record (playerState.js's: position, inventory,
//                health, food...), written (tmp + rename) every second and right after an inventory change.
// flying-squid's own saving needs its world folder: region files through prismarine-provider-anvil (tested up to
// 1.21.1) and player data written only at logout, which a kill -9 never reaches.
// The changes are also laid on a column generated again after it was unloaded (no player near): without this
// plugin flying-squid forgets them then. Nothing here is sent to a client: players see what vanilla sends.
const fs = require('fs')
const path = require('path')
const { Vec3 } = require('vec3')

const SAVE_EVERY_MS = 1000

const columnKey = (x, z) => `${Math.floor(x / 16)},${Math.floor(z / 16)}`

// The journal's changes by column: "cx,cz" -> Map("x,y,z" -> stateId); a torn last line (a kill mid-write) is skipped.
function readJournal (file) {
  const byColumn = new Map()
  let text = ''
  try { text = fs.readFileSync(file, 'utf8') } catch (e) { return byColumn }
  const lines = text.split('\n')
  lines.pop() // the text after the last newline: empty, or a line the kill cut short
  for (const line of lines) {
    const n = line.split(' ').map(Number)
    if (n.length === 4 && n.every(Number.isInteger)) remember(byColumn, n[0], n[1], n[2], n[3])
  }
  return byColumn
}

function remember (byColumn, x, y, z, stateId) {
  const key = columnKey(x, z)
  if (!byColumn.has(key)) byColumn.set(key, new Map())
  byColumn.get(key).set(`${x},${y},${z}`, stateId)
}

function readState (file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    return null // none yet (a new world), or unreadable: the world starts from the seed alone
  }
}

function writeAtomic (file, text) {
  const tmp = `${file}.tmp`
  fs.writeFileSync(tmp, text)
  fs.renameSync(tmp, file)
}

module.exports.server = function (serv, settings) {
  const folder = settings.saveFolder
  const journalFile = folder && path.join(folder, 'blocks.log')
  const stateFile = folder && path.join(folder, 'state.json')
  if (folder) fs.mkdirSync(folder, { recursive: true })
  const changes = folder ? readJournal(journalFile) : new Map()
  const saved = folder ? readState(stateFile) : null

  // the world plugin creates serv.overworld and tick.js serv.tickCount after the external plugins: wait for both
  serv.once('pluginsReady', () => {
    const world = serv.overworld
    const generate = world.chunkGenerator
    world.chunkGenerator = (chunkX, chunkZ) => {
      const column = generate(chunkX, chunkZ)
      for (const [key, stateId] of changes.get(`${chunkX},${chunkZ}`) ?? []) {
        const [x, y, z] = key.split(',').map(Number)
        column.setBlockStateId(new Vec3(x & 15, y, z & 15), stateId)
      }
      return column
    }
    const journal = folder ? fs.openSync(journalFile, 'a') : null
    world.on('blockUpdate', (oldBlock, newBlock) => {
      const { x, y, z } = newBlock.position
      remember(changes, x, y, z, newBlock.stateId)
      if (journal !== null) fs.writeSync(journal, `${x} ${y} ${z} ${newBlock.stateId}\n`)
    })
    if (!folder) return
    const records = serv.playerRecords ?? new Map() // playerState.js's (none when flying-squid's worldFolder is used)
    if (saved) {
      serv.tickCount = saved.age ?? serv.tickCount
      serv.time = saved.time ?? serv.time
      for (const [uuid, record] of Object.entries(saved.players ?? {})) {
        const p = record.player
        records.set(uuid, { ...record, player: { ...p, position: new Vec3(p.position.x, p.position.y, p.position.z) } })
      }
    }
    let saving = null
    serv.saveWorldState = async () => {
      for (const player of serv.players) if (player.gitmSpawned && !player.disconnected) await player.save()
      const players = Object.fromEntries(records)
      writeAtomic(stateFile, JSON.stringify({ age: serv.tickCount, time: serv.time, players }))
    }
    const saveSoon = () => {
      saving = saving ?? setImmediate(() => {
        saving = null
        serv.saveWorldState().catch(err => console.error('[gitm] saving the world state failed:', err && err.stack))
      })
    }
    serv.saveWorldStateSoon = saveSoon
    setInterval(saveSoon, SAVE_EVERY_MS).unref()
  })
}

module.exports.player = function (player, serv) {
  player.once('spawned', () => {
    player.gitmSpawned = true // logged in with its record restored: from now on its state is worth keeping
    player.inventory.on('updateSlot', () => serv.saveWorldStateSoon?.())
  })
}
