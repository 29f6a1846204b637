package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/gorilla/websocket"
)

const tick = 5 * time.Millisecond

func sleepBriefly() { time.Sleep(tick) }

func TestMessageTooBig(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxMessageBytes = 1024 })
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	a.insert(0, strings.Repeat("y", 2000))
	if code := a.closed(); code != closeTooBig {
		t.Fatalf("closed with %d, want %d", code, closeTooBig)
	}
	e.wantMetric(`commonpad_rejected_messages_total{reason="too_big"}`, 1)
	b := e.dial(pad, nil)
	b.synced()
	if got := b.doc.Text("t").String(); got != "" {
		t.Fatalf("oversized update reached the pad: %d bytes", len(got))
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.UpdatesPerSecond = 5 })
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	for i := range 20 {
		a.insert(i, "z")
	}
	if code := a.closed(); code != closeRateLimited {
		t.Fatalf("closed with %d, want %d", code, closeRateLimited)
	}
	e.wantMetric(`commonpad_rejected_messages_total{reason="rate_limited"}`, 1)
}

func TestMaxConnsPerPad(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxConnsPerPad = 1 })
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	b := e.dial(pad, nil)
	if code := b.closed(); code != closeTryLater {
		t.Fatalf("second connection closed with %d, want %d", code, closeTryLater)
	}
	e.wantMetric(`commonpad_refused_connections_total{reason="room_full"}`, 1)
	other := e.dial(newPadID(), nil) // the limit is per pad
	other.synced()
}

func TestAllowedOrigins(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AllowedOrigins = []string{"https://good.example"} })
	pad := newPadID()
	_, err := e.tryDial(pad, http.Header{"Origin": {"https://evil.example"}}, websocket.DefaultDialer, 1)
	if err != websocket.ErrBadHandshake {
		t.Fatalf("foreign origin: err = %v, want bad handshake", err)
	}
	c := e.dial(pad, http.Header{"Origin": {"https://good.example"}})
	c.synced()

	def := newEnv(t, nil)
	if _, err := def.tryDial(pad, http.Header{"Origin": {"https://evil.example"}}, websocket.DefaultDialer, 1); err != websocket.ErrBadHandshake {
		t.Fatalf("default config accepted a cross-origin upgrade: %v", err)
	}
	def.dial(pad, nil).synced()
}

func TestSlowConsumerIsDisconnected(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.MaxQueueBytes = 1 << 20
		c.MaxBatch = 4 // a batch is broadcast at once; keep it under the bound
		c.UpdatesPerSecond = -1
	})
	pad := newPadID()
	// The slow client's reader forwards into an unbuffered channel that the
	// test leaves alone while the writer types, so its socket backs up.
	slow, err := e.tryDial(pad, nil, smallBufDialer, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := e.dial(pad, nil)
	w.synced()
	chunk := strings.Repeat("s", 16<<10)
	want := ""
	for i := range 300 {
		w.insert(i*len(chunk), chunk)
		want += chunk
	}
	w.echoed() // the room kept serving the writer
	if w.doc.Text("t").String() != want {
		t.Fatal("writer's text diverged")
	}
	if code := slow.closed(); code != closeSlowConsumer {
		t.Fatalf("slow client closed with %d, want %d", code, closeSlowConsumer)
	}
	e.wantMetric("commonpad_slow_consumer_disconnects_total", 1)
}

func TestNoAutoCreate(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.NoAutoCreate = true })
	c := e.dial(newPadID(), nil)
	if code := c.closed(); code != closeNotFound {
		t.Fatalf("unknown pad closed with %d, want %d", code, closeNotFound)
	}
	denied := false
	for _, m := range c.seen {
		denied = denied || (m.Type == protocol.MessageAuth && m.AuthType == protocol.AuthPermissionDenied)
	}
	if !denied {
		t.Fatal("no permission-denied message before the close")
	}
}

func TestBadPadID(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.tryDial("not-a-uuid", nil, websocket.DefaultDialer, 1); err != websocket.ErrBadHandshake {
		t.Fatalf("err = %v, want bad handshake", err)
	}
}

func TestMaxPadBytes(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxPadBytes = 1000 })
	pad := newPadID()
	a := e.dial(pad, nil)
	a.synced()
	a.insert(0, strings.Repeat("a", 600))
	a.echoed()
	a.insert(600, strings.Repeat("b", 600))
	if code := a.closed(); code != closePadTooLarge {
		t.Fatalf("closed with %d, want %d", code, closePadTooLarge)
	}
	e.wantMetric(`commonpad_rejected_messages_total{reason="pad_too_large"}`, 1)
	b := e.dial(pad, nil)
	b.synced()
	if got := b.doc.Text("t").String(); got != strings.Repeat("a", 600) {
		t.Fatalf("pad holds %d bytes, want the first 600 only", len(got))
	}
}
