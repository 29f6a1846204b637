// The yjs half of the CRDT benchmark (see main.go). For one editing trace it measures, in yjs:
//   replay  the trace as local edits, one doc.transact per txn;
//   apply   one update per patch, applied one by one to a fresh doc (the server's hot path);
//   encode  Y.encodeStateAsUpdate of the doc built by apply;
//   load    Y.applyUpdate of that state into a fresh doc;
// plus the state's size and the live heap of a loaded doc. Every timed step has one untimed
// warm-up run (so the JIT has compiled the hot code, as a long-running server would have), then
// the figure is the median of --runs timed runs, or of ten times as many for encode and load,
// which are short enough to be noisy. It writes the per-patch updates (each as a 4-byte little-endian length and the
// bytes) to --updates and the state to --state, so that the Go side works on the same bytes,
// and prints one JSON object on stdout. It exits non-zero if a final text differs from the
// trace's endContent.
//
// Usage: node --expose-gc yjs.mjs --trace file.json.gz --updates out.bin --state out.bin [--runs N]

import * as Y from 'yjs'
import { readFileSync, writeFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'

// Yjs reports client-id changes with console.log; stdout carries the result.
console.log = console.error

const { values: args } = parseArgs({
  options: {
    trace: { type: 'string' },
    updates: { type: 'string' },
    state: { type: 'string' },
    runs: { type: 'string', default: '3' }
  }
})
if (!args.trace || !args.updates || !args.state) {
  console.error('usage: node --expose-gc yjs.mjs --trace file.json.gz --updates out --state out [--runs N]')
  process.exit(2)
}
if (typeof globalThis.gc !== 'function') {
  console.error('crdtbench: run node with --expose-gc: the heap figure needs it')
  process.exit(2)
}
const runs = Number.parseInt(args.runs, 10)
if (!(runs > 0)) {
  console.error('crdtbench: --runs must be a positive integer')
  process.exit(2)
}

const trace = JSON.parse(gunzipSync(readFileSync(args.trace)).toString('utf8'))
const endContent = trace.endContent
const failures = []
const check = (what, text) => {
  if (text !== endContent) failures.push(`${what}: final text differs from endContent (length ${text.length}, want ${endContent.length})`)
}

// The writer of the recorded updates has a fixed client id so that runs are reproducible; the
// Go receivers use other ids.
const writerClientID = 1

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// timed runs fn once untimed, then n times, and returns the median duration in milliseconds and
// the last result.
function timed (fn, n = runs) {
  const ms = []
  let result = fn()
  for (let i = 0; i < n; i++) {
    result = undefined
    globalThis.gc()
    const t0 = performance.now()
    result = fn()
    ms.push(performance.now() - t0)
  }
  return { ms: median(ms), all: ms, result }
}

function editText (text, [pos, del, ins]) {
  if (del > 0) text.delete(pos, del)
  if (ins !== '') text.insert(pos, ins)
}

function replay () {
  const doc = new Y.Doc()
  const text = doc.getText('text')
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const p of txn.patches) editText(text, p)
    })
  }
  return text.toString()
}

function recordUpdates () {
  const doc = new Y.Doc()
  doc.clientID = writerClientID
  const text = doc.getText('text')
  const updates = []
  doc.on('update', u => updates.push(u))
  for (const txn of trace.txns) {
    for (const p of txn.patches) doc.transact(() => editText(text, p))
  }
  check('yjs recording', text.toString())
  return updates
}

function applyAll (updates) {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

function load (state) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

function writeUpdates (path, updates) {
  let total = 0
  for (const u of updates) total += 4 + u.length
  const out = Buffer.allocUnsafe(total)
  let off = 0
  for (const u of updates) {
    out.writeUInt32LE(u.length, off)
    out.set(u, off + 4)
    off += 4 + u.length
  }
  writeFileSync(path, out)
  return total - 4 * updates.length
}

// liveHeap returns how much the JS heap grows, after full collections, when state is loaded
// into a doc that stays alive. The state is copied first so that the copy is counted only if
// the doc keeps it.
let kept = null
function liveHeap (state) {
  kept = null
  globalThis.gc(); globalThis.gc()
  const before = process.memoryUsage().heapUsed
  kept = load(state.slice())
  globalThis.gc(); globalThis.gc()
  const after = process.memoryUsage().heapUsed
  check('yjs heap doc', kept.getText('text').toString())
  return after - before
}

const replayT = timed(replay)
check('yjs (a) replay', replayT.result)

const updates = recordUpdates()
const updateBytes = writeUpdates(args.updates, updates)

const applyT = timed(() => applyAll(updates))
const applied = applyT.result
check('yjs (b) apply', applied.getText('text').toString())

const encodeT = timed(() => Y.encodeStateAsUpdate(applied), 10 * runs)
const state = encodeT.result
writeFileSync(args.state, state)

const loadT = timed(() => load(state), 10 * runs)
check('yjs (d) load', loadT.result.getText('text').toString())

const heap = liveHeap(state)

const version = JSON.parse(readFileSync(new URL('../../node_modules/yjs/package.json', import.meta.url), 'utf8')).version
process.stdout.write(JSON.stringify({
  yjs: version,
  node: process.version,
  runs,
  replayMs: replayT.ms,
  applyMs: applyT.ms,
  encodeMs: encodeT.ms,
  loadMs: loadT.ms,
  runsMs: { replay: replayT.all, apply: applyT.all, encode: encodeT.all, load: loadT.all },
  updates: updates.length,
  updateBytes,
  stateBytes: state.length,
  heapBytes: heap,
  failures
}) + '\n')
if (failures.length > 0) process.exit(1)
