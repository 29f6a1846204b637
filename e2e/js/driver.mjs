// Drives named y-websocket clients on commands read from stdin, one JSON object a line, and
// answers each with one JSON line on stdout carrying the same id: {"id":1,"result":...} or
// {"id":1,"error":"..."}. Commands run concurrently, so answers may come out of order; a
// command that waits (open with wait, edit) answers when it is done.
//
//   {"op":"open","client":"a","url":"ws://127.0.0.1:1234/ws","room":"<pad id>",
//    "user":{"name":"Ann","color":"#f00"},"wait":true,"empty":false} -> {clientID, syncMs}
//                                   (empty: without the shared paragraph every client starts with)
//   {"op":"sync","client":"a"}                                -> {syncMs} once synced
//   {"op":"edit","client":"a","label":"a","count":20,"intervalMs":10,"deleteEvery":4,"start":0}
//                                                             -> {inserted:[...], deleted:[...]}
//   {"op":"rich","client":"a","seed":7,"count":100,"intervalMs":10} -> {} (random edits of
//                                                                    every content type)
//   {"op":"stop","client":"a"}                                -> ends a running edit early
//   {"op":"insert","client":"a","index":0,"text":"x"}         -> {}
//   {"op":"fill","client":"a","chunks":4096,"chunkLen":256,"perTxn":128} -> state
//   {"op":"awareness","client":"a","user":{...}}              -> {}
//   {"op":"state","client":"a","full":false,"content":false}  -> see Client.state
//   {"op":"received","client":"a"}                            -> {updates:[b64...]}
//   {"op":"contains","client":"a","updates":[b64...]}         -> {missing:[index...]}
//   {"op":"disconnect"|"connect"|"destroy","client":"a"}      -> {}
//   {"op":"exit"}                                             -> exits 0
//
// Usage: node driver.mjs [timeoutMs]. The process exits by itself after timeoutMs (default
// 30000) with status 3, and with 0 when stdin closes.

import { createInterface } from 'node:readline'
import { Client } from './client.mjs'

const timeoutMs = Number(process.argv[2] || 30000)
setTimeout(() => {
  process.stderr.write(`driver: hard timeout after ${timeoutMs} ms\n`)
  process.exit(3)
}, timeoutMs).unref()

const clients = new Map()
// Each provider adds a process 'exit' listener; dozens of clients are expected here.
process.setMaxListeners(0)

const client = (name) => {
  const c = clients.get(name)
  if (!c) throw new Error(`no client ${JSON.stringify(name)}`)
  return c
}

const ops = {
  async open (m) {
    if (clients.has(m.client)) throw new Error(`client ${m.client} already open`)
    const c = new Client({ name: m.client, url: m.url, room: m.room, user: m.user, maxBackoffMs: m.maxBackoffMs, empty: m.empty })
    clients.set(m.client, c)
    const res = { clientID: c.doc.clientID }
    if (m.wait) res.syncMs = await c.waitSynced(m.timeoutMs ?? 10000)
    return res
  },
  async sync (m) {
    return { syncMs: await client(m.client).waitSynced(m.timeoutMs ?? 10000) }
  },
  edit: (m) => client(m.client).edit(m),
  rich: (m) => client(m.client).rich(m),
  stop (m) {
    client(m.client).stopRequested = true
    return {}
  },
  insert (m) {
    client(m.client).body().insert(m.index, m.text)
    return {}
  },
  fill (m) {
    const c = client(m.client)
    c.fill(m)
    return c.state()
  },
  awareness (m) {
    client(m.client).provider.awareness.setLocalStateField('user', m.user)
    return {}
  },
  state: (m) => client(m.client).state(m),
  received: (m) => ({ updates: client(m.client).receivedUpdates() }),
  contains: (m) => ({ missing: client(m.client).contains(m.updates ?? []) }),
  disconnect (m) {
    client(m.client).provider.disconnect()
    return {}
  },
  connect (m) {
    client(m.client).provider.connect()
    return {}
  },
  destroy (m) {
    client(m.client).destroy()
    clients.delete(m.client)
    return {}
  },
  exit () {
    shutdown(0)
  }
}

const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const shutdown = (code) => {
  for (const c of clients.values()) c.destroy()
  // Let the close frames go out before the process ends.
  setTimeout(() => process.exit(code), 20)
}

const rl = createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  let m
  try {
    m = JSON.parse(line)
  } catch (e) {
    reply({ id: null, error: `bad command line: ${e.message}` })
    return
  }
  try {
    const op = ops[m.op]
    if (!op) throw new Error(`unknown op ${JSON.stringify(m.op)}`)
    reply({ id: m.id, result: (await op(m)) ?? {} })
  } catch (e) {
    reply({ id: m.id, error: String(e?.stack || e) })
  }
})
rl.on('close', () => shutdown(0))
