package storetest

import (
	"testing"

	"github.com/commonpad/commonpad/server/store"
)

func testCompact(t *testing.T, l store.Log, _ func() store.Log) {
	seqs := mustAppend(t, l, "p", "o", upd("u0"), upd("u1"), upd("u2"), upd("u3"), upd("u4"))
	noErr(t, "Compact", l.Compact(t.Context(), "p", upd("S012"), seqs[2]))

	s := mustLoad(t, l, "p")
	if string(s.State) != "S012" {
		t.Errorf("State = %q, want S012", s.State)
	}
	checkRecords(t, "records after compaction", s.Records, []wantRec{{"o", upd("u3")}, {"o", upd("u4")}})
	if len(s.Records) == 2 && (s.Records[0].Seq != seqs[3] || s.Records[1].Seq != seqs[4]) {
		t.Errorf("record seqs %v %v, want %v %v", s.Records[0].Seq, s.Records[1].Seq, seqs[3], seqs[4])
	}
	if s.Through != seqs[4] {
		t.Errorf("Through = %v, want %v", s.Through, seqs[4])
	}

	// Following from the compaction point itself is fine.
	f := startFollow(t, l, "p", seqs[2])
	checkRecords(t, "Follow from compaction point", f.take(t, 2), []wantRec{{"o", upd("u3")}, {"o", upd("u4")}})
}

func testCompactStale(t *testing.T, l store.Log, _ func() store.Log) {
	seqs := mustAppend(t, l, "p", "o", upd("u0"), upd("u1"), upd("u2"))
	noErr(t, "Compact", l.Compact(t.Context(), "p", upd("S01"), seqs[1]))
	want := mustLoad(t, l, "p")

	// A slower instance compacting an older (or the same) point must not
	// replace the newer state nor resurrect anything.
	noErr(t, "stale Compact", l.Compact(t.Context(), "p", upd("S0"), seqs[0]))
	noErr(t, "repeated Compact", l.Compact(t.Context(), "p", upd("other"), seqs[1]))
	noErr(t, "zero Compact", l.Compact(t.Context(), "p", upd("zero"), store.Seq{}))
	checkSameSnapshot(t, "Load after stale compactions", mustLoad(t, l, "p"), want)
	noErr(t, "zero Compact of unknown pad", l.Compact(t.Context(), "unknown", upd("zero"), store.Seq{}))
	checkZeroSnapshot(t, "unknown pad after zero Compact", mustLoad(t, l, "unknown"))
}

func testCompactBeyondEnd(t *testing.T, l store.Log, _ func() store.Log) {
	seqs := mustAppend(t, l, "p", "o", upd("u0"))
	beyond := store.Seq{Hi: seqs[0].Hi, Lo: seqs[0].Lo + 1000}
	err := l.Compact(t.Context(), "p", upd("S"), beyond)
	wantErrIs(t, "Compact past the last record", err, store.ErrInvalid)
	err = l.Compact(t.Context(), "unknown", upd("S"), seqs[0])
	wantErrIs(t, "Compact of unknown pad", err, store.ErrInvalid)
	s := mustLoad(t, l, "p")
	if s.State != nil {
		t.Errorf("refused Compact stored state %q", s.State)
	}
	checkRecords(t, "records after refused Compact", s.Records, []wantRec{{"o", upd("u0")}})
}

func testCompactAll(t *testing.T, l store.Log, _ func() store.Log) {
	seqs := mustAppend(t, l, "p", "o", upd("u0"), upd("u1"))
	noErr(t, "Compact", l.Compact(t.Context(), "p", upd("S01"), seqs[1]))
	s := mustLoad(t, l, "p")
	if string(s.State) != "S01" || len(s.Records) != 0 || s.Through != seqs[1] {
		t.Errorf("Load = state %q, %d records, through %v; want S01, none, %v", s.State, len(s.Records), s.Through, seqs[1])
	}
	f := startFollow(t, l, "p", s.Through)
	f.quiet(t)

	next := mustAppend(t, l, "p", "o", upd("u2"))
	if !seqs[1].Less(next[0]) {
		t.Errorf("seq after full compaction %v is not after %v", next[0], seqs[1])
	}
	checkRecords(t, "Follow after full compaction", f.take(t, 1), []wantRec{{"o", upd("u2")}})
	s = mustLoad(t, l, "p")
	checkRecords(t, "Load after full compaction and Append", s.Records, []wantRec{{"o", upd("u2")}})
	if string(s.State) != "S01" {
		t.Errorf("State = %q, want S01", s.State)
	}
	// An empty state is a state: it must not read back as "never compacted".
	noErr(t, "Compact to empty state", l.Compact(t.Context(), "p", []byte{}, next[0]))
	s = mustLoad(t, l, "p")
	if s.State == nil || len(s.State) != 0 || len(s.Records) != 0 || s.Through != next[0] {
		t.Errorf("after Compact to an empty state: state %q (nil %v), %d records, through %v",
			s.State, s.State == nil, len(s.Records), s.Through)
	}
}

func testFollowCompacted(t *testing.T, l store.Log, _ func() store.Log) {
	seqs := mustAppend(t, l, "p", "o", upd("u0"), upd("u1"), upd("u2"))
	noErr(t, "Compact", l.Compact(t.Context(), "p", upd("S01"), seqs[1]))
	called := false
	fn := func(store.Record) error { called = true; return nil }
	err := l.Follow(bounded(t), "p", store.Seq{}, fn)
	wantErrIs(t, "Follow from zero after Compact", err, store.ErrCompacted)
	err = l.Follow(bounded(t), "p", seqs[0], fn)
	wantErrIs(t, "Follow from below the compaction point", err, store.ErrCompacted)
	if called {
		t.Error("Follow delivered records before reporting ErrCompacted")
	}
}
