package server

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store/redisstore"
	redistest "github.com/commonpad/commonpad/tools/redis-test"
	"github.com/gorilla/websocket"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// BenchmarkCrossInstanceLatency measures what crossing instances adds to
// an edit: a writer on instance A sends one update at a time, and the time
// until a reader on A and a reader on B receive it is recorded. Both
// instances have their own Redis client and store on one redis-server, as
// two processes would; B learns of the update from its follower.
//
// The coalescing window delays both paths alike; it runs with the default
// window and without one, which shows the crossing itself.
func BenchmarkCrossInstanceLatency(b *testing.B) {
	b.Run("window=default", func(b *testing.B) { benchCrossInstance(b, 0) })
	b.Run("window=off", func(b *testing.B) { benchCrossInstance(b, -1) })
}

func benchCrossInstance(b *testing.B, window time.Duration) {
	rs, err := redistest.Start(context.Background())
	if err != nil {
		if redistest.Required() {
			b.Fatal(err)
		}
		b.Skip(err)
	}
	b.Cleanup(func() { _ = rs.Stop() })
	bus := &memBus{}
	var urls [2]string
	for i := range urls {
		rdb := redis.NewClient(&redis.Options{Addr: rs.Addr,
			MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}})
		st, err := redisstore.New(rdb, redisstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		srv, err := New(Config{Store: st, Bus: bus, UpdatesPerSecond: -1, CoalesceWindow: window})
		if err != nil {
			b.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		urls[i] = "ws" + hs.URL[len("http"):] + "/ws/"
		b.Cleanup(func() {
			hs.CloseClientConnections()
			hs.Close()
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			defer cancel()
			_ = srv.Shutdown(ctx)
			_ = st.Close()
			_ = rdb.Close()
		})
	}
	pad := newPadID()
	dial := func(url string) *websocket.Conn {
		ws, _, err := websocket.DefaultDialer.Dial(url+pad, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { ws.Close() })
		return ws
	}
	// receipts reports when each sync update reaches ws.
	receipts := func(ws *websocket.Conn) <-chan time.Time {
		ch := make(chan time.Time, 16)
		go func() {
			for {
				_, m, err := ws.ReadMessage()
				if err != nil {
					close(ch)
					return
				}
				if msg, err := protocol.ReadMessage(m); err == nil && msg.Type == protocol.MessageSync && msg.SyncType == protocol.SyncUpdate {
					ch <- time.Now()
				}
			}
		}()
		return ch
	}
	writer := dial(urls[0])
	_ = receipts(writer) // echoes, drained
	local, remote := receipts(dial(urls[0])), receipts(dial(urls[1]))
	doc := crdt.NewDoc(crdt.Options{})
	var update []byte
	doc.OnUpdate(func(ev crdt.UpdateEvent) { update = append(update[:0], ev.Update...) })
	time.Sleep(100 * time.Millisecond) // both rooms loaded and following

	var same, cross []time.Duration
	b.ResetTimer()
	for i := range b.N {
		doc.Transact(func(tx *crdt.Txn) { _ = doc.Text("t").Insert(tx, i, "x", nil) })
		start := time.Now()
		if err := writer.WriteMessage(websocket.BinaryMessage, protocol.EncodeSyncUpdate(update)); err != nil {
			b.Fatal(err)
		}
		for _, r := range []struct {
			ch  <-chan time.Time
			out *[]time.Duration
		}{{local, &same}, {remote, &cross}} {
			select {
			case at, ok := <-r.ch:
				if !ok {
					b.Fatal("reader disconnected")
				}
				*r.out = append(*r.out, at.Sub(start))
			case <-time.After(waitFor):
				b.Fatal("update not received")
			}
		}
	}
	b.StopTimer()
	pct := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds())
	}
	b.ReportMetric(pct(same, 0.50), "same-p50-µs")
	b.ReportMetric(pct(same, 0.99), "same-p99-µs")
	b.ReportMetric(pct(cross, 0.50), "cross-p50-µs")
	b.ReportMetric(pct(cross, 0.99), "cross-p99-µs")
	b.Logf("%d edits: same instance p50 %.0f µs p99 %.0f µs; cross instance p50 %.0f µs p99 %.0f µs",
		len(same), pct(same, 0.5), pct(same, 0.99), pct(cross, 0.5), pct(cross, 0.99))
}
