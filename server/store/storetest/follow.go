package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

// follower runs Follow in a goroutine and hands records over a channel.
type follower struct {
	recs   chan store.Record
	done   chan error
	cancel context.CancelFunc
}

func startFollow(t *testing.T, l store.Log, pad string, after store.Seq) *follower {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	f := &follower{recs: make(chan store.Record, 1024), done: make(chan error, 1), cancel: cancel}
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
		case <-time.After(waitTimeout):
			t.Error("Follow did not return after its context was cancelled")
		}
	})
	return f
}

func (f *follower) next(t *testing.T) store.Record {
	t.Helper()
	select {
	case r := <-f.recs:
		return r
	case err := <-f.done:
		t.Fatalf("Follow returned %v while a record was expected", err)
	case <-time.After(waitTimeout):
		t.Fatalf("no record from Follow within %v", waitTimeout)
	}
	return store.Record{}
}

func (f *follower) take(t *testing.T, n int) []store.Record {
	t.Helper()
	recs := make([]store.Record, n)
	for i := range recs {
		recs[i] = f.next(t)
	}
	return recs
}

func (f *follower) quiet(t *testing.T) {
	t.Helper()
	select {
	case r := <-f.recs:
		t.Errorf("Follow delivered unexpected record %v %q", r.Seq, abbrev(r.Update))
	case err := <-f.done:
		t.Errorf("Follow returned %v, want it to keep waiting", err)
	case <-time.After(quietPeriod):
	}
}

// result waits for Follow to return on its own and gives its error.
func (f *follower) result(t *testing.T) error {
	t.Helper()
	select {
	case err := <-f.done:
		f.done <- err // let the cleanup see it too
		return err
	case <-time.After(waitTimeout):
		t.Fatalf("Follow did not return within %v", waitTimeout)
		return nil
	}
}

func testFollowFromCursor(t *testing.T, l store.Log, _ func() store.Log) {
	seqs := mustAppend(t, l, "p", "o", upd("u0"), upd("u1"), upd("u2"))

	all := startFollow(t, l, "p", store.Seq{})
	checkRecords(t, "Follow from zero", all.take(t, 3), []wantRec{{"o", upd("u0")}, {"o", upd("u1")}, {"o", upd("u2")}})

	f := startFollow(t, l, "p", seqs[0])
	got := f.take(t, 2)
	checkRecords(t, "Follow after first", got, []wantRec{{"o", upd("u1")}, {"o", upd("u2")}})
	for i, r := range got {
		if r.Seq != seqs[i+1] {
			t.Errorf("followed record %d: seq %v, want %v", i, r.Seq, seqs[i+1])
		}
	}
	f.quiet(t)

	tail := startFollow(t, l, "p", seqs[2])
	tail.quiet(t)
	mustAppend(t, l, "p", "o2", upd("u3"))
	checkRecords(t, "Follow from last", tail.take(t, 1), []wantRec{{"o2", upd("u3")}})
	checkRecords(t, "Follow after first, later", f.take(t, 1), []wantRec{{"o2", upd("u3")}})
}

func testFollowBlocks(t *testing.T, l store.Log, _ func() store.Log) {
	f := startFollow(t, l, "p", store.Seq{})
	f.quiet(t)
	mustAppend(t, l, "other", "o", upd("elsewhere"))
	f.quiet(t)
	for i := range 5 {
		mustAppend(t, l, "p", "o", upd("u%d", i))
	}
	got := f.take(t, 5)
	checkRecords(t, "Follow", got, []wantRec{
		{"o", upd("u0")}, {"o", upd("u1")}, {"o", upd("u2")}, {"o", upd("u3")}, {"o", upd("u4")},
	})
	f.cancel()
	wantErrIs(t, "Follow after cancel", f.result(t), context.Canceled)
}

func testFollowFnError(t *testing.T, l store.Log, _ func() store.Log) {
	mustAppend(t, l, "p", "o", upd("u0"), upd("u1"), upd("u2"))
	stop := errors.New("stop here")
	var seen int
	err := l.Follow(bounded(t), "p", store.Seq{}, func(store.Record) error {
		seen++
		if seen == 2 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("Follow = %v, want fn's error unchanged", err)
	}
	if seen != 2 {
		t.Errorf("fn called %d times, want 2 (no call after it failed)", seen)
	}
}

func testFollowMany(t *testing.T, l store.Log, _ func() store.Log) {
	fs := []*follower{startFollow(t, l, "p", store.Seq{}), startFollow(t, l, "p", store.Seq{}), startFollow(t, l, "p", store.Seq{})}
	other := startFollow(t, l, "q", store.Seq{})
	for round := range 3 {
		mustAppend(t, l, "p", "o", upd("r%d", round))
		for i, f := range fs {
			r := f.next(t)
			if string(r.Update) != string(upd("r%d", round)) {
				t.Errorf("follower %d, round %d: got %q", i, round, r.Update)
			}
		}
	}
	other.quiet(t)
}

func testFollowClose(t *testing.T, l store.Log, _ func() store.Log) {
	f := startFollow(t, l, "p", store.Seq{})
	mustAppend(t, l, "p", "o", upd("u0"))
	f.next(t) // Follow is running; now it waits for more.
	noErr(t, "Close", l.Close())
	wantErrIs(t, "Follow when the store closed", f.result(t), store.ErrClosed)
}

// testLoadFollowHandoff loads while another goroutine appends, then follows
// from Snapshot.Through: every record must arrive exactly once, in order,
// across the snapshot and the follow.
func testLoadFollowHandoff(t *testing.T, l store.Log, _ func() store.Log) {
	const total = 60
	loadAt := []int{0, 5, 20, 40, 59}

	progress := make(chan int, total)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range total {
			if _, err := l.Append(t.Context(), "p", "w", upd("u%03d", i)); err != nil {
				t.Errorf("Append %d: %v", i, err)
				return
			}
			progress <- i + 1
		}
	})

	var readers sync.WaitGroup
	appended := 0
	for _, at := range loadAt {
		for appended < at {
			select {
			case appended = <-progress:
			case <-time.After(waitTimeout):
				t.Fatal("appender stalled")
			}
		}
		readers.Go(func() { handoffReader(t, l, at, total) })
	}
	wg.Wait()
	readers.Wait()
}

func handoffReader(t *testing.T, l store.Log, at, total int) {
	ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
	defer cancel()
	snap, err := l.Load(ctx, "p")
	if err != nil {
		t.Errorf("reader at %d: Load: %v", at, err)
		return
	}
	got := make([]store.Record, 0, total)
	got = append(got, snap.Records...)
	if len(got) < total {
		errDone := errors.New("done")
		err = l.Follow(ctx, "p", snap.Through, func(r store.Record) error {
			got = append(got, r)
			if len(got) == total {
				return errDone
			}
			return nil
		})
		if err != errDone {
			t.Errorf("reader at %d: Follow = %v after %d records", at, err, len(got))
		}
	}
	if len(got) != total {
		t.Errorf("reader at %d: %d records, want %d", at, len(got), total)
		return
	}
	for i, r := range got {
		if want := string(upd("u%03d", i)); string(r.Update) != want {
			t.Errorf("reader at %d (snapshot had %d): record %d is %q, want %q (gap or duplicate)",
				at, len(snap.Records), i, r.Update, want)
			return
		}
	}
}
