// Two Yjs documents stand for the server and one browser; the browser's
// copy is compared with what the server tells a new connection, the way
// the pad page does once a pad is finished.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { missingEdits, hasMissingEdits, plainText } from '../unsaved.js'
import { schema } from '../editor/schema.js'

function local (doc) {
  const s = Y.snapshot(doc)
  return { sv: s.sv, deleted: s.ds.clients }
}

// server is what a connection learns: the state vector of the server's
// step 1 and the delete set of its step 2 answering the browser's.
function server (serverDoc, browserDoc) {
  const step2 = Y.encodeStateAsUpdate(serverDoc, Y.encodeStateVector(browserDoc))
  Y.applyUpdate(browserDoc, step2) // the browser applies it before comparing
  return { sv: Y.decodeStateVector(Y.encodeStateVector(serverDoc)), deleted: Y.decodeUpdate(step2).ds.clients }
}

function sync (a, b) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

function pair () {
  const srv = new Y.Doc()
  const bob = new Y.Doc()
  srv.getText('t').insert(0, 'Compte rendu. ')
  bob.getText('t').insert(0, 'Bob écrit. ')
  sync(srv, bob)
  return { srv, bob }
}

test('a browser in step with the server has nothing to lose', () => {
  const { srv, bob } = pair()
  assert.deepEqual(missingEdits(local(bob), server(srv, bob)), { inserted: 0, deleted: 0 })
})

test('text typed offline is missing until the server has it', () => {
  const { srv, bob } = pair()
  bob.getText('t').insert(0, 'Ajout hors ligne')
  const m = missingEdits(local(bob), server(srv, bob))
  assert.equal(m.inserted, 'Ajout hors ligne'.length)
  sync(srv, bob)
  assert.equal(hasMissingEdits(local(bob), server(srv, bob)), false)
})

test('edits of others the browser had not seen are not its own loss', () => {
  const { srv, bob } = pair()
  const alice = new Y.Doc()
  sync(srv, alice)
  alice.getText('t').insert(0, 'Alice finit. ')
  alice.getText('t').delete(14, 5)
  sync(alice, srv)
  assert.equal(hasMissingEdits(local(bob), server(srv, bob)), false)
  assert.ok(bob.getText('t').toString().startsWith('Alice finit. '), 'the step 2 brought them in')
})

test('a deletion made offline is missing though it adds no item', () => {
  const { srv, bob } = pair()
  bob.getText('t').delete(0, 5)
  assert.deepEqual(missingEdits(local(bob), server(srv, bob)), { inserted: 0, deleted: 5 })
  sync(srv, bob)
  assert.deepEqual(missingEdits(local(bob), server(srv, bob)), { inserted: 0, deleted: 0 })
})

test('text typed then deleted offline counts once, as an insertion', () => {
  const { srv, bob } = pair()
  bob.getText('t').insert(0, 'brouillon')
  bob.getText('t').delete(0, 9)
  assert.deepEqual(missingEdits(local(bob), server(srv, bob)), { inserted: 9, deleted: 0 })
})

test('deletions split into ranges are compared by clock, whatever the split', () => {
  const sv = new Map([[7, 20]])
  const mine = { sv, deleted: new Map([[7, [{ clock: 2, len: 8 }]]]) }
  const theirs = { sv, deleted: new Map([[7, [{ clock: 6, len: 4 }, { clock: 2, len: 4 }, { clock: 3, len: 2 }]]]) }
  assert.deepEqual(missingEdits(mine, theirs), { inserted: 0, deleted: 0 })
  const partly = { sv, deleted: new Map([[7, [{ clock: 2, len: 3 }, { clock: 8, len: 5 }]]]) }
  assert.deepEqual(missingEdits(mine, partly), { inserted: 0, deleted: 3 }, 'clocks 5 to 7 are deleted here only')
  assert.deepEqual(missingEdits({ sv, deleted: new Map([[7, [{ clock: 2, len: 4 }, { clock: 4, len: 4 }]]]) }, { sv, deleted: new Map() }), { inserted: 0, deleted: 6 }, 'overlapping local ranges count each clock once')
})

test('plain text has one line per block and keeps line breaks', () => {
  const { nodes: n } = schema
  const doc = n.doc.create(null, [
    n.heading.create({ level: 1 }, schema.text('Compte rendu')),
    n.bulletList.create(null, [n.listItem.create(null, n.paragraph.create(null, schema.text('point')))]),
    n.paragraph.create(null, [schema.text('Ajout'), n.hardBreak.create(), schema.text('hors ligne')]),
    n.paragraph.create()
  ])
  assert.equal(plainText(doc), 'Compte rendu\npoint\nAjout\nhors ligne\n')
})
