// One y-websocket client as an editor would run it: a Y.Doc, a WebsocketProvider and its
// awareness, plus the bookkeeping the end-to-end tests assert on (updates received from the
// server, close events, the tokens this client typed).

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import { createHash } from 'node:crypto'
import { richEdit, rng, snapshot } from './rich.mjs'

// Every client starts from the same paragraph, written by one fixed client id. Concurrent
// clients then share that paragraph (identical ids are integrated once) instead of each
// creating its own, and the server's plain-text rendering sees the typed text.
const seedClientID = 1

const seedUpdate = (() => {
  const d = new Y.Doc()
  d.clientID = seedClientID
  const p = new Y.XmlElement('paragraph')
  d.getXmlFragment('default').insert(0, [p])
  p.insert(0, [new Y.XmlText()])
  return Y.encodeStateAsUpdate(d)
})()

const b64 = (u8) => Buffer.from(u8).toString('base64')
const fromB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'))
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// renderText mirrors the server's plain-text rendering of the 'default' fragment (text nodes in
// order, a newline after each non-empty block, trailing newlines trimmed), so Go can compare a
// client's text with GET /api/pads/{id}/text byte for byte.
export const renderText = (doc) => {
  let out = ''
  const walk = (nodes) => {
    for (const n of nodes) {
      if (n instanceof Y.XmlText) {
        for (const d of n.toDelta()) {
          if (typeof d.insert === 'string') out += d.insert
        }
      } else if (n instanceof Y.XmlElement) {
        walk(n.toArray())
        if (out.length > 0 && !out.endsWith('\n')) out += '\n'
      }
    }
  }
  walk(doc.getXmlFragment('default').toArray())
  return out.replace(/\n+$/, '')
}

// Tokens are "(label-NNN)": text made only of whole tokens has a boundary after every ")", and
// inserting only at boundaries keeps every token intact whatever the concurrency.
const token = (label, n) => `(${label}-${String(n).padStart(3, '0')})`

const boundaries = (text) => {
  const out = [0]
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ')') out.push(i + 1)
  }
  return out
}

// chunk is filler text of exactly len UTF-16 units with two- and three-byte UTF-8 characters and
// surrogate pairs, numbered so that a misplaced chunk shows.
const chunk = (i, len) => {
  let s = `#${String(i).padStart(6, '0')} `
  const alphabet = ['a', 'é', '漢', '😀', ' ', 'z', '\u00df']
  let k = i
  while (s.length < len) {
    const c = alphabet[k++ % alphabet.length]
    s += s.length + c.length <= len ? c : 'x'
  }
  return s
}

export class Client {
  // A client that only reads can start empty, without the seed, so that everything it holds
  // came from the server.
  constructor ({ name, url, room, user, maxBackoffMs = 300, empty = false }) {
    this.name = name
    this.doc = new Y.Doc()
    this.received = []
    this.closes = []
    this.disconnects = 0
    this.stopRequested = false
    this.openedAt = Date.now()
    if (!empty) Y.applyUpdate(this.doc, seedUpdate, 'seed')
    this.provider = new WebsocketProvider(url, room, this.doc, {
      WebSocketPolyfill: WebSocket,
      // Clients in one process would otherwise sync with each other over a BroadcastChannel and
      // hide what the server does.
      disableBc: true,
      maxBackoffTime: maxBackoffMs
    })
    this.doc.on('update', (update, origin) => {
      if (origin === this.provider) this.received.push(update)
    })
    this.provider.on('status', ({ status }) => {
      if (status === 'disconnected') this.disconnects++
    })
    this.provider.on('connection-close', (ev) => {
      if (ev) this.closes.push({ code: ev.code, reason: String(ev.reason || '') })
    })
    if (user) this.provider.awareness.setLocalStateField('user', user)
  }

  body () {
    return this.doc.getXmlFragment('default').get(0).get(0)
  }

  status () {
    if (this.provider.wsconnected) return 'connected'
    return this.provider.wsconnecting ? 'connecting' : 'disconnected'
  }

  async waitSynced (timeoutMs) {
    const deadline = Date.now() + timeoutMs
    while (!(this.provider.synced && this.provider.wsconnected)) {
      if (Date.now() > deadline) throw new Error(`${this.name}: not synced after ${timeoutMs} ms (status ${this.status()})`)
      await sleep(5)
    }
    return Date.now() - this.openedAt
  }

  // edit types count tokens at random boundaries, deleting one of its own earlier tokens every
  // deleteEvery steps, with random pauses averaging intervalMs; stop() ends it early. It works
  // the same online and offline.
  async edit ({ label, count, intervalMs = 10, deleteEvery = 0, start = 0 }) {
    const inserted = []
    const deleted = []
    const mine = []
    for (let i = 0; i < count && !this.stopRequested; i++) {
      const text = this.body().toString()
      if (deleteEvery > 0 && i % deleteEvery === deleteEvery - 1 && mine.length > 0) {
        const t = mine.splice(Math.floor(Math.random() * mine.length), 1)[0]
        const at = text.indexOf(t)
        if (at < 0) throw new Error(`${this.name}: own token ${t} vanished from ${text}`)
        this.body().delete(at, t.length)
        deleted.push(t)
      } else {
        const t = token(label, start + inserted.length)
        const b = boundaries(text)
        this.body().insert(b[Math.floor(Math.random() * b.length)], t)
        inserted.push(t)
        mine.push(t)
      }
      if (intervalMs > 0) await sleep(Math.random() * 2 * intervalMs)
    }
    this.stopRequested = false
    return { inserted, deleted }
  }

  // rich makes count random edits of every content type (see rich.mjs) from seed.
  async rich ({ seed, count, intervalMs = 10 }) {
    const r = rng(seed)
    for (let i = 0; i < count; i++) {
      richEdit(this.doc, r)
      if (intervalMs > 0) await sleep(r() * 2 * intervalMs)
    }
    return {}
  }

  // fill appends chunks of chunkLen units, perTxn per transaction, each at a random chunk
  // boundary, so the text is made of many items.
  fill ({ chunks, chunkLen, perTxn }) {
    const body = this.body()
    for (let i = 0; i < chunks; i += perTxn) {
      this.doc.transact(() => {
        for (let j = i; j < Math.min(chunks, i + perTxn); j++) {
          const slots = body.length / chunkLen + 1
          body.insert(Math.floor(Math.random() * slots) * chunkLen, chunk(j, chunkLen))
        }
      })
    }
  }

  // contains reports which of the given updates would add anything to this client's state: an
  // update that is already contained applies without emitting an update and leaves nothing
  // pending.
  contains (updates) {
    const base = Y.encodeStateAsUpdate(this.doc)
    const missing = []
    updates.forEach((u, i) => {
      const d = new Y.Doc()
      Y.applyUpdate(d, base)
      let changed = false
      d.on('update', () => { changed = true })
      Y.applyUpdate(d, fromB64(u))
      if (changed || d.store.pendingStructs !== null || d.store.pendingDs !== null) missing.push(i)
      d.destroy()
    })
    return missing
  }

  state ({ full = false, content = false } = {}) {
    const text = renderText(this.doc)
    const sv = {}
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) sv[client] = clock
    const awareness = []
    for (const [clientID, st] of this.provider.awareness.getStates()) {
      awareness.push({ clientID, user: st.user ?? null })
    }
    return {
      clientID: this.doc.clientID,
      status: this.status(),
      synced: this.provider.synced,
      text: full || text.length <= 1 << 16 ? text : undefined,
      textUnits: text.length,
      textSha256: createHash('sha256').update(text, 'utf8').digest('hex'),
      sv,
      pending: this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null,
      awareness,
      received: this.received.length,
      closes: this.closes,
      disconnects: this.disconnects,
      content: content ? snapshot(this.doc) : undefined
    }
  }

  receivedUpdates () {
    return this.received.map(b64)
  }

  destroy () {
    this.provider.destroy()
    this.doc.destroy()
  }
}

export { b64, fromB64 }
