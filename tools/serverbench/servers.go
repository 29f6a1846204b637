package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// server is one sync server under test: how to start it on a loopback port
// and which protocol the load driver speaks to it.
type server struct {
	name string
	kind string // load.mjs --kind
	// start builds the command for a port; path is the URL path clients use.
	start func(port int, dataDir string) *exec.Cmd
	path  string
}

func servers(nodeBin, commonpadBin string) []server {
	dir := filepath.Join("tools", "serverbench")
	return []server{
		{name: ours, kind: "ywebsocket", path: "/ws", start: func(port int, data string) *exec.Cmd {
			return exec.Command(commonpadBin, "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", data,
				"--log-level", "warn", "--shutdown-timeout", "2s")
		}},
		{name: "ywebsocket", kind: "ywebsocket", start: func(port int, _ string) *exec.Cmd {
			return exec.Command(nodeBin, filepath.Join(dir, "yws.mjs"), strconv.Itoa(port))
		}},
		{name: "hocuspocus", kind: "hocuspocus", start: func(port int, _ string) *exec.Cmd {
			return exec.Command(nodeBin, filepath.Join(dir, "hocuspocus.mjs"), strconv.Itoa(port))
		}},
	}
}

// running is a started server, known by its PID so exactly it is stopped.
type running struct {
	cmd  *exec.Cmd
	port int
	done chan error
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("serverbench: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func launch(s server, dataDir string) (*running, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := s.start(port, dataDir)
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("serverbench: start %s: %w", s.name, err)
	}
	r := &running{cmd: cmd, port: port, done: make(chan error, 1)}
	go func() { r.done <- cmd.Wait() }()
	if err := r.waitListening(15 * time.Second); err != nil {
		r.stop()
		return nil, fmt.Errorf("serverbench: %s: %w", s.name, err)
	}
	return r, nil
}

func (r *running) waitListening(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	addr := fmt.Sprintf("127.0.0.1:%d", r.port)
	for time.Now().Before(deadline) {
		select {
		case err := <-r.done:
			r.done <- err
			return fmt.Errorf("exited before listening: %v", err)
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("not listening after " + limit.String())
}

// stop asks the process to end, then kills it if it lingers.
func (r *running) stop() {
	pid := r.cmd.Process.Pid
	_ = syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-r.done:
		return
	case <-time.After(5 * time.Second):
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	<-r.done
}

// runLoad drives one started server through load.mjs, bounded in time.
func runLoad(ctx context.Context, nodeBin string, s server, r *running, sc scenario, duration time.Duration) (*exec.Cmd, context.CancelFunc) {
	limit := duration + 2*time.Minute
	ctx, cancel := context.WithTimeout(ctx, limit)
	cmd := exec.CommandContext(ctx, nodeBin, filepath.Join("tools", "serverbench", "load.mjs"),
		"--kind", s.kind,
		"--url", fmt.Sprintf("ws://127.0.0.1:%d%s", r.port, s.path),
		"--rooms", strconv.Itoa(sc.rooms),
		"--clients", strconv.Itoa(sc.clients),
		"--writers", strconv.Itoa(sc.writers),
		"--rate", strconv.Itoa(sc.rate),
		"--duration", strconv.FormatFloat(duration.Seconds(), 'f', -1, 64),
		"--pid", strconv.Itoa(r.cmd.Process.Pid))
	cmd.Stderr = os.Stderr
	return cmd, cancel
}
