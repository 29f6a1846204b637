package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestReadOnly connects a reader through the pad's read-only id next to a
// writer and an observer. The reader receives the content and every later
// update, but its own edits reach neither the server nor the observer, not
// even when it resends them on reconnecting.
func TestReadOnly(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	pad := srv.createPad(t)
	w := startDriver(t, "writer", 30*time.Second).open(t, "w", srv, pad.ID, openOpts{wait: true})
	ew := w.edit(t, "w", 10, 2, 0)
	var r1 editResult
	ew.wait(t, defaultCallTimeout, &r1)
	waitConverged(t, 10*time.Second, w) // w is synced; its updates are on their way

	rd := startDriver(t, "reader", 30*time.Second)
	r := rd.open(t, "r", srv, pad.ReadOnlyID, openOpts{wait: true})
	o := startDriver(t, "observer", 30*time.Second).open(t, "o", srv, pad.ID, openOpts{wait: true})
	states := waitConverged(t, 10*time.Second, w, r, o)
	expectTokens(t, states[1].text(t), r1)
	idr := states[1].ClientID

	// barrier makes sure the server has handled everything r sent before:
	// the room takes one connection's messages in order, and the awareness
	// change is relayed to o.
	barrier := func(n int) {
		t.Helper()
		mark := &user{fmt.Sprintf("reader-%d", n), "#000000"}
		r.do(t, "awareness", "user", mark)
		eventually(t, 5*time.Second, "observer sees the reader's awareness", func() (bool, string) {
			got, _ := o.state(t).awarenessUser(idr)
			return got != nil && *got == *mark, fmt.Sprintf("reader's state at observer: %v", got)
		})
	}
	checkNoLeak := func(when string) {
		t.Helper()
		for _, c := range []client{w, o} {
			st := c.state(t)
			if strings.Contains(st.text(t), "(ro-") || st.SV[fmt.Sprint(idr)] != 0 {
				t.Fatalf("%s: reader's edit reached %v: sv %v text %q", when, c, st.SV, st.text(t))
			}
		}
		for _, id := range []string{pad.ID, pad.ReadOnlyID} {
			if s := srv.padText(t, id); strings.Contains(s, "(ro-") {
				t.Fatalf("%s: reader's edit reached the server (GET text of %s): %q", when, id, s)
			}
		}
	}

	r.do(t, "insert", "index", 0, "text", "(ro-000)")
	barrier(1)
	checkNoLeak("after the reader typed")
	if n := srv.metric(t, `commonpad_rejected_messages_total{reason="read_only"}`); n < 1 {
		t.Errorf("server counted %v read-only rejections after the reader typed", n)
	}

	// The writer goes on; the reader still receives every update.
	ew = w.edit(t, "w2", 5, 2, 0)
	var r2 editResult
	ew.wait(t, defaultCallTimeout, &r2)
	want := waitConverged(t, 10*time.Second, w, o)[0]
	eventually(t, 5*time.Second, "reader receives the writer's later updates", func() (bool, string) {
		st := r.state(t)
		for id, clock := range want.SV {
			if st.SV[id] != clock {
				return false, fmt.Sprintf("reader sv %v, writer %v", st.SV, want.SV)
			}
		}
		return true, ""
	})
	st := r.state(t)
	if st.Status != "connected" || len(st.Closes) > 0 {
		t.Fatalf("reader status %s, closes %+v; a read-only connection must stay open", st.Status, st.Closes)
	}
	// The reader holds its own edit plus everything the writer typed.
	expectTokens(t, st.text(t), r1, r2, editResult{Inserted: []string{"(ro-000)"}})

	// Reconnecting makes the reader send its whole state in sync step 2.
	r.do(t, "disconnect")
	r.do(t, "connect")
	r.do(t, "sync")
	barrier(2)
	checkNoLeak("after the reader reconnected")
	expectTokens(t, srv.padText(t, pad.ID), r1, r2)
}
