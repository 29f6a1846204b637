package redistest_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	redistest "github.com/commonpad/commonpad/tools/redis-test"
)

// cli runs redis-cli against addr and returns its output.
func cli(t *testing.T, addr string, args ...string) string {
	t.Helper()
	host, port, _ := strings.Cut(addr, ":")
	out, err := exec.CommandContext(t.Context(), "redis-cli", append([]string{"-h", host, "-p", port}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli %v: %v: %s", args, err, out)
	}
	return string(out)
}

func TestClusterSplitsSlots(t *testing.T) {
	c := redistest.NeedCluster(t, 3)
	if len(c.Nodes) != 3 {
		t.Fatalf("%d nodes, want 3", len(c.Nodes))
	}
	for _, n := range c.Nodes {
		info := cli(t, n.Addr, "cluster", "info")
		for _, want := range []string{"cluster_state:ok", "cluster_slots_assigned:16384", "cluster_known_nodes:3", "cluster_size:3"} {
			if !strings.Contains(info, want) {
				t.Errorf("node %s: CLUSTER INFO lacks %s:\n%s", n.Addr, want, info)
			}
		}
	}
	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	for _, n := range c.Nodes {
		if !n.Exited() || redistest.Ping(ctx, n.Addr) == nil {
			t.Errorf("node %s still running after Stop", n.Addr)
		}
	}
}

func TestSentinelKnowsPrimary(t *testing.T) {
	primary, sentinel := redistest.NeedSentinel(t, "m")
	if err := redistest.Ping(t.Context(), sentinel.Addr); err != nil {
		t.Fatalf("PING sentinel: %v", err)
	}
	got := strings.Fields(cli(t, sentinel.Addr, "sentinel", "get-master-addr-by-name", "m"))
	if want := strings.Split(primary.Addr, ":"); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("sentinel names primary %v, want %v", got, want)
	}
}
