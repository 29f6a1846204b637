// Load driver for one running sync server: opens rooms x clients real
// providers, lets `writers` clients per room type single characters at a fixed
// total rate for a fixed time, and prints one JSON line with what arrived.
//
// Latency is keyed by (Yjs client id, clock): every edit is one inserted
// character, i.e. exactly one clock tick, so the range of clocks an update
// carries (parseUpdateMeta) names the edits it delivers even when a server
// merges several edits into one message.
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'

function parseArgs (argv) {
  const o = { kind: '', url: '', rooms: 1, clients: 2, writers: 1, rate: 10, duration: 10, drain: 5, pid: 0, connectTimeout: 60 }
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '')
    if (!(k in o) || i + 1 >= argv.length) throw new Error(`serverbench: bad argument ${argv[i]}`)
    o[k] = typeof o[k] === 'number' ? Number(argv[i + 1]) : argv[i + 1]
    if (Number.isNaN(o[k])) throw new Error(`serverbench: --${k} wants a number`)
  }
  if (!['ywebsocket', 'hocuspocus'].includes(o.kind)) throw new Error('serverbench: --kind must be ywebsocket or hocuspocus')
  if (o.writers > o.clients || o.clients < 2 || o.rooms < 1 || o.rate <= 0 || o.duration <= 0) throw new Error('serverbench: need 2 <= clients, writers <= clients, rooms >= 1, rate > 0, duration > 0')
  return o
}

// Resident set and CPU ticks of the server process, straight from /proc so
// every server is measured the same way whatever its runtime.
function rssBytes (pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch { return 0 }
}
function cpuTicks (pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(f[11]) + Number(f[12]) // utime + stime, fields 14 and 15
  } catch { return 0 }
}

function connect (o, room) {
  const doc = new Y.Doc()
  let provider, socket
  if (o.kind === 'ywebsocket') {
    provider = new WebsocketProvider(o.url, room, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
  } else {
    socket = new HocuspocusProviderWebsocket({ url: o.url, WebSocketPolyfill: WebSocket })
    provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc })
    provider.attach?.()
  }
  const synced = new Promise((resolve) => {
    if (provider.synced || provider.isSynced) return resolve()
    provider.on('synced', () => resolve())
  })
  return { doc, provider, socket, synced, text: doc.getText('t') }
}

function percentile (sorted, p) {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

async function main () {
  // Every y-websocket provider hooks process exit; hundreds are expected here.
  process.setMaxListeners(0)
  const o = parseArgs(process.argv.slice(2))
  const sent = new Map() // "client:clock" -> send time (ms)
  const arrivals = new Map() // "client:clock" -> how many peers have it
  const latencies = []
  let measuring = false
  const rooms = []
  for (let r = 0; r < o.rooms; r++) {
    const name = randomUUID()
    const clients = []
    for (let c = 0; c < o.clients; c++) clients.push(connect(o, name))
    rooms.push(clients)
  }
  const all = rooms.flat()
  for (const cl of all) {
    cl.doc.on('update', (update) => {
      if (!measuring) return
      const now = performance.now()
      const { from, to } = Y.parseUpdateMeta(update)
      for (const [client, end] of to) {
        if (client === cl.doc.clientID) continue
        for (let clock = from.get(client) ?? 0; clock < end; clock++) {
          const key = `${client}:${clock}`
          const t = sent.get(key)
          if (t === undefined) continue
          latencies.push(now - t)
          arrivals.set(key, (arrivals.get(key) ?? 0) + 1)
        }
      }
    })
  }
  const connectStart = performance.now()
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`serverbench: not all ${all.length} clients synced within ${o.connectTimeout} s`)), o.connectTimeout * 1000).unref())
  await Promise.race([Promise.all(all.map((c) => c.synced)), timeout])
  const connectMs = performance.now() - connectStart
  // Let the awareness storm of the joins settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 1000))

  const writers = rooms.flatMap((clients) => clients.slice(0, o.writers))
  const rssIdle = rssBytes(o.pid)
  let rssPeak = rssIdle
  const rssTimer = setInterval(() => { rssPeak = Math.max(rssPeak, rssBytes(o.pid)) }, 200)
  const cpu0 = cpuTicks(o.pid)
  const selfCpu0 = process.cpuUsage()
  measuring = true
  const start = performance.now()
  const end = start + o.duration * 1000
  let edits = 0
  await new Promise((resolve) => {
    // A fixed total rate: each tick catches up to where the clock says we
    // should be, so timer jitter shifts edits but does not drop them.
    const tick = setInterval(() => {
      const now = performance.now()
      const due = Math.floor(Math.min(now - start, o.duration * 1000) / 1000 * o.rate)
      while (edits < due) {
        const w = writers[edits % writers.length]
        const key = `${w.doc.clientID}:${Y.getState(w.doc.store, w.doc.clientID)}`
        sent.set(key, performance.now())
        w.text.insert(Math.floor(Math.random() * (w.text.length + 1)), 'x')
        edits++
      }
      if (now >= end) { clearInterval(tick); resolve() }
    }, 5)
  })
  const expected = edits * (o.clients - 1)
  const drainEnd = performance.now() + o.drain * 1000
  while (latencies.length < expected && performance.now() < drainEnd) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const elapsedS = (performance.now() - start) / 1000
  measuring = false
  clearInterval(rssTimer)
  rssPeak = Math.max(rssPeak, rssBytes(o.pid))
  const cpuS = (cpuTicks(o.pid) - cpu0) / 100 // USER_HZ is 100 on Linux
  const self = process.cpuUsage(selfCpu0)
  let complete = 0
  for (const n of arrivals.values()) if (n >= o.clients - 1) complete++
  latencies.sort((a, b) => a - b)
  const result = {
    edits,
    editsPerSec: edits / o.duration,
    deliveries: latencies.length,
    expected,
    deliveriesPerSec: latencies.length / o.duration,
    completeFraction: edits ? complete / edits : 0,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.length ? latencies[latencies.length - 1] : 0,
    connectMs,
    rssIdleBytes: rssIdle,
    rssPeakBytes: rssPeak,
    serverCpuFraction: cpuS / elapsedS,
    driverCpuFraction: (self.user + self.system) / 1e6 / elapsedS
  }
  for (const c of all) c.provider.destroy()
  for (const c of all) c.socket?.destroy()
  process.stdout.write(JSON.stringify(result) + '\n')
  setTimeout(() => process.exit(0), 200).unref()
}

main().catch((err) => { console.error(err.message ?? err); process.exit(1) })
