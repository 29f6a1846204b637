package boltstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/commonpad/commonpad/server/store"
)

// Defaults for the zero values of Options.
const (
	DefaultTimeout       = time.Second
	DefaultMaxBatchDelay = 2 * time.Millisecond
	DefaultMaxBatchSize  = 1000
)

// ErrLocked is returned by Open when the database file is held by another
// process or Store.
var ErrLocked = errors.New("boltstore: database file is locked by another process")

// Options configures Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long Open waits for the file lock. If zero,
	// DefaultTimeout is used; if negative, Open waits indefinitely.
	Timeout time.Duration

	// MaxBatchDelay bounds how long the committer waits for appenders that
	// have entered Append but not yet reached it, before committing what it
	// has. If zero, DefaultMaxBatchDelay is used; if negative, the
	// committer never waits and commits only what is already queued.
	MaxBatchDelay time.Duration

	// MaxBatchSize caps the number of Append calls in one transaction. If
	// zero or negative, DefaultMaxBatchSize is used.
	MaxBatchSize int

	// Now is the clock for pad timestamps. If nil, time.Now is used.
	Now func() time.Time
}

// Store is a bbolt-backed store.Log and store.Pads. It is safe for
// concurrent use; see the store package for the contract.
type Store struct {
	db       *bolt.DB
	now      func() time.Time
	maxDelay time.Duration
	maxBatch int

	// reqs is unbuffered: an appender is either received by the committer,
	// which then always answers it, or gives up on closing or its ctx.
	reqs chan *appendReq
	// pending counts appenders that entered Append and were not yet
	// received by the committer: the ones worth waiting for.
	pending atomic.Int64
	// commits and committed count write transactions made by the committer
	// and the Append calls they carried.
	commits, committed atomic.Uint64

	mu      sync.Mutex        // guards changed
	changed map[string]*watch // per-pad wake-up for followers

	closing       chan struct{} // closed when Close starts
	committerDone chan struct{}
	closeOnce     sync.Once
}

var (
	_ store.Log  = (*Store)(nil)
	_ store.Pads = (*Store)(nil)
)

// Open opens or creates the store at path.
func Open(path string, opts Options) (*Store, error) {
	timeout := opts.Timeout
	switch {
	case timeout == 0:
		timeout = DefaultTimeout
	case timeout < 0:
		timeout = 0 // bbolt's "wait indefinitely"
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %v)", ErrLocked, path, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketPads, bucketMeta, bucketReadOnly} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("boltstore: init %s: %w", path, err)
	}

	s := &Store{
		db:            db,
		now:           opts.Now,
		maxDelay:      opts.MaxBatchDelay,
		maxBatch:      opts.MaxBatchSize,
		reqs:          make(chan *appendReq),
		changed:       make(map[string]*watch),
		closing:       make(chan struct{}),
		committerDone: make(chan struct{}),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxDelay == 0 {
		s.maxDelay = DefaultMaxBatchDelay
	}
	if s.maxBatch <= 0 {
		s.maxBatch = DefaultMaxBatchSize
	}
	go s.commitLoop()
	return s, nil
}

// Close stops the committer after its current transaction, wakes every
// Follow with store.ErrClosed and closes the file. Appends not yet taken by
// the committer fail with store.ErrClosed. Close is idempotent: later calls
// return nil.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closing)
		<-s.committerDone
		// bbolt's Close waits for open read transactions, so in-flight
		// Loads finish before the file goes away.
		if cerr := s.db.Close(); cerr != nil {
			err = fmt.Errorf("boltstore: close: %w", cerr)
		}
	})
	return err
}

// closed reports whether Close has started.
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

// wrapErr adds the package prefix and the operation, and turns bbolt's
// "not open" (a race with Close) into store.ErrClosed.
func wrapErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, berrors.ErrDatabaseNotOpen):
		return store.ErrClosed
	default:
		return fmt.Errorf("boltstore: %s: %w", op, err)
	}
}
