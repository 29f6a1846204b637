// Shared by oracle.mjs and crdt/testdata/gen-golden.mjs: the implementation of the op
// vocabulary, of "ext JSON" and of the content rendering, all defined at the top of oracle.mjs.

import * as Y from 'yjs'

export const OPS = new Set([
  'text.insert', 'text.delete', 'text.format', 'text.embed',
  'map.set', 'map.delete',
  'array.insert', 'array.delete',
  'xml.insertElement', 'xml.insertText', 'xml.delete', 'xml.setAttr', 'xml.removeAttr',
  'xmltext.insert', 'xmltext.delete', 'xmltext.format',
  'txn'
])

const KIND_OF_FAMILY = { text: 'text', map: 'map', array: 'array', xml: 'xml', xmltext: 'xml' }

const CONSTRUCTORS = {
  text: Y.Text,
  map: Y.Map,
  array: Y.Array,
  xml: Y.XmlFragment
}

const isPlainObject = v => v !== null && typeof v === 'object' && !Array.isArray(v)
const isIndex = v => Number.isSafeInteger(v) && v >= 0

/**
 * rootOf returns the root type of the given kind, refusing to redefine a root that already
 * has another kind (doc.get would throw, but only after the transaction started).
 */
export function rootOf (doc, name, kind) {
  const Constr = CONSTRUCTORS[kind]
  if (Constr === undefined) throw new Error(`unknown root kind ${JSON.stringify(kind)}`)
  const existing = doc.share.get(name)
  if (existing !== undefined && existing.constructor !== Y.AbstractType && existing.constructor !== Constr) {
    throw new Error(`root ${JSON.stringify(name)} already has another kind`)
  }
  return doc.get(name, Constr)
}

function opKind (op) {
  return KIND_OF_FAMILY[op.op.split('.')[0]]
}

function fail (i, msg) {
  throw new Error(`op ${i}: ${msg}`)
}

function checkExtTopLevel (v, i) {
  if (isPlainObject(v) && Object.keys(v).length === 1 && ('$bigint' in v || '$undefined' in v)) {
    fail(i, 'array.insert cannot take a top-level $bigint or $undefined')
  }
}

/**
 * checkOps validates the shape of every op before anything runs, so a bad op list leaves the
 * doc untouched. Resolution against the doc state happens later, in execOp.
 */
export function checkOps (doc, ops, nested = false, kinds = new Map()) {
  if (!Array.isArray(ops)) throw new Error('ops must be an array')
  ops.forEach((op, i) => {
    if (!isPlainObject(op)) fail(i, 'not an object')
    if (!OPS.has(op.op)) fail(i, `unknown op ${JSON.stringify(op.op)}`)
    if (op.op === 'txn') {
      if (nested) fail(i, 'nested txn')
      checkOps(doc, op.ops, true, kinds)
      return
    }
    if (typeof op.root !== 'string') fail(i, 'root must be a string')
    const kind = opKind(op)
    const seen = kinds.get(op.root)
    const existing = doc.share.get(op.root)
    if ((seen !== undefined && seen !== kind) ||
        (existing !== undefined && existing.constructor !== Y.AbstractType && existing.constructor !== CONSTRUCTORS[kind])) {
      fail(i, `root ${JSON.stringify(op.root)} already has another kind`)
    }
    kinds.set(op.root, kind)
    if (op.index !== undefined && !isIndex(op.index)) fail(i, 'index must be a non-negative integer')
    const needsLen = /\.(delete|format)$/.test(op.op) && op.op !== 'map.delete'
    if (needsLen && !(Number.isSafeInteger(op.len) && op.len >= 1)) fail(i, 'len must be an integer >= 1')
    if (op.op.startsWith('xml')) {
      const path = op.path === undefined ? [] : op.path
      if (!Array.isArray(path) || !path.every(isIndex)) fail(i, 'path must be a list of non-negative integers')
    }
    switch (op.op) {
      case 'text.insert':
      case 'xmltext.insert':
      case 'xml.insertText':
        if (typeof op.text !== 'string') fail(i, 'text must be a string')
        if (op.op !== 'xml.insertText' && op.attrs !== undefined && !isPlainObject(op.attrs)) fail(i, 'attrs must be an object')
        break
      case 'text.format':
      case 'xmltext.format':
        if (!isPlainObject(op.attrs)) fail(i, 'attrs must be an object')
        break
      case 'text.embed':
        if (!isPlainObject(op.value)) fail(i, 'embed value must be an object')
        if (op.attrs !== undefined && !isPlainObject(op.attrs)) fail(i, 'attrs must be an object')
        break
      case 'map.set':
      case 'xml.setAttr':
        if (typeof op.key !== 'string') fail(i, 'key must be a string')
        if (!('value' in op)) fail(i, 'value missing')
        try { fromExt(op.value) } catch (e) { fail(i, e.message) }
        break
      case 'map.delete':
      case 'xml.removeAttr':
        if (typeof op.key !== 'string') fail(i, 'key must be a string')
        break
      case 'array.insert':
        if (op.values !== undefined) {
          if (!Array.isArray(op.values)) fail(i, 'values must be an array')
          op.values.forEach(v => {
            checkExtTopLevel(v, i)
            try { fromExt(v) } catch (e) { fail(i, e.message) }
          })
        }
        break
      case 'xml.insertElement':
        if (typeof op.name !== 'string') fail(i, 'name must be a string')
        break
    }
  })
}

/** insertAt resolves an insert index against a target of the given length. */
export const insertAt = (index = 0, len) => index % (len + 1)

/** rangeAt resolves (index, n) against a target of the given length; null means no-op. */
export function rangeAt (index = 0, n, len) {
  if (len === 0) return null
  const start = index % len
  return [start, 1 + (n - 1) % (len - start)]
}

const children = (node, Kind) => node.toArray().filter(c => c instanceof Kind)

function walkElements (frag, steps) {
  let node = frag
  for (const p of steps) {
    const cands = children(node, Y.XmlElement)
    if (cands.length === 0) return null
    node = cands[p % cands.length]
  }
  return node
}

function elementAt (frag, path = []) {
  return walkElements(frag, path)
}

function xmlTextAt (frag, path = []) {
  if (path.length === 0) return null
  const parent = walkElements(frag, path.slice(0, -1))
  if (parent === null) return null
  const cands = children(parent, Y.XmlText)
  if (cands.length === 0) return null
  return cands[path[path.length - 1] % cands.length]
}

const copy = o => o === undefined ? undefined : { ...o }

function textInsert (t, op) {
  t.insert(insertAt(op.index, t.length), op.text, copy(op.attrs))
}

function textDelete (t, op) {
  const r = rangeAt(op.index, op.len, t.length)
  if (r !== null) t.delete(r[0], r[1])
}

function textFormat (t, op) {
  const r = rangeAt(op.index, op.len, t.length)
  if (r !== null) t.format(r[0], r[1], copy(op.attrs))
}

/** execOp runs one already-checked op inside the current transaction. */
export function execOp (doc, op) {
  switch (op.op) {
    case 'text.insert': return textInsert(doc.getText(op.root), op)
    case 'text.delete': return textDelete(doc.getText(op.root), op)
    case 'text.format': return textFormat(doc.getText(op.root), op)
    case 'text.embed': {
      const t = doc.getText(op.root)
      return t.insertEmbed(insertAt(op.index, t.length), { ...op.value }, copy(op.attrs))
    }
    case 'map.set': return doc.getMap(op.root).set(op.key, fromExt(op.value))
    case 'map.delete': return doc.getMap(op.root).delete(op.key)
    case 'array.insert': {
      const a = doc.getArray(op.root)
      return a.insert(insertAt(op.index, a.length), (op.values || []).map(fromExt))
    }
    case 'array.delete': {
      const a = doc.getArray(op.root)
      const r = rangeAt(op.index, op.len, a.length)
      if (r !== null) a.delete(r[0], r[1])
      return
    }
    case 'xml.insertElement': {
      const el = elementAt(doc.getXmlFragment(op.root), op.path)
      if (el !== null) el.insert(insertAt(op.index, el.length), [new Y.XmlElement(op.name)])
      return
    }
    case 'xml.insertText': {
      const el = elementAt(doc.getXmlFragment(op.root), op.path)
      if (el === null) return
      const xt = new Y.XmlText()
      el.insert(insertAt(op.index, el.length), [xt])
      if (op.text.length > 0) xt.insert(0, op.text)
      return
    }
    case 'xml.delete': {
      const el = elementAt(doc.getXmlFragment(op.root), op.path)
      if (el === null) return
      const r = rangeAt(op.index, op.len, el.length)
      if (r !== null) el.delete(r[0], r[1])
      return
    }
    case 'xml.setAttr':
    case 'xml.removeAttr': {
      if (!op.path || op.path.length === 0) return
      const el = elementAt(doc.getXmlFragment(op.root), op.path)
      if (el === null) return
      if (op.op === 'xml.setAttr') el.setAttribute(op.key, fromExt(op.value))
      else el.removeAttribute(op.key)
      return
    }
    case 'xmltext.insert':
    case 'xmltext.delete':
    case 'xmltext.format': {
      const xt = xmlTextAt(doc.getXmlFragment(op.root), op.path)
      if (xt === null) return
      if (op.op === 'xmltext.insert') textInsert(xt, op)
      else if (op.op === 'xmltext.delete') textDelete(xt, op)
      else textFormat(xt, op)
      return
    }
    case 'txn':
      for (const inner of op.ops) execOp(doc, inner)
      return
    default:
      throw new Error(`unknown op ${JSON.stringify(op.op)}`)
  }
}

/**
 * runOps checks all ops, then runs each top-level op (a txn counts as one) in its own
 * transaction.
 */
export function runOps (doc, ops) {
  checkOps(doc, ops)
  for (const op of ops) {
    doc.transact(() => execOp(doc, op))
  }
}

// ---- extended JSON ----

const NUMBER_TAGS = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 }

function tagOf (v) {
  if (!isPlainObject(v)) return null
  const keys = Object.keys(v)
  if (keys.length !== 1 || !keys[0].startsWith('$')) return null
  return keys[0]
}

/** fromExt turns ext JSON into the JS value handed to Yjs. */
export function fromExt (v) {
  if (Array.isArray(v)) return v.map(fromExt)
  if (!isPlainObject(v)) return v
  switch (tagOf(v)) {
    case '$bigint':
      if (typeof v.$bigint !== 'string' || !/^-?[0-9]+$/.test(v.$bigint)) throw new Error('bad $bigint')
      // yjs writes bigints as 8 bytes and silently wraps larger ones, so a replica would hold
      // a value that its own update does not carry.
      if (BigInt.asIntN(64, BigInt(v.$bigint)) !== BigInt(v.$bigint)) throw new Error('$bigint outside int64')
      return BigInt(v.$bigint)
    case '$bytes':
      if (typeof v.$bytes !== 'string') throw new Error('bad $bytes')
      return new Uint8Array(Buffer.from(v.$bytes, 'base64'))
    case '$undefined':
      return undefined
    case '$number':
      if (!(v.$number in NUMBER_TAGS)) throw new Error('bad $number')
      return NUMBER_TAGS[v.$number]
  }
  const out = {}
  for (const k of Object.keys(v)) out[k] = fromExt(v[k])
  return out
}

export const b64 = u8 => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64')

function typeKind (t) {
  if (t instanceof Y.XmlText) return 'xmlText'
  if (t instanceof Y.XmlElement) return 'xmlElement'
  if (t instanceof Y.XmlFragment) return 'xmlFragment'
  if (t instanceof Y.XmlHook) return 'xmlHook'
  if (t instanceof Y.Text) return 'text'
  if (t instanceof Y.Map) return 'map'
  if (t instanceof Y.Array) return 'array'
  return 'abstract'
}

/** toExt turns a value read from Yjs into ext JSON. */
export function toExt (v) {
  switch (typeof v) {
    case 'undefined': return { $undefined: true }
    case 'bigint': return { $bigint: v.toString() }
    case 'number':
      if (Number.isNaN(v)) return { $number: 'NaN' }
      if (v === Infinity) return { $number: 'Infinity' }
      if (v === -Infinity) return { $number: '-Infinity' }
      if (Object.is(v, -0)) return { $number: '-0' }
      return v
    case 'object':
      if (v === null) return null
      if (v instanceof Uint8Array) return { $bytes: b64(v) }
      if (v instanceof Y.AbstractType) return { $type: typeKind(v), json: toExt(v.toJSON()) }
      if (v instanceof Y.Doc) return { $doc: v.guid }
      if (Array.isArray(v)) return v.map(toExt)
      {
        const out = {}
        for (const k of Object.keys(v)) out[k] = toExt(v[k])
        return out
      }
    default:
      return v
  }
}

// ---- content ----

function deltaOf (t) {
  return t.toDelta().map(d => {
    const out = { insert: typeof d.insert === 'string' ? d.insert : toExt(d.insert) }
    if (d.attributes !== undefined) out.attributes = toExt(d.attributes)
    return out
  })
}

function xmlNode (n) {
  if (n instanceof Y.XmlText) return { text: n.toString(), delta: deltaOf(n) }
  if (n instanceof Y.XmlElement) {
    return { name: n.nodeName, attrs: toExt(n.getAttributes()), children: n.toArray().map(xmlNode) }
  }
  if (n instanceof Y.XmlHook) return { hook: n.hookName, map: toExt(n.toJSON()) }
  return { $type: typeKind(n) }
}

/**
 * readContent renders the given roots:
 *   text  -> {"string": toString(), "delta": toDelta()}
 *   map, array -> toJSON() (ext JSON)
 *   xml   -> {"string": toString(), "tree": [node...]} where node is
 *            {"name", "attrs", "children"} for an element, {"text", "delta"} for an XmlText,
 *            {"hook", "map"} for an XmlHook.
 */
export function readContent (doc, roots) {
  if (roots === undefined || roots === null) roots = []
  if (!Array.isArray(roots)) throw new Error('roots must be an array')
  const out = {}
  for (const r of roots) {
    if (!isPlainObject(r) || typeof r.name !== 'string') throw new Error('root must be {name, kind}')
    const t = rootOf(doc, r.name, r.kind)
    switch (r.kind) {
      case 'text': out[r.name] = { string: t.toString(), delta: deltaOf(t) }; break
      case 'map':
      case 'array': out[r.name] = toExt(t.toJSON()); break
      case 'xml': out[r.name] = { string: t.toString(), tree: t.toArray().map(xmlNode) }; break
    }
  }
  return out
}

/** newDoc makes a replica with a fixed client id; the guid is fixed so runs are repeatable. */
export function newDoc (name, clientID, gc = true) {
  const doc = new Y.Doc({ gc, guid: name })
  if (clientID !== undefined && clientID !== null) {
    if (!Number.isSafeInteger(clientID) || clientID < 0) throw new Error('clientID must be an integer in [0, 2^53)')
    doc.clientID = clientID
  }
  return doc
}
