package server

import (
	"context"
	"maps"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
)

// memBus is a Bus inside one process, for servers that share a store.
type memBus struct {
	mu   sync.Mutex
	subs map[string]map[int]func([]byte)
	next int
}

func (b *memBus) Publish(pad string, msg []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, fn := range b.subs[pad] {
		fn(append([]byte(nil), msg...))
	}
}

func (b *memBus) Subscribe(pad string, fn func([]byte)) func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = map[string]map[int]func([]byte){}
	}
	if b.subs[pad] == nil {
		b.subs[pad] = map[int]func([]byte){}
	}
	id := b.next
	b.next++
	b.subs[pad][id] = fn
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs[pad], id)
	}
}

// sharedEnvs starts n servers on one bolt store and one bus: n instances
// of one deployment, inside the test process.
func sharedEnvs(t *testing.T, n int, tweak func(*Config)) []*testEnv {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "pads.db"))
	bus := &memBus{}
	envs := make([]*testEnv, n)
	for i := range envs {
		cfg := Config{Store: st, Bus: bus, CoalesceWindow: time.Millisecond, UnloadGrace: time.Minute}
		if tweak != nil {
			tweak(&cfg)
		}
		srv, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		envs[i] = &testEnv{t: t, srv: srv, http: httptest.NewServer(srv), st: st}
	}
	t.Cleanup(func() {
		for _, e := range envs {
			e.http.CloseClientConnections()
			e.http.Close()
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			if err := e.srv.Shutdown(ctx); err != nil {
				t.Errorf("shutdown: %v", err)
			}
			cancel()
		}
		_ = st.Close()
	})
	return envs
}

func TestSharedStoreRelaysUpdates(t *testing.T) {
	envs := sharedEnvs(t, 2, nil)
	pad := newPadID()
	a, b := envs[0].dial(pad, nil), envs[1].dial(pad, nil)
	a.synced()
	b.synced()
	a.insert(0, "hello")
	b.waitText("hello")
	b.insert(5, " world")
	a.waitText("hello world")
	b.echoed()
	// A latecomer on either instance gets the same state.
	for _, e := range envs {
		c := e.dial(pad, nil)
		c.synced()
		c.waitText("hello world")
	}
}

// An instance whose follower finds its records compacted away by another
// instance reloads and goes on relaying.
func TestSharedStoreSurvivesRemoteCompaction(t *testing.T) {
	envs := sharedEnvs(t, 2, func(c *Config) { c.CompactBytes = 64 })
	pad := newPadID()
	a, b := envs[0].dial(pad, nil), envs[1].dial(pad, nil)
	a.synced()
	b.synced()
	want := ""
	for i := range 40 {
		s := strings.Repeat(string(rune('a'+i%26)), 20)
		if i%2 == 0 {
			a.insert(len(want), s)
		} else {
			b.insert(len(want), s)
		}
		want += s
		a.waitText(want)
		b.waitText(want)
	}
	if n := envs[0].srv.metrics.storeErrors[opFollow].Load() + envs[1].srv.metrics.storeErrors[opFollow].Load(); n != 0 {
		t.Errorf("%d follow errors", n)
	}
	c := envs[1].dial(pad, nil)
	c.synced()
	c.waitText(want)
}

// A presence announced on one instance shows on the other, and leaves it
// when its connection closes; a room opened later learns of it too.
func TestSharedStoreRelaysAwareness(t *testing.T) {
	envs := sharedEnvs(t, 3, nil)
	pad := newPadID()
	a, b := envs[0].dial(pad, nil), envs[1].dial(pad, nil)
	a.synced()
	b.synced()
	a.write(protocol.EncodeAwareness(protocol.EncodeAwarenessUpdate([]protocol.AwarenessEntry{{ClientID: 77, Clock: 1, State: `{"user":"ann"}`}})))
	// watch applies c's awareness messages to seen until 77's state is
	// want ("" for absent).
	watch := func(c *client, seen *protocol.Awareness, want string) {
		t.Helper()
		c.until("awareness of 77 = "+want, func() bool {
			for ; len(c.seen) > 0; c.seen = c.seen[1:] {
				if m := c.seen[0]; m.Type == protocol.MessageAwareness {
					if _, err := seen.Apply(m.Payload); err != nil {
						t.Fatal(err)
					}
				}
			}
			st, ok := seen.States()[77]
			return ok && st == want || !ok && want == ""
		})
	}
	var atB, atLate protocol.Awareness
	watch(b, &atB, `{"user":"ann"}`)
	late := envs[2].dial(pad, nil)
	watch(late, &atLate, `{"user":"ann"}`)
	a.ws.Close()
	watch(b, &atB, "")
	watch(late, &atLate, "")
}

// mutedBus drops everything one instance publishes from some point on, as
// if it had been killed: no removal messages, no more liveness.
type mutedBus struct {
	memBus
	muted atomic.Value // origin string
}

func (b *mutedBus) Publish(pad string, msg []byte) {
	if _, origin, _, err := decodeBus(msg); err == nil {
		if m, _ := b.muted.Load().(string); m != "" && string(origin) == m {
			return
		}
	}
	b.memBus.Publish(pad, msg)
}

// The presence of people connected to an instance that dies leaves the
// others' screens once that instance has been silent for instanceTimeout,
// not at the 30 s awareness timeout; a live instance's stays.
func TestPresenceOfADeadInstanceLeaves(t *testing.T) {
	savedTimeout, savedCheck := instanceTimeout, awarenessCheck
	instanceTimeout, awarenessCheck = 700*time.Millisecond, 100*time.Millisecond
	t.Cleanup(func() { instanceTimeout, awarenessCheck = savedTimeout, savedCheck })
	bus := &mutedBus{}
	st := openStore(t, filepath.Join(t.TempDir(), "pads.db"))
	var envs []*testEnv
	for range 3 {
		srv, err := New(Config{Store: st, Bus: bus, CoalesceWindow: time.Millisecond, UnloadGrace: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, &testEnv{t: t, srv: srv, http: httptest.NewServer(srv), st: st})
	}
	t.Cleanup(func() {
		for _, e := range envs {
			e.http.CloseClientConnections()
			e.http.Close()
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			_ = e.srv.Shutdown(ctx)
			cancel()
		}
		_ = st.Close()
	})
	pad := newPadID()
	watcher, dying, living := envs[0].dial(pad, nil), envs[1].dial(pad, nil), envs[2].dial(pad, nil)
	for _, c := range []*client{watcher, dying, living} {
		c.synced()
	}
	dying.announce("Dana")
	living.announce("Léo")
	var seen protocol.Awareness
	present := func() []uint64 {
		for ; len(watcher.seen) > 0; watcher.seen = watcher.seen[1:] {
			if m := watcher.seen[0]; m.Type == protocol.MessageAwareness {
				if _, err := seen.Apply(m.Payload); err != nil {
					t.Fatal(err)
				}
			}
		}
		return slices.Sorted(maps.Keys(seen.States()))
	}
	both := slices.Sorted(slices.Values([]uint64{dying.doc.ClientID(), living.doc.ClientID()}))
	watcher.until("both present", func() bool { return slices.Equal(present(), both) })

	bus.muted.Store(envs[1].srv.origin)
	start := time.Now()
	watcher.until("Dana gone", func() bool { return slices.Equal(present(), []uint64{living.doc.ClientID()}) })
	if d := time.Since(start); d < instanceTimeout/2 {
		t.Errorf("Dana left after %v, before her instance was silent for long", d)
	}
	// Léo's instance goes on saying it is alive: he stays.
	time.Sleep(2 * instanceTimeout)
	if got := present(); !slices.Equal(got, []uint64{living.doc.ClientID()}) {
		t.Errorf("present after the timeout: %v", got)
	}
}
