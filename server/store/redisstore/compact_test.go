package redisstore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
	"github.com/commonpad/commonpad/server/store/redisstore"
)

// compactAsync runs Compact in the background.
func compactAsync(t *testing.T, s *redisstore.Store, pad, state string, through store.Seq) <-chan error {
	done := make(chan error, 1)
	go func() { done <- s.Compact(t.Context(), pad, []byte(state), through) }()
	return done
}

func waitDone(t *testing.T, what string, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not return", what)
		return nil
	}
}

func notDone(t *testing.T, what string, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("%s returned %v while the lock was held", what, err)
	case <-time.After(50 * time.Millisecond):
	}
}

func snapshotState(t *testing.T, c *redis.Client, key string) string {
	t.Helper()
	v, err := c.HGet(t.Context(), key, "state").Result()
	if errors.Is(err, redis.Nil) {
		return "<none>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestCompactWaitsForLock holds a pad's compaction lock as another
// instance would: Compact waits, then compacts once the lock is free, and
// leaves no lock behind.
func TestCompactWaitsForLock(t *testing.T) {
	t.Parallel()
	c := newClient(t, nil)
	s := newStore(t, uniquePrefix(t), redisstore.Options{})
	_, snapKey, lockKey := s.PadKeys("p")
	seqs := mustAppend(t, s, "p", "o", "u0", "u1")

	if err := c.Set(t.Context(), lockKey, "other-instance", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	done := compactAsync(t, s, "p", "S0", seqs[0])
	notDone(t, "Compact", done)
	if got := snapshotState(t, c, snapKey); got != "<none>" {
		t.Errorf("snapshot %q written while another instance held the lock", got)
	}
	c.Del(t.Context(), lockKey)
	if err := waitDone(t, "Compact", done); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if got := snapshotState(t, c, snapKey); got != "S0" {
		t.Errorf("snapshot = %q after the lock was released, want S0", got)
	}
	if n := c.Exists(t.Context(), lockKey).Val(); n != 0 {
		t.Error("Compact left its lock behind")
	}
}

// TestCompactLoserSkips checks the point of the lock: an instance that
// waited while another compacted at least as far returns without
// compacting, and never takes the lock.
func TestCompactLoserSkips(t *testing.T) {
	t.Parallel()
	c := newClient(t, nil)
	prefix := uniquePrefix(t)
	winner := newStore(t, prefix, redisstore.Options{})
	loser := newStore(t, prefix, redisstore.Options{})
	_, snapKey, lockKey := winner.PadKeys("p")
	seqs := mustAppend(t, winner, "p", "o", "u0", "u1", "u2")

	c.Set(t.Context(), lockKey, "winner", time.Minute)
	done := compactAsync(t, loser, "p", "loser-state", seqs[1])
	notDone(t, "losing Compact", done)
	// The winner's compaction lands (as its script would) while it still
	// holds the lock; the loser must notice without waiting for the lock.
	c.HSet(t.Context(), snapKey, "through", seqs[2].String(), "state", "winner-state")
	if err := waitDone(t, "losing Compact", done); err != nil {
		t.Fatalf("losing Compact: %v", err)
	}
	if got := snapshotState(t, c, snapKey); got != "winner-state" {
		t.Errorf("snapshot = %q, want the winner's", got)
	}
	if v := c.Get(t.Context(), lockKey).Val(); v != "winner" {
		t.Errorf("lock = %q, want the winner's still", v)
	}
}

// TestCompactExpiredLock: a holder that died leaves a lock that expires,
// and compaction resumes without anyone deleting it.
func TestCompactExpiredLock(t *testing.T) {
	t.Parallel()
	c := newClient(t, nil)
	s := newStore(t, uniquePrefix(t), redisstore.Options{})
	_, snapKey, lockKey := s.PadKeys("p")
	seqs := mustAppend(t, s, "p", "o", "u0")
	c.Set(t.Context(), lockKey, "dead-instance", 100*time.Millisecond)
	start := time.Now()
	if err := s.Compact(t.Context(), "p", []byte("S"), seqs[0]); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("Compact took %v; it did not wait for the lock", took)
	}
	if got := snapshotState(t, c, snapKey); got != "S" {
		t.Errorf("snapshot = %q, want S", got)
	}
}

// TestCompactConcurrent has two instances compact the same pad at once
// to different points: the further one wins whatever the order, and the
// log holds exactly the records after it.
func TestCompactConcurrent(t *testing.T) {
	t.Parallel()
	prefix := uniquePrefix(t)
	a := newStore(t, prefix, redisstore.Options{})
	b := newStore(t, prefix, redisstore.Options{})
	for round := range 10 {
		pad := "p" + string(rune('a'+round))
		seqs := mustAppend(t, a, pad, "o", "u0", "u1", "u2", "u3")
		da := compactAsync(t, a, pad, "S01", seqs[1])
		db := compactAsync(t, b, pad, "S012", seqs[2])
		if err := waitDone(t, "Compact a", da); err != nil {
			t.Fatal(err)
		}
		if err := waitDone(t, "Compact b", db); err != nil {
			t.Fatal(err)
		}
		snap, err := a.Load(t.Context(), pad)
		if err != nil {
			t.Fatal(err)
		}
		if string(snap.State) != "S012" || len(snap.Records) != 1 || string(snap.Records[0].Update) != "u3" {
			t.Fatalf("round %d: state %q with %d records, want S012 and u3", round, snap.State, len(snap.Records))
		}
	}
}
