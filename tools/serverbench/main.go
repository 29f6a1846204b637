// Command serverbench measures the commonpad sync server against the
// reference y-websocket server and Hocuspocus under the same load, in the same
// run on the same machine, and prints one table with commonpad's ratios.
//
// Run it from the repository root (make bench-server). Every server and load
// driver it starts listens or connects on loopback only and is stopped by PID.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// scenario is one load shape; rate is edits per second over all rooms.
type scenario struct {
	name                    string
	rooms, clients, writers int
	rate                    int
}

// The rates stay near human typing per writer so that the single Node
// process hosting every client does not become the bottleneck first.
var scenarios = []scenario{
	{name: "1room-20clients-20typing", rooms: 1, clients: 20, writers: 20, rate: 400},
	{name: "1room-200clients-5typing", rooms: 1, clients: 200, writers: 5, rate: 40},
	{name: "100rooms-2clients", rooms: 100, clients: 2, writers: 2, rate: 1000},
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	duration := flag.Duration("duration", 10*time.Second, "typing time per scenario and server (at most 60s)")
	only := flag.String("servers", "", "comma-separated subset of commonpad,ywebsocket,hocuspocus (empty: all)")
	pick := flag.String("scenarios", "", "comma-separated subset of scenario names (empty: all)")
	nodeBin := flag.String("node", "node", "Node.js binary")
	flag.Parse()
	if *duration <= 0 || *duration > time.Minute {
		return fmt.Errorf("serverbench: -duration must be in (0, 1m]")
	}
	if _, err := exec.LookPath(*nodeBin); err != nil {
		return fmt.Errorf("serverbench: node not found: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	tmp, err := os.MkdirTemp("", "serverbench-")
	if err != nil {
		return fmt.Errorf("serverbench: %w", err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "commonpad")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/commonpad")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("serverbench: build commonpad: %w", err)
	}

	var rows []row
	for i, sc := range scenarios {
		if !selected(*pick, sc.name) {
			continue
		}
		for _, s := range servers(*nodeBin, bin) {
			if !selected(*only, s.name) {
				continue
			}
			if ctx.Err() != nil {
				return fmt.Errorf("serverbench: interrupted")
			}
			fmt.Fprintf(os.Stderr, "serverbench: %s on %s\n", sc.name, s.name)
			res, err := measure(ctx, *nodeBin, s, sc, *duration, filepath.Join(tmp, fmt.Sprintf("data-%d-%s", i, s.name)))
			rows = append(rows, row{Scenario: sc.name, Server: s.name, Result: res, Err: err})
		}
	}
	fmt.Printf("serverbench: %s of typing per run, clients and servers on this machine (%d scenarios x servers)\n", *duration, len(rows))
	return writeTable(os.Stdout, rows)
}

// measure starts a fresh server for one scenario so that memory figures do
// not carry over from the previous load.
func measure(ctx context.Context, nodeBin string, s server, sc scenario, duration time.Duration, dataDir string) (loadResult, error) {
	var res loadResult
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return res, fmt.Errorf("serverbench: %w", err)
	}
	r, err := launch(s, dataDir)
	if err != nil {
		return res, err
	}
	defer r.stop()
	cmd, cancel := runLoad(ctx, nodeBin, s, r, sc, duration)
	defer cancel()
	out, err := cmd.Output()
	if err != nil {
		return res, fmt.Errorf("serverbench: load on %s: %w", s.name, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		return res, fmt.Errorf("serverbench: load output from %s: %w", s.name, err)
	}
	return res, nil
}

func selected(list, name string) bool {
	if list == "" {
		return true
	}
	for _, f := range strings.Split(list, ",") {
		if strings.TrimSpace(f) == name {
			return true
		}
	}
	return false
}
