package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	redistest "github.com/commonpad/commonpad/tools/redis-test"
)

// redisProc is a redis-server with append-only persistence that can be
// stopped and started again on the same port and directory, which
// redistest's throwaway servers cannot.
type redisProc struct {
	bin, addr, dir string
	cmd            *exec.Cmd
	exited         chan struct{}
	log            *syncBuffer
}

func startRedis(t *testing.T) *redisProc {
	t.Helper()
	needE2E(t)
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if redistest.Required() {
			t.Fatalf("e2e: redis-server not on PATH and %s=1", redistest.RequiredEnv)
		}
		t.Skipf("e2e: redis-server not on PATH (apt-get install -y redis-server); set %s=1 to fail instead", redistest.RequiredEnv)
	}
	r := &redisProc{bin: bin, dir: t.TempDir(), log: &syncBuffer{}}
	t.Cleanup(func() {
		r.kill()
		if t.Failed() {
			t.Logf("redis-server output:\n%s", tail(r.log.String(), 3000))
		}
	})
	for attempt := 0; ; attempt++ {
		r.addr = freeAddr(t)
		err := r.start()
		if err == nil {
			return r
		}
		if attempt == 2 {
			t.Fatalf("start redis-server: %v", err)
		}
	}
}

func (r *redisProc) url() string { return "redis://" + r.addr }

func (r *redisProc) start() error {
	_, port, _ := net.SplitHostPort(r.addr)
	r.cmd = exec.Command(r.bin, "--port", port, "--bind", "127.0.0.1", "--dir", r.dir,
		"--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no", "--logfile", "")
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	if err := r.cmd.Start(); err != nil {
		return err
	}
	r.exited = make(chan struct{})
	go func(cmd *exec.Cmd, exited chan struct{}) { _ = cmd.Wait(); close(exited) }(r.cmd, r.exited)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := redistest.Ping(ctx, r.addr)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-r.exited:
			return fmt.Errorf("e2e: redis-server exited: %s", tail(r.log.String(), 500))
		default:
		}
		if time.Now().After(deadline) {
			r.kill()
			return fmt.Errorf("e2e: redis-server not answering: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop ends the server by its PID with sig and waits for it.
func (r *redisProc) stop(t *testing.T, sig syscall.Signal) {
	t.Helper()
	_ = r.cmd.Process.Signal(sig)
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
		r.kill()
		t.Fatalf("redis-server did not exit on %v", sig)
	}
}

func (r *redisProc) kill() {
	if r.exited == nil {
		return
	}
	select {
	case <-r.exited:
	default:
		_ = r.cmd.Process.Kill()
		<-r.exited
	}
}

// startInstances runs n commonpad processes on one Redis.
func startInstances(t *testing.T, rd *redisProc, n int, extra ...string) []*serverProc {
	t.Helper()
	srvs := make([]*serverProc, n)
	for i := range srvs {
		srvs[i] = startServer(t, append([]string{"--redis", rd.url()}, extra...)...)
	}
	return srvs
}

// lb is a TCP load balancer on loopback whose backend the test switches,
// as a real one does when an instance fails its health check. Switching
// cuts the connections to the old backend.
type lb struct {
	ln     net.Listener
	mu     sync.Mutex
	target string
	conns  map[net.Conn]bool
}

func startLB(t *testing.T, target string) *lb {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &lb{ln: ln, target: target, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *lb) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		target := p.target
		p.mu.Unlock()
		up, err := net.DialTimeout("tcp", target, 2*time.Second)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[up] = true, true
		p.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); up.Close(); c.Close() }()
		go func() { _, _ = io.Copy(c, up); up.Close(); c.Close() }()
	}
}

func (p *lb) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *lb) switchTo(target string) {
	p.mu.Lock()
	p.target = target
	p.mu.Unlock()
	p.cut()
}

// front is a serverProc stand-in that points clients at the balancer.
func (p *lb) front() *serverProc { return &serverProc{addr: p.ln.Addr().String()} }

// redisDown reports a Redis address nobody listens on.
func redisDown(t *testing.T) string {
	t.Helper()
	return "redis://" + freeAddr(t)
}
