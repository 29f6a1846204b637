// Package storetest checks that a back end meets the contracts of package
// store, the way testing/fstest checks an fs.FS and testing/slogtest a
// slog.Handler. Every back end's tests call the suites:
//
//	func TestLog(t *testing.T) {
//		storetest.RunLog(t, func(t *testing.T) (store.Log, func() store.Log) {
//			path := filepath.Join(t.TempDir(), "pads.db")
//			open := func() store.Log { ... Open(path) ...; t.Cleanup(close) }
//			return open(), open
//		})
//	}
//
// Each case runs as a parallel subtest on a fresh, empty store from the
// factory. The factory registers its own t.Cleanup to close what it opens;
// Close is idempotent by contract, so cases may close stores themselves.
//
// The reopen hook returns a new handle on the same data, after the suite
// has closed the previous handle; it is how durability is checked. A back
// end without durable storage passes a nil reopen and the durability cases
// are skipped.
//
// Cases use short real-time waits only to check that nothing happens
// (a Follow that must block); every positive wait is bounded by a generous
// timeout so a broken back end fails instead of hanging.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

// LogFactory opens a fresh, empty Log for one test case, and returns a
// hook that reopens the same data (nil if the back end is not durable).
type LogFactory func(t *testing.T) (l store.Log, reopen func() store.Log)

// PadsFactory opens a fresh, empty Pads for one test case, and returns a
// hook that reopens the same data (nil if the back end is not durable).
type PadsFactory func(t *testing.T) (p store.Pads, reopen func() store.Pads)

const (
	// waitTimeout bounds every wait for something that must happen.
	waitTimeout = 10 * time.Second
	// quietPeriod is how long a case watches for something that must not
	// happen. Short keeps the suite fast; a false pass is possible, a false
	// failure is not.
	quietPeriod = 50 * time.Millisecond
)

type testCase[T any] struct {
	name string
	run  func(t *testing.T, s T, reopen func() T)
}

func runCases[T any](t *testing.T, open func(t *testing.T) (T, func() T), cases []testCase[T]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, reopen := open(t)
			tc.run(t, s, reopen)
		})
	}
}

func wantErrIs(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error = %v, want one matching %v", what, err, target)
	}
}

func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// upd builds a distinct update payload; the suite never needs real Yjs.
func upd(format string, args ...any) []byte { return fmt.Appendf(nil, format, args...) }

// want describes an expected record; the Seq is checked separately.
type wantRec struct {
	origin string
	update []byte
}

func checkRecords(t *testing.T, what string, got []store.Record, wants []wantRec) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("%s: %d records, want %d", what, len(got), len(wants))
	}
	for i := range min(len(got), len(wants)) {
		if got[i].Origin != wants[i].origin || !bytes.Equal(got[i].Update, wants[i].update) {
			t.Errorf("%s: record %d = (%q, %q), want (%q, %q)", what, i,
				got[i].Origin, abbrev(got[i].Update), wants[i].origin, abbrev(wants[i].update))
		}
	}
	checkIncreasing(t, what, got)
}

func checkIncreasing(t *testing.T, what string, recs []store.Record) {
	t.Helper()
	for i := 1; i < len(recs); i++ {
		if !recs[i-1].Seq.Less(recs[i].Seq) {
			t.Errorf("%s: record %d has seq %v, not after %v", what, i, recs[i].Seq, recs[i-1].Seq)
		}
	}
}

func abbrev(b []byte) string {
	if len(b) > 40 {
		return fmt.Sprintf("%q... (%d bytes)", b[:40], len(b))
	}
	return string(b)
}

func checkZeroSnapshot(t *testing.T, what string, s store.Snapshot) {
	t.Helper()
	if len(s.State) != 0 || len(s.Records) != 0 || !s.Through.IsZero() {
		t.Errorf("%s: got %d state bytes, %d records, through %v; want the zero Snapshot",
			what, len(s.State), len(s.Records), s.Through)
	}
}

func checkSameSnapshot(t *testing.T, what string, got, want store.Snapshot) {
	t.Helper()
	if !bytes.Equal(got.State, want.State) || got.Through != want.Through {
		t.Errorf("%s: state %q through %v, want %q through %v", what,
			abbrev(got.State), got.Through, abbrev(want.State), want.Through)
	}
	ws := make([]wantRec, len(want.Records))
	for i, r := range want.Records {
		ws[i] = wantRec{r.Origin, r.Update}
	}
	checkRecords(t, what, got.Records, ws)
	for i := range min(len(got.Records), len(want.Records)) {
		if got.Records[i].Seq != want.Records[i].Seq {
			t.Errorf("%s: record %d seq %v, want %v", what, i, got.Records[i].Seq, want.Records[i].Seq)
		}
	}
}

func checkPad(t *testing.T, what string, got, want store.Pad) {
	t.Helper()
	if got.ID != want.ID || got.ReadOnlyID != want.ReadOnlyID || got.Title != want.Title ||
		got.Status != want.Status || !maps.Equal(got.Settings, want.Settings) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
	if !want.CreatedAt.IsZero() && !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("%s: CreatedAt %v, want %v", what, got.CreatedAt, want.CreatedAt)
	}
	if !want.UpdatedAt.IsZero() && !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("%s: UpdatedAt %v, want %v", what, got.UpdatedAt, want.UpdatedAt)
	}
}

// bounded gives a direct Follow call a deadline, so a back end that
// blocks where it should return fails the case instead of hanging it.
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}
