import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SaveTracker } from '../savetracker.js'

function tracker () {
  const seen = []
  const s = new SaveTracker(state => seen.push(state))
  return { s, seen }
}

test('connecting, connected, saving, saved', () => {
  const { s, seen } = tracker()
  assert.equal(s.state(), 'connecting')
  s.opened()
  assert.equal(s.state(), 'connecting', 'not synced yet')
  s.step2Received() // answer to the provider's own step 1
  s.serverStep1Answered()
  assert.equal(s.state(), 'connected')
  s.localChange()
  assert.equal(s.state(), 'saving')
  assert.ok(s.needsProbe())
  s.probeSent()
  assert.ok(!s.needsProbe(), 'one probe covers the changes sent so far')
  s.localChange()
  assert.ok(s.needsProbe())
  s.step2Received() // answers the first probe: only the first change is durable
  assert.equal(s.state(), 'saving')
  s.probeSent()
  s.step2Received()
  assert.equal(s.state(), 'saved')
  assert.deepEqual(seen, ['connected', 'saving', 'saved'])
})

test('the provider\'s own step 1 answer proves nothing', () => {
  const { s } = tracker()
  s.opened()
  s.localChange() // sent as an update before sync
  s.step2Received()
  assert.equal(s.state(), 'saving')
})

test('no probe before our answer to the server\'s step 1', () => {
  const { s } = tracker()
  s.opened()
  s.localChange()
  s.step2Received()
  assert.ok(!s.needsProbe(), 'offline changes go out in that answer; a probe before it would lie')
  s.serverStep1Answered()
  assert.ok(s.needsProbe())
})

test('offline keeps the changes unsaved until a probe after reconnecting', () => {
  const { s } = tracker()
  s.opened()
  s.step2Received()
  s.serverStep1Answered()
  s.localChange()
  s.probeSent()
  s.closed() // the probe's answer is lost with the socket
  assert.equal(s.state(), 'offline')
  s.localChange()
  assert.ok(!s.needsProbe())
  s.opened()
  s.step2Received()
  assert.equal(s.state(), 'saving')
  s.serverStep1Answered()
  assert.ok(s.needsProbe(), 'the lost probe is sent again')
  s.probeSent()
  s.step2Received()
  assert.equal(s.state(), 'saved')
})
