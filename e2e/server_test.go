package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serverProc is one commonpad process after another on the same address
// and data directory, so that a restarted server is where clients left it.
type serverProc struct {
	addr string
	data string
	args []string
	log  *syncBuffer // every incarnation's output, in order

	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error // set before exited is closed
}

// syncBuffer collects a process's output while tests read it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// startServer runs the built binary on a free loopback port with a fresh
// data directory; extra flags go after the defaults so they win.
func startServer(t *testing.T, extra ...string) *serverProc {
	t.Helper()
	needE2E(t)
	s := &serverProc{data: t.TempDir(), args: extra, log: &syncBuffer{}}
	t.Cleanup(func() {
		// The drivers' cleanups ran first: every client is gone, so every
		// connection must be too.
		if s.running() && !t.Failed() {
			s.checkNoConnections(t)
		}
		s.kill()
		out := s.log.String()
		for _, bad := range []string{"panic:", "DATA RACE", "fatal error:"} {
			if strings.Contains(out, bad) {
				t.Errorf("server output contains %q", bad)
			}
		}
		if t.Failed() {
			t.Logf("server output:\n%s", tail(out, 8000))
		}
	})
	// Another process may take the port between our probe and the server's
	// listen; try a few.
	for attempt := 0; ; attempt++ {
		s.addr = freeAddr(t)
		err := s.start(t)
		if err == nil {
			return s
		}
		if attempt == 2 || !strings.Contains(s.log.String(), "address already in use") {
			t.Fatalf("start server: %v", err)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("probe port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (s *serverProc) start(t *testing.T) error {
	t.Helper()
	args := append([]string{"--addr", s.addr, "--data", s.data, "--log-level", "debug"}, s.args...)
	s.cmd = exec.Command(env.bin, args...)
	fmt.Fprintf(s.log, "=== start %s\n", strings.Join(args, " "))
	s.cmd.Stdout = s.log
	s.cmd.Stderr = s.log
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("e2e: start %s: %w", env.bin, err)
	}
	s.exited = make(chan struct{})
	go func(cmd *exec.Cmd, exited chan struct{}) {
		s.waitErr = cmd.Wait()
		close(exited)
	}(s.cmd, s.exited)
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("e2e: server exited during start: %v", s.waitErr)
		default:
		}
		if resp, err := http.Get(s.httpURL("/readyz")); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			s.kill()
			return errors.New("e2e: server not ready after 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// restart starts the server again on the same address and data directory.
func (s *serverProc) restart(t *testing.T) {
	t.Helper()
	if s.running() {
		t.Fatal("restart: server still running")
	}
	if err := s.start(t); err != nil {
		t.Fatalf("restart server: %v", err)
	}
}

func (s *serverProc) running() bool {
	if s.exited == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// stop sends sig to the server's PID and waits for it to exit, returning
// how it ended.
func (s *serverProc) stop(t *testing.T, sig syscall.Signal, within time.Duration) error {
	t.Helper()
	if !s.running() {
		t.Fatal("stop: server not running")
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal server: %v", err)
	}
	select {
	case <-s.exited:
		fmt.Fprintf(s.log, "=== stopped by %v: %v\n", sig, s.waitErr)
		return s.waitErr
	case <-time.After(within):
		s.kill()
		t.Fatalf("server did not exit within %v of %v", within, sig)
		return nil
	}
}

// kill ends the server with SIGKILL if it is still running.
func (s *serverProc) kill() {
	if !s.running() {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
}

func (s *serverProc) httpURL(path string) string { return "http://" + s.addr + path }

// wsURL is the y-websocket server URL; the provider appends "/<room>".
func (s *serverProc) wsURL() string { return "ws://" + s.addr + "/ws" }

type padInfo struct {
	ID         string `json:"id"`
	ReadOnlyID string `json:"readOnlyId"`
}

func (s *serverProc) createPad(t *testing.T) padInfo {
	t.Helper()
	resp, err := http.Post(s.httpURL("/api/pads"), "application/json", strings.NewReader(`{"title":"e2e"}`))
	if err != nil {
		t.Fatalf("create pad: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create pad: %s: %s", resp.Status, body)
	}
	var p padInfo
	if err := json.Unmarshal(body, &p); err != nil || p.ID == "" || p.ReadOnlyID == "" {
		t.Fatalf("create pad: bad answer %s (%v)", body, err)
	}
	return p
}

// padText is GET /api/pads/{id}/text: the pad as the store holds it.
func (s *serverProc) padText(t *testing.T, id string) string {
	t.Helper()
	resp, err := http.Get(s.httpURL("/api/pads/" + id + "/text"))
	if err != nil {
		t.Fatalf("pad text: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pad text: %s %v: %s", resp.Status, err, tail(string(body), 500))
	}
	return string(body)
}

// metric reads one sample from GET /metrics; series is the metric name with
// its labels as exposed, e.g. `commonpad_rejected_messages_total{reason="read_only"}`.
func (s *serverProc) metric(t *testing.T, series string) float64 {
	t.Helper()
	resp, err := http.Get(s.httpURL("/metrics"))
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics: %s %v", resp.Status, err)
	}
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metrics: %q: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("metrics: no sample %s in\n%s", series, tail(string(body), 2000))
	return 0
}

// checkNoConnections reports connections the server still counts a few
// seconds after all its clients went away.
func (s *serverProc) checkNoConnections(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := s.metric(t, "commonpad_connections")
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("server still counts %v connections 5 s after every client went away", n)
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitUnloaded waits until the server has no pad loaded, so that the next
// join loads from the store.
func (s *serverProc) waitUnloaded(t *testing.T) {
	t.Helper()
	eventually(t, 5*time.Second, "rooms unload", func() (bool, string) {
		n := s.metric(t, "commonpad_open_pads")
		return n == 0, fmt.Sprintf("%v pads open", n)
	})
}
