package e2e

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScaleOutConverge spreads the clients of one pad over three instances
// on one Redis: concurrent random edits converge everywhere, a fresh
// client on any instance gets the same content, and presence crosses
// instances both ways, its removal included.
func TestScaleOutConverge(t *testing.T) {
	t.Parallel()
	rd := startRedis(t)
	// Small snapshots make the instances compact under each other's
	// followers while the clients type.
	srvs := startInstances(t, rd, 3, "--compact-bytes", "2048")
	pad := srvs[0].createPad(t)
	var clients []client
	var typing []*call
	for i := range 6 {
		srv := srvs[i%3]
		name := fmt.Sprintf("c%d", i)
		c := startDriver(t, name, 60*time.Second).open(t, name, srv, pad.ID, openOpts{wait: true})
		clients = append(clients, c)
	}
	for i, c := range clients {
		typing = append(typing, c.edit(t, fmt.Sprintf("c%d", i), 40, 6, 4))
	}
	var edits []editResult
	for _, e := range typing {
		var r editResult
		e.wait(t, defaultCallTimeout, &r)
		edits = append(edits, r)
	}
	states := waitConverged(t, 20*time.Second, clients...)
	text := states[0].text(t)
	expectTokens(t, text, edits...)
	noCloses(t, clients, states)

	fresh := startDriver(t, "fresh", 60*time.Second)
	for i, srv := range srvs {
		f := fresh.open(t, fmt.Sprintf("f%d", i), srv, pad.ID, openOpts{wait: true, empty: true})
		if got := f.state(t).text(t); got != text {
			t.Errorf("fresh client on instance %d sees %q, want %q", i, tail(got, 200), tail(text, 200))
		}
		f.do(t, "destroy")
	}

	ann := &user{"Ann", "#e6194b"}
	ad := startDriver(t, "ann", 30*time.Second)
	a := ad.open(t, "ann", srvs[0], pad.ID, openOpts{wait: true, user: ann})
	ida := a.state(t).ClientID
	for _, obs := range clients[1:3] { // on instances 1 and 2
		eventually(t, 5*time.Second, fmt.Sprintf("%v sees Ann", obs), func() (bool, string) {
			got, ok := obs.state(t).awarenessUser(ida)
			return ok && got != nil && *got == *ann, fmt.Sprintf("present %v as %v", ok, got)
		})
	}
	a.do(t, "destroy")
	for _, obs := range clients[1:3] {
		eventually(t, 5*time.Second, fmt.Sprintf("%v no longer sees Ann", obs), func() (bool, string) {
			got, ok := obs.state(t).awarenessUser(ida)
			return !ok, fmt.Sprintf("still present as %v", got)
		})
	}
}

// TestScaleOutKill9 kills one instance while its clients type; the
// balancer sends them to another, and nothing that any client had received
// is missing afterwards.
func TestScaleOutKill9(t *testing.T) {
	t.Parallel()
	rd := startRedis(t)
	srvs := startInstances(t, rd, 3)
	pad := srvs[0].createPad(t)
	lbA := startLB(t, srvs[0].addr)
	d1, d2 := startDriver(t, "onA", 60*time.Second), startDriver(t, "onBC", 60*time.Second)
	typists := []client{
		d1.open(t, "a1", lbA.front(), pad.ID, openOpts{wait: true}),
		d1.open(t, "a2", lbA.front(), pad.ID, openOpts{wait: true}),
		d2.open(t, "b1", srvs[1], pad.ID, openOpts{wait: true}),
		d2.open(t, "c1", srvs[2], pad.ID, openOpts{wait: true}),
	}
	var typing []*call
	for _, c := range typists {
		typing = append(typing, c.edit(t, c.name, 100000, 8, 4))
	}
	waitReceived(t, typists, 200)
	if err := srvs[0].stop(t, syscall.SIGKILL, 5*time.Second); err == nil {
		t.Fatal("instance survived SIGKILL")
	}
	lbA.switchTo(srvs[1].addr)
	waitReceived(t, typists, 200) // typing goes on through instance B
	edits := stopTyping(t, typists, typing)
	received := receivedByAll(t, typists)

	checker := startDriver(t, "checker", 60*time.Second)
	ck := checker.open(t, "check", srvs[2], pad.ID, openOpts{wait: true, empty: true})
	expectContains(t, checker, ck, received)
	for _, c := range typists {
		c.do(t, "connect")
	}
	states := waitConverged(t, 20*time.Second, append(typists, ck)...)
	expectTokens(t, states[0].text(t), edits...)
}

// TestScaleOutRedisRestart stops and restarts redis-server (append-only
// persistence, same directory) while clients on two instances type: the
// instances reconnect by themselves, the clients converge with every
// token once, and presence crosses instances again.
func TestScaleOutRedisRestart(t *testing.T) {
	t.Parallel()
	rd := startRedis(t)
	srvs := startInstances(t, rd, 2)
	pad := srvs[0].createPad(t)
	d := startDriver(t, "typists", 90*time.Second)
	typists := []client{
		d.open(t, "a", srvs[0], pad.ID, openOpts{wait: true}),
		d.open(t, "b", srvs[1], pad.ID, openOpts{wait: true}),
	}
	var typing []*call
	for _, c := range typists {
		typing = append(typing, c.edit(t, c.name, 100000, 10, 4))
	}
	waitReceived(t, typists, 100)
	rd.stop(t, syscall.SIGKILL)
	time.Sleep(300 * time.Millisecond)
	if err := rd.start(); err != nil {
		t.Fatalf("restart redis-server: %v", err)
	}
	waitReceived(t, typists, 100) // edits flow again, across instances
	edits := stopTyping(t, typists, typing)
	received := receivedByAll(t, typists)
	for _, c := range typists {
		c.do(t, "connect")
	}
	checker := startDriver(t, "checker", 60*time.Second)
	ck := checker.open(t, "check", srvs[1], pad.ID, openOpts{wait: true, empty: true})
	expectContains(t, checker, ck, received)
	states := waitConverged(t, 30*time.Second, append(typists, ck)...)
	expectTokens(t, states[0].text(t), edits...)
	for _, s := range srvs {
		if got := s.padText(t, pad.ID); got != states[0].text(t) {
			t.Errorf("instance %s stores a different text", s.addr)
		}
	}
	// Presence crosses again: the subscriptions came back with Redis.
	ann := &user{"Ann", "#e6194b"}
	a := d.open(t, "ann", srvs[0], pad.ID, openOpts{wait: true, user: ann})
	ida := a.state(t).ClientID
	eventually(t, 10*time.Second, "b sees Ann after the restart", func() (bool, string) {
		got, ok := typists[1].state(t).awarenessUser(ida)
		return ok && got != nil && *got == *ann, fmt.Sprintf("present %v as %v", ok, got)
	})
}

// TestScaleOutRedisUnreachable: the binary says so, is not ready, and
// writes no file of its own.
func TestScaleOutRedisUnreachable(t *testing.T) {
	t.Parallel()
	needE2E(t)
	data := filepath.Join(t.TempDir(), "data")
	addr := freeAddr(t)
	log := &syncBuffer{}
	cmd := exec.Command(env.bin, "--addr", addr, "--data", data, "--redis", redisDown(t))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	eventually(t, 10*time.Second, "/readyz answers 503", func() (bool, string) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusServiceUnavailable, resp.Status
	})
	eventually(t, 5*time.Second, "the log names the problem", func() (bool, string) {
		return strings.Contains(log.String(), "redis unreachable"), log.String()
	})
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("data directory exists (%v): the instance fell back to a file store", err)
	}
}

// waitReceived waits until the clients have together received n more
// updates than when called.
func waitReceived(t *testing.T, clients []client, n int) {
	t.Helper()
	base := 0
	for _, c := range clients {
		base += c.state(t).Received
	}
	eventually(t, 20*time.Second, fmt.Sprintf("clients receive %d updates", n), func() (bool, string) {
		got, why := 0, ""
		for _, c := range clients {
			st := c.state(t)
			got += st.Received
			why += fmt.Sprintf(" %v: %s, %d received, %d disconnects;", c, st.Status, st.Received, st.Disconnects)
		}
		return got-base >= n, why
	})
}

func stopTyping(t *testing.T, clients []client, typing []*call) []editResult {
	t.Helper()
	for _, c := range clients {
		c.do(t, "stop")
	}
	var edits []editResult
	for _, e := range typing {
		var r editResult
		e.wait(t, defaultCallTimeout, &r)
		edits = append(edits, r)
	}
	// Nothing is resent before the check: what the checker finds came
	// from the store.
	for _, c := range clients {
		c.do(t, "disconnect")
	}
	return edits
}

func receivedByAll(t *testing.T, clients []client) []string {
	t.Helper()
	seen := map[string]bool{}
	var all []string
	for _, c := range clients {
		for _, u := range c.received(t) {
			if !seen[u] {
				seen[u] = true
				all = append(all, u)
			}
		}
	}
	return all
}

func expectContains(t *testing.T, d *driver, ck client, updates []string) {
	t.Helper()
	var res struct {
		Missing []int `json:"missing"`
	}
	d.send(t, "contains", ck.args("updates", updates)).wait(t, 30*time.Second, &res)
	if len(res.Missing) > 0 {
		t.Fatalf("%d of %d updates that clients had received are missing (first: %d)", len(res.Missing), len(updates), res.Missing[0])
	}
	t.Logf("%d received updates all present", len(updates))
}
