'use strict'
// Stringified NBT as vanilla 1.21.4 reads a command's NBT argument (TagParser on Brigadier's StringReader, before
// 1.21.5's rewrite): `{key:value,...}` with numbers typed by suffix (40 int, 40b byte, 40s short, 40l long, 4.5f
// float, 4.5 / 4.5d double), true/false as bytes, quoted or bare strings, lists, [B;…]/[I;…]/[L;…] arrays. A bare word
// that is no number in range is a string, as vanilla's. Errors carry vanilla's message and the cursor it points at.
// (mojangson, installed as prismarine-chat's dependency, reads SNBT too but types 040, 1e3 and 200b as numbers, true as
// a boolean, and its errors say neither what was expected nor where.)
// A tag is { type, value }: compound values are objects of tags, list values arrays of tags, arrays of numbers;
// longs are BigInts.

class SnbtError extends Error {
  constructor (message, cursor) {
    super(message)
    this.cursor = cursor
  }
}

const PRETTY = {
  byte: 'TAG_Byte',
  short: 'TAG_Short',
  int: 'TAG_Int',
  long: 'TAG_Long',
  float: 'TAG_Float',
  double: 'TAG_Double',
  string: 'TAG_String',
  list: 'TAG_List',
  compound: 'TAG_Compound',
  byteArray: 'TAG_Byte_Array',
  intArray: 'TAG_Int_Array',
  longArray: 'TAG_Long_Array'
}
const WHOLE = '[-+]?(?:0|[1-9][0-9]*)'
const DECIMAL = '[-+]?(?:[0-9]+[.]?|[0-9]*[.][0-9]+)(?:e[-+]?[0-9]+)?'
const NUMBERS = [ // TagParser.type's order; `range` bounds the whole types (Byte.parseByte etc. fail outside it)
  { type: 'float', re: new RegExp(`^${DECIMAL}f$`, 'i'), cut: 1 },
  { type: 'byte', re: new RegExp(`^${WHOLE}b$`, 'i'), cut: 1, range: 2n ** 7n },
  { type: 'long', re: new RegExp(`^${WHOLE}l$`, 'i'), cut: 1, range: 2n ** 63n },
  { type: 'short', re: new RegExp(`^${WHOLE}s$`, 'i'), cut: 1, range: 2n ** 15n },
  { type: 'int', re: new RegExp(`^${WHOLE}$`), cut: 0, range: 2n ** 31n },
  { type: 'double', re: new RegExp(`^${DECIMAL}d$`, 'i'), cut: 1 },
  { type: 'double', re: /^[-+]?(?:[0-9]+[.]|[0-9]*[.][0-9]+)(?:e[-+]?[0-9]+)?$/i, cut: 0 }
]
const ARRAYS = { B: ['byteArray', 'byte'], I: ['intArray', 'int'], L: ['longArray', 'long'] }
const UNQUOTED = /[0-9A-Za-z_\-.+]/
const WHITESPACE = /\s/

// A bare word as a typed tag (TagParser.type).
function typed (word) {
  for (const { type, re, cut, range } of NUMBERS) {
    if (!re.test(word)) continue
    const digits = word.slice(0, word.length - cut)
    if (!range) return { type, value: type === 'float' ? Math.fround(Number(digits)) : Number(digits) }
    const whole = BigInt(digits.replace(/^\+/, ''))
    if (whole < -range || whole >= range) break // out of range: a string
    return { type, value: type === 'long' ? whole : Number(whole) }
  }
  const lower = word.toLowerCase()
  if (lower === 'true' || lower === 'false') return { type: 'byte', value: lower === 'true' ? 1 : 0 }
  return { type: 'string', value: word }
}

// Reads one compound from `text` at `start` (a command's NBT argument); returns the tag and where reading stopped.
function readCompound (text, start = 0) {
  let i = start
  const fail = (message, at = i) => { throw new SnbtError(message, at) }
  const skipWhitespace = () => { while (i < text.length && WHITESPACE.test(text[i])) i++ }
  const expect = c => {
    skipWhitespace()
    if (text[i] !== c) fail(`Expected '${c}'`)
    i++
  }
  const separator = () => { // hasElementSeparator
    skipWhitespace()
    if (text[i] !== ',') return false
    i++
    skipWhitespace()
    return true
  }
  const quoted = () => { // StringReader.readQuotedString
    const quote = text[i++]
    let out = ''
    while (i < text.length) {
      const c = text[i++]
      if (c === '\\') {
        if (i >= text.length) break
        const escaped = text[i]
        if (escaped !== quote && escaped !== '\\') fail(`Invalid escape sequence '\\${escaped}' in quoted string`, i)
        out += escaped
        i++
      } else if (c === quote) return out
      else out += c
    }
    return fail('Unclosed quoted string')
  }
  const unquoted = () => {
    const from = i
    while (i < text.length && UNQUOTED.test(text[i])) i++
    return text.slice(from, i)
  }
  const isQuote = c => c === '"' || c === "'"

  function compound () {
    expect('{')
    const value = Object.create(null) // a key like __proto__ is just a key
    skipWhitespace()
    while (i < text.length && text[i] !== '}') {
      skipWhitespace()
      if (i >= text.length) fail('Expected key')
      const at = i
      const key = isQuote(text[i]) ? quoted() : unquoted()
      if (!key) fail('Expected key', at)
      expect(':')
      value[key] = tag()
      if (!separator()) break
      if (i >= text.length) fail('Expected key')
    }
    expect('}')
    return { type: 'compound', value }
  }

  // the elements of a list or array up to its ']'; `check` refuses an element of the wrong type at its start
  function elements (check) {
    const out = []
    while (text[i] !== ']') {
      const at = i
      const element = tag()
      check(element, at)
      out.push(element)
      if (!separator()) break
      if (i >= text.length) fail('Expected value')
    }
    expect(']')
    return out
  }

  function list () {
    if (i + 2 < text.length && !isQuote(text[i + 1]) && text[i + 2] === ';') { // an array: [B; [I; [L;
      expect('[')
      const at = i
      const kind = ARRAYS[text[i]]
      i += 2
      skipWhitespace()
      if (i >= text.length) fail('Expected value')
      if (!kind) fail(`Invalid array type '${text[at]}'`, at)
      const [type, of] = kind
      const values = elements((element, where) => {
        if (element.type !== of) fail(`Can't insert ${PRETTY[element.type]} into ${PRETTY[type]}`, where)
      })
      return { type, value: values.map(element => element.value) }
    }
    expect('[')
    skipWhitespace()
    if (i >= text.length) fail('Expected value')
    let of = null
    const value = elements((element, where) => {
      of = of ?? element.type
      if (element.type !== of) fail(`Can't insert ${PRETTY[element.type]} into list of ${PRETTY[of]}`, where)
    })
    return { type: 'list', value }
  }

  function tag () { // readValue
    skipWhitespace()
    if (i >= text.length) fail('Expected value')
    if (text[i] === '{') return compound()
    if (text[i] === '[') return list()
    if (isQuote(text[i])) return { type: 'string', value: quoted() }
    const at = i
    const word = unquoted()
    if (!word) fail('Expected value', at)
    return typed(word)
  }

  const result = compound()
  return { tag: result, end: i }
}

const NUMERIC = new Set(['byte', 'short', 'int', 'long', 'float', 'double'])

// CompoundTag.getInt: a number tag as an int (a float or double floored, a long's low 32 bits), anything else 0.
function intOf (tag) {
  if (!tag || !NUMERIC.has(tag.type)) return 0
  if (tag.type === 'long') return Number(BigInt.asIntN(32, tag.value))
  return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.floor(tag.value)))
}

// CompoundTag.getFloat: a number tag as a float, anything else 0.
function floatOf (tag) {
  return tag && NUMERIC.has(tag.type) ? Math.fround(Number(tag.value)) : 0
}

module.exports = { readCompound, intOf, floatOf, isNumeric: tag => Boolean(tag && NUMERIC.has(tag.type)), SnbtError }
