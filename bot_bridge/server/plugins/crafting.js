'use strict'
// Crafting: the 2x2 grid of the player's inventory and the 3x3 crafting table window, matched against
// minecraft-data's recipes. flying-squid computes no crafting result and opens nothing on a table.
// The slot rules follow vanilla's ResultSlot / CraftingMenu; lib/windows.js does clicks and syncing.

const windowsFor = require('../lib/windows')

// vanilla Item.craftingRemainingItem: what stays in the grid after an ingredient is used
const REMAINDERS = {
  milk_bucket: 'bucket',
  water_bucket: 'bucket',
  lava_bucket: 'bucket',
  powder_snow_bucket: 'bucket',
  honey_bottle: 'glass_bottle',
  dragon_breath: 'glass_bottle'
}

module.exports.server = function (serv) {
  const windows = windowsFor(serv)
  const { registry } = serv
  const Item = require('prismarine-item')(registry)
  const recipes = loadRecipes(registry)

  // The grid rules shared by the inventory's 2x2 and the table's 3x3: slot 0 is the result, 1..w*w the grid.
  const withCraftingGrid = (Base, width) => class extends Base {
    get gridSize () { return width * width }
    isGrid (i) { return i >= 1 && i <= this.gridSize }
    mayPlace (i, item) { return i !== 0 && super.mayPlace(i, item) }
    takeAll (i) { return i === 0 || super.takeAll(i) }
    canTakeForPickAll (i) { return i !== 0 && super.canTakeForPickAll(i) }

    slotChanged (i) {
      super.slotChanged(i)
      if (this.isGrid(i) && !this.consuming) this.updateResult()
    }

    // vanilla sends the result slot after every grid change, even when it stays empty; mineflayer waits for it
    updateResult () {
      const grid = []
      for (let i = 1; i <= this.gridSize; i++) grid.push(this.get(i))
      const recipe = recipes.match(grid, width)
      this.set(0, recipe ? new Item(recipe.result.id, recipe.result.count) : null)
      this.sendSlot(0)
    }

    // Taking the result uses one of each ingredient (vanilla ResultSlot.onTake).
    onTake (i, taken) {
      super.onTake(i, taken)
      if (i !== 0) return
      this.consuming = true
      for (let g = 1; g <= this.gridSize; g++) {
        const item = this.get(g)
        if (!item) continue
        const left = windows.copyWithCount(item, item.count - 1)
        const remainderName = REMAINDERS[item.name]
        if (!remainderName) { this.set(g, left); continue }
        const remainder = new Item(registry.itemsByName[remainderName].id, 1)
        if (!left) this.set(g, remainder)
        else {
          this.set(g, left)
          windows.placeBackInInventory(this.player, remainder)
        }
      }
      this.consuming = false
      this.updateResult()
    }

    // Shift-click on the result: into the inventory (hotbar first, from the end); a part that does not
    // fit is dropped, as vanilla does. The caller repeats while the result stays the same: craft all.
    quickMoveStack (i) {
      if (i !== 0) return super.quickMoveStack(i)
      const result = this.get(0)
      if (!result) return null
      const start = this.slotCount - 36
      const left = windows.moveItemStackTo(this, result, start, this.slotCount, true)
      if (left && left.count === result.count) return null
      this.set(0, null)
      this.onTake(0, result)
      if (left) windows.drop(this.player, left)
      return windows.copyWithCount(result, result.count)
    }

    givenBackOnClose () {
      const items = super.givenBackOnClose()
      for (let g = 1; g <= this.gridSize; g++) if (this.get(g)) items.push(this.get(g))
      return items
    }

    // Closing the window gives the grid back to the player (vanilla clearContainer).
    removed () {
      super.removed()
      this.consuming = true
      for (let g = 1; g <= this.gridSize; g++) {
        const item = this.get(g)
        if (!item) continue
        this.set(g, null)
        windows.placeBackInInventory(this.player, item)
      }
      this.consuming = false
      this.set(0, null)
    }
  }

  windows.InventoryMenu = withCraftingGrid(windows.InventoryMenu, 2)

  class CraftingMenu extends withCraftingGrid(windows.Menu, 3) {
    constructor (player) {
      super(player, { type: 'minecraft:crafting', title: { translate: 'container.crafting' }, size: 10 })
    }

    // vanilla CraftingMenu.quickMoveStack for the grid and the inventory (the result is handled above)
    quickMoveStack (i) {
      if (i === 0) return super.quickMoveStack(i)
      const item = this.get(i)
      if (!item) return null
      let left
      if (i >= 10) {
        left = windows.moveItemStackTo(this, item, 1, 10, false)
        if (left && left.count === item.count) {
          left = i < 37 ? windows.moveItemStackTo(this, item, 37, 46, false) : windows.moveItemStackTo(this, item, 10, 37, false)
        }
      } else {
        left = windows.moveItemStackTo(this, item, 10, 46, false)
      }
      return windows.finishQuickMove(this, i, item, item.count, left)
    }
  }

  // Right-click on a table opens it instead of placing a block; sneaking with an item in hand places.
  serv.once('asap', () => {
    serv.onBlockInteraction('crafting_table', ({ player }) => {
      if (player.crouching && player.inventory.slots[36 + player.heldItemSlot]) return false
      windows.open(player, new CraftingMenu(player))
      return true
    })
  })
}

// minecraft-data lists one shaped recipe per member of an ingredient tag (13 stick recipes, one per plank);
// variants with the same result and layout are merged into one recipe whose cells accept any of them,
// so mixed planks work as with vanilla's #planks. Shapeless recipes name one member of a log tag
// (oak_planks <- oak_log): the rest of vanilla's #oak_logs (wood, stripped) is added by name.
function loadRecipes (registry) {
  const shaped = new Map()
  const shapeless = []
  const logFamily = (id) => {
    const name = registry.items[id]?.name ?? ''
    const m = name.match(/^(.*)_(log|stem)$/)
    if (!m) return [id]
    const [, wood, kind] = m
    const bark = kind === 'log' ? 'wood' : 'hyphae'
    return [`${wood}_${kind}`, `${wood}_${bark}`, `stripped_${wood}_${kind}`, `stripped_${wood}_${bark}`]
      .map(n => registry.itemsByName[n]?.id).filter(x => x !== undefined)
  }

  for (const list of Object.values(registry.recipes)) {
    for (const recipe of list) {
      if (recipe.inShape) {
        const rows = trimShape(recipe.inShape.map(row => row.map(id => (id == null || id === -1 ? null : id))))
        const h = rows.length
        const w = Math.max(...rows.map(r => r.length))
        const cells = []
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) cells.push(rows[y][x] ?? null)
        const key = [recipe.result.id, recipe.result.count, w, h, cells.map(c => (c === null ? '.' : '#')).join('')].join('|')
        let merged = shaped.get(key)
        if (!merged) {
          merged = { w, h, result: recipe.result, cells: cells.map(c => (c === null ? null : new Set())) }
          shaped.set(key, merged)
        }
        cells.forEach((c, k) => { if (c !== null) merged.cells[k].add(c) })
      } else if (recipe.ingredients) {
        shapeless.push({ result: recipe.result, ingredients: recipe.ingredients.map(id => new Set(logFamily(id))) })
      }
    }
  }

  const shapedBySize = new Map()
  for (const r of shaped.values()) {
    const size = `${r.w}x${r.h}`
    if (!shapedBySize.has(size)) shapedBySize.set(size, [])
    shapedBySize.get(size).push(r)
  }

  // grid: width*width items (null = empty), row by row
  function match (grid, width) {
    let minX = width
    let minY = width
    let maxX = -1
    let maxY = -1
    const present = []
    grid.forEach((item, k) => {
      if (!item) return
      const x = k % width
      const y = Math.floor(k / width)
      minX = Math.min(minX, x); maxX = Math.max(maxX, x)
      minY = Math.min(minY, y); maxY = Math.max(maxY, y)
      present.push(item.type)
    })
    if (!present.length) return null
    const w = maxX - minX + 1
    const h = maxY - minY + 1
    const at = (x, y) => grid[(minY + y) * width + minX + x]?.type ?? null
    // a shaped recipe fits its bounding box anywhere in the grid, as drawn or mirrored left-right
    for (const r of shapedBySize.get(`${w}x${h}`) ?? []) {
      const fits = mirror => r.cells.every((cell, k) => {
        const x = k % w
        const y = Math.floor(k / w)
        const type = at(mirror ? w - 1 - x : x, y)
        return cell === null ? type === null : cell.has(type)
      })
      if (fits(false) || fits(true)) return r
    }
    for (const r of shapeless) {
      if (r.ingredients.length === present.length && assign(present, r.ingredients)) return r
    }
    return null
  }

  return { match }
}

function trimShape (rows) {
  while (rows.length && rows[rows.length - 1].every(c => c === null)) rows.pop()
  while (rows.length && rows[0].every(c => c === null)) rows.shift()
  let left = Infinity
  let right = -1
  for (const row of rows) {
    row.forEach((c, x) => { if (c !== null) { left = Math.min(left, x); right = Math.max(right, x) } })
  }
  return rows.map(row => Array.from({ length: right - left + 1 }, (_, k) => row[left + k] ?? null))
}

// Each grid item used by exactly one ingredient (small backtracking: at most 9 items).
function assign (types, ingredients, used = new Array(ingredients.length).fill(false), k = 0) {
  if (k === types.length) return true
  for (let j = 0; j < ingredients.length; j++) {
    if (used[j] || !ingredients[j].has(types[k])) continue
    used[j] = true
    if (assign(types, ingredients, used, k + 1)) return true
    used[j] = false
  }
  return false
}
