package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRedisURLFromFlagOrEnvironment(t *testing.T) {
	o, err := parseOptions(nil, envOf(map[string]string{"REDIS_URL": "redis://env:6379"}), &bytes.Buffer{})
	if err != nil || o.redisURL != "redis://env:6379" {
		t.Fatalf("REDIS_URL: %q %v", o.redisURL, err)
	}
	o, err = parseOptions([]string{"--redis", "redis://flag:6379"}, envOf(map[string]string{"COMMONPAD_REDIS": "redis://c:1", "REDIS_URL": "redis://env:6379"}), &bytes.Buffer{})
	if err != nil || o.redisURL != "redis://flag:6379" {
		t.Fatalf("--redis: %q %v", o.redisURL, err)
	}
}

type lockedWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// With Redis down the instance serves /readyz as 503 and says why, and
// never falls back to a file of its own.
func TestUnreachableRedisIsNotReadyAndCreatesNoFile(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nobody listens there now
	dir := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs lockedWriter
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", dir, "--redis", "redis://" + dead}, envOf(nil), &logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("not listening")
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("/readyz = %s, want 503", resp.Status)
	}
	if !strings.Contains(logs.String(), "redis unreachable") {
		t.Fatalf("log lacks the error:\n%s", logs.String())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("data directory created (%v)", err)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown did not finish")
	}
}
