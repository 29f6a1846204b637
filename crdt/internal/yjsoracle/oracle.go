package yjsoracle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// Timeout bounds one round trip. A yjs call that takes longer means the oracle hangs; failing
// beats a test binary that sits until its global deadline.
const Timeout = 2 * time.Minute

// ErrClosed is returned by calls on a closed or broken oracle.
var ErrClosed = errors.New("yjsoracle: oracle closed")

// Versions are what the running oracle reports about itself.
type Versions struct {
	Node string `json:"node"`
	Yjs  string `json:"yjs"`
	Lib0 string `json:"lib0"`
}

// Oracle is a running oracle process. Its methods are safe for concurrent use; requests are
// served one at a time.
type Oracle struct {
	mu     sync.Mutex // guards everything below; held for a whole round trip
	cmd    *exec.Cmd
	in     *os.File // our end of the child's stdin
	out    *os.File // our end of the child's stdout
	w      *bufio.Writer
	r      *bufio.Reader
	stderr *tail
	broken error // set once the stream is unusable; later calls return it
	vers   Versions
}

// Start launches the oracle. The error wraps ErrUnavailable when node or the npm packages are
// missing.
func Start() (*Oracle, error) {
	node, root, err := locate()
	if err != nil {
		return nil, err
	}
	// The script and the pinned packages run in another process, out of
	// sight of go test's cache; a test that stats them makes them part of
	// its cache key, so a change to either runs the tests again.
	for _, f := range []string{filepath.Join(root, scriptPath), filepath.Join(root, "package-lock.json")} {
		_, _ = os.Stat(f)
	}
	// Pipes from os.Pipe support deadlines, which exec's StdoutPipe would hide behind an
	// io.ReadCloser.
	childIn, in, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("yjsoracle: %w", err)
	}
	out, childOut, err := os.Pipe()
	if err != nil {
		childIn.Close()
		in.Close()
		return nil, fmt.Errorf("yjsoracle: %w", err)
	}
	o := &Oracle{
		in:     in,
		out:    out,
		w:      bufio.NewWriterSize(in, 64<<10),
		r:      bufio.NewReaderSize(out, 256<<10),
		stderr: &tail{max: 8 << 10},
	}
	o.cmd = exec.Command(node, scriptPath)
	o.cmd.Dir = root
	o.cmd.Stdin = childIn
	o.cmd.Stdout = childOut
	o.cmd.Stderr = o.stderr
	err = o.cmd.Start()
	childIn.Close()
	childOut.Close()
	if err != nil {
		in.Close()
		out.Close()
		return nil, fmt.Errorf("yjsoracle: start node: %w", err)
	}
	if err := o.call(Request{Cmd: "version"}, &o.vers); err != nil {
		o.Close()
		return nil, err
	}
	return o, nil
}

// Versions reports the Node, yjs and lib0 versions the oracle runs.
func (o *Oracle) Versions() Versions { return o.vers }

// Close ends the process by its PID and waits for it. It is idempotent.
func (o *Oracle) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cmd == nil {
		return nil
	}
	_ = o.in.Close()
	// Killing right away is fine: the oracle keeps no state worth flushing.
	_ = o.cmd.Process.Kill()
	_ = o.cmd.Wait()
	_ = o.out.Close()
	o.cmd = nil
	if o.broken == nil {
		o.broken = ErrClosed
	}
	return nil
}

// call sends one request and decodes the response line into resp. Errors reported by the
// oracle are left in resp for the caller; only transport failures are returned.
func (o *Oracle) call(req any, resp any) error {
	line, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("yjsoracle: encode request: %w", err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.broken != nil {
		return o.broken
	}
	reply, err := o.roundTrip(line)
	if err != nil {
		// The stream may now be out of step with the requests: refuse further use.
		o.broken = fmt.Errorf("yjsoracle: oracle broken: %w%s", err, o.stderr.describe())
		return o.broken
	}
	if err := json.Unmarshal(reply, resp); err != nil {
		return fmt.Errorf("yjsoracle: decode response: %w", err)
	}
	return nil
}

func (o *Oracle) roundTrip(line []byte) ([]byte, error) {
	deadline := time.Now().Add(Timeout)
	if err := o.in.SetWriteDeadline(deadline); err != nil {
		return nil, err
	}
	if err := o.out.SetReadDeadline(deadline); err != nil {
		return nil, err
	}
	// bufio.Writer errors are sticky, so Flush reports a failed Write too.
	_, _ = o.w.Write(line)
	_ = o.w.WriteByte('\n')
	if err := o.w.Flush(); err != nil {
		return nil, err
	}
	reply, err := o.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// Rare large response (a long document): gather it in a fresh buffer.
		buf := append([]byte(nil), reply...)
		for errors.Is(err, bufio.ErrBufferFull) {
			reply, err = o.r.ReadSlice('\n')
			buf = append(buf, reply...)
		}
		reply = buf
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("node exited")
		}
		return nil, err
	}
	return reply, nil
}

// tail keeps the last max bytes the child wrote to stderr, for error messages.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) describe() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := bytes.TrimSpace(t.buf)
	if len(s) == 0 {
		return ""
	}
	return "; node stderr: " + string(s)
}
