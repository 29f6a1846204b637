// Random edits over every shared type an editor uses (maps, arrays, formatted text with embeds,
// XML elements with attributes, binary values, nested types, subdocuments), and a canonical JSON
// snapshot of all of it, so that tests can check the server passes every kind of content through
// its own CRDT unchanged.

import * as Y from 'yjs'

// mulberry32: a small seeded generator, so that a failing run can be replayed from its seed.
export const rng = (seed) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = (r, xs) => xs[Math.floor(r() * xs.length)]
const int = (r, n) => Math.floor(r() * n)
// No surrogate pairs: Yjs replaces a pair split by an edit with U+FFFD only on the replicas that
// split it, so such text can differ between clients whatever the server does.
const words = ['alpha', 'beta', 'γάμμα', '漢字', 'ß', ' ', '\n', 'tab\t']
const str = (r) => pick(r, words) + pick(r, words)
const prim = (r) => pick(r, [
  () => str(r),
  () => int(r, 1000) - 500,
  () => r() * 1e6,
  () => r() < 0.5,
  () => null,
  () => ({ k: str(r), n: [1, 2, { deep: true }] }),
  () => [str(r), int(r, 10)]
])()
const binary = (r) => Uint8Array.from({ length: 1 + int(r, 8) }, () => int(r, 256))
const attrs = (r) => pick(r, [{ bold: true }, { italic: true }, { link: 'https://x.test/' + int(r, 9) }, { bold: null }, {}])

// textLike returns a Y.Text or Y.XmlText reachable in the doc.
const textLike = (doc, r) => {
  const xml = doc.getXmlFragment('default').toArray().filter((n) => n instanceof Y.XmlElement && n.length > 0)
  if (xml.length > 0 && r() < 0.5) {
    const t = pick(r, xml).get(0)
    if (t instanceof Y.XmlText) return t
  }
  return doc.getText('plain')
}

const ops = [
  (doc, r) => doc.getMap('meta').set('k' + int(r, 8), prim(r)),
  (doc, r) => doc.getMap('meta').set('bin' + int(r, 3), binary(r)),
  (doc, r) => {
    const m = new Y.Map()
    doc.getMap('meta').set('nested' + int(r, 3), m)
    m.set('x', prim(r))
    const a = new Y.Array()
    m.set('list', a)
    a.push([prim(r), prim(r)])
    m.set('note', new Y.Text(str(r)))
  },
  (doc, r) => {
    const m = doc.getMap('meta').get('nested' + int(r, 3))
    if (m instanceof Y.Map) {
      m.set('y' + int(r, 4), prim(r))
      const t = m.get('note')
      if (t instanceof Y.Text) t.insert(int(r, t.length + 1), str(r))
      const a = m.get('list')
      if (a instanceof Y.Array && a.length > 0 && r() < 0.5) a.delete(int(r, a.length), 1)
    }
  },
  (doc, r) => doc.getMap('meta').delete('k' + int(r, 8)),
  (doc, r) => {
    const l = doc.getArray('list')
    l.insert(int(r, l.length + 1), Array.from({ length: 1 + int(r, 3) }, () => prim(r)))
  },
  (doc, r) => {
    const l = doc.getArray('list')
    const m = new Y.Map()
    l.insert(int(r, l.length + 1), [m])
    m.set('in', prim(r))
  },
  (doc, r) => {
    const l = doc.getArray('list')
    if (l.length > 0) {
      const i = int(r, l.length)
      l.delete(i, Math.min(l.length - i, 1 + int(r, 3)))
    }
  },
  (doc, r) => {
    const t = textLike(doc, r)
    t.insert(int(r, t.length + 1), str(r), attrs(r))
  },
  (doc, r) => {
    const t = textLike(doc, r)
    if (t.length > 0) {
      const i = int(r, t.length)
      t.format(i, 1 + int(r, Math.min(6, t.length - i)), attrs(r))
    }
  },
  (doc, r) => {
    const t = textLike(doc, r)
    t.insertEmbed(int(r, t.length + 1), { image: 'img' + int(r, 5) + '.png' }, attrs(r))
  },
  (doc, r) => {
    const t = textLike(doc, r)
    if (t.length > 0) {
      const i = int(r, t.length)
      t.delete(i, Math.min(t.length - i, 1 + int(r, 5)))
    }
  },
  (doc, r) => {
    const f = doc.getXmlFragment('default')
    const el = new Y.XmlElement(pick(r, ['heading', 'blockquote', 'paragraph']))
    f.insert(1 + int(r, f.length), [el])
    el.setAttribute('level', String(1 + int(r, 3)))
    el.insert(0, [new Y.XmlText(str(r))])
  },
  (doc, r) => {
    const els = doc.getXmlFragment('default').toArray().filter((n) => n instanceof Y.XmlElement)
    const el = pick(r, els)
    if (r() < 0.7) el.setAttribute('class', 'c' + int(r, 5))
    else el.removeAttribute('class')
  },
  (doc, r) => {
    const f = doc.getXmlFragment('default')
    if (f.length > 1) f.delete(1 + int(r, f.length - 1), 1)
  },
  (doc, r) => {
    const sub = new Y.Doc({ guid: 'sub-' + doc.clientID + '-' + int(r, 1000) })
    doc.getMap('meta').set('sub' + int(r, 2), sub)
  }
]

// richEdit applies one random edit in its own transaction.
export const richEdit = (doc, r) => {
  const op = pick(r, ops)
  doc.transact(() => op(doc, r))
}

const ser = (v) => {
  if (v instanceof Y.Doc) return { subdoc: v.guid }
  if (v instanceof Uint8Array) return { binary: Buffer.from(v).toString('base64') }
  if (v instanceof Y.XmlText || v instanceof Y.Text) {
    return { delta: v.toDelta().map((d) => ({ ...d, insert: ser(d.insert) })) }
  }
  if (v instanceof Y.XmlElement) {
    return { tag: v.nodeName, attrs: sortKeys(v.getAttributes()), children: v.toArray().map(ser) }
  }
  if (v instanceof Y.XmlFragment) return { children: v.toArray().map(ser) }
  if (v instanceof Y.Map) {
    const o = {}
    for (const k of [...v.keys()].sort()) o[k] = ser(v.get(k))
    return o
  }
  if (v instanceof Y.Array) return v.toArray().map(ser)
  return v
}

const sortKeys = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

// snapshot is every root the rich edits touch, as canonical JSON.
export const snapshot = (doc) => JSON.stringify({
  meta: ser(doc.getMap('meta')),
  list: ser(doc.getArray('list')),
  plain: ser(doc.getText('plain')),
  xml: ser(doc.getXmlFragment('default'))
})
