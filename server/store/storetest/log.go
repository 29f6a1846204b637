package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/commonpad/commonpad/server/store"
)

// RunLog runs the Log conformance suite against the back end newLog opens.
func RunLog(t *testing.T, newLog LogFactory) {
	t.Helper()
	runCases(t, newLog, []testCase[store.Log]{
		{"LoadUnknown", testLoadUnknown},
		{"AppendLoad", testAppendLoad},
		{"AppendNothing", testAppendNothing},
		{"InvalidPad", testInvalidPad},
		{"PadNames", testPadNames},
		{"FollowFromCursor", testFollowFromCursor},
		{"FollowBlocksUntilAppend", testFollowBlocks},
		{"FollowFnError", testFollowFnError},
		{"FollowManyFollowers", testFollowMany},
		{"FollowReturnsOnClose", testFollowClose},
		{"LoadFollowHandoff", testLoadFollowHandoff},
		{"Compact", testCompact},
		{"CompactStale", testCompactStale},
		{"CompactBeyondEnd", testCompactBeyondEnd},
		{"CompactAll", testCompactAll},
		{"FollowCompacted", testFollowCompacted},
		{"ConcurrentAppenders", testConcurrentAppenders},
		{"ByteOwnership", testByteOwnership},
		{"LargePayload", testLargePayload},
		{"CancelledContext", testLogCancelled},
		{"Closed", testLogClosed},
		{"Delete", testDelete},
		{"Reopen", testLogReopen},
	})
}

func mustAppend(t *testing.T, l store.Log, pad, origin string, updates ...[]byte) []store.Seq {
	t.Helper()
	seqs, err := l.Append(t.Context(), pad, origin, updates...)
	noErr(t, "Append", err)
	if len(seqs) != len(updates) {
		t.Fatalf("Append of %d updates returned %d seqs", len(updates), len(seqs))
	}
	return seqs
}

func mustLoad(t *testing.T, l store.Log, pad string) store.Snapshot {
	t.Helper()
	s, err := l.Load(t.Context(), pad)
	noErr(t, "Load", err)
	return s
}

func testLoadUnknown(t *testing.T, l store.Log, _ func() store.Log) {
	checkZeroSnapshot(t, "Load(unknown)", mustLoad(t, l, "never-written"))
}

func testAppendLoad(t *testing.T, l store.Log, _ func() store.Log) {
	const pad = "p"
	var seqs []store.Seq
	seqs = append(seqs, mustAppend(t, l, pad, "inst-a", upd("u0"), upd("u1"), upd("u2"))...)
	seqs = append(seqs, mustAppend(t, l, pad, "inst-b", upd("u3"))...)
	seqs = append(seqs, mustAppend(t, l, pad, "", upd("u4"), upd(""))...)
	for i := 1; i < len(seqs); i++ {
		if !seqs[i-1].Less(seqs[i]) {
			t.Errorf("Append seqs not strictly increasing: %v then %v", seqs[i-1], seqs[i])
		}
	}
	s := mustLoad(t, l, pad)
	checkRecords(t, "Load", s.Records, []wantRec{
		{"inst-a", upd("u0")}, {"inst-a", upd("u1")}, {"inst-a", upd("u2")},
		{"inst-b", upd("u3")}, {"", upd("u4")}, {"", upd("")},
	})
	for i := range min(len(s.Records), len(seqs)) {
		if s.Records[i].Seq != seqs[i] {
			t.Errorf("record %d: seq %v, Append returned %v", i, s.Records[i].Seq, seqs[i])
		}
	}
	if s.State != nil {
		t.Errorf("State = %q before any Compact, want nil", s.State)
	}
	if s.Through != seqs[len(seqs)-1] {
		t.Errorf("Through = %v, want last seq %v", s.Through, seqs[len(seqs)-1])
	}
}

func testAppendNothing(t *testing.T, l store.Log, _ func() store.Log) {
	seqs, err := l.Append(t.Context(), "p", "o")
	if err != nil || len(seqs) != 0 {
		t.Errorf("Append() = %v, %v; want no seqs and nil", seqs, err)
	}
	checkZeroSnapshot(t, "Load after empty Append", mustLoad(t, l, "p"))
}

func testInvalidPad(t *testing.T, l store.Log, _ func() store.Log) {
	ctx := t.Context()
	for _, pad := range []string{"", "\xff\xfe", strings.Repeat("x", store.MaxIDBytes+1)} {
		_, err := l.Load(ctx, pad)
		wantErrIs(t, "Load(bad pad)", err, store.ErrInvalid)
		_, err = l.Append(ctx, pad, "o", upd("u"))
		wantErrIs(t, "Append(bad pad)", err, store.ErrInvalid)
		err = l.Follow(bounded(t), pad, store.Seq{}, func(store.Record) error { return nil })
		wantErrIs(t, "Follow(bad pad)", err, store.ErrInvalid)
		err = l.Compact(ctx, pad, upd("s"), store.Seq{Lo: 1})
		wantErrIs(t, "Compact(bad pad)", err, store.ErrInvalid)
		err = l.Delete(ctx, pad)
		wantErrIs(t, "Delete(bad pad)", err, store.ErrInvalid)
	}
	// The longest valid id must work end to end.
	long := strings.Repeat("y", store.MaxIDBytes)
	mustAppend(t, l, long, "o", upd("u"))
	checkRecords(t, "Load(longest id)", mustLoad(t, l, long).Records, []wantRec{{"o", upd("u")}})
}

// padNames are ids that break naive key schemes: separators of Redis keys
// and file paths, hash tags, prefixes of each other, and non-ASCII.
var padNames = []string{
	"a", "a:b", "a:log", "pad:{a}:log", "a/b", "../a", "{a}", "{}", "a b", " ",
	"ünïcødé", "パッド", "a\x00b", "a\x00", "a%2Fb",
}

func testPadNames(t *testing.T, l store.Log, _ func() store.Log) {
	for i, pad := range padNames {
		mustAppend(t, l, pad, "o", upd("%d:%s", i, pad))
	}
	// Compacting and deleting one pad must leave its neighbours alone.
	s := mustLoad(t, l, "a")
	noErr(t, "Compact(a)", l.Compact(t.Context(), "a", upd("state-a"), s.Through))
	noErr(t, "Delete(a:b)", l.Delete(t.Context(), "a:b"))
	for i, pad := range padNames {
		s := mustLoad(t, l, pad)
		switch pad {
		case "a":
			if string(s.State) != "state-a" || len(s.Records) != 0 {
				t.Errorf("pad %q: state %q, %d records; want compacted", pad, s.State, len(s.Records))
			}
		case "a:b":
			checkZeroSnapshot(t, "deleted pad", s)
		default:
			if s.State != nil {
				t.Errorf("pad %q: state %q, want nil", pad, s.State)
			}
			checkRecords(t, "pad "+pad, s.Records, []wantRec{{"o", upd("%d:%s", i, pad)}})
		}
	}
}

func testLogCancelled(t *testing.T, l store.Log, _ func() store.Log) {
	seeded := mustAppend(t, l, "p", "o", upd("u0"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	_, err := l.Load(ctx, "p")
	wantErrIs(t, "Load", err, context.Canceled)
	_, err = l.Append(ctx, "q", "o", upd("never"))
	wantErrIs(t, "Append", err, context.Canceled)
	called := false
	err = l.Follow(ctx, "p", store.Seq{}, func(store.Record) error { called = true; return nil })
	wantErrIs(t, "Follow", err, context.Canceled)
	if called {
		t.Error("Follow with a cancelled context called fn")
	}
	err = l.Compact(ctx, "p", upd("state"), seeded[0])
	wantErrIs(t, "Compact", err, context.Canceled)
	err = l.Delete(ctx, "p")
	wantErrIs(t, "Delete", err, context.Canceled)

	checkZeroSnapshot(t, "pad appended with a cancelled context", mustLoad(t, l, "q"))
	s := mustLoad(t, l, "p")
	if s.State != nil {
		t.Errorf("cancelled Compact stored state %q", s.State)
	}
	checkRecords(t, "pad after cancelled Compact and Delete", s.Records, []wantRec{{"o", upd("u0")}})
}

func testLogClosed(t *testing.T, l store.Log, _ func() store.Log) {
	seqs := mustAppend(t, l, "p", "o", upd("u0"))
	noErr(t, "Close", l.Close())
	noErr(t, "second Close", l.Close())
	ctx := t.Context()
	_, err := l.Load(ctx, "p")
	wantErrIs(t, "Load after Close", err, store.ErrClosed)
	_, err = l.Append(ctx, "p", "o", upd("u1"))
	wantErrIs(t, "Append after Close", err, store.ErrClosed)
	err = l.Follow(bounded(t), "p", store.Seq{}, func(store.Record) error { return nil })
	wantErrIs(t, "Follow after Close", err, store.ErrClosed)
	err = l.Compact(ctx, "p", upd("s"), seqs[0])
	wantErrIs(t, "Compact after Close", err, store.ErrClosed)
	err = l.Delete(ctx, "p")
	wantErrIs(t, "Delete after Close", err, store.ErrClosed)
}

func testDelete(t *testing.T, l store.Log, _ func() store.Log) {
	old := mustAppend(t, l, "p", "o", upd("u0"), upd("u1"))
	noErr(t, "Compact", l.Compact(t.Context(), "p", upd("state"), old[0]))
	old = append(old, mustAppend(t, l, "p", "o", upd("u2"))...)
	mustAppend(t, l, "other", "o", upd("x"))

	noErr(t, "Delete", l.Delete(t.Context(), "p"))
	checkZeroSnapshot(t, "Load after Delete", mustLoad(t, l, "p"))
	noErr(t, "Delete again", l.Delete(t.Context(), "p"))
	noErr(t, "Delete(unknown)", l.Delete(t.Context(), "never-written"))
	checkRecords(t, "other pad", mustLoad(t, l, "other").Records, []wantRec{{"o", upd("x")}})

	// Seqs are never reused, so a cursor from before the Delete still sees
	// every later record.
	fresh := mustAppend(t, l, "p", "o", upd("v0"))
	if !old[len(old)-1].Less(fresh[0]) {
		t.Errorf("seq after Delete %v is not after the deleted %v", fresh[0], old[len(old)-1])
	}
	s := mustLoad(t, l, "p")
	if s.State != nil {
		t.Errorf("state after Delete and Append = %q, want nil", s.State)
	}
	checkRecords(t, "Load after Delete and Append", s.Records, []wantRec{{"o", upd("v0")}})
}

func testLogReopen(t *testing.T, l store.Log, reopen func() store.Log) {
	if reopen == nil {
		t.Skip("back end is not durable (no reopen hook)")
	}
	seqs := mustAppend(t, l, "p", "o1", upd("u0"), upd("u1"), upd("u2"))
	noErr(t, "Compact", l.Compact(t.Context(), "p", upd("state"), seqs[0]))
	mustAppend(t, l, "p", "o2", upd("u3"))
	mustAppend(t, l, "gone", "o", upd("x"))
	noErr(t, "Delete", l.Delete(t.Context(), "gone"))
	before := mustLoad(t, l, "p")
	noErr(t, "Close", l.Close())

	l = reopen()
	after := mustLoad(t, l, "p")
	checkSameSnapshot(t, "Load after reopen", after, before)
	checkZeroSnapshot(t, "deleted pad after reopen", mustLoad(t, l, "gone"))
	next := mustAppend(t, l, "p", "o3", upd("u4"))
	if !before.Through.Less(next[0]) {
		t.Errorf("seq after reopen %v is not after %v", next[0], before.Through)
	}
}
