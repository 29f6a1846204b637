// Package redistest starts a throwaway redis-server for tests: on a free
// loopback port, with a temporary working directory, no persistence, and
// stopped by its PID when the test is done. Tests that need Redis use a real
// server rather than a fake, so they check the commands and Lua scripts
// exactly as production runs them.
//
// A test package typically starts one server in TestMain and gives every
// test its own key prefix:
//
//	var srv *redistest.Server
//
//	func TestMain(m *testing.M) { os.Exit(redistest.Main(m, &srv)) }
//
//	func TestX(t *testing.T) {
//		redistest.Need(t, srv) // skips, or fails under REDIS_REQUIRED=1
//		...
//	}
//
// When redis-server is not on PATH, Main runs the tests without a server
// and Need skips them with a message saying how to install it, unless
// REDIS_REQUIRED=1 is set, in which case Main fails.
package redistest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrNotInstalled is returned by Start when no redis-server binary is
// found, and by StartCluster when redis-cli is missing too.
var ErrNotInstalled = errors.New("redistest: redis-server or redis-cli not found on PATH " +
	"(install them with: apt-get install -y redis-server)")

// RequiredEnv names the variable that turns a missing redis-server from a
// skip into a failure, for CI jobs that must not pass vacuously.
const RequiredEnv = "REDIS_REQUIRED"

// Required reports whether RequiredEnv is set to 1.
func Required() bool { return os.Getenv(RequiredEnv) == "1" }

const (
	// startTimeout bounds how long Start waits for the server to answer
	// PING. A loopback redis-server is up in milliseconds; the margin is
	// for a loaded CI machine.
	startTimeout = 10 * time.Second
	// stopTimeout is how long Stop waits after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
	// portAttempts bounds retries when another process takes the free
	// port between our probe and redis-server's bind.
	portAttempts = 5
)

// Server is a running redis-server started by Start.
type Server struct {
	// Addr is the server's host:port, always on 127.0.0.1.
	Addr string
	// Dir is the server's temporary working directory, removed by Stop.
	Dir string

	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has been waited for
	err    error         // the process's exit status, valid after exited
	out    *lockedBuffer // the server's log, for error messages
}

// PID returns the server's process ID.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// URL returns the server's address as a redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr }

// Start launches redis-server on a free loopback port with a fresh
// temporary directory, and returns once it answers PING. Extra arguments
// are appended to the command line (for example "--maxmemory", "64mb").
// The caller must call Stop.
func Start(ctx context.Context, extra ...string) (*Server, error) {
	return launch(ctx, func(port int, dir string) ([]string, error) {
		args := []string{
			"--port", strconv.Itoa(port),
			"--bind", "127.0.0.1",
			"--protected-mode", "yes",
			"--dir", dir,
			"--save", "",
			"--appendonly", "no",
			"--daemonize", "no",
			"--logfile", "",
		}
		return append(args, extra...), nil
	})
}

// argsFunc gives the command line of a redis-server that is to listen on
// port and work in dir; it may write files there first.
type argsFunc func(port int, dir string) ([]string, error)

// launch starts redis-server with the arguments of args, on another port
// when the one it probed was taken in the meantime.
func launch(ctx context.Context, args argsFunc) (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	var lastErr error
	for range portAttempts {
		s, err := start(ctx, bin, args)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if ctx.Err() != nil || !errors.Is(err, errExited) {
			break
		}
	}
	return nil, lastErr
}

// errExited marks a server that quit during start-up, most often because
// its port was taken in the meantime; Start then tries another port.
var errExited = errors.New("redistest: redis-server exited during start-up")

func start(ctx context.Context, bin string, argsOf argsFunc) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, fmt.Errorf("redistest: temp dir: %w", err)
	}
	args, err := argsOf(port, dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{
		Addr:   net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Dir:    dir,
		cmd:    exec.Command(bin, args...),
		exited: make(chan struct{}),
		out:    &lockedBuffer{},
	}
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	s.cmd.SysProcAttr = sysProcAttr()
	if err := s.cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("redistest: start %s: %w", bin, err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// freePort asks the kernel for a loopback port nobody listens on. It is
// free when we close the probe; redis-server binds it a moment later, and
// Start retries in the rare case someone else got there first.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("redistest: find a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return port, nil
}

func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for {
		if err := Ping(ctx, s.Addr); err == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("%w (%v): %s", errExited, s.err, s.out.tail())
		case <-ctx.Done():
			return fmt.Errorf("redistest: redis-server on %s did not answer PING: %w: %s", s.Addr, ctx.Err(), s.out.tail())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// Ping sends one PING to addr over a fresh connection and checks the
// answer. It speaks RESP by hand, so the helper works with any client
// library or none.
func Ping(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	} else {
		_ = c.SetDeadline(time.Now().Add(time.Second))
	}
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		// A loading server answers -LOADING; anything but PONG is "not yet".
		return fmt.Errorf("redistest: PING answered %q", strings.TrimSpace(line))
	}
	return nil
}

// Stop ends the server by its PID: SIGTERM, then SIGKILL if it has not
// exited within a few seconds. It removes the server's directory and is
// safe to call more than once.
func (s *Server) Stop() error {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
	if err := os.RemoveAll(s.Dir); err != nil {
		return fmt.Errorf("redistest: remove %s: %w", s.Dir, err)
	}
	return nil
}

// Exited reports whether the server process has ended.
func (s *Server) Exited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// Log returns the end of the server's own log, for failure messages.
func (s *Server) Log() string { return s.out.tail() }

// lockedBuffer collects the server's output; the process writes while a
// test may read.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) tail() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	const max = 2000
	s := b.buf.String()
	if len(s) > max {
		s = "..." + s[len(s)-max:]
	}
	return strings.TrimSpace(s)
}
