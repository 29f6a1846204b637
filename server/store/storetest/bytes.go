package storetest

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/commonpad/commonpad/server/store"
)

// testByteOwnership turns bbolt's "only valid for the life of the
// transaction" caveat, and its cousins in other back ends, into a test:
// neither side may see the other's later writes to a slice.
func testByteOwnership(t *testing.T, l store.Log, _ func() store.Log) {
	in := [][]byte{upd("first"), upd("second"), upd("third")}
	seqs := mustAppend(t, l, "p", "o", in...)
	for _, b := range in {
		b[0] = 'X'
	}
	st := upd("state")
	noErr(t, "Compact", l.Compact(t.Context(), "p", st, seqs[0]))
	st[0] = 'X'
	wantSnap := store.Snapshot{
		State: upd("state"),
		Records: []store.Record{
			{Seq: seqs[1], Origin: "o", Update: upd("second")},
			{Seq: seqs[2], Origin: "o", Update: upd("third")},
		},
		Through: seqs[2],
	}
	checkSameSnapshot(t, "Load after caller changed its slices", mustLoad(t, l, "p"), wantSnap)

	// Scribble over everything Load returned, including past each slice's
	// length: returned slices must not share backing arrays with each
	// other or with the store.
	s := mustLoad(t, l, "p")
	scribble := func(b []byte) []byte {
		for i := range b {
			b[i] = '#'
		}
		return append(b, "########"...)
	}
	s.State = scribble(s.State)
	for i := range s.Records {
		s.Records[i].Update = scribble(s.Records[i].Update)
	}
	checkSameSnapshot(t, "Load after caller changed returned slices", mustLoad(t, l, "p"), wantSnap)

	// The same for records handed to Follow's fn.
	errDone := errors.New("done")
	n := 0
	err := l.Follow(bounded(t), "p", seqs[0], func(r store.Record) error {
		scribble(r.Update)
		if n++; n == 2 {
			return errDone
		}
		return nil
	})
	if err != errDone {
		t.Fatalf("Follow = %v", err)
	}
	checkSameSnapshot(t, "Load after fn changed followed records", mustLoad(t, l, "p"), wantSnap)
	f := startFollow(t, l, "p", seqs[0])
	checkRecords(t, "second follower", f.take(t, 2), []wantRec{{"o", upd("second")}, {"o", upd("third")}})
}

func testLargePayload(t *testing.T, l store.Log, _ func() store.Log) {
	big := make([]byte, 4<<20+17)
	_, _ = rand.NewChaCha8([32]byte{'c', 'p'}).Read(big) // never fails
	bigState := append([]byte("state:"), big...)

	seqs := mustAppend(t, l, "p", "o", upd("small"), big)
	s := mustLoad(t, l, "p")
	if len(s.Records) != 2 || !bytes.Equal(s.Records[1].Update, big) {
		t.Fatalf("large update did not round-trip through Load (%d records)", len(s.Records))
	}
	f := startFollow(t, l, "p", seqs[0])
	if r := f.next(t); !bytes.Equal(r.Update, big) {
		t.Errorf("large update did not round-trip through Follow (%d bytes)", len(r.Update))
	}
	noErr(t, "Compact", l.Compact(t.Context(), "p", bigState, seqs[1]))
	s = mustLoad(t, l, "p")
	if !bytes.Equal(s.State, bigState) || len(s.Records) != 0 {
		t.Errorf("large state did not round-trip (%d bytes, %d records)", len(s.State), len(s.Records))
	}
}
