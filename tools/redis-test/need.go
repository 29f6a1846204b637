package redistest

import (
	"errors"
	"testing"
)

// NeedCluster starts a Cluster of masters for t and stops it when t ends.
// Without redis-server or redis-cli it skips t, or fails it under
// REDIS_REQUIRED=1.
func NeedCluster(t testing.TB, masters int) *Cluster {
	t.Helper()
	c, err := StartCluster(t.Context(), masters)
	skipOrFail(t, err)
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stop cluster: %v", err)
		}
	})
	return c
}

// NeedSentinel starts a primary and a Sentinel that monitors it under the
// name master, and stops both when t ends. Without redis-server it skips
// t, or fails it under REDIS_REQUIRED=1.
func NeedSentinel(t testing.TB, master string) (primary, sentinel *Server) {
	t.Helper()
	primary, err := Start(t.Context())
	skipOrFail(t, err)
	t.Cleanup(func() {
		if err := primary.Stop(); err != nil {
			t.Errorf("stop primary: %v", err)
		}
	})
	sentinel, err = StartSentinel(t.Context(), primary.Addr, master)
	skipOrFail(t, err)
	t.Cleanup(func() {
		if err := sentinel.Stop(); err != nil {
			t.Errorf("stop sentinel: %v", err)
		}
	})
	return primary, sentinel
}

func skipOrFail(t testing.TB, err error) {
	t.Helper()
	switch {
	case err == nil:
	case errors.Is(err, ErrNotInstalled) && !Required():
		t.Skipf("%v; set %s=1 to fail instead of skipping", err, RequiredEnv)
	default:
		t.Fatal(err)
	}
}
