'use strict'
// Experience levels as vanilla's Player keeps them, over flying-squid's model (player.xp = total points, from which
// its experience plugin derives player.level and the bar). Vanilla spends levels (enchanting, the anvil) without
// touching the bar's progress; here the total is moved so that flying-squid's level and bar say the same.
const { getBaseXpFromLevel, getXpRequired } = require('flying-squid').experience

function level (player) { return player.level ?? 0 }

// vanilla Player.giveExperienceLevels: below 0 the level, bar and total reset to 0.
function giveLevels (player, levels) {
  const now = level(player) + levels
  if (now <= 0) return player.setXp(0)
  const progress = Math.max(0, Math.min(1, player.displayXp ?? 0))
  player.setXp(getBaseXpFromLevel(now) + Math.floor(progress * getXpRequired(now)))
}

// vanilla Player.setExperienceLevels (/xp set ... levels): the bar's progress is kept.
function setLevels (player, levels) {
  giveLevels(player, Math.max(0, levels) - level(player))
}

module.exports = { level, giveLevels, setLevels, getBaseXpFromLevel }
