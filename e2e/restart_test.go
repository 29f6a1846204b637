package e2e

import (
	"fmt"
	"maps"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestRestart stops the server with SIGTERM while clients are connected and
// starts it again on the same data directory: the content is there, a
// client that kept retrying reconnects by itself, and one that edited while
// the server was down merges on reconnecting.
func TestRestart(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	pad := srv.createPad(t)
	ann, bob := &user{"Ann", "#e6194b"}, &user{"Bob", "#3cb44b"}
	a := startDriver(t, "a", 30*time.Second).open(t, "a", srv, pad.ID, openOpts{wait: true, user: ann})
	b := startDriver(t, "b", 30*time.Second).open(t, "b", srv, pad.ID, openOpts{wait: true, user: bob})
	var edits []editResult
	for _, e := range []*call{a.edit(t, "a", 15, 3, 5), b.edit(t, "b", 15, 3, 5)} {
		var r editResult
		e.wait(t, defaultCallTimeout, &r)
		edits = append(edits, r)
	}
	before := waitConverged(t, 10*time.Second, a, b)[0]

	if err := srv.stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	eventually(t, 5*time.Second, "clients see the shutdown", func() (bool, string) {
		for _, c := range []client{a, b} {
			st := c.state(t)
			if st.Status == "connected" {
				return false, fmt.Sprintf("%v still connected", c)
			}
			if !slices.ContainsFunc(st.Closes, func(e closeEvent) bool { return e.Code == 1001 }) {
				return false, fmt.Sprintf("%v closes %+v, want 1001 (going away)", c, st.Closes)
			}
		}
		return true, ""
	})
	// b stops retrying and edits offline; a keeps retrying with nothing new.
	b.do(t, "disconnect")
	var rb editResult
	b.edit(t, "boff", 10, 1, 0).wait(t, defaultCallTimeout, &rb)
	edits = append(edits, rb)

	srv.restart(t)
	if got := srv.padText(t, pad.ID); got != before.text(t) {
		t.Fatalf("after restart the server has %q, want %q", got, before.text(t))
	}
	f := startDriver(t, "fresh", 30*time.Second).open(t, "f", srv, pad.ID, openOpts{wait: true, empty: true})
	if got := f.state(t); !maps.Equal(got.SV, before.SV) || got.TextSHA256 != before.TextSHA256 {
		t.Fatalf("fresh client after restart: sv %v text %q, want sv %v text %q", got.SV, got.text(t), before.SV, before.text(t))
	}
	a.do(t, "sync") // reconnected on its own
	var ra editResult
	a.edit(t, "a2", 10, 2, 0).wait(t, defaultCallTimeout, &ra)
	edits = append(edits, ra)
	b.do(t, "connect")

	states := waitConverged(t, 10*time.Second, a, b, f)
	text := states[0].text(t)
	expectTokens(t, text, edits...)
	if got := srv.padText(t, pad.ID); got != text {
		t.Errorf("server text differs from the clients':\nserver %q\nclient %q", got, text)
	}
	// Presence comes back with the connections: awareness is not stored, so
	// each client must have announced itself again to the new process. (Old
	// peers accept the announcement only after its 15 s renewal raises the
	// clock they already know; a new client takes it at once.)
	eventually(t, 5*time.Second, "presence restored after the restart", func() (bool, string) {
		st := f.state(t)
		for i, u := range []*user{ann, bob} {
			if got, _ := st.awarenessUser(states[i].ClientID); got == nil || *got != *u {
				return false, fmt.Sprintf("fresh client sees client %d as %v, want %v", states[i].ClientID, got, u)
			}
		}
		return true, ""
	})
}

// TestKill9 kills the server with SIGKILL while clients type, three times
// over the same data directory. After each kill a fresh client of the
// restarted server must hold every update any client had received from the
// server: an update is durable before it is visible. Finally the typists
// reconnect, resend what the server lost, and all converge.
func TestKill9(t *testing.T) {
	t.Parallel()
	stopWhileTyping(t, 3, func(srv *serverProc) { srv.kill() })
}

// TestStopWhileTyping is TestKill9 with a graceful stop: updates arriving
// during shutdown may be dropped, but none that a client has seen, and the
// server still exits cleanly.
func TestStopWhileTyping(t *testing.T) {
	t.Parallel()
	stopWhileTyping(t, 2, func(srv *serverProc) {
		if err := srv.stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
			t.Errorf("graceful stop while clients type: %v", err)
		}
	})
}

func stopWhileTyping(t *testing.T, rounds int, stop func(*serverProc)) {
	// A short grace lets the room snapshot and unload between rounds, so a
	// restart loads a snapshot plus the records appended after it.
	srv := startServer(t, "--unload-grace", "100ms")
	pad := srv.createPad(t)
	d1, d2 := startDriver(t, "typists1", 60*time.Second), startDriver(t, "typists2", 60*time.Second)
	checker := startDriver(t, "checker", 60*time.Second)
	typists := []client{{d1, "t1"}, {d1, "t2"}, {d2, "t3"}}
	var edits []editResult
	for round := range rounds {
		for _, c := range typists {
			if round == 0 {
				c.d.open(t, c.name, srv, pad.ID, openOpts{})
			} else {
				c.do(t, "connect")
			}
		}
		base := 0
		for _, c := range typists {
			c.do(t, "sync")
			base += c.state(t).Received
		}
		var typing []*call
		for _, c := range typists {
			typing = append(typing, c.edit(t, fmt.Sprintf("%sr%d", c.name, round), 100000, 8, 4))
		}
		// Stop the server once the typists have seen plenty of each other's
		// updates, however slow the machine is, and while they keep typing.
		eventually(t, 15*time.Second, "typists receive each other's updates", func() (bool, string) {
			n, why := 0, ""
			for _, c := range typists {
				st := c.state(t)
				n += st.Received
				why += fmt.Sprintf(" %v: %s, %d received, %d disconnects, closes %+v;", c, st.Status, st.Received, st.Disconnects, st.Closes)
			}
			return n-base >= 240, why
		})
		stop(srv)

		for _, c := range typists {
			c.do(t, "stop")
		}
		for _, e := range typing {
			var r editResult
			e.wait(t, defaultCallTimeout, &r)
			edits = append(edits, r)
		}
		// Keep the typists from resending anything before the check.
		for _, c := range typists {
			c.do(t, "disconnect")
		}
		seen := map[string]bool{}
		var received []string
		for _, c := range typists {
			for _, u := range c.received(t) {
				if !seen[u] {
					seen[u] = true
					received = append(received, u)
				}
			}
		}

		srv.restart(t)
		ck := checker.open(t, fmt.Sprintf("check%d", round), srv, pad.ID, openOpts{wait: true, empty: true})
		var res struct {
			Missing []int `json:"missing"`
		}
		checker.send(t, "contains", ck.args("updates", received)).wait(t, 30*time.Second, &res)
		if len(res.Missing) > 0 {
			t.Fatalf("round %d: %d of %d updates the clients had received from the server are missing after the stop and restart (first: %d)",
				round, len(res.Missing), len(received), res.Missing[0])
		}
		st := ck.state(t)
		if st.Pending {
			t.Fatalf("round %d: the restarted server's state leaves the fresh client with pending structs", round)
		}
		tokensOf(t, st.text(t))
		t.Logf("round %d: %d received updates all present after the restart", round, len(received))
		ck.do(t, "destroy")
	}

	for _, c := range typists {
		c.do(t, "connect")
	}
	final := checker.open(t, "final", srv, pad.ID, openOpts{wait: true, empty: true})
	states := waitConverged(t, 15*time.Second, append(typists, final)...)
	text := states[0].text(t)
	expectTokens(t, text, edits...)
	if got := srv.padText(t, pad.ID); got != text {
		t.Errorf("server text differs from the clients':\nserver %q\nclient %q", got, text)
	}
}
