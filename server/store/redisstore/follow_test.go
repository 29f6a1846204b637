package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
	"github.com/commonpad/commonpad/server/store/redisstore"
)

// following runs Follow in the background and hands its records over.
type following struct {
	recs   chan store.Record
	done   chan error
	cancel context.CancelFunc
}

func follow(t *testing.T, l store.Log, pad string, after store.Seq) *following {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	f := &following{recs: make(chan store.Record, 64), done: make(chan error, 1), cancel: cancel}
	go func() {
		f.done <- l.Follow(ctx, pad, after, func(r store.Record) error {
			select {
			case f.recs <- r:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-f.done:
		case <-time.After(5 * time.Second):
			t.Error("Follow did not return after cancel")
		}
	})
	return f
}

func (f *following) next(t *testing.T) store.Record {
	t.Helper()
	select {
	case r := <-f.recs:
		return r
	case err := <-f.done:
		t.Fatalf("Follow returned %v while a record was expected", err)
	case <-time.After(5 * time.Second):
		t.Fatal("no record from Follow")
	}
	return store.Record{}
}

// result waits for Follow to return and says how long that took.
func (f *following) result(t *testing.T) (error, time.Duration) {
	t.Helper()
	start := time.Now()
	select {
	case err := <-f.done:
		f.done <- err
		return err, time.Since(start)
	case <-time.After(5 * time.Second):
		t.Fatal("Follow did not return")
		return nil, 0
	}
}

func mustAppend(t *testing.T, l store.Log, pad, origin string, updates ...string) []store.Seq {
	t.Helper()
	bs := make([][]byte, len(updates))
	for i, u := range updates {
		bs[i] = []byte(u)
	}
	seqs, err := l.Append(t.Context(), pad, origin, bs...)
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	return seqs
}

// TestTwoInstances uses two stores with their own clients as two server
// instances sharing one Redis: each sees the other's records, origins
// included, and the other's compaction.
func TestTwoInstances(t *testing.T) {
	t.Parallel()
	prefix := uniquePrefix(t)
	a := newStore(t, prefix, redisstore.Options{})
	b := newStore(t, prefix, redisstore.Options{})

	fa := follow(t, a, "pad", store.Seq{})
	fb := follow(t, b, "pad", store.Seq{})
	seqsA := mustAppend(t, a, "pad", "instance-a", "a0", "a1")
	seqsB := mustAppend(t, b, "pad", "instance-b", "b0")

	want := []struct {
		seq            store.Seq
		origin, update string
	}{{seqsA[0], "instance-a", "a0"}, {seqsA[1], "instance-a", "a1"}, {seqsB[0], "instance-b", "b0"}}
	for name, f := range map[string]*following{"a": fa, "b": fb} {
		for i, w := range want {
			r := f.next(t)
			if r.Seq != w.seq || r.Origin != w.origin || string(r.Update) != w.update {
				t.Errorf("follower on %s, record %d = %v %q %q; want %v %q %q",
					name, i, r.Seq, r.Origin, r.Update, w.seq, w.origin, w.update)
			}
		}
	}

	// b compacts; a sees the new snapshot, and a follower of a whose
	// cursor is below it learns that it must reload.
	if err := b.Compact(t.Context(), "pad", []byte("state"), seqsA[1]); err != nil {
		t.Fatalf("Compact on b: %v", err)
	}
	s, err := a.Load(t.Context(), "pad")
	if err != nil {
		t.Fatalf("Load on a: %v", err)
	}
	if string(s.State) != "state" || len(s.Records) != 1 || s.Records[0].Origin != "instance-b" || s.Through != seqsB[0] {
		t.Errorf("Load on a after b compacted: state %q, %d records, through %v", s.State, len(s.Records), s.Through)
	}
	stale := follow(t, a, "pad", seqsA[0])
	if err, _ := stale.result(t); !errors.Is(err, store.ErrCompacted) {
		t.Errorf("Follow on a from below b's compaction = %v, want ErrCompacted", err)
	}
}

// TestFollowInterruptedPromptly checks that cancel and Close end a Follow
// blocked in XREAD at once, not when its block time runs out, and leave
// no goroutine behind. It is not parallel, so the goroutine check sees
// only its own followers.
func TestFollowInterruptedPromptly(t *testing.T) {
	s := newStore(t, uniquePrefix(t), redisstore.Options{FollowBlock: time.Minute})
	mustAppend(t, s, "p", "o", "u0")

	cancelled := follow(t, s, "p", store.Seq{})
	cancelled.next(t)
	time.Sleep(50 * time.Millisecond) // let it block in XREAD
	cancelled.cancel()
	err, took := cancelled.result(t)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Follow after cancel = %v, want context.Canceled", err)
	}
	if took > time.Second {
		t.Errorf("Follow took %v to return after cancel", took)
	}

	closed := follow(t, s, "p", store.Seq{})
	closed.next(t)
	time.Sleep(50 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	err, took = closed.result(t)
	if !errors.Is(err, store.ErrClosed) {
		t.Errorf("Follow after Close = %v, want ErrClosed", err)
	}
	if took > time.Second {
		t.Errorf("Follow took %v to return after Close", took)
	}
	noStoreGoroutines(t)
}

// noStoreGoroutines fails if a goroutine of this package is still
// running, after giving stragglers a moment to finish.
func noStoreGoroutines(t *testing.T) {
	t.Helper()
	var stacks string
	for range 100 {
		buf := make([]byte, 1<<20)
		stacks = string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "redisstore.(*Store)") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("goroutines of the store still running:\n%s", stacks)
}

// TestFollowAcrossBlockTimeouts runs Follow with a block time far shorter
// than the waits between appends: expiring XREADs must neither end Follow
// nor lose or repeat records.
func TestFollowAcrossBlockTimeouts(t *testing.T) {
	t.Parallel()
	s := newStore(t, uniquePrefix(t), redisstore.Options{FollowBlock: 5 * time.Millisecond})
	f := follow(t, s, "p", store.Seq{})
	for i := range 3 {
		time.Sleep(30 * time.Millisecond)
		seqs := mustAppend(t, s, "p", "o", fmt.Sprintf("u%d", i))
		if r := f.next(t); r.Seq != seqs[0] || string(r.Update) != fmt.Sprintf("u%d", i) {
			t.Errorf("record %d = %v %q", i, r.Seq, r.Update)
		}
	}
	select {
	case r := <-f.recs:
		t.Errorf("unexpected extra record %v %q", r.Seq, r.Update)
	case err := <-f.done:
		t.Errorf("Follow returned %v", err)
	case <-time.After(30 * time.Millisecond):
	}
}

// TestFollowPoolBudget measures what the package documentation states:
// the running Follows of a node share one pooled connection per
// FollowFanIn pads, plus one kept aside to interrupt them, and they all go
// back to the pool after Close.
func TestFollowPoolBudget(t *testing.T) {
	t.Parallel()
	const followers, fanIn, poolSize = 7, 3, 8
	c := newClient(t, &redis.Options{PoolSize: poolSize, PoolTimeout: 500 * time.Millisecond})
	s, err := redisstore.New(c, redisstore.Options{Prefix: uniquePrefix(t), FollowFanIn: fanIn})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	busy := poolBusy(c)

	fs := make([]*following, followers)
	for i := range fs {
		fs[i] = follow(t, s, fmt.Sprintf("p%d", i), store.Seq{})
	}
	waitBusy(t, busy, (followers+fanIn-1)/fanIn+1)
	// The rest of the pool still serves commands.
	for i := range fs {
		mustAppend(t, s, fmt.Sprintf("p%d", i), "o", "u")
		if r := fs[i].next(t); string(r.Update) != "u" {
			t.Errorf("follower %d got %q", i, r.Update)
		}
	}
	for _, f := range fs {
		f.cancel()
		f.result(t)
	}
	// The readers leave once their last pad has: the control connection
	// stays for the next Follow.
	waitBusy(t, busy, 1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	waitBusy(t, busy, 0)
}

// poolBusy counts the connections of c's pool in use.
func poolBusy(c *redis.Client) func() int {
	return func() int { st := c.PoolStats(); return int(st.TotalConns) - int(st.IdleConns) }
}

func waitBusy(t *testing.T, busy func() int, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for busy() != want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := busy(); n != want {
		t.Fatalf("%d connections in use, want %d", n, want)
	}
}

// TestFollowPoolExhausted fills the pool with a reader and its control
// connection: further commands fail with the pool's timeout instead of
// hanging, while Follows of more pads join the running reader without a
// pooled connection, and all can still be stopped, because stopping them
// needs none either.
func TestFollowPoolExhausted(t *testing.T) {
	t.Parallel()
	const poolSize = 2
	prefix := uniquePrefix(t)
	c := newClient(t, &redis.Options{PoolSize: poolSize, PoolTimeout: 100 * time.Millisecond, MaxRetries: -1})
	s, err := redisstore.New(c, redisstore.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other := newStore(t, prefix, redisstore.Options{})
	busy := poolBusy(c)

	fs := []*following{follow(t, s, "p0", store.Seq{})}
	waitBusy(t, busy, poolSize)

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := s.Append(ctx, "p0", "o", []byte("u")); err == nil {
		t.Error("Append with the pool full of followers succeeded")
	}
	fs = append(fs, follow(t, s, "p1", store.Seq{}))
	for i, f := range fs {
		mustAppend(t, other, fmt.Sprintf("p%d", i), "o", "v")
		if r := f.next(t); string(r.Update) != "v" {
			t.Errorf("follower %d got %q", i, r.Update)
		}
	}

	for i, f := range fs {
		f.cancel()
		if err, took := f.result(t); !errors.Is(err, context.Canceled) || took > time.Second {
			t.Errorf("follower %d returned %v after %v", i, err, took)
		}
	}
	waitBusy(t, busy, 1)
	if _, err := s.Append(ctx, "p0", "o", []byte("u")); err != nil {
		t.Errorf("Append after the followers left: %v", err)
	}
}
