// The pad's Yjs document, bound to the server through y-websocket and kept
// in the browser with y-indexeddb, plus the connection state people see.
import * as Y from 'yjs'
import { WebsocketProvider, messageSync, messageAuth } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as authProtocol from 'y-protocols/auth'
import { SaveTracker } from './savetracker.js'

// probeDelay batches acknowledgement requests while someone types.
const probeDelay = 250

export function wsBase (loc = window.location) {
  return (loc.protocol === 'https:' ? 'wss://' : 'ws://') + loc.host + '/ws'
}

// openPad connects to pad id (an edit or a read-only id). onStatus receives
// 'connecting' | 'connected' | 'offline' | 'saving' | 'saved'. onDenied
// receives {reason} when the server refuses our writes or the pad, and
// {code, reason} when it closes the socket for good (close codes 4400 to
// 4499, after which the provider stops reconnecting).
export function openPad ({ id, readOnly, onStatus = () => {}, onDenied = () => {} }) {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('default')
  // A read-only view never has changes of its own to keep.
  const persistence = readOnly ? null : new IndexeddbPersistence('commonpad:' + id, doc)
  const provider = new WebsocketProvider(wsBase(), id, doc, { connect: false })
  if (readOnly) provider.awareness.setLocalState(null)

  const tracker = new SaveTracker(onStatus)
  let probeTimer = 0
  // sockets counts the connections opened; copyWaiters are serverCopy
  // calls waiting for a connection opened after they were made.
  let sockets = 0
  let copyWaiters = []

  const sendProbe = () => {
    probeTimer = 0
    const ws = provider.ws
    if (!tracker.needsProbe() || !ws || ws.readyState !== WebSocket.OPEN) return
    const enc = encoding.createEncoder()
    encoding.writeVarUint(enc, messageSync)
    syncProtocol.writeSyncStep1(enc, doc)
    ws.send(encoding.toUint8Array(enc))
    tracker.probeSent()
  }
  const maybeProbe = () => {
    if (!probeTimer && tracker.needsProbe()) probeTimer = setTimeout(sendProbe, probeDelay)
  }

  const handleSync = provider.messageHandlers[messageSync]
  provider.messageHandlers[messageSync] = (encoder, decoder, p, fromSocket, type) => {
    // Sync message types are single-byte varuints: peek without consuming.
    const syncType = decoder.arr[decoder.pos]
    const payload = fromSocket && copyWaiters.length > 0 ? syncPayload(decoder) : null
    handleSync(encoder, decoder, p, fromSocket, type)
    if (!fromSocket) return // another tab, through BroadcastChannel
    if (payload) serverSpoke(syncType, payload)
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      // The provider sends our answer when this handler returns; a probe
      // must follow it, hence the microtask.
      queueMicrotask(() => {
        tracker.serverStep1Answered()
        maybeProbe()
      })
    } else if (syncType === syncProtocol.messageYjsSyncStep2) {
      tracker.step2Received()
      maybeProbe()
    }
  }
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => onDenied({ reason }))
  }

  provider.on('status', ({ status }) => {
    if (status === 'connected') {
      sockets++
      tracker.opened()
      // The server dropped our presence when the last connection closed,
      // and y-websocket announces it again under the same clock, which
      // everyone ignores as old news: renewing it gives it a new clock.
      const me = provider.awareness.getLocalState()
      if (me !== null) provider.awareness.setLocalState(me)
    }
    else if (status === 'disconnected') tracker.closed()
  })
  provider.on('connection-close', () => tracker.closed())
  provider.on('closed', ({ code, reason }) => onDenied({ code, reason }))
  doc.on('update', (_update, origin) => {
    if (origin === provider || readOnly) return
    tracker.localChange()
    maybeProbe()
  })

  // The server describes its copy to each new connection: its state
  // vector in its step 1, its whole delete set in the step 2 answering
  // ours (sent once the store has everything, see SaveTracker).
  const serverSpoke = (syncType, payload) => {
    const still = []
    for (const w of copyWaiters) {
      if (sockets <= w.after) {
        still.push(w)
        continue
      }
      try {
        if (syncType === syncProtocol.messageYjsSyncStep1) w.sv = Y.decodeStateVector(payload)
        else if (syncType === syncProtocol.messageYjsSyncStep2) w.deleted = Y.decodeUpdate(payload).ds.clients
      } catch {
        // A message we cannot read proves nothing; wait for the next one.
      }
      if (w.sv && w.deleted) w.resolve({ sv: w.sv, deleted: w.deleted })
      else still.push(w)
    }
    copyWaiters = still
  }

  // The browser knows it lost the network before the socket does.
  const offline = () => provider.disconnect()
  const online = () => provider.connect()
  window.addEventListener('offline', offline)
  window.addEventListener('online', online)
  if (navigator.onLine !== false) provider.connect()
  else tracker.closed()

  return {
    doc,
    fragment,
    provider,
    awareness: provider.awareness,
    persistence,
    tracker,
    // serverCopy resolves with what the server holds ({sv, deleted}, see
    // unsaved.js) as told to a connection opened after the call: on a
    // finished pad, where nothing changes any more, that is final. An open
    // connection is replaced, since it may predate the finish.
    serverCopy () {
      return new Promise(resolve => {
        copyWaiters.push({ after: sockets, sv: null, deleted: null, resolve })
        if (provider.ws) {
          provider.disconnect()
          provider.connect()
        }
      })
    },
    // localCopy describes this device's document the same way.
    localCopy () {
      const s = Y.snapshot(doc)
      return { sv: s.sv, deleted: s.ds.clients }
    },
    destroy () {
      window.removeEventListener('offline', offline)
      window.removeEventListener('online', online)
      clearTimeout(probeTimer)
      provider.destroy()
      persistence?.destroy()
      doc.destroy()
    }
  }
}

// syncPayload reads the state vector or update of a sync message without
// consuming it; null when the message is cut short.
function syncPayload (decoder) {
  try {
    const d = decoding.clone(decoder)
    decoding.readVarUint(d)
    return decoding.readVarUint8Array(d)
  } catch {
    return null
  }
}
