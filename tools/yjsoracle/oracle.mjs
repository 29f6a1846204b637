// The yjs oracle: a long-running process that hosts named Y.Doc replicas and answers JSON
// lines on stdin/stdout, one response line per request line, in order. The Go differential
// tests (crdt/internal/yjsoracle) drive it.
//
// Requests (binary data is base64 in both directions):
//   {"cmd":"new","doc":"a","clientID":7,"gc":true}      -> {"ok":true}; clientID absent = random,
//                                                          gc absent = true
//   {"cmd":"apply","doc":"a","update":"<b64>"}          -> {"events":[b64...]}
//   {"cmd":"ops","doc":"a","ops":[op...]}               -> {"events":[b64...]}; each top-level op
//                                                          (a txn counts as one) is one transaction
//   {"cmd":"sv","doc":"a"}                              -> {"sv":b64}       Y.encodeStateVector
//   {"cmd":"encode","doc":"a","sv":b64|null}            -> {"update":b64}   Y.encodeStateAsUpdate
//                                                          (sv null/absent: the whole state)
//   {"cmd":"content","doc":"a","roots":[{"name","kind"}]} -> {"content":{name: ...}} (readContent)
//   {"cmd":"clientID","doc":"a"}                        -> {"clientID":n}
//   {"cmd":"free","doc":"a"}                            -> {"ok":true}
//   {"cmd":"merge","updates":[b64...]}                  -> {"update":b64}   Y.mergeUpdates
//   {"cmd":"diff","update":b64,"sv":b64|null}           -> {"update":b64}   Y.diffUpdate
//   {"cmd":"batch","reqs":[req...]}                     -> {"results":[resp...]} run in order,
//                                                          a failing request does not stop the rest
//   {"cmd":"ping"}                                      -> {"ok":true}
//   {"cmd":"version"}                                   -> {"node","yjs","lib0"}
// Absent or null "update"/"updates" entries are empty byte strings (Go omits empty slices).
// Events are the v1 'update' events the doc emitted while serving the request. Any failure is
// answered with {"error":"message"} (plus "events" if the doc emitted some before failing: yjs
// is not atomic when an update is corrupt); the process never exits on bad input, only when
// stdin closes.

// OP VOCABULARY (implemented in ops.mjs, mirrored by crdt/internal/yjsoracle.Op: keep the three
// in step)
//
// Every op names a root and its kind is implied by the op family: text.* -> doc.getText,
// map.* -> doc.getMap, array.* -> doc.getArray, xml.* and xmltext.* -> doc.getXmlFragment.
// Using one root name with two kinds is an error.
//
// Indices and lengths are UTF-16 code units for text and element counts for arrays and XML
// children. They are resolved MODULO the current state, at execution time, op by op (inside a
// "txn" each op sees the effects of the previous ones), so that a random generator never
// produces an invalid op:
//   insert at index i          -> i % (len + 1)
//   delete / format (i, n)     -> on an empty target: no-op; else start = i % len,
//                                 count = 1 + (n - 1) % (len - start)
// index is a non-negative integer (absent = 0), len an integer >= 1, both below 2^53.
//
// A path is a list of non-negative integers walking XmlElement children from the fragment.
// Each step p picks children[p % k] among the k children of the needed kind only, in document
// order (XmlElement children for element steps, XmlText children for the last step of a text
// path; XmlHook children never count). If a step has no candidate, the op is a no-op.
//   element path: every step selects an element; [] is the fragment itself.
//   text path:    all steps but the last select elements; the last selects an XmlText child of
//                 the node reached ([p] = an XmlText directly under the fragment); [] = no-op.
//
//   {"op":"text.insert","root":"t","index":i,"text":"..","attrs":{..}}  attrs absent: the text
//        takes the formatting active at the insertion point (Y.Text.insert without attributes);
//        attrs {} : explicitly unformatted.
//   {"op":"text.delete","root":"t","index":i,"len":n}
//   {"op":"text.format","root":"t","index":i,"len":n,"attrs":{"bold":true,"italic":null}}
//   {"op":"text.embed","root":"t","index":i,"value":{..},"attrs":{..}}  value: a JSON object;
//        attrs absent == {} (Y.Text.insertEmbed defaults to no formatting).
//   {"op":"map.set","root":"m","key":"k","value":<ext JSON>}
//   {"op":"map.delete","root":"m","key":"k"}
//   {"op":"array.insert","root":"arr","index":i,"values":[<ext JSON>...]}  absent = []; a
//        top-level {"$bytes"} becomes its own Binary item; top-level $bigint/$undefined are
//        rejected (Y.Array.insert throws on them).
//   {"op":"array.delete","root":"arr","index":i,"len":n}
//   {"op":"xml.insertElement","root":"x","path":[..],"index":i,"name":"paragraph"}
//   {"op":"xml.insertText","root":"x","path":[..],"index":i,"text":"initial"}  inserts a new
//        empty XmlText, then (same transaction) inserts text at 0 if text is non-empty.
//   {"op":"xml.delete","root":"x","path":[..],"index":i,"len":n}   children of the path's node
//   {"op":"xml.setAttr","root":"x","path":[..],"key":"k","value":<ext JSON>}  path [] = no-op
//   {"op":"xml.removeAttr","root":"x","path":[..],"key":"k"}                   path [] = no-op
//   {"op":"xmltext.insert","root":"x","path":[..],"index":i,"text":"..","attrs":{..}}
//   {"op":"xmltext.delete","root":"x","path":[..],"index":i,"len":n}
//   {"op":"xmltext.format","root":"x","path":[..],"index":i,"len":n,"attrs":{..}}
//   {"op":"txn","ops":[op,...]}  several ops in ONE transaction (no nested txn).
//
// Attribute objects (attrs) are applied in JS object key order: integer-like keys ("0", "17")
// ascending first, then the other keys in the order they appear in the JSON text. Format and
// embed values are plain JSON (they travel as JSON text on the wire).
//
// EXTENDED JSON (ext JSON): values of map.set, array.insert and xml.setAttr, and everything in
// "content" output, use plain JSON plus single-key tagged objects for what JSON cannot say:
//   {"$bigint":"-12"}   a JS bigint (Any tag 122), within int64
//   {"$bytes":"<b64>"}  a Uint8Array (Binary content at top level, Any tag 116 when nested)
//   {"$undefined":true} undefined
//   {"$number":"NaN" | "Infinity" | "-Infinity" | "-0"}
// Output only: {"$type":"<kind>","json":<toJSON()>} for a shared type found inside text delta,
// {"$doc":"<guid>"} for a sub-document.

import * as Y from 'yjs'
import { readFileSync } from 'node:fs'
import { b64, newDoc, readContent, runOps } from './ops.mjs'

// Yjs reports client-id changes with console.log; stdout belongs to the protocol.
console.log = console.error
console.info = console.error
console.warn = console.error
console.debug = console.error

/** @type {Map<string, {doc: Y.Doc, events: Uint8Array[]}>} */
const replicas = new Map()

// An absent or null byte field means empty bytes: Go's encoding/json omits empty slices.
const bytes = (s, what) => {
  if (s === undefined || s === null) return new Uint8Array(0)
  if (typeof s !== 'string') throw new Error(`${what} must be a base64 string`)
  return new Uint8Array(Buffer.from(s, 'base64'))
}

const optionalSV = s => (s === null || s === undefined || s === '') ? undefined : bytes(s, 'sv')

function replica (name) {
  const r = replicas.get(name)
  if (r === undefined) throw new Error(`no doc ${JSON.stringify(name)}`)
  return r
}

// collect runs fn and returns the update events the doc emitted meanwhile, attaching them to
// the error too if fn throws.
function collect (r, fn) {
  const out = []
  r.events = out
  try {
    fn()
  } catch (e) {
    e.events = out.map(b64)
    throw e
  } finally {
    r.events = null
  }
  return { events: out.map(b64) }
}

function version (pkg) {
  const url = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')).version
}

const handlers = {
  new (req) {
    if (typeof req.doc !== 'string') throw new Error('doc must be a string')
    if (replicas.has(req.doc)) throw new Error(`doc ${JSON.stringify(req.doc)} exists`)
    const doc = newDoc(req.doc, req.clientID, req.gc !== false)
    const r = { doc, events: null }
    doc.on('update', update => { if (r.events !== null) r.events.push(update) })
    replicas.set(req.doc, r)
    return { ok: true }
  },
  apply (req) {
    const r = replica(req.doc)
    const update = bytes(req.update, 'update')
    return collect(r, () => Y.applyUpdate(r.doc, update))
  },
  ops (req) {
    const r = replica(req.doc)
    return collect(r, () => runOps(r.doc, req.ops))
  },
  sv (req) {
    return { sv: b64(Y.encodeStateVector(replica(req.doc).doc)) }
  },
  encode (req) {
    return { update: b64(Y.encodeStateAsUpdate(replica(req.doc).doc, optionalSV(req.sv))) }
  },
  content (req) {
    return { content: readContent(replica(req.doc).doc, req.roots) }
  },
  clientID (req) {
    return { clientID: replica(req.doc).doc.clientID }
  },
  free (req) {
    replica(req.doc).doc.destroy()
    replicas.delete(req.doc)
    return { ok: true }
  },
  merge (req) {
    if (!Array.isArray(req.updates)) throw new Error('updates must be an array')
    return { update: b64(Y.mergeUpdates(req.updates.map(u => bytes(u, 'update')))) }
  },
  diff (req) {
    const sv = optionalSV(req.sv) || new Uint8Array([0])
    return { update: b64(Y.diffUpdate(bytes(req.update, 'update'), sv)) }
  },
  batch (req, nested) {
    if (nested) throw new Error('nested batch')
    if (!Array.isArray(req.reqs)) throw new Error('reqs must be an array')
    return { results: req.reqs.map(r => handle(r, true)) }
  },
  ping () {
    return { ok: true }
  },
  version () {
    return { node: process.version, yjs: version('yjs'), lib0: version('lib0') }
  }
}

function handle (req, nested = false) {
  try {
    if (req === null || typeof req !== 'object' || Array.isArray(req)) throw new Error('request must be an object')
    const h = Object.hasOwn(handlers, req.cmd) ? handlers[req.cmd] : undefined
    if (h === undefined) throw new Error(`unknown cmd ${JSON.stringify(req.cmd)}`)
    return h(req, nested)
  } catch (e) {
    const out = { error: String(e && e.message !== undefined ? e.message : e) }
    if (e && Array.isArray(e.events) && e.events.length > 0) out.events = e.events
    return out
  }
}

function answer (line) {
  let resp
  try {
    resp = handle(JSON.parse(line))
  } catch (e) {
    resp = { error: `bad request line: ${e.message}` }
  }
  // Pipes are written synchronously on Linux, so responses stay in order and complete.
  process.stdout.write(JSON.stringify(resp) + '\n')
}

let pending = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', chunk => {
  pending += chunk
  let start = 0
  let nl
  while ((nl = pending.indexOf('\n', start)) >= 0) {
    const line = pending.slice(start, nl)
    start = nl + 1
    if (line.trim() !== '') answer(line)
  }
  pending = pending.slice(start)
})
process.stdin.on('end', () => process.exit(0))
