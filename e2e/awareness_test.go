package e2e

import (
	"fmt"
	"testing"
	"time"
)

// TestAwareness checks that a client's user state reaches the others, that
// changes follow, and that it is removed at the others when the client goes
// away: by destroying its provider, and by its process being killed, which
// leaves only the server to announce the removal.
func TestAwareness(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	pad := srv.createPad(t)
	ann, bob, cat := &user{"Ann", "#e6194b"}, &user{"Bob", "#3cb44b"}, &user{"Cat", "#4363d8"}
	a := startDriver(t, "a", 30*time.Second).open(t, "a", srv, pad.ID, openOpts{wait: true, user: ann})
	b := startDriver(t, "b", 30*time.Second).open(t, "b", srv, pad.ID, openOpts{wait: true, user: bob})
	cd := startDriver(t, "c", 30*time.Second)
	c := cd.open(t, "c", srv, pad.ID, openOpts{wait: true, user: cat})
	ida, idb, idc := a.state(t).ClientID, b.state(t).ClientID, c.state(t).ClientID

	// sees waits until obs's awareness holds want for id, or lacks id when want is nil.
	sees := func(obs client, id uint64, want *user) {
		t.Helper()
		eventually(t, 5*time.Second, fmt.Sprintf("%v sees client %d as %v", obs, id, want), func() (bool, string) {
			got, ok := obs.state(t).awarenessUser(id)
			switch {
			case want == nil:
				return !ok, fmt.Sprintf("still present as %v", got)
			case !ok:
				return false, "absent"
			case got == nil || *got != *want:
				return false, fmt.Sprintf("present as %v", got)
			}
			return true, ""
		})
	}
	sees(b, ida, ann)
	sees(b, idc, cat)
	sees(a, idb, bob)
	sees(c, ida, ann)

	ann2 := &user{"Ann B.", "#911eb4"}
	a.do(t, "awareness", "user", ann2)
	sees(b, ida, ann2)
	sees(c, ida, ann2)

	a.do(t, "destroy")
	sees(b, ida, nil)
	sees(c, ida, nil)

	// SIGKILL: c sends nothing more, so only the server can tell b that c left.
	cd.kill()
	sees(b, idc, nil)
	if st := b.state(t); len(st.Awareness) != 1 || st.Awareness[0].ClientID != idb {
		t.Errorf("b's awareness after the others left: %+v, want only itself", st.Awareness)
	}
}

// TestIdleClientsStayConnected leaves two clients idle for longer than
// y-websocket's 30 s watchdog and y-protocols' 30 s awareness timeout, with
// fast server pings. Clients renew their awareness every 15 s; the server
// must relay the renewals (also back to the sender, whose watchdog counts
// only messages) and accept pongs as liveness, so neither client reconnects
// nor loses the other's presence.
func TestIdleClientsStayConnected(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "--ping-period", "2s")
	pad := srv.createPad(t)
	d := startDriver(t, "idle", 60*time.Second)
	ann, bob := &user{"Ann", "#e6194b"}, &user{"Bob", "#3cb44b"}
	a := d.open(t, "a", srv, pad.ID, openOpts{wait: true, user: ann})
	b := d.open(t, "b", srv, pad.ID, openOpts{wait: true, user: bob})
	ida, idb := a.state(t).ClientID, b.state(t).ClientID
	// Both timeouts are 30 s, checked every 3 s.
	time.Sleep(36 * time.Second)
	for _, c := range []struct {
		c     client
		other uint64
		want  *user
	}{{a, idb, bob}, {b, ida, ann}} {
		st := c.c.state(t)
		if st.Disconnects > 0 || len(st.Closes) > 0 || st.Status != "connected" {
			t.Errorf("%v after 36 s idle: %s, %d disconnects, closes %+v", c.c, st.Status, st.Disconnects, st.Closes)
		}
		if got, _ := st.awarenessUser(c.other); got == nil || *got != *c.want {
			t.Errorf("%v after 36 s idle sees the other client as %v, want %v", c.c, got, c.want)
		}
	}
}
