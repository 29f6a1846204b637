package redisstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/commonpad/commonpad/server/store"
	"github.com/commonpad/commonpad/server/store/redisstore"
	"github.com/commonpad/commonpad/server/store/storetest"
	redistest "github.com/commonpad/commonpad/tools/redis-test"
)

// srv is the redis-server of this test binary; nil when none is installed.
var srv *redistest.Server

func TestMain(m *testing.M) { os.Exit(redistest.Main(m, &srv)) }

var prefixes atomic.Int64

// uniquePrefix gives each test its own keys on the shared server, and
// deletes them when the test ends.
func uniquePrefix(t testing.TB) string {
	t.Helper()
	redistest.Need(t, srv)
	prefix := fmt.Sprintf("t%d:", prefixes.Add(1))
	t.Cleanup(func() {
		c := redis.NewClient(clientOptions(nil))
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("delete keys of %s: %v", prefix, err)
		}
	})
	return prefix
}

// newClient connects to the test server; the test closes it when done.
func newClient(t testing.TB, opts *redis.Options) *redis.Client {
	t.Helper()
	redistest.Need(t, srv)
	c := redis.NewClient(clientOptions(opts))
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// clientOptions completes opts (nil for defaults) for the test server.
func clientOptions(opts *redis.Options) *redis.Options {
	if opts == nil {
		opts = &redis.Options{}
	}
	opts.Addr = srv.Addr
	// Redis 7 has no maintenance notifications, and go-redis's "auto" mode
	// gives up on them by writing to options that every Conn shares, which
	// the race detector rightly reports (see the package documentation).
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return opts
}

// newStore opens a store with its own client on prefix. Cleanups run last
// in first out, so the store closes before its client.
func newStore(t testing.TB, prefix string, opts redisstore.Options) *redisstore.Store {
	t.Helper()
	c := newClient(t, nil)
	opts.Prefix = prefix
	s, err := redisstore.New(c, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// opener returns a store on a fresh prefix and a hook that reopens the
// same data the way another instance, or a restarted one, would: a new
// client on the same server.
func opener(t *testing.T) (*redisstore.Store, func() *redisstore.Store) {
	prefix := uniquePrefix(t)
	reopen := func() *redisstore.Store { return newStore(t, prefix, redisstore.Options{}) }
	return reopen(), reopen
}

func TestLog(t *testing.T) {
	redistest.Need(t, srv)
	storetest.RunLog(t, func(t *testing.T) (store.Log, func() store.Log) {
		s, reopen := opener(t)
		return s, func() store.Log { return reopen() }
	})
}

func TestPads(t *testing.T) {
	redistest.Need(t, srv)
	storetest.RunPads(t, func(t *testing.T) (store.Pads, func() store.Pads) {
		s, reopen := opener(t)
		return s, func() store.Pads { return reopen() }
	})
}

func TestNotes(t *testing.T) {
	redistest.Need(t, srv)
	storetest.RunNotes(t, func(t *testing.T) (store.Notes, func() store.Notes) {
		s, reopen := opener(t)
		return s, func() store.Notes { return reopen() }
	})
}

func TestAuthors(t *testing.T) {
	redistest.Need(t, srv)
	storetest.RunAuthors(t, func(t *testing.T) (store.Authors, func() store.Authors) {
		s, reopen := opener(t)
		return s, func() store.Authors { return reopen() }
	})
}

func TestNewRefuses(t *testing.T) {
	redistest.Need(t, srv)
	c := newClient(t, nil)
	for _, prefix := range []string{"{a}:", "a}", "x{"} {
		if _, err := redisstore.New(c, redisstore.Options{Prefix: prefix}); err == nil {
			t.Errorf("New with prefix %q succeeded", prefix)
		}
	}
	ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": srv.Addr}})
	defer ring.Close()
	if _, err := redisstore.New(ring, redisstore.Options{}); err == nil || !strings.Contains(err.Error(), "Ring") {
		t.Errorf("New with a Ring = %v, want an unsupported client error", err)
	}
	if _, err := redisstore.New(nil, redisstore.Options{}); err == nil {
		t.Error("New with a nil client succeeded")
	}
}
