package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
	"github.com/commonpad/commonpad/server/store/redisstore"
	redistest "github.com/commonpad/commonpad/tools/redis-test"
)

// followAll follows n pads at once on s, appends one record to each, and
// checks that each Follow gets its own record and nothing else.
func followAll(t *testing.T, s store.Log, n int) {
	t.Helper()
	fs := make([]*following, n)
	for i := range fs {
		fs[i] = follow(t, s, fmt.Sprintf("m%d", i), store.Seq{})
	}
	seqs := make([]store.Seq, n)
	var wg sync.WaitGroup
	const appenders = 4
	for g := range appenders {
		wg.Go(func() {
			for i := g; i < n; i += appenders {
				got, err := s.Append(t.Context(), fmt.Sprintf("m%d", i), "o", []byte(fmt.Sprintf("u%d", i)))
				if err != nil {
					t.Errorf("Append to m%d: %v", i, err)
					return
				}
				seqs[i] = got[0]
			}
		})
	}
	wg.Wait()
	for i, f := range fs {
		if r := f.next(t); r.Seq != seqs[i] || string(r.Update) != fmt.Sprintf("u%d", i) {
			t.Fatalf("follower of m%d got %v %q, want %v u%d", i, r.Seq, r.Update, seqs[i], i)
		}
	}
	time.Sleep(20 * time.Millisecond)
	for i, f := range fs {
		select {
		case r := <-f.recs:
			t.Errorf("follower of m%d got an extra record %v %q", i, r.Seq, r.Update)
		default:
		}
	}
}

// TestFollowManyPadsFewConnections follows 2,000 pads through a pool of 8
// connections: they share the 4 readers allowed, 500 pads each, and one
// control connection, and the server sees no other connection of the
// client.
func TestFollowManyPadsFewConnections(t *testing.T) {
	t.Parallel()
	const pads, poolSize, readers = 2000, 8, 4
	name := "many-" + strings.TrimSuffix(uniquePrefix(t), ":")
	c := newClient(t, &redis.Options{PoolSize: poolSize, ClientName: name})
	s, err := redisstore.New(c, redisstore.Options{Prefix: name + ":", FollowConns: readers})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	followAll(t, s, pads)
	waitBusy(t, poolBusy(c), readers+1)
	if got, want := s.ReadingPads(), slices.Repeat([]int{pads / readers}, readers); !slices.Equal(got, want) {
		t.Errorf("readers block on %v pads, want %v", got, want)
	}
	list, err := newClient(t, nil).ClientList(t.Context()).Result()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(list, " name="+name+" "); n > poolSize {
		t.Errorf("the server lists %d connections of the client, more than its pool of %d", n, poolSize)
	}
}

// TestFollowJoinLeavePrompt checks that pads joining and leaving a reader
// blocked in XREAD, for a minute if nothing interrupted it, are taken
// into its XREAD at once, and that the reader lets go of its connection
// as soon as its last pad left. It is not parallel, to time only itself.
func TestFollowJoinLeavePrompt(t *testing.T) {
	c := newClient(t, nil)
	prefix := uniquePrefix(t)
	s, err := redisstore.New(c, redisstore.Options{Prefix: prefix, FollowBlock: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first := follow(t, s, "first", store.Seq{})
	mustAppend(t, s, "first", "o", "u")
	first.next(t)
	waitReading(t, s, 1)

	var worstJoin, worstLeave time.Duration
	for i := range 10 {
		pad := fmt.Sprintf("p%d", i)
		f := follow(t, s, pad, store.Seq{})
		start := time.Now()
		waitReading(t, s, 2)
		worstJoin = max(worstJoin, time.Since(start))
		seqs := mustAppend(t, s, pad, "o", "u")
		if r := f.next(t); r.Seq != seqs[0] {
			t.Errorf("%s got %v, want %v", pad, r.Seq, seqs[0])
		}
		f.cancel()
		f.result(t)
		start = time.Now()
		waitReading(t, s, 1)
		worstLeave = max(worstLeave, time.Since(start))
	}
	t.Logf("slowest join into a blocked XREAD %v, slowest leave %v", worstJoin, worstLeave)
	if worstJoin > 200*time.Millisecond || worstLeave > 200*time.Millisecond {
		t.Errorf("joins took up to %v, leaves up to %v, to reach the XREAD", worstJoin, worstLeave)
	}

	busy := poolBusy(c)
	first.cancel()
	first.result(t)
	start := time.Now()
	waitBusy(t, busy, 1)
	if took := time.Since(start); took > 200*time.Millisecond {
		t.Errorf("the reader took %v to give its connection back after its last pad left", took)
	}
}

// waitReading waits until the store's only reader blocks on want pads.
func waitReading(t *testing.T, s *redisstore.Store, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !slices.Equal(s.ReadingPads(), []int{want}) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Microsecond)
	}
	if got := s.ReadingPads(); !slices.Equal(got, []int{want}) {
		t.Fatalf("readers block on %v pads, want [%d]", got, want)
	}
}

// TestFollowSlowCallback stalls one pad's callback while its log grows
// far past what a reader queues for it: another pad of the same reader
// still gets its records at once, and the stalled one, released, gets
// every record in order, none twice.
func TestFollowSlowCallback(t *testing.T) {
	t.Parallel()
	s := newStore(t, uniquePrefix(t), redisstore.Options{})
	entered, release := make(chan struct{}), make(chan struct{})
	var got []store.Seq
	slowDone := make(chan error, 1)
	const total = 1000
	go func() {
		slowDone <- s.Follow(t.Context(), "slow", store.Seq{}, func(r store.Record) error {
			if len(got) == 0 {
				close(entered)
				<-release
			}
			got = append(got, r.Seq)
			if len(got) == total {
				return errors.New("enough")
			}
			return nil
		})
	}()
	quick := follow(t, s, "quick", store.Seq{})

	want := mustAppend(t, s, "slow", "o", "first")
	<-entered
	batch := make([]string, 100)
	for i := range batch {
		batch[i] = fmt.Sprintf("u%d", i)
	}
	for len(want) < total {
		want = append(want, mustAppend(t, s, "slow", "o", batch[:min(len(batch), total-len(want))]...)...)
	}
	start := time.Now()
	seqs := mustAppend(t, s, "quick", "o", "q")
	if r := quick.next(t); r.Seq != seqs[0] {
		t.Errorf("quick got %v, want %v", r.Seq, seqs[0])
	}
	t.Logf("quick pad served in %v while the slow one's callback is stalled", time.Since(start))

	close(release)
	select {
	case err := <-slowDone:
		if err == nil || err.Error() != "enough" {
			t.Fatalf("slow Follow = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("slow Follow got %d of %d records", len(got), total)
	}
	if !slices.Equal(got, want) {
		t.Errorf("slow Follow got %d records, not the %d appended in order", len(got), len(want))
	}
}

// TestFollowBadKeyIsolated puts a string where a pad's stream should be:
// Redis refuses the whole XREAD that names it, yet only that pad's Follow
// fails, and the reader goes on for the others.
func TestFollowBadKeyIsolated(t *testing.T) {
	t.Parallel()
	s := newStore(t, uniquePrefix(t), redisstore.Options{})
	badLog, _, _ := s.PadKeys("bad")
	if err := newClient(t, nil).Set(t.Context(), badLog, "not a stream", 0).Err(); err != nil {
		t.Fatal(err)
	}
	good := follow(t, s, "good", store.Seq{})
	mustAppend(t, s, "good", "o", "before")
	good.next(t)

	err := s.Follow(t.Context(), "bad", store.Seq{}, func(store.Record) error { return nil })
	if err == nil || !strings.HasPrefix(err.Error(), "redisstore: ") || !strings.Contains(err.Error(), "WRONGTYPE") {
		t.Errorf("Follow of a string key = %v, want the server's WRONGTYPE", err)
	}
	mustAppend(t, s, "good", "o", "after")
	if r := good.next(t); string(r.Update) != "after" {
		t.Errorf("good pad got %q after the bad one failed", r.Update)
	}
}

// TestFollowServerRestart stops the redis-server under a reader: every
// Follow of the reader returns an error, and once a server answers again
// (a new one, where the client's dialer now leads), new Follows through
// the same store and client work.
func TestFollowServerRestart(t *testing.T) {
	t.Parallel()
	redistest.Need(t, srv)
	start := func() *redistest.Server {
		t.Helper()
		rs, err := redistest.Start(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = rs.Stop() })
		return rs
	}
	first := start()
	var addr atomic.Value
	addr.Store(first.Addr)
	opts := clientOptions(&redis.Options{})
	opts.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr.Load().(string))
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	s, err := redisstore.New(c, redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })

	fs := make([]*following, 3)
	for i := range fs {
		pad := fmt.Sprintf("p%d", i)
		fs[i] = follow(t, s, pad, store.Seq{})
		mustAppend(t, s, pad, "o", "u")
		fs[i].next(t)
	}
	if err := first.Stop(); err != nil {
		t.Fatal(err)
	}
	for i, f := range fs {
		if err, _ := f.result(t); err == nil || errors.Is(err, context.Canceled) {
			t.Errorf("follower %d returned %v after the server stopped", i, err)
		}
	}

	addr.Store(start().Addr)
	f := follow(t, s, "p0", store.Seq{})
	seqs := mustAppend(t, s, "p0", "o", "after")
	if r := f.next(t); r.Seq != seqs[0] {
		t.Errorf("Follow after the restart got %v, want %v", r.Seq, seqs[0])
	}
}
