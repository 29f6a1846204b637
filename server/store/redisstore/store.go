package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

// Defaults for the zero values of Options.
const (
	DefaultFollowBlock    = 30 * time.Second
	DefaultCompactLockTTL = 5 * time.Second
	DefaultFollowFanIn    = 128
	DefaultFollowConns    = 8
)

// Options configures New. The zero value is ready to use.
type Options struct {
	// Prefix is prepended to every key, so several deployments (or test
	// runs) can share one Redis. It must not contain '{' or '}', which
	// would take over the hash tags that keep a pad's keys together. The
	// zero value uses the bare key names of the package documentation.
	Prefix string

	// FollowBlock bounds one blocking XREAD of a follower connection.
	// When it expires with nothing new, the connection simply blocks
	// again: it is a liveness bound on the connection (a silently dropped
	// server is noticed within FollowBlock plus ten seconds), not a
	// polling interval, since changes of its pads and Close interrupt the
	// XREAD at once. If zero,
	// DefaultFollowBlock is used; if negative, an XREAD blocks until a
	// record arrives or it is interrupted.
	FollowBlock time.Duration

	// FollowFanIn is how many pads a follower connection blocks on
	// before the next one is opened. Each wake-up sends an XREAD naming
	// every pad of its connection, so fewer pads per connection make a
	// record reach its Follow sooner on a busy node, at the price of more
	// connections. If zero or negative, DefaultFollowFanIn is used.
	FollowFanIn int

	// FollowConns caps the follower connections per node (per slot on a
	// Cluster, whose XREADs cannot span slots). Past FollowFanIn pads on
	// each, further pads are shared out evenly among them. If zero or
	// negative, DefaultFollowConns is used.
	FollowConns int

	// CompactLockTTL is how long the compaction lock of a pad is held at
	// most, should its holder die before releasing it. If zero or
	// negative, DefaultCompactLockTTL is used.
	CompactLockTTL time.Duration

	// Now is the clock for pad timestamps. If nil, time.Now is used.
	Now func() time.Time
}

// Store keeps pads in Redis. It implements store.Log and store.Pads, is
// safe for concurrent use, and shares its data with every other Store on
// the same server and prefix, in this process or another.
type Store struct {
	rdb            redis.UniversalClient
	prefix         string
	followBlock    time.Duration
	fanIn          int
	maxReaders     int
	compactLockTTL time.Duration
	now            func() time.Time

	closing chan struct{} // closed by Close, under mu

	mu       sync.Mutex                // guards the fields below
	readers  int                       // running follower connections
	controls map[*redis.Client]control // per node, for CLIENT UNBLOCK
	groups   map[groupKey][]*reader    // the follower connections of each node (and slot)
}

var (
	_ store.Log  = (*Store)(nil)
	_ store.Pads = (*Store)(nil)
)

// New returns a Store on client. The client must be a *redis.Client (a
// single server, or a failover client from Sentinel) or a
// *redis.ClusterClient: Follow needs a connection of its own on the node
// that holds a pad's stream, which a Ring cannot give. The caller keeps
// ownership of client and closes it after the Store; see the package
// documentation for sizing its pool.
func New(client redis.UniversalClient, opts Options) (*Store, error) {
	switch client.(type) {
	case *redis.Client, *redis.ClusterClient:
	case nil:
		return nil, errors.New("redisstore: nil client")
	default:
		return nil, fmt.Errorf("redisstore: unsupported client %T: need *redis.Client or *redis.ClusterClient", client)
	}
	if strings.ContainsAny(opts.Prefix, "{}") {
		return nil, fmt.Errorf("redisstore: key prefix %q contains a hash tag brace", opts.Prefix)
	}
	s := &Store{
		rdb:            client,
		prefix:         opts.Prefix,
		followBlock:    opts.FollowBlock,
		fanIn:          opts.FollowFanIn,
		maxReaders:     opts.FollowConns,
		compactLockTTL: opts.CompactLockTTL,
		now:            opts.Now,
		closing:        make(chan struct{}),
		controls:       map[*redis.Client]control{},
		groups:         map[groupKey][]*reader{},
	}
	if s.fanIn <= 0 {
		s.fanIn = DefaultFollowFanIn
	}
	if s.maxReaders <= 0 {
		s.maxReaders = DefaultFollowConns
	}
	switch {
	case s.followBlock == 0:
		s.followBlock = DefaultFollowBlock
	case s.followBlock < 0:
		s.followBlock = 0 // XREAD BLOCK 0: no timeout
	case s.followBlock < time.Millisecond:
		s.followBlock = time.Millisecond // BLOCK counts whole milliseconds; 0 would mean forever
	}
	if s.compactLockTTL <= 0 {
		s.compactLockTTL = DefaultCompactLockTTL
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Close marks the store closed: later calls return store.ErrClosed, and
// every blocked Follow is woken and returns store.ErrClosed. It does not
// close the client, which the caller owns; the connections the store kept
// aside go back to its pool once the follower connections, interrupted by
// Close, have stopped. Close is idempotent and always returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	var ctls map[*redis.Client]control
	if !s.closed() {
		close(s.closing)
		if s.readers == 0 {
			ctls, s.controls = s.controls, map[*redis.Client]control{}
		}
		for _, rs := range s.groups {
			for _, r := range rs {
				r.poke()
			}
		}
	}
	s.mu.Unlock()
	closeControls(ctls)
	return nil
}

func (s *Store) closed() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// begin checks what every method checks first: the store is open and the
// caller still wants the answer.
func (s *Store) begin(ctx context.Context) error {
	if s.closed() {
		return store.ErrClosed
	}
	return ctx.Err()
}

// wrapErr adds the package prefix and the operation. A client closed
// under a running call, or any failure after Close, reads as
// store.ErrClosed; context errors are kept so they match ctx.Err().
func (s *Store) wrapErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, redis.ErrClosed), s.closed():
		return store.ErrClosed
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	default:
		return fmt.Errorf("redisstore: %s: %w", op, err)
	}
}
