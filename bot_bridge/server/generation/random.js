// Seeded, stateless randomness for world generation: everything is a pure function of
// (seed, coordinates, salt), so any chunk can be generated alone, in any order, and
// neighbouring chunks agree about features that cross their borders.
'use strict'

// murmur3's 32-bit finaliser: cheap and mixes every input bit into every output bit.
function fmix (h) {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

// Reduces any JS number seed (flying-squid uses up to 2^31, level.dat up to 2^64) to 32 bits.
function seed32 (seed) {
  const n = Math.trunc(Number(seed) || 0)
  return fmix((n >>> 0) ^ fmix(Math.floor(n / 4294967296) >>> 0))
}

// Hash of up to four integers under a 32-bit seed, as an unsigned 32-bit integer.
function hash (s, a, b = 0, c = 0) {
  let h = fmix(s + Math.imul(a | 0, 0x9e3779b1))
  h = fmix(h + Math.imul(b | 0, 0x85ebca77))
  return fmix(h + Math.imul(c | 0, 0xc2b2ae3d))
}

// Same, scaled to [0, 1).
function hash01 (s, a, b, c) {
  return hash(s, a, b, c) / 4294967296
}

// mulberry32: a small sequential PRNG for features that need many draws (ore veins).
function prng (state) {
  let t = state >>> 0
  const next = () => {
    t = (t + 0x6d2b79f5) >>> 0
    let r = Math.imul(t ^ (t >>> 15), 1 | t)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: n => Math.floor(next() * n), // 0 .. n-1
    between: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) // lo .. hi inclusive
  }
}

// 2D value noise in [-1, 1] with lattice spacing `scale` blocks and smoothstep interpolation.
function valueNoise (s, x, z, scale) {
  const fx = x / scale
  const fz = z / scale
  const ix = Math.floor(fx)
  const iz = Math.floor(fz)
  let tx = fx - ix
  let tz = fz - iz
  tx = tx * tx * (3 - 2 * tx)
  tz = tz * tz * (3 - 2 * tz)
  const v00 = hash01(s, ix, iz)
  const v10 = hash01(s, ix + 1, iz)
  const v01 = hash01(s, ix, iz + 1)
  const v11 = hash01(s, ix + 1, iz + 1)
  const a = v00 + (v10 - v00) * tx
  const b = v01 + (v11 - v01) * tx
  return (a + (b - a) * tz) * 2 - 1
}

module.exports = { fmix, seed32, hash, hash01, prng, valueNoise }
