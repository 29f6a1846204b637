package server

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/gorilla/websocket"
)

// BenchmarkFanOut measures how many updates per second one room takes from
// a writer and delivers to every member, over real sockets and the real
// store. The writer does not wait between updates, so the room coalesces
// whatever arrives while it is busy; msgs/update shows how far. The
// maxbatch=1 case turns coalescing off, for comparison.
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) { benchFanOut(b, n, 0) })
	}
	b.Run("members=100/maxbatch=1", func(b *testing.B) { benchFanOut(b, 100, 1) })
}

// benchMember counts the update messages one socket receives.
type benchMember struct {
	ws      *websocket.Conn
	joined  chan struct{} // closed on the first message: the room has it as a member
	updates atomic.Int64
}

func (m *benchMember) read(wg *sync.WaitGroup, observe func(payload []byte)) {
	defer wg.Done()
	first := true
	for {
		_, b, err := m.ws.ReadMessage()
		if err != nil {
			return
		}
		if first {
			close(m.joined)
			first = false
		}
		msg, err := protocol.ReadMessage(b)
		if err != nil || msg.Type != protocol.MessageSync || msg.SyncType != protocol.SyncUpdate {
			continue
		}
		if observe != nil {
			observe(msg.Payload)
		}
		m.updates.Add(1)
	}
}

func benchFanOut(b *testing.B, n, maxBatch int) {
	e := newEnv(b, func(c *Config) {
		c.CoalesceWindow = 0 // the default
		c.MaxBatch = maxBatch
		c.UpdatesPerSecond = -1
		c.MaxConnsPerPad = n + 1
	})
	pad := newPadID()
	members := make([]*benchMember, n)
	var wg sync.WaitGroup
	// The first member also applies what it receives, to tell when the
	// last update has arrived.
	observer := crdt.NewDoc(crdt.Options{})
	var delivered atomic.Int64 // the observer's text length
	for i := range members {
		ws, _, err := websocket.DefaultDialer.Dial(e.wsURL(pad), nil)
		if err != nil {
			b.Fatalf("dial member %d: %v", i, err)
		}
		m := &benchMember{ws: ws, joined: make(chan struct{})}
		members[i] = m
		var observe func([]byte)
		if i == 0 {
			observe = func(p []byte) {
				if observer.ApplyUpdate(p) == nil {
					delivered.Store(int64(observer.Text("t").Len()))
				}
			}
		}
		wg.Add(1)
		go m.read(&wg, observe)
	}
	defer func() {
		for _, m := range members {
			m.ws.Close()
		}
		wg.Wait()
	}()
	for _, m := range members {
		<-m.joined
	}
	writer, _, err := websocket.DefaultDialer.Dial(e.wsURL(pad), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer writer.Close()
	go func() { // the writer's own echoes are not measured
		for {
			if _, _, err := writer.ReadMessage(); err != nil {
				return
			}
		}
	}()
	doc := crdt.NewDoc(crdt.Options{})
	text := doc.Text("t")
	var pending []byte
	doc.OnUpdate(func(ev crdt.UpdateEvent) { pending = protocol.EncodeSyncUpdate(ev.Update) })

	b.ReportAllocs()
	b.ResetTimer()
	// A classic b.N loop rather than b.Loop: the time until every member has
	// every update belongs in the measurement, and b.Loop stops the timer
	// when the loop ends.
	for i := range b.N {
		doc.Transact(func(tx *crdt.Txn) { _ = text.Insert(tx, i, "x", nil) })
		if err := writer.WriteMessage(websocket.BinaryMessage, pending); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for delivered.Load() < int64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("observer has %d of %d updates", delivered.Load(), b.N)
		}
		time.Sleep(50 * time.Microsecond)
	}
	msgs := members[0].updates.Load()
	for _, m := range members[1:] {
		for m.updates.Load() < msgs {
			if time.Now().After(deadline) {
				b.Fatalf("a member has %d of %d messages", m.updates.Load(), msgs)
			}
			time.Sleep(50 * time.Microsecond)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	b.ReportMetric(float64(msgs)/float64(b.N), "msgs/update")
	b.ReportMetric(float64(int64(n)*msgs)/b.Elapsed().Seconds(), "deliveries/s")
}
