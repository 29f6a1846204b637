package redistest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// StartSentinel launches a Sentinel (redis-server --sentinel) on a free
// loopback port that monitors the primary at primaryAddr under the name
// master, with a quorum of one, so a failover client can find the primary
// through it. Sentinel rewrites its configuration file, so it is
// generated in the Sentinel's own temporary directory. The caller must
// call Stop.
func StartSentinel(ctx context.Context, primaryAddr, master string) (*Server, error) {
	return launch(ctx, func(port int, dir string) ([]string, error) {
		conf := filepath.Join(dir, "sentinel.conf")
		text := fmt.Sprintf("port %d\nbind 127.0.0.1\nprotected-mode yes\ndir %q\n"+
			"sentinel monitor %s %s 1\nsentinel down-after-milliseconds %s 5000\n",
			port, dir, master, spaced(primaryAddr), master)
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			return nil, fmt.Errorf("redistest: write %s: %w", conf, err)
		}
		return []string{conf, "--sentinel"}, nil
	})
}

// spaced writes host:port as Sentinel's configuration wants it, "host port".
func spaced(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[:i] + " " + addr[i+1:]
		}
	}
	return addr
}
