package server

import (
	"strings"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store"
)

func TestTwoClientsConverge(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	a, b := e.dial(pad, nil), e.dial(pad, nil)
	a.synced()
	b.synced()
	a.insert(0, "hello")
	b.waitText("hello")
	b.insert(5, " world")
	a.insert(0, ">")
	a.waitText(">hello world")
	b.waitText(">hello world")
}

func TestLateJoinerGetsEverything(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	for i := range 20 {
		a.insert(i, "x")
	}
	a.echoed()
	late := e.dial(pad, nil)
	late.synced()
	if got := late.doc.Text("t").String(); got != strings.Repeat("x", 20) {
		t.Fatalf("late joiner has %q after sync", got)
	}
}

func TestAwarenessEchoedAndRemovedOnClose(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	state := protocol.EncodeAwareness(protocol.EncodeAwarenessUpdate([]protocol.AwarenessEntry{
		{ClientID: 77, Clock: 1, State: `{"user":{"name":"A"}}`},
	}))
	a.write(state)
	a.until("awareness echo", func() bool { return lastAwareness(a, 77) == `{"user":{"name":"A"}}` })

	b := e.dial(pad, nil)
	b.until("awareness on connect", func() bool { return lastAwareness(b, 77) == `{"user":{"name":"A"}}` })
	a.ws.Close()
	b.until("awareness removal", func() bool { return lastAwareness(b, 77) == "null" })
}

// lastAwareness returns the last state c received for client id.
func lastAwareness(c *client, id uint64) string {
	state := ""
	for _, m := range c.seen {
		if m.Type != protocol.MessageAwareness {
			continue
		}
		entries, err := protocol.DecodeAwarenessUpdate(m.Payload)
		if err != nil {
			c.t.Fatalf("bad awareness from server: %v", err)
		}
		for _, en := range entries {
			if en.ClientID == id {
				state = en.State
			}
		}
	}
	return state
}

func TestQueryAwareness(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	a.write(protocol.EncodeAwareness(protocol.EncodeAwarenessUpdate([]protocol.AwarenessEntry{
		{ClientID: 5, Clock: 3, State: `{"x":1}`},
	})))
	a.until("echo", func() bool { return lastAwareness(a, 5) == `{"x":1}` })
	before := len(a.seen)
	a.write(protocol.EncodeQueryAwareness())
	a.until("query answer", func() bool {
		for _, m := range a.seen[before:] {
			if m.Type == protocol.MessageAwareness {
				return true
			}
		}
		return false
	})
}

func TestMalformedUpdateClosesOnlyThatConnection(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	good, bad := e.dial(pad, nil), e.dial(pad, nil)
	good.synced()
	bad.synced()
	good.insert(0, "keep")
	good.echoed()
	bad.write(protocol.EncodeSyncUpdate([]byte{0x05, 0xff, 0xff, 0xff, 0x01}))
	if code := bad.closed(); code != closeInvalidData {
		t.Fatalf("bad client closed with %d, want %d", code, closeInvalidData)
	}
	good.insert(4, "!")
	good.echoed()
	late := e.dial(pad, nil)
	late.synced()
	if got := late.doc.Text("t").String(); got != "keep!" {
		t.Fatalf("pad is %q after a malformed update", got)
	}
}

func TestRestartKeepsState(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	a.insert(0, "durable")
	a.echoed()
	e.stop()

	e2 := startEnv(t, e.path, nil)
	b := e2.dial(pad, nil)
	b.synced()
	if got := b.doc.Text("t").String(); got != "durable" {
		t.Fatalf("after restart pad is %q", got)
	}
}

func TestUnloadWritesSnapshot(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.UnloadGrace = 20 * 1e6 }) // 20 ms
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	a.insert(0, "snap")
	a.echoed()
	a.ws.Close()
	var snap store.Snapshot
	for deadline := waitFor; deadline > 0; deadline -= tick {
		var err error
		if snap, err = e.st.Load(t.Context(), pad); err != nil {
			t.Fatal(err)
		}
		if snap.State != nil && e.srv.OpenPads() == 0 {
			break
		}
		sleepBriefly()
	}
	if n := e.srv.OpenPads(); n != 0 {
		t.Fatalf("%d pads still open after the grace period", n)
	}
	if snap.State == nil || len(snap.Records) != 0 {
		t.Fatalf("after unload: state %d bytes, %d records; want a snapshot and no records", len(snap.State), len(snap.Records))
	}
	b := e.dial(pad, nil)
	b.synced()
	if got := b.doc.Text("t").String(); got != "snap" {
		t.Fatalf("reloaded pad is %q", got)
	}
}

func awarenessOf(id, clock uint64, state string) []byte {
	return protocol.EncodeAwareness(protocol.EncodeAwarenessUpdate([]protocol.AwarenessEntry{
		{ClientID: id, Clock: clock, State: state},
	}))
}

func TestReannouncedAwarenessIsRemovedOnClose(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	a, b := e.dial(pad, nil), e.dial(pad, nil)
	a.synced()
	b.synced()
	a.write(awarenessOf(7, 1, `{"n":1}`))
	b.until("state", func() bool { return lastAwareness(b, 7) == `{"n":1}` })
	a.write(awarenessOf(7, 2, "null")) // the client clears its own state...
	b.until("removal", func() bool { return lastAwareness(b, 7) == "null" })
	a.write(awarenessOf(7, 3, `{"n":2}`)) // ...and announces a new one
	b.until("new state", func() bool { return lastAwareness(b, 7) == `{"n":2}` })
	a.ws.Close()
	b.until("removal on close", func() bool { return lastAwareness(b, 7) == "null" })
}

func TestAwarenessBelongsToTheLastConnectionThatAnnouncedIt(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	old, b := e.dial(pad, nil), e.dial(pad, nil)
	old.synced()
	b.synced()
	old.write(awarenessOf(8, 1, `{"conn":"old"}`))
	b.until("state", func() bool { return lastAwareness(b, 8) == `{"conn":"old"}` })
	// The same client reconnects before its old connection is gone.
	fresh := e.dial(pad, nil)
	fresh.synced()
	fresh.write(awarenessOf(8, 2, `{"conn":"new"}`))
	b.until("new state", func() bool { return lastAwareness(b, 8) == `{"conn":"new"}` })

	old.ws.Close()
	// The gauge drops after the old connection's leave is in the room's
	// inbox; b's query is queued behind it, so its answer comes after.
	for deadline := time.Now().Add(waitFor); e.scrape()["commonpad_connections"] != 2; sleepBriefly() {
		if time.Now().After(deadline) {
			t.Fatal("old connection never went away")
		}
	}
	before := len(b.seen)
	b.write(protocol.EncodeQueryAwareness())
	b.until("query answer", func() bool { return len(b.seen) > before })
	if got := lastAwareness(b, 8); got != `{"conn":"new"}` {
		t.Fatalf("after the old connection closed, client 8's state is %s", got)
	}
	fresh.ws.Close()
	b.until("removal when the owner closes", func() bool { return lastAwareness(b, 8) == "null" })
}

// y-websocket clients send back every awareness change they receive,
// others' states included, under the same clock. Such an echo changes
// nothing and must not make the echoing connection the state's owner: the
// state leaves with the connection that announced it, while the echoer
// stays.
func TestEchoedAwarenessKeepsItsOwner(t *testing.T) {
	e := newEnv(t, nil)
	pad := newPadID()
	owner, echoer, watcher := e.dial(pad, nil), e.dial(pad, nil), e.dial(pad, nil)
	for _, c := range []*client{owner, echoer, watcher} {
		c.synced()
	}
	owner.write(awarenessOf(11, 3, `{"user":{"name":"Ana"}}`))
	echoer.until("state", func() bool { return lastAwareness(echoer, 11) == `{"user":{"name":"Ana"}}` })
	echoer.write(awarenessOf(11, 3, `{"user":{"name":"Ana"}}`))
	before := len(echoer.seen)
	echoer.write(protocol.EncodeQueryAwareness()) // the echo is handled before the query
	echoer.until("query answer", func() bool { return len(echoer.seen) > before })
	owner.ws.Close() // the echoer stays
	watcher.until("removal when the owner closes", func() bool { return lastAwareness(watcher, 11) == "null" })
}
