package protocol

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// awarenessPayload extracts the awareness update of an awareness message.
func awarenessPayload(t *testing.T, msg string) []byte {
	t.Helper()
	m, err := ReadMessage(unhex(t, msg))
	if err != nil || m.Type != MessageAwareness {
		t.Fatalf("not an awareness message: %+v, %v", m, err)
	}
	return m.Payload
}

func apply(t *testing.T, a *Awareness, msg string, now time.Time) Change {
	t.Helper()
	ch, err := a.ApplyAt(awarenessPayload(t, msg), now)
	if err != nil {
		t.Fatalf("apply %s: %v", msg, err)
	}
	return ch
}

// TestAwarenessTranscript replays the awareness part of the captured
// y-websocket session (design digest 9.2) against the server's Awareness.
func TestAwarenessTranscript(t *testing.T) {
	t.Parallel()
	var a Awareness

	// A fresh client announces itself at clock 0: ignored by everyone.
	if ch := apply(t, &a, transcriptAwareness0, t0); !ch.Empty() || a.Len() != 0 {
		t.Fatalf("clock-0 announcement accepted: %+v", ch)
	}
	// Client 1 sets {user:{name:"A"}} at clock 1: added and echoed as is.
	ch := apply(t, &a, transcriptAwarenessA, t0)
	if !slices.Equal(ch.Added, []uint64{1}) || len(ch.Updated)+len(ch.Removed) != 0 {
		t.Fatalf("set state: %+v", ch)
	}
	if got := EncodeAwareness(a.Encode(ch.Clients())); !bytes.Equal(got, unhex(t, transcriptAwarenessA)) {
		t.Errorf("echo % x", got)
	}
	// Client 2 joins: it is sent every known state.
	if got := EncodeAwareness(a.Encode(a.Clients())); !bytes.Equal(got, unhex(t, transcriptAwarenessA)) {
		t.Errorf("states for a joiner: % x", got)
	}
	if ch := apply(t, &a, transcriptAwareness2, t0); !ch.Empty() {
		t.Errorf("client 2 clock 0 accepted: %+v", ch)
	}
	// Client 2 re-broadcasts client 1's state: not newer, ignored.
	if ch := apply(t, &a, transcriptAwarenessA, t0); !ch.Empty() {
		t.Errorf("re-broadcast accepted: %+v", ch)
	}
	// Client 1 leaves: null at the same clock removes the state.
	ch = apply(t, &a, transcriptAwarenessOff, t0)
	if !slices.Equal(ch.Removed, []uint64{1}) || a.Len() != 0 {
		t.Fatalf("removal: %+v, %d states", ch, a.Len())
	}
	if got := EncodeAwareness(a.Encode(ch.Clients())); !bytes.Equal(got, unhex(t, transcriptAwarenessOff)) {
		t.Errorf("removal broadcast % x", got)
	}
	// Client 2 re-broadcasts the removal: the state is already gone.
	if ch := apply(t, &a, transcriptAwarenessOff, t0); !ch.Empty() {
		t.Errorf("second removal accepted: %+v", ch)
	}
	if c, ok := a.Clock(1); !ok || c != 1 {
		t.Errorf("clock of a removed client: %d, %v", c, ok)
	}
}

func update(entries ...AwarenessEntry) []byte { return EncodeAwarenessUpdate(entries) }

func TestAwarenessRules(t *testing.T) {
	t.Parallel()
	var a Awareness
	must := func(ch Change, err error) Change {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	must(a.ApplyAt(update(AwarenessEntry{7, 3, `{"x": 1}`}), t0))
	if s := a.States()[7]; s != `{"x":1}` {
		t.Errorf("state not kept as JSON.stringify writes it: %q", s)
	}
	// Same clock, non-null: ignored. Older clock: ignored.
	if ch := must(a.ApplyAt(update(AwarenessEntry{7, 3, `{"x":2}`}, AwarenessEntry{7, 2, "null"}), t0)); !ch.Empty() {
		t.Errorf("stale entries accepted: %+v", ch)
	}
	// Deep-equal re-set: Updated but not Changed; a different one is both.
	ch := must(a.ApplyAt(update(AwarenessEntry{7, 4, `{ "x" : 1.0 }`}), t0))
	if !slices.Equal(ch.Updated, []uint64{7}) || len(ch.Changed) != 0 {
		t.Errorf("equal re-set: %+v", ch)
	}
	ch = must(a.ApplyAt(update(AwarenessEntry{7, 5, `{"x":2}`}, AwarenessEntry{7, 6, `{"x":3}`}), t0))
	if !slices.Equal(ch.Updated, []uint64{7, 7}) || !slices.Equal(ch.Changed, []uint64{7, 7}) {
		t.Errorf("two re-sets in one update: %+v", ch)
	}
	// Null with a higher clock removes; a later state is "updated", not
	// "added", because the client is known (y-protocols quirk).
	ch = must(a.ApplyAt(update(AwarenessEntry{7, 9, " null "}), t0))
	if !slices.Equal(ch.Removed, []uint64{7}) {
		t.Errorf("removal: %+v", ch)
	}
	ch = must(a.ApplyAt(update(AwarenessEntry{7, 10, "{}"}), t0))
	if !slices.Equal(ch.Updated, []uint64{7}) || !slices.Equal(ch.Changed, []uint64{7}) || len(ch.Added) != 0 {
		t.Errorf("re-appearance: %+v", ch)
	}
	// A null for an unknown client is recorded (its clock counts) but
	// reported nowhere.
	if ch := must(a.ApplyAt(update(AwarenessEntry{8, 2, "null"}), t0)); !ch.Empty() {
		t.Errorf("null for unknown client: %+v", ch)
	}
	if ch := must(a.ApplyAt(update(AwarenessEntry{8, 2, "{}"}), t0)); !ch.Empty() {
		t.Errorf("clock of a null-only client ignored: %+v", ch)
	}
	if s, ok := a.State(7); !ok || s != "{}" {
		t.Errorf("State(7) = %q, %v", s, ok)
	}
	if s, ok := a.State(8); ok {
		t.Errorf("State of a null-only client = %q", s)
	}
	// Falsy states are written as null, as y-protocols does.
	must(a.ApplyAt(update(AwarenessEntry{9, 1, "false"}, AwarenessEntry{10, 1, "-0"}, AwarenessEntry{11, 1, `""`}, AwarenessEntry{12, 1, "1"}), t0))
	want := update(AwarenessEntry{9, 1, "null"}, AwarenessEntry{10, 1, "null"}, AwarenessEntry{11, 1, "null"}, AwarenessEntry{12, 1, "1"}, AwarenessEntry{99, 0, "x"})
	want = want[:len(want)-4]
	want[0] = 4
	if got := a.Encode([]uint64{9, 10, 11, 12, 99}); !bytes.Equal(got, want) {
		t.Errorf("falsy states: % x, want % x", got, want)
	}
	if !slices.Equal(a.Clients(), []uint64{7, 9, 10, 11, 12}) {
		t.Errorf("Clients order %v", a.Clients())
	}
}

func TestAwarenessRejectsMalformedUpdates(t *testing.T) {
	t.Parallel()
	var a Awareness
	good := AwarenessEntry{1, 1, "{}"}
	for _, tc := range []struct {
		name  string
		in    []byte
		cause error
	}{
		{"empty", nil, lib0.ErrUnexpectedEOF},
		{"count beyond input", []byte{5, 1, 1, 1}, lib0.ErrUnexpectedEOF},
		{"invalid json", update(good, AwarenessEntry{2, 1, "{"}), lib0.ErrInvalidJSON},
		{"undefined", update(AwarenessEntry{2, 1, "undefined"}), lib0.ErrInvalidJSON},
		{"empty state", update(good, AwarenessEntry{2, 1, ""}), lib0.ErrInvalidJSON},
		{"bad utf-8", update(AwarenessEntry{2, 1, "\"\xff\""}), lib0.ErrInvalidUTF8},
		{"truncated", update(good)[:4], lib0.ErrUnexpectedEOF},
	} {
		_, err := a.ApplyAt(tc.in, t0)
		if !errors.Is(err, ErrInvalidAwareness) || !errors.Is(err, tc.cause) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.cause)
		}
		if _, err := DecodeAwarenessUpdate(tc.in); !errors.Is(err, ErrInvalidAwareness) {
			t.Errorf("%s: DecodeAwarenessUpdate err = %v", tc.name, err)
		}
	}
	if a.Len() != 0 {
		t.Errorf("a rejected update changed the states: %v", a.States())
	}
	// Trailing bytes after the entries are ignored, as in y-protocols.
	entries, err := DecodeAwarenessUpdate(append(update(good), 0xff))
	if err != nil || len(entries) != 1 || entries[0] != good {
		t.Errorf("trailing bytes: %v, %v", entries, err)
	}
}

func TestAwarenessRemove(t *testing.T) {
	t.Parallel()
	var a Awareness
	if _, err := a.ApplyAt(update(AwarenessEntry{1, 4, `{"a":1}`}, AwarenessEntry{2, 1, "{}"}), t0); err != nil {
		t.Fatal(err)
	}
	ch, enc := a.Remove([]uint64{2, 3, 1})
	if !slices.Equal(ch.Removed, []uint64{2, 1}) {
		t.Errorf("Removed %v", ch.Removed)
	}
	// Clocks are kept, so peers accept the null at their current clock.
	if want := update(AwarenessEntry{2, 1, "null"}, AwarenessEntry{1, 4, "null"}); !bytes.Equal(enc, want) {
		t.Errorf("encoded % x, want % x", enc, want)
	}
	var peer Awareness
	if _, err := peer.ApplyAt(update(AwarenessEntry{1, 4, `{"a":1}`}), t0); err != nil {
		t.Fatal(err)
	}
	if pc, _ := peer.ApplyAt(enc, t0); !slices.Equal(pc.Removed, []uint64{1}) || peer.Len() != 0 {
		t.Errorf("peer did not accept the removal: %+v", pc)
	}
	if ch, enc := a.Remove([]uint64{1, 2}); !ch.Empty() || enc != nil {
		t.Errorf("second Remove: %+v % x", ch, enc)
	}
}

func TestAwarenessRemoveOutdated(t *testing.T) {
	t.Parallel()
	var a Awareness
	const timeout = 30 * time.Second
	for i, id := range []uint64{5, 3, 9} {
		if _, err := a.ApplyAt(update(AwarenessEntry{id, 1, "{}"}), t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	// Client 3 renews its state later.
	if _, err := a.ApplyAt(update(AwarenessEntry{3, 2, "{}"}), t0.Add(20*time.Second)); err != nil {
		t.Fatal(err)
	}
	if ch, enc := a.RemoveOutdated(t0.Add(timeout-time.Millisecond), timeout); !ch.Empty() || enc != nil {
		t.Errorf("removed too early: %+v", ch)
	}
	ch, enc := a.RemoveOutdated(t0.Add(timeout+2*time.Second), timeout)
	if !slices.Equal(ch.Removed, []uint64{5, 9}) {
		t.Errorf("Removed %v, want first-seen order [5 9]", ch.Removed)
	}
	if want := update(AwarenessEntry{5, 1, "null"}, AwarenessEntry{9, 1, "null"}); !bytes.Equal(enc, want) {
		t.Errorf("encoded % x", enc)
	}
	if !slices.Equal(a.Clients(), []uint64{3}) {
		t.Errorf("left %v", a.Clients())
	}
}
