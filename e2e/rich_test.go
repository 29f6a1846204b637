package e2e

import (
	"maps"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestRichContent has two clients make random concurrent edits of every
// content type an editor produces: maps, arrays, formatted text with
// embeds, XML elements with attributes, binary values, nested types and
// subdocuments. The server's CRDT must pass all of it through unchanged: to
// the other client, to a late joiner served from the store after the room
// unloaded, and after a restart. E2E_SEED varies the edits.
func TestRichContent(t *testing.T) {
	t.Parallel()
	seed := int64(20261129)
	if s := os.Getenv("E2E_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatalf("E2E_SEED: %v", err)
		}
	}
	t.Logf("seed %d", seed)
	srv := startServer(t, "--unload-grace", "200ms")
	pad := srv.createPad(t)
	a := startDriver(t, "a", 30*time.Second).open(t, "a", srv, pad.ID, openOpts{wait: true})
	b := startDriver(t, "b", 30*time.Second).open(t, "b", srv, pad.ID, openOpts{wait: true})
	ea := a.d.send(t, "rich", a.args("seed", seed, "count", 150, "intervalMs", 6))
	eb := b.d.send(t, "rich", b.args("seed", seed+1, "count", 150, "intervalMs", 6))
	ea.wait(t, defaultCallTimeout, nil)
	eb.wait(t, defaultCallTimeout, nil)
	states := waitConverged(t, 10*time.Second, a, b)
	noCloses(t, []client{a, b}, states)

	content := func(c client) clientState {
		t.Helper()
		var st clientState
		c.d.do(t, "state", c.args("content", true), &st)
		return st
	}
	want := content(a)
	if got := content(b); got.Content != want.Content {
		t.Fatalf("the clients converged on state vectors but their content differs:\na %s\nb %s", want.Content, got.Content)
	}
	if got := srv.padText(t, pad.ID); got != want.text(t) {
		t.Errorf("server text differs from the clients':\nserver %q\nclient %q", got, want.text(t))
	}

	check := func(when string, c client) {
		t.Helper()
		got := content(c)
		if !maps.Equal(got.SV, want.SV) || got.Pending {
			t.Fatalf("%s: state vector %v (pending %v), want %v", when, got.SV, got.Pending, want.SV)
		}
		if got.Content != want.Content {
			t.Fatalf("%s: content differs:\ngot  %s\nwant %s", when, got.Content, want.Content)
		}
	}
	a.do(t, "destroy")
	b.do(t, "destroy")
	srv.waitUnloaded(t) // the next join loads from the store
	late := startDriver(t, "late", 30*time.Second)
	check("late joiner after unload", late.open(t, "late", srv, pad.ID, openOpts{wait: true, empty: true}))

	if err := srv.stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	srv.restart(t)
	check("fresh client after restart", late.open(t, "fresh", srv, pad.ID, openOpts{wait: true, empty: true}))
}
