// SaveTracker turns what the socket sees into the connection state shown to
// people: connecting, connected, offline, saving or saved.
//
// "Saved" means durable on the server. The server answers a sync step 1
// only once every update it received before it is in its store (see
// server/doc.go, "Update path"), and it answers a connection's messages in
// order. So after our changes went out, a step 1 of our own (a probe) is an
// acknowledgement request: its step 2 answer proves that every change sent
// before it is saved. Changes made offline go out in our answer to the
// server's step 1 after a reconnect, so probes wait for that answer.
export class SaveTracker {
  constructor (onChange = () => {}) {
    this.onChange = onChange
    this.local = 0 // local changes so far
    this.saved = 0 // local changes known to be durable
    this.probed = 0 // local changes covered by the last probe sent
    this.connection = 'connecting'
    this.synced = false
    this.answered = false // our answer to the server's step 1 went out on this socket
    this.pending = [] // one entry per step 1 sent on this socket: the changes it covers, or null
    this.last = this.state()
  }

  localChange () {
    this.local++
    this.emit()
  }

  // opened is called when a socket opens, before the provider sends its own
  // step 1, which covers nothing we track.
  opened () {
    this.connection = 'connected'
    this.synced = false
    this.answered = false
    this.pending = [null]
    this.probed = this.saved
    this.emit()
  }

  closed () {
    this.connection = 'offline'
    this.synced = false
    this.answered = false
    this.pending = []
    this.probed = this.saved
    this.emit()
  }

  serverStep1Answered () {
    this.answered = true
  }

  step2Received () {
    const covers = this.pending.length > 0 ? this.pending.shift() : null
    if (covers != null && covers > this.saved) this.saved = covers
    this.synced = true
    this.emit()
  }

  needsProbe () {
    return this.connection === 'connected' && this.synced && this.answered && this.probed < this.local
  }

  probeSent () {
    this.pending.push(this.local)
    this.probed = this.local
  }

  state () {
    if (this.connection === 'offline') return 'offline'
    if (this.connection !== 'connected' || !this.synced) return 'connecting'
    if (this.saved < this.local) return 'saving'
    return this.local > 0 ? 'saved' : 'connected'
  }

  emit () {
    const s = this.state()
    if (s !== this.last) {
      this.last = s
      this.onChange(s)
    }
  }
}
