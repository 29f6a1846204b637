package redistest_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	redistest "github.com/commonpad/commonpad/tools/redis-test"
)

func TestStartStop(t *testing.T) {
	s, err := redistest.Start(t.Context())
	if errors.Is(err, redistest.ErrNotInstalled) && !redistest.Required() {
		t.Skipf("%v; set %s=1 to fail instead of skipping", err, redistest.RequiredEnv)
	}
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = s.Stop()
		}
	})

	if err := redistest.Ping(t.Context(), s.Addr); err != nil {
		t.Fatalf("PING after Start: %v", err)
	}
	if host := s.Addr[:len("127.0.0.1:")]; host != "127.0.0.1:" {
		t.Errorf("Addr %q is not on loopback", s.Addr)
	}
	if _, err := os.Stat(s.Dir); err != nil {
		t.Errorf("server dir: %v", err)
	}

	// A second server gets its own port and directory.
	s2, err := redistest.Start(t.Context())
	if err != nil {
		t.Fatalf("second Start: %v", err)
	}
	if s2.Addr == s.Addr || s2.Dir == s.Dir || s2.PID() == s.PID() {
		t.Errorf("two servers share an address, dir or pid: %s %s %d / %s %s %d",
			s.Addr, s.Dir, s.PID(), s2.Addr, s2.Dir, s2.PID())
	}
	if err := s2.Stop(); err != nil {
		t.Errorf("Stop second: %v", err)
	}

	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	stopped = true
	if !s.Exited() {
		t.Error("process still running after Stop")
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if _, err := os.Stat(s.Dir); !os.IsNotExist(err) {
		t.Errorf("server dir still present after Stop (stat: %v)", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if err := redistest.Ping(ctx, s.Addr); err == nil {
		t.Error("PING still answered after Stop")
	}
}

func TestPingRefused(t *testing.T) {
	// Nothing listens on port 1 of loopback for an unprivileged test run.
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if err := redistest.Ping(ctx, "127.0.0.1:1"); err == nil {
		t.Error("PING to a closed port succeeded")
	}
}
