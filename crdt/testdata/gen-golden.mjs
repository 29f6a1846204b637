// gen-golden.mjs writes crdt/testdata/golden/<name>.json: byte-level and content-level vectors
// produced by the pinned yjs, for Go tests that run without Node. The format is described in
// golden/README.md. Regenerate from the repository root with
//
//     npm ci && node crdt/testdata/gen-golden.mjs
//
// Each case is a function of a recorder `c`; its source is stored in the file. Local edits go
// through the oracle's op vocabulary (tools/yjsoracle/oracle.mjs) wherever it can express them,
// so the Go side can replay them; the rest are "js" steps whose source is stored too.
// Where yjs-compat.md quotes bytes, the case checks them with c.expect, so a regenerated file
// can never silently disagree with the digest.

import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { runOps, readContent, newDoc } from '../../tools/yjsoracle/ops.mjs'

const OUT = new URL('./golden/', import.meta.url)

const hex = u8 => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('hex')
const unhex = s => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const utf8 = s => Buffer.from(s, 'utf8').toString('hex')

function version (pkg) {
  const url = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')).version
}

const GENERATOR = { yjs: version('yjs'), lib0: version('lib0'), node: process.version }

// Go decodes op values into maps, which encoding/json writes back with sorted keys; JS then
// puts integer-like keys first. Objects in replayable ops must therefore already be in
// sorted order with no integer-like keys, or the Go replay would write different bytes.
function assertGoOrder (v, where) {
  if (Array.isArray(v)) return v.forEach(x => assertGoOrder(x, where))
  if (v === null || typeof v !== 'object') return
  const keys = Object.keys(v)
  const sorted = [...keys].sort()
  if (keys.some((k, i) => k !== sorted[i] || /^(0|[1-9][0-9]*)$/.test(k))) {
    throw new Error(`${where}: object keys ${JSON.stringify(keys)} would not survive a Go map`)
  }
  keys.forEach(k => assertGoOrder(v[k], where))
}

function assertReplayable (ops, where) {
  for (const op of ops) {
    if (op.op === 'txn') { assertReplayable(op.ops, where); continue }
    for (const f of ['attrs', 'value', 'values']) if (f in op) assertGoOrder(op[f], `${where} ${op.op}.${f}`)
  }
}

class Recorder {
  constructor (name, meta) {
    this.name = name
    this.meta = meta
    this.steps = []
    this.docs = new Map() // name -> {doc, events: Uint8Array[], info}
  }

  _doc (name) {
    const d = this.docs.get(name)
    if (d === undefined) throw new Error(`${this.name}: no doc ${name}`)
    return d
  }

  // _run runs fn on doc d and returns the indices (into d's event list) of the events it
  // emitted.
  _run (d, fn) {
    const first = d.events.length
    d.recording = true
    try {
      fn()
    } finally {
      d.recording = false
    }
    return d.events.slice(first).map((_, i) => first + i)
  }

  doc (name, clientID, gc = true) {
    if (this.docs.has(name)) throw new Error(`${this.name}: doc ${name} twice`)
    const doc = newDoc(name, clientID, gc)
    const d = { doc, events: [], recording: false, clientID, gc, failedApply: false }
    doc.on('update', u => { if (d.recording) d.events.push(u) })
    this.docs.set(name, d)
    this.steps.push({ kind: 'new', doc: name, clientID, gc })
    return doc
  }

  ops (name, ops) {
    assertReplayable(ops, `${this.name}/${name}`)
    const d = this._doc(name)
    const events = this._run(d, () => runOps(d.doc, ops))
    this.steps.push({ kind: 'ops', doc: name, ops, events })
    return events.map(i => d.events[i])
  }

  js (name, fn) {
    const d = this._doc(name)
    const events = this._run(d, () => fn(d.doc))
    this.steps.push({ kind: 'js', doc: name, js: fn.toString(), events })
    return events.map(i => d.events[i])
  }

  // apply applies update to doc name; from describes where the update came from.
  apply (name, update, from) {
    const d = this._doc(name)
    const step = { kind: 'apply', doc: name }
    if (from !== undefined) step.from = from
    step.update = hex(update)
    const before = Y.encodeStateAsUpdate(d.doc)
    const first = d.events.length
    try {
      this._run(d, () => Y.applyUpdate(d.doc, update))
    } catch (e) {
      d.failedApply = true
      step.error = e.message
      step.stateBefore = hex(before)
      step.stateAfter = hex(Y.encodeStateAsUpdate(d.doc))
    }
    const events = d.events.slice(first).map((_, i) => first + i)
    step.events = events
    this.steps.push(step)
    return events.map(i => d.events[i])
  }

  // send applies event i of doc from to doc to.
  send (to, from, i) {
    const e = this._doc(from).events[i]
    if (e === undefined) throw new Error(`${this.name}: ${from} has no event ${i}`)
    return this.apply(to, e, { doc: from, event: i })
  }

  // sync brings doc to up to date with doc from with a diff against to's state vector, as
  // sync step 2 would.
  sync (to, from) {
    const u = Y.encodeStateAsUpdate(this._doc(from).doc, Y.encodeStateVector(this._doc(to).doc))
    return this.apply(to, u, { doc: from, sync: true })
  }

  encode (name, sv) {
    const u = Y.encodeStateAsUpdate(this._doc(name).doc, sv === null ? undefined : sv)
    this.steps.push({ kind: 'encode', doc: name, sv: sv === null ? null : hex(sv), update: hex(u) })
    return u
  }

  sv (name) {
    const sv = Y.encodeStateVector(this._doc(name).doc)
    this.steps.push({ kind: 'sv', doc: name, sv: hex(sv) })
    return sv
  }

  content (name) {
    const content = readContent(this._doc(name).doc, this.meta.roots)
    this.steps.push({ kind: 'content', doc: name, content })
    return content
  }

  merge (updates) {
    const u = Y.mergeUpdates(updates)
    this.steps.push({ kind: 'merge', updates: updates.map(hex), update: hex(u) })
    return u
  }

  diff (update, sv) {
    const u = Y.diffUpdate(update, sv)
    this.steps.push({ kind: 'diff', update: hex(update), sv: hex(sv), result: hex(u) })
    return u
  }

  lib0 (fn, value, bytes, error) {
    const step = { kind: 'lib0', fn, value }
    step.hex = hex(bytes)
    if (error !== undefined) step.error = error
    this.steps.push(step)
  }

  note (text) {
    this.steps.push({ kind: 'note', text })
  }

  events (name) {
    return this._doc(name).events
  }

  // lastEvent is the index of the newest event of doc name (remote applies emit events too).
  lastEvent (name) {
    const n = this._doc(name).events.length
    if (n === 0) throw new Error(`${this.name}: ${name} has no events`)
    return n - 1
  }

  // expect compares bytes with a value quoted in yjs-compat.md.
  expect (what, got, want) {
    if (hex(got) !== want.replace(/\s+/g, '')) {
      throw new Error(`${this.name}: ${what}: got ${hex(got)}, want ${want}`)
    }
  }

  // expectPart checks that bytes quoted as a fragment in yjs-compat.md occur in got.
  expectPart (what, got, part) {
    if (!hex(got).includes(part.replace(/\s+/g, ''))) {
      throw new Error(`${this.name}: ${what}: ${hex(got)} lacks ${part}`)
    }
  }

  expectContent (name, root, want) {
    const got = readContent(this._doc(name).doc, this.meta.roots)[root]
    const s = typeof got === 'object' && got !== null && 'string' in got ? got.string : JSON.stringify(got)
    if (s !== want) throw new Error(`${this.name}: ${name}.${root}: got ${JSON.stringify(s)}, want ${JSON.stringify(want)}`)
  }

  output (fnSource) {
    const docs = {}
    for (const [name, d] of this.docs) {
      const doc = d.doc
      const out = {
        clientID: d.clientID,
        gc: d.gc,
        events: d.events.map(hex),
        state: hex(Y.encodeStateAsUpdate(doc)),
        sv: hex(Y.encodeStateVector(doc)),
        content: readContent(doc, this.meta.roots)
      }
      if (doc.clientID !== d.clientID) out.clientIDChanged = true
      if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) out.pending = true
      if (d.failedApply) out.failedApply = true
      // A replica fed this doc's events should end with the same store; say so when it does
      // not (pending data is in the state but never in events).
      const mirror = new Y.Doc({ gc: d.gc })
      mirror.clientID = 0x7fffffff
      for (const e of d.events) Y.applyUpdate(mirror, e)
      const ms = hex(Y.encodeStateAsUpdate(mirror))
      if (ms !== out.state) out.eventsReplayState = ms
      docs[name] = out
    }
    return {
      name: this.name,
      title: this.meta.title,
      refs: this.meta.refs,
      generator: GENERATOR,
      roots: this.meta.roots,
      js: fnSource,
      steps: this.steps,
      docs
    }
  }
}

const cases = []
const def = (name, meta, fn) => cases.push({ name, meta, fn })

const T = [{ name: 't', kind: 'text' }]
const ins = (index, text, attrs) => attrs === undefined
  ? { op: 'text.insert', root: 't', index, text }
  : { op: 'text.insert', root: 't', index, text, attrs }
const del = (index, len) => ({ op: 'text.delete', root: 't', index, len })
const fmt = (index, len, attrs) => ({ op: 'text.format', root: 't', index, len, attrs })
const svOf = entries => {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, entries.length)
  for (const [client, clock] of entries) {
    encoding.writeVarUint(enc, client)
    encoding.writeVarUint(enc, clock)
  }
  return encoding.toUint8Array(enc)
}

// ---------------------------------------------------------------------------------------
// Worked examples of yjs-compat.md

def('ex-2.5-emoji-surrogates', {
  title: 'UTF-16 clocks of "h😀é"; a diff and an insert that land inside the surrogate pair',
  refs: ['2.5'],
  roots: T
}, c => {
  c.doc('a', 7)
  const [u] = c.ops('a', [ins(0, 'h😀é')])
  c.expect('insert', u, '01 01 07 00 04 01 01 74 07 68 f0 9f 98 80 c3 a9 00')
  c.expect('sv', c.sv('a'), '01 07 04')
  c.expect('diff {7:2}', c.encode('a', svOf([[7, 2]])), '01 01 07 02 84 07 01 05 ef bf bd c3 a9 00')
  c.diff(u, svOf([[7, 2]]))
  c.doc('b', 8)
  c.send('b', 'a', 0)
  c.ops('b', [ins(2, 'Z')])
  c.expectContent('b', 't', 'h\uFFFDZ\uFFFDé')
  c.send('a', 'b', c.lastEvent('b'))
  c.expectContent('a', 't', 'h\uFFFDZ\uFFFDé')
  c.doc('c', 9)
  c.send('c', 'a', 0)
  c.ops('c', [del(1, 1)])
  c.expectContent('c', 't', 'h\uFFFDé')
})

def('ex-2.6a-text-insert-delete', {
  title: 'Insert, insert in the middle, delete: incremental updates, full state, diff',
  refs: ['2.6 A'],
  roots: T
}, c => {
  c.doc('a', 1)
  const ev = c.ops('a', [ins(0, 'abc'), ins(1, 'X'), del(2, 2)])
  c.expect('update 1', ev[0], '01 01 01 00 04 01 01 74 03 61 62 63 00')
  c.expect('update 2', ev[1], '01 01 01 03 c4 01 00 01 01 01 58 00')
  c.expect('update 3', ev[2], '00 01 01 01 01 02')
  c.expect('state', c.encode('a', null), '01 03 01 00 04 01 01 74 01 61 81 01 00 02 c4 01 00 01 01 01 58 01 01 01 01 02')
  c.expect('sv', c.sv('a'), '01 01 04')
  c.expect('diff {1:2}', c.encode('a', svOf([[1, 2]])), '01 02 01 02 81 01 01 01 c4 01 00 01 01 01 58 01 01 01 01 02')
  c.expectContent('a', 't', 'aX')
})

def('ex-2.6b-map-overwrite', {
  title: 'Y.Map set and overwrite: the second entry has an origin and no key on the wire',
  refs: ['2.6 B', '5.6'],
  roots: [{ name: 'm', kind: 'map' }]
}, c => {
  c.doc('a', 2)
  c.ops('a', [
    { op: 'map.set', root: 'm', key: 'k', value: 1 },
    { op: 'map.set', root: 'm', key: 'k', value: 'two' }
  ])
  c.expect('state', c.encode('a', null), '01 02 02 00 21 01 01 6d 01 6b 01 a8 02 00 01 77 03 74 77 6f 01 02 01 00 01')
})

def('ex-2.6c-rich-text', {
  title: 'Bold range as a pair of Format items, and an embed',
  refs: ['2.6 C', '7.2'],
  roots: T
}, c => {
  c.doc('a', 5)
  c.ops('a', [
    ins(0, 'hello world'),
    fmt(0, 5, { bold: true }),
    { op: 'text.embed', root: 't', index: 11, value: { image: 'x.png' } }
  ])
  c.expect('state', c.encode('a', null),
    '01 05 05 00 04 01 01 74 05 68 65 6c 6c 6f 84 05 04 06 20 77 6f 72 6c 64 ' +
    '46 05 00 04 62 6f 6c 64 04 74 72 75 65 c6 05 04 05 05 04 62 6f 6c 64 04 6e 75 6c 6c ' +
    '85 05 0a 11 7b 22 69 6d 61 67 65 22 3a 22 78 2e 70 6e 67 22 7d 00')
})

def('ex-2.6d-nested-types', {
  title: 'A root map holding an array, a text, a map, an XmlFragment with <p class="c">t</p> and a hook',
  refs: ['2.6 D', '7.3'],
  roots: [{ name: 'root', kind: 'map' }]
}, c => {
  c.doc('a', 6)
  c.js('a', doc => {
    const root = doc.getMap('root')
    const arr = root.set('arr', new Y.Array())
    arr.push(['x'])
    const txt = root.set('txt', new Y.Text())
    txt.insert(0, 'hi')
    const map = root.set('map', new Y.Map())
    map.set('a', 1)
    const xf = root.set('xf', new Y.XmlFragment())
    const p = new Y.XmlElement('p')
    xf.insert(0, [p])
    p.setAttribute('class', 'c')
    p.insert(0, [new Y.XmlText('t')])
    xf.insert(1, [new Y.XmlHook('myhook')])
  })
  c.expect('state', c.encode('a', null),
    '01 0c 06 00 27 01 04 72 6f 6f 74 03 61 72 72 00 08 00 06 00 01 77 01 78 ' +
    '27 01 04 72 6f 6f 74 03 74 78 74 02 04 00 06 02 02 68 69 ' +
    '27 01 04 72 6f 6f 74 03 6d 61 70 01 28 00 06 05 01 61 01 7d 01 ' +
    '27 01 04 72 6f 6f 74 02 78 66 04 07 00 06 07 03 01 70 ' +
    '28 00 06 08 05 63 6c 61 73 73 01 77 01 63 07 00 06 08 06 04 00 06 0a 01 74 ' +
    '87 06 08 05 06 6d 79 68 6f 6f 6b 00')
})

def('ex-2.6e-gc-structs', {
  title: 'Deleting a map entry holding an array: tombstone plus a GC struct (gc on)',
  refs: ['2.6 E', '5.9'],
  roots: [{ name: 'm', kind: 'map' }]
}, c => {
  c.doc('a', 3, true)
  c.js('a', doc => {
    const m = doc.getMap('m')
    const arr = m.set('x', new Y.Array())
    arr.push([1, 2, 3])
    m.delete('x')
  })
  c.expect('state', c.encode('a', null), '01 02 03 00 21 01 01 6d 01 78 01 00 03 01 03 01 00 04')
})

def('ex-2.6e-gc-off', {
  title: 'The same deletion with gc off keeps the array and its content',
  refs: ['2.6 E', '5.9'],
  roots: [{ name: 'm', kind: 'map' }]
}, c => {
  c.doc('a', 3, false)
  c.js('a', doc => {
    const m = doc.getMap('m')
    const arr = m.set('x', new Y.Array())
    arr.push([1, 2, 3])
    m.delete('x')
  })
  c.expect('state', c.encode('a', null), '01 02 03 00 27 01 01 6d 01 78 00 08 00 03 00 03 7d 01 7d 02 7d 03 01 03 01 00 04')
})

def('ex-2.6e-merge-skip', {
  title: 'Y.mergeUpdates of the 1st and 3rd of three single-char inserts writes a Skip',
  refs: ['2.6 E', '2.2'],
  roots: T
}, c => {
  c.doc('a', 6)
  const ev = c.ops('a', [ins(0, 'a'), ins(1, 'b'), ins(2, 'c')])
  c.expect('merge', c.merge([ev[0], ev[2]]), '01 03 06 00 04 01 01 74 01 61 0a 01 84 06 01 01 63 00')
  c.merge(ev)
})

def('ex-5.3-pending', {
  title: 'Updates applied out of order (2, 3, 1): nothing visible until the first arrives, then one event',
  refs: ['5.3', '10.22'],
  roots: T
}, c => {
  c.doc('a', 6)
  c.ops('a', [ins(0, 'a'), ins(1, 'b'), del(0, 1)])
  c.doc('b', 9)
  c.send('b', 'a', 1)
  c.content('b')
  c.expect('sv after 2', c.sv('b'), '00')
  c.send('b', 'a', 2)
  c.content('b')
  const ev = c.send('b', 'a', 0)
  c.expect('event', ev[0], '01 02 06 00 01 01 01 74 01 84 06 00 01 62 01 06 01 00 01')
  c.expectContent('b', 't', 'b')
})

def('ex-5.5-concurrent-results', {
  title: 'Concurrent results quoted in 5.5: "aABc", "xbbaQaccy", and map sets by clients 5 and 9',
  refs: ['5.5', '5.6'],
  roots: [{ name: 't', kind: 'text' }, { name: 'u', kind: 'text' }, { name: 'm', kind: 'map' }]
}, c => {
  // aABc: clients 10 and 20 insert at index 1 of "ac"
  c.doc('base', 1)
  c.ops('base', [ins(0, 'ac')])
  c.doc('c10', 10)
  c.doc('c20', 20)
  c.send('c10', 'base', 0)
  c.send('c20', 'base', 0)
  c.ops('c10', [ins(1, 'A')])
  c.ops('c20', [ins(1, 'B')])
  c.send('c10', 'c20', 1)
  c.send('c20', 'c10', 1)
  c.expectContent('c10', 't', 'aABc')
  c.expectContent('c20', 't', 'aABc')

  // xbbaQaccy: clients 3, 2, 4 insert at 1 of "xy"; client 5 saw client 3's insert
  c.doc('xy', 1)
  c.ops('xy', [{ op: 'text.insert', root: 'u', index: 0, text: 'xy' }])
  for (const [name, id, text] of [['x3', 3, 'aa'], ['x2', 2, 'bb'], ['x4', 4, 'cc']]) {
    c.doc(name, id)
    c.send(name, 'xy', 0)
    c.ops(name, [{ op: 'text.insert', root: 'u', index: 1, text }])
  }
  c.doc('x5', 5)
  c.send('x5', 'xy', 0)
  c.send('x5', 'x3', 1)
  c.ops('x5', [{ op: 'text.insert', root: 'u', index: 2, text: 'Q' }])
  c.doc('all', 99)
  c.send('all', 'xy', 0)
  c.send('all', 'x2', 1)
  c.send('all', 'x4', 1)
  c.send('all', 'x5', c.lastEvent('x5'))
  c.send('all', 'x3', 1)
  c.expectContent('all', 'u', 'xbbaQaccy')

  // map: concurrent set by 5 and 9, then with a shared earlier value
  c.doc('m5', 5)
  c.doc('m9', 9)
  c.ops('m5', [{ op: 'map.set', root: 'm', key: 'k', value: 'A' }])
  c.ops('m9', [{ op: 'map.set', root: 'm', key: 'k', value: 'B' }])
  c.send('m5', 'm9', 0)
  c.send('m9', 'm5', 0)
  c.ops('m5', [{ op: 'map.set', root: 'm', key: 'shared', value: 0 }])
  c.send('m9', 'm5', c.lastEvent('m5'))
  c.ops('m5', [{ op: 'map.set', root: 'm', key: 'shared', value: 'from 5' }])
  c.ops('m9', [{ op: 'map.set', root: 'm', key: 'shared', value: 'from 9' }])
  const from5 = c.lastEvent('m5')
  c.send('m5', 'm9', c.lastEvent('m9'))
  c.send('m9', 'm5', from5)
  c.expectContent('m5', 'm', '{"k":"B","shared":"from 9"}')
  c.expectContent('m9', 'm', '{"k":"B","shared":"from 9"}')
})

// ProseMirror-like tree built the way y-prosemirror builds it: preliminary (not yet
// integrated) types whose children are inserted before their attributes.
def('ex-7.4-prosemirror-tree', {
  title: 'The ProseMirror document of 7.4 built from preliminary XmlElement/XmlText types',
  refs: ['7.3', '7.4'],
  roots: [{ name: 'prosemirror', kind: 'xml' }]
}, c => {
  c.doc('a', 1)
  c.js('a', doc => {
    const el = (name, attrs, children) => {
      const e = new Y.XmlElement(name)
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v)
      e.insert(0, children)
      return e
    }
    const text = delta => {
      const t = new Y.XmlText()
      t.applyDelta(delta)
      return t
    }
    const frag = doc.getXmlFragment('prosemirror')
    doc.transact(() => {
      frag.insert(0, [
        el('heading', { level: 1 }, [text([{ insert: 'Title' }])]),
        el('paragraph', {}, [text([
          { insert: 'a ', attributes: {} },
          { insert: 'bold', attributes: { strong: {} } },
          { insert: ' word', attributes: {} }
        ])]),
        el('bullet_list', {}, [
          el('list_item', {}, [el('paragraph', {}, [text([{ insert: 'one' }])])]),
          el('list_item', {}, [el('paragraph', {}, [text([{ insert: 'two' }])])])
        ])
      ])
    })
  })
  const state = c.encode('a', null)
  if (state.length !== 228) throw new Error(`7.4 state is ${state.length} bytes, want 228`)
  c.expect('state', state,
    '01 14 01 00 ' +
    '07 01 0b' + utf8('prosemirror') + '03 07' + utf8('heading') +
    '07 00 01 00 06 04 00 01 01 05' + utf8('Title') +
    '28 00 01 00 05' + utf8('level') + '01 7d 01' +
    '87 01 00 03 09' + utf8('paragraph') + '07 00 01 08 06 04 00 01 09 02' + utf8('a ') +
    '86 01 0b 06' + utf8('strong') + '02' + utf8('{}') + '84 01 0c 04' + utf8('bold') +
    '86 01 10 06' + utf8('strong') + '04' + utf8('null') + '84 01 11 05' + utf8(' word') +
    '87 01 08 03 0b' + utf8('bullet_list') + '07 00 01 17 03 09' + utf8('list_item') +
    '07 00 01 18 03 09' + utf8('paragraph') + '07 00 01 19 06 04 00 01 1a 03' + utf8('one') +
    '87 01 18 03 09' + utf8('list_item') + '07 00 01 1e 03 09' + utf8('paragraph') +
    '07 00 01 1f 06 04 00 01 20 03' + utf8('two') + '00')
  c.expectContent('a', 'prosemirror',
    '<heading level="1">Title</heading><paragraph>a <strong>bold</strong> word</paragraph>' +
    '<bullet_list><list_item><paragraph>one</paragraph></list_item><list_item><paragraph>two</paragraph></list_item></bullet_list>')
  c.doc('b', 2)
  c.send('b', 'a', 0)
})

// ---------------------------------------------------------------------------------------
// Section 10 checklist

def('01-varint-varuint', {
  title: 'varuint/varint encodings at the edges, and the same numbers as client ids and Any ints',
  refs: ['1.1', '1.2', '10.1'],
  roots: [{ name: 't', kind: 'text' }, { name: 'arr', kind: 'array' }]
}, c => {
  const uints = [0, 1, 63, 64, 127, 128, 300, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 4100403335, 2 ** 53 - 1]
  for (const n of uints) {
    const enc = encoding.createEncoder()
    encoding.writeVarUint(enc, n)
    c.lib0('writeVarUint', String(n), encoding.toUint8Array(enc))
  }
  const ints = [0, -0, 1, -1, 63, -63, 64, -64, -200, 2 ** 31 - 1, -(2 ** 31 - 1), 2 ** 31, -(2 ** 31), 2 ** 31 + 1, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1)]
  for (const n of ints) {
    const enc = encoding.createEncoder()
    encoding.writeVarInt(enc, n)
    c.lib0('writeVarInt', Object.is(n, -0) ? '-0' : String(n), encoding.toUint8Array(enc))
  }
  // 2^53 and 2^53+1 do not fit a JS number exactly, yet JS decodes them (Go should reject
  // them); longer encodings overflow or run out of bytes.
  for (const h of ['80 80 80 80 80 80 80 10', '81 80 80 80 80 80 80 10', 'ff ff ff ff ff ff ff ff 7f', '80 80 80 80 80 80 80 80 80 80 01', '80']) {
    const bytes = unhex(h)
    try {
      const v = decoding.readVarUint(decoding.createDecoder(bytes))
      c.lib0('readVarUint', String(v), bytes)
    } catch (e) {
      c.lib0('readVarUint', null, bytes, e.message)
    }
  }
  for (const [client, text] of [[2 ** 53 - 1, 'a'], [2 ** 32, 'b'], [2 ** 31, 'c'], [0, 'd']]) {
    const name = `c${client}`
    c.doc(name, client)
    c.ops(name, [ins(0, text)])
  }
  c.doc('all', 1)
  for (const client of [0, 2 ** 31, 2 ** 32, 2 ** 53 - 1]) c.send('all', `c${client}`, 0)
  c.ops('all', [{ op: 'array.insert', root: 'arr', index: 0, values: [0, 63, 64, -64, 2 ** 31 - 1, -(2 ** 31 - 1), 2 ** 31, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1)] }])
  c.sv('all')
})

def('02-any-encoding', {
  title: 'Every Any tag, nested values, object key order, the number-tag rule, bigint and bytes',
  refs: ['1.4', '10.2'],
  roots: [{ name: 'arr', kind: 'array' }, { name: 'm', kind: 'map' }]
}, c => {
  c.doc('a', 3)
  const [u] = c.js('a', doc => {
    doc.getArray('arr').insert(0, [-1, 1.5, 0.1, 2 ** 31, 2 ** 40, true, false, null, 'x', [1], { a: 1 }])
  })
  c.expect('1.4 values', u.slice(11, u.length - 1),
    '7d 41 7c 3f c0 00 00 7b 3f b9 99 99 99 99 99 9a 7c 4f 00 00 00 7c 53 80 00 00 78 79 7e 77 01 78 75 01 7d 01 76 01 01 61 7d 01')
  c.ops('a', [
    {
      op: 'array.insert',
      root: 'arr',
      index: 11,
      values: [
        { $number: '-0' }, { $number: 'NaN' }, { $number: 'Infinity' }, { $number: '-Infinity' },
        2 ** 53 - 1, -(2 ** 31), 2 ** 31 - 1, 3.4028234663852886e38, 1e300, 5e-324,
        '', 'é😀\u2028<&>', [[], {}, [null]],
        { bytes: { $bytes: 'AAEC' }, nested: { big: { $bigint: '-9007199254740993' }, undef: { $undefined: true } } }
      ]
    },
    { op: 'array.insert', root: 'arr', index: 0, values: [{ $bytes: 'AQID' }, 7] },
    { op: 'map.set', root: 'm', key: 'big', value: { $bigint: '-1234567890123456789' } },
    { op: 'map.set', root: 'm', key: 'bytes', value: { $bytes: '' } },
    { op: 'map.set', root: 'm', key: 'undef', value: { $undefined: true } },
    { op: 'map.set', root: 'm', key: 'null', value: null }
  ])
  c.js('a', doc => {
    // JS object order: integer-like keys ascending, then insertion order
    doc.getMap('m').set('order', { b: 1, a: 2, 10: 3, 2: 4, '-1': 5, '01': 6 })
  })
  c.doc('b', 4)
  c.sync('b', 'a')
})

const invalidUTF8 = {
  'string content': '01 01 01 00 04 01 01 74 01 ff 00',
  'root name': '01 01 01 00 04 01 01 ff 01 61 00',
  'map key': '01 01 01 00 28 01 01 6d 01 ff 01 7d 01 00',
  'any string': '01 01 01 00 08 01 01 61 01 77 01 ff 00',
  'any object key': '01 01 01 00 08 01 01 61 01 76 01 01 ff 7e 00',
  'format key': '01 01 01 00 06 01 01 74 01 ff 04 74 72 75 65 00',
  'format value': '01 01 01 00 06 01 01 74 01 62 01 ff 00',
  'embed json': '01 01 01 00 05 01 01 74 03 22 ff 22 00',
  'element name': '01 01 01 00 07 01 01 78 03 01 ff 00',
  'truncated 4-byte sequence': '01 01 01 00 04 01 01 74 03 f0 9f 98 00',
  'encoded surrogate': '01 01 01 00 04 01 01 74 03 ed a0 bd 00',
  'overlong slash': '01 01 01 00 04 01 01 74 02 c0 af 00'
}

def('03-invalid-utf8', {
  title: 'Invalid UTF-8 anywhere in an update: yjs throws (Go must reject and keep the doc unchanged)',
  refs: ['1.3', '10.3'],
  roots: [{ name: 't', kind: 'text' }]
}, c => {
  let i = 0
  for (const [what, h] of Object.entries(invalidUTF8)) {
    const name = `d${i++}`
    c.note(`${name}: invalid UTF-8 in the ${what}`)
    c.doc(name, 50)
    c.apply(name, unhex(h))
  }
  c.doc('valid', 51)
  c.note('valid: the same shape with valid UTF-8 applies')
  c.apply('valid', unhex('01 01 01 00 04 01 01 74 02 c3 a9 00'))
})

def('04-truncated-update', {
  title: 'Every proper prefix of a valid update (structs of two clients and a delete set)',
  refs: ['10.4'],
  roots: [{ name: 't', kind: 'text' }, { name: 'm', kind: 'map' }]
}, c => {
  c.doc('src', 1)
  c.ops('src', [ins(0, 'héllo😀'), { op: 'map.set', root: 'm', key: 'k', value: { a: [1, 'x'] } }, del(1, 2)])
  c.doc('src2', 2)
  c.sync('src2', 'src')
  c.ops('src2', [ins(2, 'Z')])
  const full = c.encode('src2', null)
  for (let n = 0; n < full.length; n++) {
    const name = `p${n}`
    c.doc(name, 9)
    c.apply(name, full.slice(0, n))
  }
  c.doc('whole', 9)
  c.apply('whole', full)
})

def('05-unknown-refs', {
  title: 'Unknown content refs 11..31, unknown type refs 7 and 15, unknown Any tags',
  refs: ['2.3', '1.4', '10.5'],
  roots: []
}, c => {
  for (let ref = 11; ref <= 31; ref++) {
    const name = `content${ref}`
    c.doc(name, 9)
    c.apply(name, unhex(`01 01 01 00 ${ref.toString(16).padStart(2, '0')} 01 01 74 01 00 00`))
  }
  for (const ref of [7, 15, 127]) {
    const name = `type${ref}`
    c.doc(name, 9)
    c.apply(name, unhex(`01 01 01 00 07 01 01 74 ${ref.toString(16).padStart(2, '0')} 00`))
  }
  for (const tag of [0x00, 0x73, 0x80, 0xff]) {
    const name = `any${tag}`
    c.doc(name, 9)
    c.apply(name, unhex(`01 01 01 00 08 01 01 61 01 ${tag.toString(16).padStart(2, '0')} 00`))
  }
})

def('06-legacy-content-json', {
  title: 'ContentJSON (ref 2) with the element undefined decodes and re-encodes identically',
  refs: ['1.5', '2.3', '10.6'],
  roots: [{ name: 'a', kind: 'array' }]
}, c => {
  const u = unhex('01 01 01 00 02 01 01 61 02 07' + utf8('{"a":1}') + '09' + utf8('undefined') + '00')
  c.doc('a', 2)
  c.apply('a', u)
  c.expect('re-encoded', c.encode('a', null), hex(u))
  c.encode('a', svOf([[1, 1]]))
  c.ops('a', [{ op: 'array.insert', root: 'a', index: 1, values: ['mid'] }])
  c.doc('b', 3)
  c.sync('b', 'a')
})

def('07-emoji-every-index', {
  title: 'A second client inserts at and deletes from every UTF-16 index in and around an emoji',
  refs: ['2.5', '10.7'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.ops('a', [ins(0, 'x😀y')])
  for (let i = 0; i <= 4; i++) {
    c.doc(`ins${i}`, 2)
    c.send(`ins${i}`, 'a', 0)
    c.ops(`ins${i}`, [ins(i, 'Z')])
    c.doc(`ins${i}-seen`, 3)
    c.send(`ins${i}-seen`, 'a', 0)
    c.send(`ins${i}-seen`, `ins${i}`, 1)
  }
  for (const [i, n] of [[0, 1], [1, 1], [2, 1], [3, 1], [1, 2], [0, 3], [2, 2]]) {
    const name = `del${i}-${n}`
    c.doc(name, 2)
    c.send(name, 'a', 0)
    c.ops(name, [del(i, n)])
    c.doc(`${name}-seen`, 3)
    c.send(`${name}-seen`, 'a', 0)
    c.send(`${name}-seen`, name, 1)
  }
})

def('08-diff-inside-surrogate', {
  title: 'State diffs whose start clock falls inside a surrogate pair, from the doc and from an update',
  refs: ['2.5', '4', '10.8'],
  roots: T
}, c => {
  c.doc('a', 7)
  c.ops('a', [ins(0, 'h😀é'), ins(4, '😀😀')])
  const state = c.encode('a', null)
  for (let k = 0; k <= 8; k++) {
    const sv = svOf([[7, k]])
    c.encode('a', sv)
    c.diff(state, sv)
  }
  c.doc('b', 8)
  c.apply('b', c.encode('a', svOf([[7, 2]])), { doc: 'a', sv: '{7:2}' })
  c.content('b')
})

def('09-mixed-utf8-widths', {
  title: '1-, 2-, 3- and 4-byte UTF-8 characters: clocks advance by UTF-16 length',
  refs: ['2.5', '10.9'],
  roots: [{ name: 't', kind: 'text' }, { name: 'tē😀', kind: 'text' }, { name: 'm', kind: 'map' }]
}, c => {
  c.doc('a', 1)
  c.ops('a', [ins(0, 'aé€😀')])
  c.expect('sv', c.sv('a'), '01 01 05')
  for (const ch of ['ü', '中', '𝄞', 'z']) {
    c.ops('a', [ins(1 << 30, ch)])
    c.sv('a')
  }
  c.ops('a', [
    { op: 'text.insert', root: 'tē😀', index: 0, text: '𝄞x' },
    { op: 'map.set', root: 'm', key: 'ключ😀', value: 'значение' }
  ])
  c.doc('b', 2)
  c.sync('b', 'a')
  c.ops('b', [ins(3, '|')])
})

def('10-very-long-insert', {
  title: 'A 100,001-unit insert as one item, an insert in its middle, a long delete',
  refs: ['10.10', '2.5'],
  roots: T
}, c => {
  c.doc('a', 1)
  const long = 'abcdefghi😀'.repeat(9091)
  c.ops('a', [ins(0, long), ins(50000, 'MID'), del(1000, 98000)])
  c.sv('a')
})

def('11-typing-merges', {
  title: 'Typing one character per transaction merges into one item; typing at the start does not',
  refs: ['5.8', '10.11'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.ops('a', [...'hello world'].map((ch, i) => ins(i, ch)))
  c.expect('state', c.encode('a', null), '01 01 01 00 04 01 01 74 0b' + utf8('hello world') + '00')
  c.doc('b', 2)
  c.ops('b', [...'dlrow'].map(ch => ins(0, ch)))
  c.doc('c', 3)
  c.ops('c', [...'abcd'].map((ch, i) => ins(i, ch)).concat([del(3, 1), del(2, 1)]))
  c.ops('c', [ins(2, 'X')])
})

def('12-concurrent-same-index', {
  title: 'Concurrent inserts at one index by client pairs (1,2), (2,1), (2^32-1,0), (2^53-1,1)',
  refs: ['5.5', '10.12'],
  roots: T
}, c => {
  c.doc('base', 100)
  c.ops('base', [ins(0, 'ac')])
  for (const [x, y] of [[1, 2], [2, 1], [2 ** 32 - 1, 0], [2 ** 53 - 1, 1]]) {
    const a = `A${x}-${y}`
    const b = `B${x}-${y}`
    c.doc(a, x)
    c.doc(b, y)
    c.send(a, 'base', 0)
    c.send(b, 'base', 0)
    c.ops(a, [ins(1, 'A')])
    c.ops(b, [ins(1, 'B')])
    c.send(a, b, 1)
    c.send(b, a, 1)
  }
})

def('13-three-clients-one-position', {
  title: 'Clients 3, 2, 4 insert at one position, client 5 after seeing client 3: "xbbaQaccy" in every order',
  refs: ['5.5', '10.13'],
  roots: T
}, c => {
  c.doc('xy', 1)
  c.ops('xy', [ins(0, 'xy')])
  for (const [name, id, text] of [['c3', 3, 'aa'], ['c2', 2, 'bb'], ['c4', 4, 'cc']]) {
    c.doc(name, id)
    c.send(name, 'xy', 0)
    c.ops(name, [ins(1, text)])
  }
  c.doc('c5', 5)
  c.send('c5', 'xy', 0)
  c.send('c5', 'c3', 1)
  c.ops('c5', [ins(2, 'Q')])
  // Q (c5's event 2) depends on c3's insert: c4 and late hold it as pending for a while
  const orders = {
    c2: [['c3', 1], ['c4', 1], ['c5', 2]],
    c3: [['c5', 2], ['c2', 1], ['c4', 1]],
    c4: [['c5', 2], ['c3', 1], ['c2', 1]],
    c5: [['c4', 1], ['c2', 1]]
  }
  for (const [to, list] of Object.entries(orders)) {
    for (const [from, i] of list) c.send(to, from, i)
  }
  c.doc('late', 6)
  c.send('late', 'c5', 2)
  c.send('late', 'xy', 0)
  c.send('late', 'c4', 1)
  c.send('late', 'c2', 1)
  c.send('late', 'c3', 1)
  // a fifth client that saw everything inserts at the same spot again
  c.ops('late', [ins(1, 'L')])
  c.send('c2', 'late', c.lastEvent('late'))
})

def('14-insert-into-multichar-item', {
  title: 'Concurrent inserts and a delete inside another client\'s multi-character item',
  refs: ['5.7', '10.14'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.ops('a', [ins(0, 'abcdef')])
  c.doc('b', 2)
  c.doc('c', 3)
  c.send('b', 'a', 0)
  c.send('c', 'a', 0)
  c.ops('b', [ins(3, 'XY')])
  c.ops('c', [ins(2, 'Z'), del(4, 1)])
  c.send('b', 'c', 1)
  c.send('b', 'c', 2)
  c.send('c', 'b', 1)
  c.send('a', 'c', 1)
  c.send('a', 'b', 1)
  c.send('a', 'c', 2)
})

def('16-map-conflicts', {
  title: 'Map: concurrent sets, set after seeing, set vs delete, delete then set again',
  refs: ['5.6', '10.16'],
  roots: [{ name: 'm', kind: 'map' }]
}, c => {
  const set = (key, value) => ({ op: 'map.set', root: 'm', key, value })
  // concurrent set: the higher client id wins
  c.doc('s5', 5)
  c.doc('s9', 9)
  c.ops('s5', [set('k', 'five')])
  c.ops('s9', [set('k', 'nine')])
  c.send('s5', 's9', 0)
  c.send('s9', 's5', 0)
  // set after seeing wins regardless of ids
  c.doc('v9', 9)
  c.doc('v5', 5)
  c.ops('v9', [set('k', 'first')])
  c.send('v5', 'v9', 0)
  c.ops('v5', [set('k', 'second')])
  c.send('v9', 'v5', c.lastEvent('v5'))
  // concurrent set vs delete of a shared value
  c.doc('base', 1)
  c.ops('base', [set('k', 0), set('gone', 1)])
  c.doc('d2', 2)
  c.doc('d3', 3)
  c.sync('d2', 'base')
  c.sync('d3', 'base')
  c.ops('d2', [set('k', 'set by 2'), { op: 'map.delete', root: 'm', key: 'gone' }])
  c.ops('d3', [{ op: 'map.delete', root: 'm', key: 'k' }, set('gone', 'set by 3')])
  c.sync('d2', 'd3')
  c.sync('d3', 'd2')
  // delete then set again, and a no-op delete of a missing key
  c.doc('r4', 4)
  c.ops('r4', [set('k', 1), { op: 'map.delete', root: 'm', key: 'k' }, set('k', 2), { op: 'map.delete', root: 'm', key: 'missing' }])
  c.doc('r4-seen', 6)
  for (let i = 0; i < 3; i++) c.send('r4-seen', 'r4', i)
})

def('17-edit-inside-deleted-type', {
  title: 'Concurrent edits inside a nested type that another client deletes become GC structs',
  refs: ['5.4', '5.9', '10.17'],
  roots: [{ name: 'm', kind: 'map' }]
}, c => {
  c.doc('a', 1)
  c.doc('b', 2)
  c.js('a', doc => {
    doc.getMap('m').set('x', new Y.Array())
    doc.getMap('m').set('y', new Y.Map())
    doc.getMap('m').set('z', new Y.Text('abc'))
  })
  c.sync('b', 'a')
  c.js('a', doc => {
    doc.getMap('m').delete('x')
    doc.getMap('m').delete('y')
    doc.getMap('m').delete('z')
  })
  c.js('b', doc => {
    doc.getMap('m').get('x').push([1])
  })
  const push = c.lastEvent('b')
  c.js('b', doc => {
    doc.getMap('m').get('y').set('k', 'v')
    doc.getMap('m').get('z').insert(1, 'XY')
  })
  const [e] = c.send('a', 'b', push)
  c.expect('5.4 event', e, '01 01 02 00 00 01 00')
  c.send('a', 'b', push + 1)
  c.send('a', 'b', push + 2)
  c.sync('b', 'a')
})

def('18-delete-across-items', {
  title: 'Deleting ranges that span several items of several clients; delete set merging and order',
  refs: ['2.4', '5.10', '10.18'],
  roots: T
}, c => {
  c.doc('s3', 3)
  const ev = c.ops('s3', [ins(0, 'abcdef'), ...[...'ghi'].map((ch, i) => ins(6 + i, ch)), del(4, 4)])
  c.expect('5.10 delete', ev[ev.length - 1], '00 01 03 01 04 04')
  c.doc('a', 1)
  c.doc('b', 2)
  c.doc('c', 300)
  c.ops('a', [ins(0, 'abc')])
  c.sync('b', 'a')
  c.ops('b', [ins(3, 'def')])
  c.sync('a', 'b')
  c.ops('a', [ins(1, 'XYZ')])
  c.sync('c', 'a')
  c.ops('c', [ins(8, 'ccc')])
  c.ops('c', [del(1, 6), del(3, 3)])
  c.sync('a', 'c')
  c.sync('b', 'c')
})

def('19-insert-delete-same-txn', {
  title: 'Insert then delete inside one transaction: Deleted item with gc on, the text with gc off',
  refs: ['5.9', '6', '10.19'],
  roots: T
}, c => {
  const txn = { op: 'txn', ops: [ins(0, 'hello'), del(1, 3)] }
  c.doc('on', 1, true)
  const [on] = c.ops('on', [txn])
  c.expectPart('gc on', on, '81 01 00 03')
  c.doc('off', 2, false)
  const [off] = c.ops('off', [txn])
  c.expectPart('gc off', off, '84 02 00 03 65 6c 6c')
  c.ops('on', [{ op: 'txn', ops: [ins(2, 'XY'), del(0, 3), ins(0, 'Q')] }])
  c.ops('off', [{ op: 'txn', ops: [ins(2, 'XY'), del(0, 3), ins(0, 'Q')] }])
  c.doc('on-seen', 3, true)
  c.sync('on-seen', 'on')
  c.doc('off-seen', 4, false)
  c.sync('off-seen', 'off')
})

def('20-delete-nested-types', {
  title: 'Deleting types that contain types: GC structs for the content, Deleted tombstones for the parents',
  refs: ['5.9', '10.20'],
  roots: [{ name: 'm', kind: 'map' }, { name: 'arr', kind: 'array' }]
}, c => {
  const build = doc => {
    const outer = doc.getMap('m').set('outer', new Y.Map())
    const arr = outer.set('arr', new Y.Array())
    arr.push([new Y.Text('hi'), 1, 2])
    outer.set('t', new Y.Text('x'))
    const inner = new Y.Map()
    doc.getArray('arr').insert(0, [inner, 'keep'])
    inner.set('k', 'v')
  }
  const destroy = doc => {
    doc.getMap('m').delete('outer')
    doc.getArray('arr').delete(0, 1)
  }
  for (const [name, id, gc] of [['on', 1, true], ['off', 2, false]]) {
    c.doc(name, id, gc)
    c.js(name, build)
    c.doc(`${name}-seen`, id + 10, gc)
    c.sync(`${name}-seen`, name)
    c.js(name, destroy)
    c.sync(`${name}-seen`, name)
  }
})

def('21-delete-only-update', {
  title: 'A delete-only update for known, partially known and unknown ranges',
  refs: ['2.4', '5.10', '10.21'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.ops('a', [ins(0, 'abc'), ins(3, 'def')])
  c.doc('b', 2)
  c.send('b', 'a', 0)
  c.send('b', 'a', 1)
  const [d] = c.ops('b', [del(1, 4)])
  c.expect('delete-only', d, '00 01 01 01 01 04')
  c.doc('partial', 3)
  c.send('partial', 'a', 0)
  c.send('partial', 'b', 2)
  c.content('partial')
  c.send('partial', 'a', 1)
  c.doc('unknown', 4)
  c.send('unknown', 'b', 2)
  c.content('unknown')
  c.sv('unknown')
  c.send('unknown', 'a', 0)
  c.send('unknown', 'a', 1)
  c.doc('known', 5)
  c.send('known', 'a', 0)
  c.send('known', 'a', 1)
  c.send('known', 'b', 2)
  c.send('known', 'b', 2)
})

def('22-pending-same-client', {
  title: 'Updates of one client delivered in reverse: pending until the first arrives, then one event',
  refs: ['5.3', '10.22'],
  roots: T
}, c => {
  c.doc('a', 6)
  c.ops('a', [ins(0, 'a'), ins(1, 'b'), ins(2, 'c'), del(1, 1), ins(0, 'd')])
  c.doc('rev', 9)
  for (let i = 4; i >= 0; i--) {
    c.send('rev', 'a', i)
    c.sv('rev')
    c.content('rev')
  }
  c.doc('gap', 10)
  c.send('gap', 'a', 0)
  c.send('gap', 'a', 2)
  c.send('gap', 'a', 4)
  c.sv('gap')
  c.send('gap', 'a', 1)
  c.send('gap', 'a', 3)
})

def('23-pending-cross-client', {
  title: 'Updates that depend on another client\'s missing item through origin, rightOrigin or parent',
  refs: ['5.3', '5.4', '10.23'],
  roots: [{ name: 't', kind: 'text' }, { name: 'x', kind: 'xml' }]
}, c => {
  c.doc('a', 1)
  c.ops('a', [ins(0, 'ac'), { op: 'xml.insertElement', root: 'x', path: [], index: 0, name: 'p' }])
  // one writer per dependency kind, so that no update also waits for its own client
  const writers = [
    ['origins', 2, ins(1, 'B')], // origin and rightOrigin in client 1
    ['right', 3, ins(0, '<')], // rightOrigin only
    ['left', 4, { op: 'xml.insertText', root: 'x', path: [], index: 1, text: 'sibling' }], // origin only
    ['parent', 5, { op: 'xml.insertText', root: 'x', path: [0], index: 0, text: 'child' }] // parent only
  ]
  for (const [name, id, op] of writers) {
    c.doc(name, id)
    c.sync(name, 'a')
    c.ops(name, [op])
    const dep = `${name}-first`
    c.doc(dep, 10 + id)
    c.send(dep, name, 1)
    c.sv(dep)
    c.content(dep)
    c.send(dep, 'a', 0)
    c.send(dep, 'a', 1)
  }
  c.doc('all', 20)
  for (const [name] of writers.slice().reverse()) c.send('all', name, 1)
  c.encode('all', null)
  c.send('all', 'a', 1)
  c.send('all', 'a', 0)
})

def('24-pending-delete', {
  title: 'A delete set for items not yet received is kept and applied when they arrive',
  refs: ['5.10', '10.24'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.ops('a', [ins(0, 'abc'), ins(3, 'def')])
  c.doc('b', 2)
  c.sync('b', 'a')
  c.ops('b', [del(1, 1), del(2, 3)])
  c.doc('c', 3)
  c.send('c', 'b', 1)
  c.send('c', 'b', 2)
  c.sv('c')
  c.encode('c', null)
  c.send('c', 'a', 0)
  c.content('c')
  c.send('c', 'a', 1)
})

const permutations = xs => xs.length <= 1
  ? [xs]
  : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map(p => [x, ...p]))

def('25-permutations', {
  title: 'All 24 delivery orders of four dependent updates from three clients',
  refs: ['5.3', '10.25'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.doc('b', 2)
  c.doc('c', 3)
  c.ops('a', [ins(0, 'ab')]) // a event 0
  c.send('b', 'a', 0)
  c.ops('b', [ins(1, 'X')]) // b event 1, needs a0
  c.send('a', 'b', 1)
  c.ops('a', [ins(2, 'Y')]) // a event 2, needs b1
  c.send('c', 'a', 0)
  c.send('c', 'b', 1)
  c.send('c', 'a', 2)
  c.ops('c', [del(0, 3)]) // c event 3 deletes items of a and b
  const updates = [['a', 0], ['b', 1], ['a', 2], ['c', 3]]
  for (const perm of permutations([0, 1, 2, 3])) {
    const name = `p${perm.join('')}`
    c.doc(name, 9)
    for (const k of perm) c.send(name, updates[k][0], updates[k][1])
  }
})

def('26-duplicate-and-overlap', {
  title: 'The same update twice, and updates overlapping clocks already known (offset > 0)',
  refs: ['5.3', '5.4', '10.26'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.ops('a', [ins(0, 'abc'), ins(3, 'def'), del(0, 1)])
  c.doc('dup', 2)
  c.send('dup', 'a', 0)
  c.send('dup', 'a', 0)
  c.send('dup', 'a', 1)
  c.send('dup', 'a', 1)
  c.send('dup', 'a', 2)
  c.send('dup', 'a', 2)
  c.doc('overlap', 3)
  c.send('overlap', 'a', 0)
  c.apply('overlap', c.encode('a', svOf([[1, 1]])), { doc: 'a', sv: '{1:1}' })
  c.apply('overlap', c.encode('a', null), { doc: 'a', sv: null })
  c.doc('merged', 4)
  c.send('merged', 'a', 1)
  c.apply('merged', c.merge(c.events('a').slice(0, 2)), { merge: [['a', 0], ['a', 1]] })
  c.send('merged', 'a', 2)
})

def('27-encode-with-pending', {
  title: 'encodeStateAsUpdate of a doc holding pending structs and a pending delete set',
  refs: ['4', '5.3', '10.27'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.ops('a', [ins(0, 'ab'), ins(2, 'cd'), del(0, 3)])
  c.doc('b', 2)
  c.send('b', 'a', 1)
  c.sv('b')
  c.encode('b', null)
  c.send('b', 'a', 2)
  c.encode('b', null)
  c.encode('b', svOf([[1, 2]]))
  c.doc('c', 3)
  c.apply('c', c.encode('b', null), { doc: 'b', sv: null })
  c.sv('c')
  c.send('b', 'a', 0)
  c.send('c', 'a', 0)
})

def('28-state-vectors-and-diffs', {
  title: 'State vectors in descending client order; diffs for empty, partial, equal and ahead vectors; slicing of String, Any, Deleted and GC structs',
  refs: ['4', '10.28'],
  roots: [{ name: 't', kind: 'text' }, { name: 'arr', kind: 'array' }, { name: 'm', kind: 'map' }]
}, c => {
  c.doc('lo', 1)
  c.doc('mid', 300)
  c.doc('hi', 2 ** 32 + 1)
  c.ops('lo', [ins(0, 'hello'), { op: 'array.insert', root: 'arr', index: 0, values: [1, 2, 3, 4] }])
  c.sync('mid', 'lo')
  c.ops('mid', [ins(5, ' world'), del(1, 3), del(3, 3)])
  c.js('mid', doc => {
    const a = doc.getMap('m').set('gone', new Y.Array())
    a.push([1, 2, 3])
    doc.getMap('m').delete('gone')
  })
  c.sync('hi', 'mid')
  c.ops('hi', [{ op: 'array.insert', root: 'arr', index: 2, values: ['x'] }])
  c.sync('lo', 'hi')
  c.sync('mid', 'hi')
  const full = c.encode('mid', null)
  const vectors = [
    [], // empty
    [[1, 2]], // inside lo's String "hello" (clocks 0..4)
    [[1, 7]], // inside lo's Any [1,2,3,4] (clocks 5..8)
    [[300, 2]], // inside mid's Deleted "wor" (clocks 1..3 of " world")
    [[300, 8]], // inside the GC struct of mid's deleted array (clocks 7..9)
    [[2 ** 32 + 1, 0], [300, 100], [1, 100]], // ahead for two clients
    [[5, 5]], // unknown client only
    null // equal: mid's own state vector
  ]
  for (const v of vectors) {
    const sv = v === null ? c.sv('mid') : svOf(v)
    c.encode('mid', sv)
    c.diff(full, sv)
  }
  c.sv('lo')
  c.sv('hi')
})

def('30-client-id-collision', {
  title: 'Structs under our own client id: same clocks are silently dropped; new clocks make yjs redraw its id',
  refs: ['5.11', '10.30'],
  roots: T
}, c => {
  c.doc('a', 5)
  c.doc('b', 5)
  c.ops('a', [ins(0, 'a')])
  c.ops('b', [ins(0, 'b')])
  c.send('b', 'a', 0)
  c.send('a', 'b', 0)
  c.doc('fresh', 5)
  c.send('fresh', 'a', 0)
  c.note('fresh: received structs under its own id, so yjs drew a new random client id (clientIDChanged)')
})

def('31-rich-text-formats', {
  title: 'Format ranges, overlapping formats, removal with null, embeds with attributes, inherited formatting',
  refs: ['7.2', '10.31'],
  roots: T
}, c => {
  c.doc('a', 1)
  c.ops('a', [
    ins(0, 'hello world'),
    fmt(0, 5, { bold: true }),
    fmt(3, 5, { italic: true }),
    fmt(1, 2, { bold: null }),
    ins(11, '!', { link: 'https://example.com/?a=1&b=2' }),
    { op: 'text.embed', root: 't', index: 5, value: { image: 'x.png' }, attrs: { width: 10 } },
    ins(1, 'B'), // inherits bold
    ins(4, 'I', {}), // explicitly unformatted inside italic
    fmt(0, 20, { italic: null }),
    fmt(0, 1, { bold: true, color: '#f00' }),
    { op: 'text.embed', root: 't', index: 0, value: { formula: 'e=mc^2' } }
  ])
  c.doc('b', 2)
  c.doc('c', 3)
  c.sync('b', 'a')
  c.sync('c', 'a')
  c.ops('b', [fmt(2, 6, { underline: true })])
  c.ops('c', [fmt(4, 6, { bold: true, underline: null }), del(6, 2)])
  c.sync('b', 'c')
  c.sync('c', 'b')
  c.sync('a', 'b')
})

const X = 'prosemirror'
const el = (path, index, name) => ({ op: 'xml.insertElement', root: X, path, index, name })
const xt = (path, index, text) => ({ op: 'xml.insertText', root: X, path, index, text })
const attr = (path, key, value) => ({ op: 'xml.setAttr', root: X, path, key, value })
const xins = (path, index, text, attrs) => attrs === undefined
  ? { op: 'xmltext.insert', root: X, path, index, text }
  : { op: 'xmltext.insert', root: X, path, index, text, attrs }

def('32-prosemirror-documents', {
  title: 'A y-prosemirror-shaped document built with xml ops: headings, marks with attrs, lists, hard breaks, images',
  refs: ['7.3', '10.32'],
  roots: [{ name: X, kind: 'xml' }]
}, c => {
  c.doc('a', 1)
  c.ops('a', [
    { op: 'txn', ops: [el([], 0, 'heading'), attr([0], 'level', 2), xt([0], 0, 'Notes')] },
    {
      op: 'txn',
      ops: [
        el([], 1, 'paragraph'),
        xt([1], 0, ''),
        xins([1, 0], 0, 'See ', {}),
        xins([1, 0], 4, 'docs', { link: { href: 'https://example.com', title: null } }),
        xins([1, 0], 8, ' and ', {}),
        xins([1, 0], 13, 'bold', { strong: {} }),
        xins([1, 0], 17, 'both', { em: {}, strong: {} }),
        el([1], 1, 'hard_break'),
        xt([1], 2, 'line two')
      ]
    },
    {
      op: 'txn',
      ops: [
        el([], 2, 'bullet_list'),
        el([2], 0, 'list_item'),
        el([2, 0], 0, 'paragraph'),
        xt([2, 0, 0], 0, 'one'),
        el([2], 1, 'list_item'),
        el([2, 1], 0, 'paragraph'),
        xt([2, 1, 0], 0, 'two'),
        el([2, 1], 1, 'bullet_list'),
        el([2, 1, 1], 0, 'list_item'),
        el([2, 1, 1, 0], 0, 'paragraph'),
        xt([2, 1, 1, 0, 0], 0, 'nested')
      ]
    },
    { op: 'txn', ops: [el([], 3, 'image'), attr([3], 'alt', 'a cat'), attr([3], 'src', 'cat.png')] },
    {
      op: 'txn',
      ops: [
        el([], 4, 'paragraph'),
        xt([4], 0, 'commented text'),
        { op: 'xmltext.format', root: X, path: [4, 0], index: 0, len: 9, attrs: { 'comment--a1b2c3d4': { id: 1 } } },
        { op: 'xmltext.format', root: X, path: [4, 0], index: 4, len: 10, attrs: { 'comment--e5f6a7b8': { id: 2 } } }
      ]
    }
  ])
  c.doc('b', 2)
  c.sync('b', 'a')
  c.ops('b', [
    { op: 'xmltext.format', root: X, path: [1, 0], index: 0, len: 3, attrs: { em: {} } },
    { op: 'xml.removeAttr', root: X, path: [3], key: 'alt' },
    { op: 'xml.delete', root: X, path: [2], index: 0, len: 1 }
  ])
  c.sync('a', 'b')
})

def('33-concurrent-xml', {
  title: 'Concurrent attribute edits on one element and concurrent sibling inserts',
  refs: ['7.3', '10.33'],
  roots: [{ name: X, kind: 'xml' }]
}, c => {
  c.doc('a', 1)
  c.ops('a', [{ op: 'txn', ops: [el([], 0, 'paragraph'), xt([0], 0, 'text'), el([], 1, 'paragraph')] }])
  c.doc('b', 2)
  c.doc('c', 3)
  c.sync('b', 'a')
  c.sync('c', 'a')
  c.ops('b', [attr([0], 'align', 'left'), attr([0], 'id', 'b'), el([], 1, 'heading'), xins([0, 0], 2, 'B')])
  c.ops('c', [attr([0], 'align', 'right'), { op: 'xml.removeAttr', root: X, path: [0], key: 'id' }, el([], 1, 'blockquote'), xins([0, 0], 2, 'C')])
  c.ops('a', [{ op: 'xml.delete', root: X, path: [], index: 1, len: 1 }, attr([0], 'id', 'a')])
  c.sync('b', 'c')
  c.sync('c', 'b')
  c.sync('b', 'a')
  c.sync('c', 'a')
  c.sync('a', 'b')
  // delete an element another client is typing into
  c.ops('a', [{ op: 'xml.delete', root: X, path: [], index: 0, len: 1 }])
  c.ops('b', [xins([0, 0], 0, 'late ')])
  c.sync('a', 'b')
  c.sync('b', 'a')
  c.sync('c', 'a')
})

// ---------------------------------------------------------------------------------------

function main () {
  mkdirSync(OUT, { recursive: true })
  for (const f of readdirSync(OUT)) {
    if (f.endsWith('.json')) rmSync(new URL(f, OUT))
  }
  const names = new Set()
  for (const { name, meta, fn } of cases) {
    if (names.has(name)) throw new Error(`duplicate case ${name}`)
    names.add(name)
    const c = new Recorder(name, meta)
    fn(c)
    const out = c.output(fn.toString())
    writeFileSync(new URL(`${name}.json`, OUT), JSON.stringify(out, null, 1) + '\n')
  }
  console.error(`wrote ${cases.length} cases to ${OUT.pathname}`)
}

main()
