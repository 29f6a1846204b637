package e2e

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestTwoClientsConverge has two clients in two Node processes type and
// delete concurrently; both end with the same text and state vector, which
// the server's stored copy matches, and nothing typed is lost.
func TestTwoClientsConverge(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	pad := srv.createPad(t)
	a := startDriver(t, "a", 30*time.Second).open(t, "a", srv, pad.ID, openOpts{wait: true})
	b := startDriver(t, "b", 30*time.Second).open(t, "b", srv, pad.ID, openOpts{wait: true})

	ea, eb := a.edit(t, "a", 40, 8, 5), b.edit(t, "b", 40, 8, 5)
	var ra, rb editResult
	ea.wait(t, defaultCallTimeout, &ra)
	eb.wait(t, defaultCallTimeout, &rb)

	clients := []client{a, b}
	states := waitConverged(t, 10*time.Second, clients...)
	text := states[0].text(t)
	expectTokens(t, text, ra, rb)
	for _, st := range states {
		if st.SV[fmt.Sprint(states[0].ClientID)] == 0 || st.SV[fmt.Sprint(states[1].ClientID)] == 0 {
			t.Errorf("state vector %v lacks one of the editors %d, %d", st.SV, states[0].ClientID, states[1].ClientID)
		}
	}
	if got := srv.padText(t, pad.ID); got != text {
		t.Errorf("server text differs from the clients':\nserver %q\nclient %q", got, text)
	}
	noCloses(t, clients, states)
}

// TestLateJoiner checks that a client joining after the others have typed
// gets everything in its first sync, both from the open room and from the
// store after the room has unloaded.
func TestLateJoiner(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		unload bool
	}{{"room open", false}, {"room unloaded", true}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, "--unload-grace", "200ms")
			pad := srv.createPad(t)
			d := startDriver(t, "writers", 30*time.Second)
			a := d.open(t, "a", srv, pad.ID, openOpts{wait: true})
			b := d.open(t, "b", srv, pad.ID, openOpts{wait: true})
			ea, eb := a.edit(t, "a", 25, 5, 4), b.edit(t, "b", 25, 5, 4)
			var ra, rb editResult
			ea.wait(t, defaultCallTimeout, &ra)
			eb.wait(t, defaultCallTimeout, &rb)
			want := waitConverged(t, 10*time.Second, a, b)[0]

			loads := strings.Count(srv.log.String(), `"message":"room loaded"`)
			if tc.unload {
				a.do(t, "destroy")
				b.do(t, "destroy")
				// The room writes a snapshot and unloads after its grace; the late joiner's
				// room must then load again, from the store.
				srv.waitUnloaded(t)
			}
			late := startDriver(t, "late", 30*time.Second).open(t, "late", srv, pad.ID, openOpts{wait: true, empty: true})
			// No waiting: the sync reply alone must carry everything the others saw.
			got := late.state(t)
			if !maps.Equal(got.SV, want.SV) || got.TextSHA256 != want.TextSHA256 || got.Pending {
				t.Fatalf("late joiner right after sync: state vector %v (pending %v), want %v; text %q, want %q",
					got.SV, got.Pending, want.SV, got.text(t), want.text(t))
			}
			expectTokens(t, got.text(t), ra, rb)
			reloads := strings.Count(srv.log.String(), `"message":"room loaded"`) - loads
			if tc.unload && reloads != 1 {
				t.Errorf("room loaded %d times for the late joiner, want 1 (after unloading)", reloads)
			}
			if !tc.unload && reloads != 0 {
				t.Errorf("room loaded %d times while it was open, want 0", reloads)
			}
		})
	}
}

// TestOfflineEditsMerge has one client edit while disconnected as the
// other edits online; after reconnecting both converge on all the edits.
func TestOfflineEditsMerge(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	pad := srv.createPad(t)
	a := startDriver(t, "a", 30*time.Second).open(t, "a", srv, pad.ID, openOpts{wait: true})
	b := startDriver(t, "b", 30*time.Second).open(t, "b", srv, pad.ID, openOpts{wait: true})

	var r []editResult
	for _, e := range []*call{a.edit(t, "a", 10, 3, 0), b.edit(t, "b", 10, 3, 0)} {
		var res editResult
		e.wait(t, defaultCallTimeout, &res)
		r = append(r, res)
	}
	waitConverged(t, 10*time.Second, a, b)

	a.do(t, "disconnect")
	if st := a.state(t); st.Status != "disconnected" {
		t.Fatalf("a after disconnect: %s", st.Status)
	}
	ea, eb := a.edit(t, "aoff", 20, 3, 4), b.edit(t, "b2", 20, 3, 4)
	var ra, rb editResult
	ea.wait(t, defaultCallTimeout, &ra)
	eb.wait(t, defaultCallTimeout, &rb)
	r = append(r, ra, rb)

	// The offline edits must not have leaked out: b and the server lack them.
	if st := b.state(t); strings.Contains(st.text(t), "(aoff-") {
		t.Fatalf("b saw a's offline edits before a reconnected: %q", st.text(t))
	}
	if s := srv.padText(t, pad.ID); strings.Contains(s, "(aoff-") {
		t.Fatalf("server has a's offline edits before a reconnected: %q", s)
	}

	a.do(t, "connect")
	states := waitConverged(t, 10*time.Second, a, b)
	text := states[0].text(t)
	expectTokens(t, text, r...)
	if got := srv.padText(t, pad.ID); got != text {
		t.Errorf("server text differs from the clients':\nserver %q\nclient %q", got, text)
	}
	noCloses(t, []client{a, b}, states)
}

// TestFiftyClients puts 50 clients in one room, spread over two Node
// processes, each typing and deleting concurrently; all converge on every
// edit.
func TestFiftyClients(t *testing.T) {
	t.Parallel()
	const procs, perProc = 2, 25
	srv := startServer(t)
	pad := srv.createPad(t)
	var clients []client
	var opens []*call
	for p := range procs {
		d := startDriver(t, fmt.Sprintf("p%d", p), 45*time.Second)
		for i := range perProc {
			name := fmt.Sprintf("c%02d", p*perProc+i)
			opens = append(opens, d.openAsync(t, name, srv, pad.ID, openOpts{wait: true}))
			clients = append(clients, client{d: d, name: name})
		}
	}
	for _, o := range opens {
		o.wait(t, defaultCallTimeout, nil)
	}

	edits := make([]*call, len(clients))
	for i, c := range clients {
		edits[i] = c.edit(t, c.name, 6, 20, 3)
	}
	results := make([]editResult, len(clients))
	for i, e := range edits {
		e.wait(t, defaultCallTimeout, &results[i])
	}

	start := time.Now()
	states := waitConverged(t, 20*time.Second, clients...)
	t.Logf("50 clients converged %v after the last edit returned", time.Since(start).Round(time.Millisecond))
	text := states[0].text(t)
	expectTokens(t, text, results...)
	// Six steps deleting every third: four tokens typed and two deleted by each client.
	if n := len(tokenRE.FindAllString(text, -1)); n != len(clients)*2 {
		t.Errorf("%d tokens, want %d", n, len(clients)*2)
	}
	if got := srv.padText(t, pad.ID); got != text {
		t.Errorf("server text differs from the clients':\nserver %q\nclient %q", got, text)
	}
	noCloses(t, clients, states)
}

// TestAutoCreatedPad opens a pad by a UUID the server has never seen, as an
// editor does for a fresh link: the pad is created on the first
// connection, and the same UUID written in upper case names the same pad.
func TestAutoCreatedPad(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	id := uuid.NewString()
	a := startDriver(t, "a", 30*time.Second).open(t, "a", srv, id, openOpts{wait: true})
	b := startDriver(t, "b", 30*time.Second).open(t, "b", srv, strings.ToUpper(id), openOpts{wait: true})
	var ra, rb editResult
	ea, eb := a.edit(t, "a", 10, 3, 0), b.edit(t, "b", 10, 3, 0)
	ea.wait(t, defaultCallTimeout, &ra)
	eb.wait(t, defaultCallTimeout, &rb)
	states := waitConverged(t, 10*time.Second, a, b)
	expectTokens(t, states[0].text(t), ra, rb)
	if got := srv.padText(t, id); got != states[0].text(t) {
		t.Errorf("GET text of the auto-created pad: %q, want %q", got, states[0].text(t))
	}
	noCloses(t, []client{a, b}, states)
}
