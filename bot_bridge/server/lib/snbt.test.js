'use strict'
// Unit tests of the SNBT reader (node --test); tests/test_world_mobs.py runs them, and has the real-server /summon tests.
const test = require('node:test')
const assert = require('node:assert')
const { readCompound, intOf, floatOf, SnbtError } = require('./snbt')

const read = text => readCompound(text).tag.value
const plain = tags => JSON.parse(JSON.stringify(tags, (k, v) => typeof v === 'bigint' ? `${v}L` : v))
// the message and cursor of the error reading `text`
function failure (text) {
  try {
    readCompound(text)
  } catch (err) {
    assert.ok(err instanceof SnbtError, err)
    return [err.message, err.cursor]
  }
  assert.fail(`no error reading ${text}`)
}

test('numbers are typed by their suffix, as vanilla 1.21.4', () => {
  assert.deepStrictEqual(plain(read('{a:40,b:40s,c:40b,d:40L,e:4.5f,f:4.5,g:4.5d,h:-24000,i:+5,j:.5,k:5.,l:1e3d}')), {
    a: { type: 'int', value: 40 },
    b: { type: 'short', value: 40 },
    c: { type: 'byte', value: 40 },
    d: { type: 'long', value: '40L' },
    e: { type: 'float', value: 4.5 },
    f: { type: 'double', value: 4.5 },
    g: { type: 'double', value: 4.5 },
    h: { type: 'int', value: -24000 },
    i: { type: 'int', value: 5 },
    j: { type: 'double', value: 0.5 },
    k: { type: 'double', value: 5 },
    l: { type: 'double', value: 1000 }
  })
  assert.strictEqual(read('{a:0.1f}').a.value, Math.fround(0.1))
})

test('bare words that are no number in range are strings; true and false are bytes', () => {
  const tags = read('{a:040,b:1e3,c:200b,d:3000000000,e:TRUE,f:false,g:x}')
  assert.deepStrictEqual(plain(tags), {
    a: { type: 'string', value: '040' },
    b: { type: 'string', value: '1e3' },
    c: { type: 'string', value: '200b' },
    d: { type: 'string', value: '3000000000' },
    e: { type: 'byte', value: 1 },
    f: { type: 'byte', value: 0 },
    g: { type: 'string', value: 'x' }
  })
})

test('quoted strings, whitespace, nesting, lists and arrays', () => {
  const tags = read(' { "a b" : \'it\\\'s\' , c:"say \\"hi\\"", n:{m:{o:1}}, l:[1,2,], p:[{x:1},{}], q:[I;1,2], r:[B;1b] , } ')
  assert.strictEqual(tags['a b'].value, "it's")
  assert.strictEqual(tags.c.value, 'say "hi"')
  assert.strictEqual(tags.n.value.m.value.o.value, 1)
  assert.deepStrictEqual(tags.l.value.map(t => t.value), [1, 2])
  assert.strictEqual(tags.p.value.length, 2)
  assert.deepStrictEqual(plain(tags.q), { type: 'intArray', value: [1, 2] })
  assert.deepStrictEqual(plain(tags.r), { type: 'byteArray', value: [1] })
  assert.deepStrictEqual(Object.keys(read('{__proto__:1}')), ['__proto__'])
})

test('reading stops after the compound, where the command goes on', () => {
  assert.deepStrictEqual(readCompound('x {a:1} rest', 2).end, 7)
})

test('malformed SNBT: vanilla\'s message at the cursor vanilla points at', () => {
  assert.deepStrictEqual(failure('{EggLayTime:}'), ['Expected value', 12])
  assert.deepStrictEqual(failure('{EggLayTime:40'), ["Expected '}'", 14])
  assert.deepStrictEqual(failure('EggLayTime:40'), ["Expected '{'", 0])
  assert.deepStrictEqual(failure('{:1}'), ['Expected key', 1])
  assert.deepStrictEqual(failure('{a 1}'), ["Expected ':'", 3])
  assert.deepStrictEqual(failure('{a:1,'), ['Expected key', 5])
  assert.deepStrictEqual(failure('{a:"x}'), ['Unclosed quoted string', 6])
  assert.deepStrictEqual(failure('{a:"\\x"}'), ["Invalid escape sequence '\\x' in quoted string", 5])
  assert.deepStrictEqual(failure('{a:[1,"x"]}'), ["Can't insert TAG_String into list of TAG_Int", 6])
  assert.deepStrictEqual(failure('{a:[I;1,2b]}'), ["Can't insert TAG_Byte into TAG_Int_Array", 8])
  assert.deepStrictEqual(failure('{a:[X;1]}'), ["Invalid array type 'X'", 4])
  assert.deepStrictEqual(failure('{a:[1,'), ['Expected value', 6])
  assert.deepStrictEqual(failure(''), ["Expected '{'", 0])
})

test('number tags read as vanilla\'s getInt and getFloat', () => {
  const tags = read('{a:40s,b:4.7f,c:-0.5d,d:4294967297L,e:"40",f:3000000000000.0}')
  assert.deepStrictEqual([tags.a, tags.b, tags.c, tags.d, tags.e, tags.f].map(intOf), [40, 4, -1, 1, 0, 2147483647])
  assert.strictEqual(intOf(undefined), 0)
  assert.strictEqual(floatOf(tags.b), Math.fround(4.7))
  assert.strictEqual(floatOf(tags.e), 0)
})
