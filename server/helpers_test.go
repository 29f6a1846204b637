package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store/boltstore"
	"github.com/google/uuid"
	"github.com/gorilla/websocket"
)

const waitFor = 5 * time.Second

type testEnv struct {
	t    testing.TB
	srv  *Server
	http *httptest.Server
	st   *boltstore.Store
	path string
}

func openStore(t testing.TB, path string) *boltstore.Store {
	t.Helper()
	st, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return st
}

// newEnv starts a server on a fresh store; tweak adjusts its Config.
func newEnv(t testing.TB, tweak func(*Config)) *testEnv {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pads.db")
	return startEnv(t, path, tweak)
}

func startEnv(t testing.TB, path string, tweak func(*Config)) *testEnv {
	t.Helper()
	st := openStore(t, path)
	cfg := Config{Store: st, CoalesceWindow: time.Millisecond, UnloadGrace: time.Minute}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, srv: srv, http: httptest.NewServer(srv), st: st, path: path}
	t.Cleanup(e.stop)
	return e
}

func (e *testEnv) stop() {
	if e.http == nil {
		return
	}
	e.http.CloseClientConnections()
	e.http.Close()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := e.srv.Shutdown(ctx); err != nil {
		e.t.Errorf("shutdown: %v", err)
	}
	_ = e.st.Close()
	e.http = nil
}

func (e *testEnv) wsURL(pad string) string {
	return "ws" + strings.TrimPrefix(e.http.URL, "http") + "/ws/" + pad
}

// client is a Yjs peer built on crdt.Doc that speaks the protocol bytes.
// Only the test goroutine touches doc and writes to ws.
type client struct {
	t   testing.TB
	ws  *websocket.Conn
	doc *crdt.Doc
	in  chan []byte
	end chan error // the read error that ended the connection
	// writeErr is the first failed write; a server that closes a client
	// mid-burst makes the rest of the burst fail, which tests expect.
	writeErr error
	seen     []protocol.Message
	// fromServer holds only what the server sent, which it does only after
	// storing it.
	fromServer *crdt.Doc
	awClock    uint64 // of the awareness state announced under doc's id
}

func (e *testEnv) dial(pad string, hdr http.Header) *client {
	e.t.Helper()
	c, err := e.tryDial(pad, hdr, websocket.DefaultDialer, 1024)
	if err != nil {
		e.t.Fatalf("dial: %v", err)
	}
	return c
}

// tryDial connects; inCap buffers received messages, and 0 makes a client
// whose socket backs up until the test reads from it.
func (e *testEnv) tryDial(pad string, hdr http.Header, d *websocket.Dialer, inCap int) (*client, error) {
	ws, _, err := d.Dial(e.wsURL(pad), hdr)
	if err != nil {
		return nil, err
	}
	c := &client{t: e.t, ws: ws, doc: crdt.NewDoc(crdt.Options{}), fromServer: crdt.NewDoc(crdt.Options{}),
		in: make(chan []byte, inCap), end: make(chan error, 1)}
	c.doc.OnUpdate(func(ev crdt.UpdateEvent) {
		if ev.Local {
			c.write(protocol.EncodeSyncUpdate(ev.Update))
		}
	})
	go func() {
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				c.end <- err
				close(c.in)
				return
			}
			c.in <- b
		}
	}()
	e.t.Cleanup(func() { ws.Close() })
	return c, nil
}

func (c *client) write(b []byte) {
	if err := c.ws.WriteMessage(websocket.BinaryMessage, b); err != nil && c.writeErr == nil {
		c.writeErr = err
	}
}

// handle plays the client side of the protocol for one message.
func (c *client) handle(b []byte) protocol.Message {
	c.t.Helper()
	m, err := protocol.ReadMessage(b)
	if err != nil {
		c.t.Fatalf("server sent malformed message %x: %v", b, err)
	}
	c.seen = append(c.seen, m)
	if m.Type == protocol.MessageSync {
		switch m.SyncType {
		case protocol.SyncStep1:
			sv, err := crdt.DecodeStateVector(m.Payload)
			if err != nil {
				c.t.Fatalf("bad server sv: %v", err)
			}
			c.write(protocol.EncodeSyncStep2(c.doc.EncodeStateAsUpdate(sv)))
			c.write(protocol.EncodeSyncStep1(c.doc.EncodeStateVector()))
		case protocol.SyncStep2, protocol.SyncUpdate:
			if err := c.doc.ApplyUpdateWithOrigin(m.Payload, "server"); err != nil {
				c.t.Fatalf("server update does not apply: %v", err)
			}
			if err := c.fromServer.ApplyUpdate(m.Payload); err != nil {
				c.t.Fatalf("server update does not apply: %v", err)
			}
		}
	}
	return m
}

// until handles messages until cond holds.
func (c *client) until(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.After(waitFor)
	for !cond() {
		select {
		case b, ok := <-c.in:
			if !ok {
				c.t.Fatalf("waiting for %s: connection ended: %v", what, <-c.end)
			}
			c.handle(b)
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// echoed waits until the server has sent back everything this client
// wrote, which it does only after storing it. The server may merge several
// updates into one message, so it compares states, not message counts.
func (c *client) echoed() {
	c.t.Helper()
	c.until("echo of own updates", func() bool {
		id := c.doc.ClientID()
		return c.fromServer.StateVector()[id] >= c.doc.StateVector()[id]
	})
}

func (c *client) waitText(want string) {
	c.t.Helper()
	c.until("text "+want, func() bool { return c.doc.Text("t").String() == want })
}

// synced waits for the server's step 2 answer to our step 1.
func (c *client) synced() {
	c.t.Helper()
	n := 0
	c.until("sync step 2", func() bool {
		for ; n < len(c.seen); n++ {
			if m := c.seen[n]; m.Type == protocol.MessageSync && m.SyncType == protocol.SyncStep2 {
				return true
			}
		}
		return false
	})
}

func (c *client) insert(pos int, s string) {
	c.doc.Transact(func(tx *crdt.Txn) {
		if err := c.doc.Text("t").Insert(tx, pos, s, nil); err != nil {
			c.t.Fatalf("insert: %v", err)
		}
	})
}

// closed drains the connection and returns its close code.
func (c *client) closed() int {
	c.t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case b, ok := <-c.in:
			if ok {
				if m, err := protocol.ReadMessage(b); err == nil {
					c.seen = append(c.seen, m)
				}
			} else {
				err := <-c.end
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					return ce.Code
				}
				c.t.Fatalf("connection ended without close frame: %v", err)
			}
		case <-deadline:
			c.t.Fatal("timed out waiting for close")
		}
	}
}

func newPadID() string { return uuid.NewString() }

// smallBufDialer shrinks the client's receive buffer before connecting, so
// the advertised window stays small and a client that stops reading backs
// up into the server quickly.
var smallBufDialer = &websocket.Dialer{
	NetDial: func(network, addr string) (net.Conn, error) {
		d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
			})
			if err != nil {
				return err
			}
			return serr
		}}
		return d.Dial(network, addr)
	},
	HandshakeTimeout: waitFor,
}
