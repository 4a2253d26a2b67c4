'use strict'
// Vanilla's /effect (EffectCommands): `give <targets> <effect> [seconds|infinite] [amplifier] [hideParticles]` and
// `clear [targets] [effect]`, from a player or the console, with vanilla's rule for an effect already there
// (MobEffectInstance.update: a higher amplifier, or the same one for longer, replaces it; anything else changes
// nothing and the command fails) and vanilla's replies. flying-squid only had `/effect <player> <effect> ...`
// (still accepted), for players only, and its addEffect kept the *lower* amplifier. The effect packet carries
// vanilla's flags byte (flying-squid wrote a field 1.21.4 does not have).
const { UserError } = require('flying-squid')
const { sendSystemMessage } = require('../lib/text')

const MAX_SECONDS = 1000000
const DEFAULT_TICKS = 600 // 30 s
const INFINITE = -1
// ClientboundUpdateMobEffectPacket flags
const FLAG_VISIBLE = 0x02
const FLAG_SHOW_ICON = 0x04

const snake = name => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

module.exports.server = function (serv) {
  const { registry } = serv
  const effectsByKey = new Map(registry.effectsArray.map(e => [snake(e.name), e]))
  const INSTANT = new Set(['instant_health', 'instant_damage', 'saturation'])

  function effectOf (text) {
    const key = text.replace(/^minecraft:/, '')
    const effect = effectsByKey.get(key)
    if (!effect) throw new UserError(`Can't find element 'minecraft:${key}' of type 'minecraft:mob_effect'`)
    return { ...effect, key }
  }

  function targetsOf (selector, ctx) {
    if (selector === '@s') {
      if (!ctx.player) throw new UserError('An entity is required to run this command here')
      return [ctx.player]
    }
    const living = e => !(e.health <= 0) && e.effects
    if (selector === '@e') return Object.values(serv.entities).filter(e => (e.type === 'player' || e.type === 'mob') && living(e))
    if (selector === '@a') return serv.players.slice()
    if (selector === '@p' || selector === '@r') {
      const alive = serv.players.filter(living)
      if (selector === '@r') return alive.length ? [alive[Math.floor(Math.random() * alive.length)]] : []
      const from = ctx.player?.position
      if (!from) return alive.slice(0, 1)
      return alive.sort((a, b) => a.position.distanceTo(from) - b.position.distanceTo(from)).slice(0, 1)
    }
    const found = ctx.player ? ctx.player.selectorString(selector) : serv.selectorString(selector)
    return found.filter(e => e.effects)
  }

  const nameOf = entity => entity.type === 'player'
    ? { text: entity.username }
    : { translate: `entity.minecraft.${registry.entities[entity.entityType]?.name ?? 'pig'}` }
  const effectName = effect => ({ translate: `effect.minecraft.${effect.key}` })

  function reply (ctx, component, text) {
    if (ctx.player) sendSystemMessage(ctx.player, component)
    else serv.info(text)
  }
  function fail (ctx, key, text) {
    if (ctx.player) sendSystemMessage(ctx.player, { text: '', color: 'red', extra: [{ translate: key }] })
    else serv.info(text)
  }

  function send (entity, id) {
    const effect = entity.effects[id]
    const packet = {
      entityId: entity.id,
      effectId: id,
      amplifier: effect.amplifier,
      duration: effect.duration,
      flags: (effect.particles ? FLAG_VISIBLE : 0) | FLAG_SHOW_ICON
    }
    const to = new Set(serv.getNearby(entity))
    if (entity.type === 'player') to.add(entity)
    serv._writeArray('entity_effect', packet, [...to])
  }

  // LivingEntity.addEffect with MobEffectInstance.update; returns whether anything changed.
  function give (entity, id, { amplifier, duration, particles }) {
    const old = entity.effects[id]
    if (old) {
      const left = old.end === Infinity ? INFINITE : Math.max(0, Math.round((old.end - Date.now()) / 50))
      const longer = left !== INFINITE && (duration === INFINITE || duration > left)
      if (!(amplifier > old.amplifier || (amplifier === old.amplifier && longer))) return false
      clearTimeout(old.timeout)
    }
    entity.effects[id] = {
      amplifier,
      duration,
      particles,
      end: duration === INFINITE ? Infinity : Date.now() + duration * 50,
      timeout: duration === INFINITE ? null : setTimeout(() => entity.effects[id] && entity.removeEffect(id), duration * 50)
    }
    send(entity, id)
    return true
  }

  function runGive ({ selector, effect, seconds, amplifier, hideParticles }, ctx) {
    const targets = targetsOf(selector, ctx)
    if (!targets.length) throw new UserError('No entity was found')
    let duration
    if (seconds === INFINITE) duration = INFINITE
    else if (seconds !== undefined) duration = INSTANT.has(effect.key) ? seconds : seconds * 20
    else duration = INSTANT.has(effect.key) ? 1 : DEFAULT_TICKS
    let changed = 0
    for (const entity of targets) {
      if (give(entity, effect.id, { amplifier, duration, particles: !hideParticles })) changed++
    }
    if (!changed) {
      return fail(ctx, 'commands.effect.give.failed',
        'Unable to apply this effect (target is either immune to effects, or has something stronger)')
    }
    if (targets.length === 1) {
      reply(ctx, { translate: 'commands.effect.give.success.single', with: [effectName(effect), nameOf(targets[0])] },
        `Applied effect ${effect.key} to ${targets[0].username ?? 'an entity'}`)
    } else {
      reply(ctx, { translate: 'commands.effect.give.success.multiple', with: [effectName(effect), String(targets.length)] },
        `Applied effect ${effect.key} to ${targets.length} targets`)
    }
  }

  function runClear ({ selector, effect }, ctx) {
    const targets = targetsOf(selector ?? '@s', ctx)
    if (!targets.length) throw new UserError('No entity was found')
    let changed = 0
    for (const entity of targets) {
      const ids = effect ? [effect.id] : Object.keys(entity.effects).map(Number)
      let removed = false
      for (const id of ids) {
        if (!entity.effects[id]) continue
        entity.removeEffect(id)
        removed = true
      }
      if (removed) changed++
    }
    if (!changed) {
      return effect
        ? fail(ctx, 'commands.effect.clear.specific.failed', 'Target doesn\'t have the requested effect')
        : fail(ctx, 'commands.effect.clear.everything.failed', 'Target has no effects to remove')
    }
    const one = targets.length === 1
    const what = effect ? 'specific' : 'everything'
    const key = `commands.effect.clear.${what}.success.${one ? 'single' : 'multiple'}`
    const target = one ? nameOf(targets[0]) : String(targets.length)
    reply(ctx, { translate: key, with: effect ? [effectName(effect), target] : [target] },
      effect ? `Removed effect ${effect.key} from ${one ? targets[0].username : targets.length + ' targets'}`
        : `Removed every effect from ${one ? targets[0].username : targets.length + ' targets'}`)
  }

  function integer (text, min, max, what) {
    if (!/^-?\d+$/.test(text)) throw new UserError(`Expected integer for ${what}`)
    const n = Number(text)
    if (n < min) throw new UserError(`Integer must not be less than ${min}, found ${n}`)
    if (n > max) throw new UserError(`Integer must not be more than ${max}, found ${n}`)
    return n
  }
  function boolean (text) {
    if (text === undefined) return false
    if (text !== 'true' && text !== 'false') throw new UserError(`Invalid boolean, expected 'true' or 'false' but found '${text}'`)
    return text === 'true'
  }

  function parseGive ([selector, effect, seconds, amplifier, hide, ...rest]) {
    if (!selector || !effect || rest.length) return false
    return {
      action: 'give',
      selector,
      effect: effectOf(effect),
      seconds: seconds === undefined ? undefined : seconds === 'infinite' ? INFINITE : integer(seconds, 1, MAX_SECONDS, 'seconds'),
      amplifier: amplifier === undefined ? 0 : integer(amplifier, 0, 255, 'amplifier'),
      hideParticles: boolean(hide)
    }
  }

  serv.once('pluginsReady', () => serv.commands.add({
    base: 'effect',
    info: 'give or clear status effects',
    usage: '/effect give <targets> <effect> [seconds|infinite] [amplifier] [hideParticles] | /effect clear [targets] [effect]',
    op: true,
    parse (str) {
      const [action, ...args] = str.trim().split(/\s+/)
      if (action === 'give') return parseGive(args)
      if (action === 'clear') {
        if (args.length > 2) return false
        return { action: 'clear', selector: args[0], effect: args[1] === undefined ? undefined : effectOf(args[1]) }
      }
      // flying-squid's older form, kept: `/effect <player> <effect> [seconds] [amplifier] [hide]`, `/effect <player> clear`
      if (!action || !args.length) return false
      if (args[0] === 'clear' && args.length === 1) return { action: 'clear', selector: action }
      return parseGive([action, ...args])
    },
    action (parsed, ctx) {
      return parsed.action === 'give' ? runGive(parsed, ctx) : runClear(parsed, ctx)
    }
  }))
}
