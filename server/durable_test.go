package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store"
)

// recordingStore wraps a real store to watch and hold back appends.
type recordingStore struct {
	Store
	gate    chan struct{} // if not nil, each Append waits for a receive
	entered chan int      // receives the number of updates of each Append
	failing atomic.Bool   // makes Append fail
	flaky   atomic.Int32  // makes this many more Appends fail

	mu    sync.Mutex
	calls []int
}

func (s *recordingStore) Append(ctx context.Context, pad, origin string, updates ...[]byte) ([]store.Seq, error) {
	s.mu.Lock()
	s.calls = append(s.calls, len(updates))
	s.mu.Unlock()
	if s.entered != nil {
		s.entered <- len(updates)
	}
	if s.gate != nil {
		<-s.gate
	}
	if s.failing.Load() || s.flaky.Add(-1) >= 0 {
		return nil, errors.New("test: disk on fire")
	}
	return s.Store.Append(ctx, pad, origin, updates...)
}

func countUpdates(c *client) int {
	n := 0
	for _, m := range c.seen {
		if m.Type == protocol.MessageSync && m.SyncType == protocol.SyncUpdate {
			n++
		}
	}
	return n
}

func TestUpdateIsStoredBeforeAnyoneSeesIt(t *testing.T) {
	rs := &recordingStore{gate: make(chan struct{}), entered: make(chan int, 16)}
	e := newEnv(t, func(c *Config) {
		rs.Store = c.Store
		c.Store = rs
	})
	release := sync.OnceFunc(func() { close(rs.gate) })
	t.Cleanup(release) // runs before the server's cleanup, so a failing test cannot wedge the room
	pad := newPadID()
	a, b := e.dial(pad, nil), e.dial(pad, nil)
	a.synced()
	b.synced()
	a.insert(0, "held")
	select {
	case <-rs.entered:
	case <-time.After(waitFor):
		t.Fatal("no append")
	}
	// While the append is held, nobody may receive the update.
	deadline := time.After(100 * time.Millisecond)
	for waiting := true; waiting; {
		select {
		case m := <-b.in:
			b.handle(m)
		case m := <-a.in:
			a.handle(m)
		case <-deadline:
			waiting = false
		}
	}
	if countUpdates(a) != 0 || countUpdates(b) != 0 {
		t.Fatal("an update was broadcast before its append returned")
	}
	release()
	b.waitText("held")
}

// The window spaces a room's appends: an edit after a pause goes out at
// once, and the edits that follow it within the window share one append
// and one message.
func TestUpdatesInOneWindowMakeOneRecordAndOneMessagePerReceiver(t *testing.T) {
	const window = 2 * time.Second
	rs := &recordingStore{}
	e := newEnv(t, func(c *Config) {
		rs.Store = c.Store
		c.Store = rs
		c.CoalesceWindow = window
	})
	pad := newPadID()
	w, r1, r2 := e.dial(pad, nil), e.dial(pad, nil), e.dial(pad, nil)
	for _, c := range []*client{w, r1, r2} {
		c.synced()
	}
	start := time.Now()
	w.insert(0, "w")
	w.echoed()
	if d := time.Since(start); d >= window/2 {
		t.Errorf("an edit after a pause took %v to come back: it waited for the window", d)
	}
	r1.waitText("w")
	r2.waitText("w")
	before := []int{countUpdates(w), countUpdates(r1), countUpdates(r2)}
	rs.mu.Lock()
	rs.calls = nil
	rs.mu.Unlock()
	const n = 10
	for i := range n {
		w.insert(i+1, "c")
	}
	w.echoed()
	r1.waitText("w" + strings.Repeat("c", n))
	r2.waitText("w" + strings.Repeat("c", n))
	for i, c := range []*client{w, r1, r2} {
		if got := countUpdates(c) - before[i]; got != 1 {
			t.Errorf("a receiver got %d update messages for %d updates in one window, want 1", got, n)
		}
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.calls) != 1 || rs.calls[0] != 1 {
		t.Fatalf("appends of one window: %v, want one append of one record", rs.calls)
	}
}

func TestAppendFailureClosesTheRoomWithoutShowingTheUpdate(t *testing.T) {
	rs := &recordingStore{}
	e := newEnv(t, func(c *Config) {
		rs.Store = c.Store
		c.Store = rs
		c.StoreTimeout = 100 * time.Millisecond // the time allowed for retries
	})
	pad := newPadID()
	a, b := e.dial(pad, nil), e.dial(pad, nil)
	a.synced()
	b.synced()
	a.insert(0, "ok")
	a.echoed()
	b.waitText("ok")
	rs.failing.Store(true)
	a.insert(2, "lost")
	for _, c := range []*client{a, b} {
		if code := c.closed(); code != closeInternal {
			t.Fatalf("closed with %d, want %d", code, closeInternal)
		}
	}
	if n := countUpdates(b); n != 1 {
		t.Fatalf("b received %d updates, want only the stored one", n)
	}
	rs.failing.Store(false)
	late := e.dial(pad, nil)
	late.synced()
	if got := late.doc.Text("t").String(); got != "ok" {
		t.Fatalf("reloaded pad is %q", got)
	}
}

func TestRoomServesWhileAnAppendIsHeld(t *testing.T) {
	rs := &recordingStore{gate: make(chan struct{}), entered: make(chan int, 16)}
	e := newEnv(t, func(c *Config) {
		rs.Store = c.Store
		c.Store = rs
	})
	release := sync.OnceFunc(func() { close(rs.gate) })
	t.Cleanup(release)
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	a.insert(0, "held")
	select {
	case <-rs.entered:
	case <-time.After(waitFor):
		t.Fatal("no append")
	}
	// With the append stuck in the store, the room still takes joins and
	// relays awareness...
	b := e.dial(pad, nil)
	b.until("sync step 1 from the server", func() bool {
		return len(b.seen) > 0 && b.seen[0].Type == protocol.MessageSync && b.seen[0].SyncType == protocol.SyncStep1
	})
	a.write(protocol.EncodeAwareness(protocol.EncodeAwarenessUpdate([]protocol.AwarenessEntry{
		{ClientID: 3, Clock: 1, State: `{"n":"a"}`},
	})))
	b.until("awareness", func() bool { return lastAwareness(b, 3) == `{"n":"a"}` })
	// ...but answers b's sync step 1 only once the update is durable.
	for _, m := range b.seen {
		if m.Type == protocol.MessageSync && m.SyncType == protocol.SyncStep2 {
			t.Fatal("sync step 2 sent while the pad's last update was not durable")
		}
	}
	if b.doc.Text("t").String() != "" {
		t.Fatal("b saw an update that is not durable")
	}
	release()
	b.synced()
	b.waitText("held")
}

func TestTransientAppendFailuresAreRetried(t *testing.T) {
	rs := &recordingStore{}
	e := newEnv(t, func(c *Config) {
		rs.Store = c.Store
		c.Store = rs
	})
	pad := newPadID()
	a, b := e.dial(pad, nil), e.dial(pad, nil)
	a.synced()
	b.synced()
	rs.flaky.Store(2)
	a.insert(0, "survives")
	b.waitText("survives")
	a.echoed()
	if n := e.scrape()[`commonpad_store_errors_total{op="append"}`]; n != 2 {
		t.Fatalf("%v append errors counted, want 2", n)
	}
}

func TestLoadedPadIsCompactedAndStaysUnderMaxPadBytes(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.CompactBytes = 300
		c.MaxPadBytes = 1500
	})
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	// Typing and deleting writes far more than MaxPadBytes of records, but
	// the text, and so each snapshot, stays small.
	for i := range 100 {
		a.insert(0, fmt.Sprintf("line %03d\n", i))
		a.doc.Transact(func(tx *crdt.Txn) {
			if err := a.doc.Text("t").Delete(tx, 0, 9); err != nil {
				t.Fatal(err)
			}
		})
		a.echoed()
	}
	a.insert(0, "end")
	a.echoed()
	snap, err := e.st.Load(t.Context(), pad)
	if err != nil {
		t.Fatal(err)
	}
	if snap.State == nil {
		t.Fatal("no snapshot while the pad is loaded")
	}
	stored := len(snap.State)
	for _, r := range snap.Records {
		stored += len(r.Update)
	}
	if stored > 1500 {
		t.Fatalf("the pad takes %d bytes in the store", stored)
	}
	late := e.dial(pad, nil)
	late.synced()
	if got := late.doc.Text("t").String(); got != "end" {
		t.Fatalf("a new client sees %q", got)
	}
}
