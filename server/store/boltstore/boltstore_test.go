package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store"
	"github.com/commonpad/commonpad/server/store/boltstore"
	"github.com/commonpad/commonpad/server/store/storetest"
)

func open(t *testing.T, path string, opts boltstore.Options) *boltstore.Store {
	t.Helper()
	s, err := boltstore.Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// opener returns a fresh store on a temporary file and a hook that opens
// the same file again.
func opener(t *testing.T) (*boltstore.Store, func() *boltstore.Store) {
	path := filepath.Join(t.TempDir(), "pads.db")
	reopen := func() *boltstore.Store { return open(t, path, boltstore.Options{}) }
	return reopen(), reopen
}

func TestLog(t *testing.T) {
	storetest.RunLog(t, func(t *testing.T) (store.Log, func() store.Log) {
		s, reopen := opener(t)
		return s, func() store.Log { return reopen() }
	})
}

func TestPads(t *testing.T) {
	storetest.RunPads(t, func(t *testing.T) (store.Pads, func() store.Pads) {
		s, reopen := opener(t)
		return s, func() store.Pads { return reopen() }
	})
}

func TestNotes(t *testing.T) {
	storetest.RunNotes(t, func(t *testing.T) (store.Notes, func() store.Notes) {
		s, reopen := opener(t)
		return s, func() store.Notes { return reopen() }
	})
}

func TestAuthors(t *testing.T) {
	storetest.RunAuthors(t, func(t *testing.T) (store.Authors, func() store.Authors) {
		s, reopen := opener(t)
		return s, func() store.Authors { return reopen() }
	})
}

func TestOpenLockedFailsFast(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "pads.db")
	open(t, path, boltstore.Options{})
	start := time.Now()
	s, err := boltstore.Open(path, boltstore.Options{Timeout: 100 * time.Millisecond})
	if err == nil {
		s.Close()
		t.Fatal("second Open of a locked file succeeded")
	}
	if !errors.Is(err, boltstore.ErrLocked) {
		t.Errorf("second Open: %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second Open took %v with a 100ms timeout", d)
	}
}

// TestGroupCommit checks that concurrent appenders share transactions:
// with one fsync per Append the store would be as slow as the disk allows.
func TestGroupCommit(t *testing.T) {
	t.Parallel()
	s := open(t, filepath.Join(t.TempDir(), "pads.db"), boltstore.Options{})
	const goroutines, each = 32, 10
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			pad := []string{"a", "b", "c"}[g%3]
			for i := range each {
				if _, err := s.Append(t.Context(), pad, "o", []byte{byte(g), byte(i)}); err != nil {
					t.Errorf("Append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	commits, calls := s.CommitStats()
	if calls != goroutines*each {
		t.Fatalf("committed %d calls, want %d", calls, goroutines*each)
	}
	// How well calls batch depends on fsync latency and scheduling (a tmpfs
	// commits in microseconds); only one transaction per call is a bug.
	if commits*2 > calls {
		t.Errorf("%d calls took %d commits; want at least 2 calls per commit", calls, commits)
	}
	t.Logf("%d calls in %d commits (%.1f per commit)", calls, commits, float64(calls)/float64(commits))
}

// TestLoneAppenderDoesNotWait checks that the batching window only applies
// when other appenders are on their way.
func TestLoneAppenderDoesNotWait(t *testing.T) {
	t.Parallel()
	s := open(t, filepath.Join(t.TempDir(), "pads.db"), boltstore.Options{MaxBatchDelay: time.Second})
	start := time.Now()
	for i := range 3 {
		if _, err := s.Append(t.Context(), "p", "o", []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("3 sequential appends took %v; a lone appender waited for the batch window", d)
	}
}

func TestFollowForgetsIdlePads(t *testing.T) {
	t.Parallel()
	s := open(t, filepath.Join(t.TempDir(), "pads.db"), boltstore.Options{})
	for i := range 20 {
		ctx, cancel := context.WithTimeout(t.Context(), time.Millisecond)
		err := s.Follow(ctx, fmt.Sprintf("pad-%d", i), store.Seq{}, func(store.Record) error { return nil })
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Follow: %v", err)
		}
	}
	if n := s.Watches(); n != 0 {
		t.Errorf("%d pads still watched after every follower left", n)
	}
}
