package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// driver is one Node process running e2e/js/driver.mjs: a set of named
// y-websocket clients that obey JSON commands.
type driver struct {
	name   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *syncBuffer
	exited chan struct{}

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan reply
}

type reply struct {
	ID     int             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

// defaultCallTimeout bounds a command unless its caller says otherwise.
const defaultCallTimeout = 20 * time.Second

// startDriver starts a driver process that exits by itself after life.
func startDriver(t *testing.T, name string, life time.Duration) *driver {
	t.Helper()
	needE2E(t)
	d := &driver{name: name, stderr: &syncBuffer{}, exited: make(chan struct{}), waiting: map[int]chan reply{}}
	d.cmd = exec.Command(env.node, env.driver, strconv.FormatInt(life.Milliseconds(), 10))
	d.cmd.Stderr = d.stderr
	var err error
	if d.stdin, err = d.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := d.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start node driver: %v", err)
	}
	go d.read(stdout)
	t.Cleanup(func() {
		d.kill()
		if t.Failed() {
			if s := d.stderr.String(); s != "" {
				t.Logf("driver %s stderr:\n%s", d.name, tail(s, 4000))
			}
		}
	})
	return d
}

// read dispatches answers to their callers until stdout ends, then fails
// every call still waiting.
func (d *driver) read(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 256<<20)
	for sc.Scan() {
		var r reply
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			r = reply{ID: -1, Error: fmt.Sprintf("unparsable driver output %q", tail(sc.Text(), 200))}
		}
		d.mu.Lock()
		ch := d.waiting[r.ID]
		delete(d.waiting, r.ID)
		d.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
	_ = d.cmd.Wait()
	close(d.exited)
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, ch := range d.waiting {
		ch <- reply{ID: id, Error: "driver exited: " + d.cmd.ProcessState.String()}
		delete(d.waiting, id)
	}
}

// call is a command in flight.
type call struct {
	d  *driver
	op string
	ch chan reply
}

// send issues a command without waiting for its answer.
func (d *driver) send(t *testing.T, op string, args map[string]any) *call {
	t.Helper()
	d.mu.Lock()
	d.nextID++
	id := d.nextID
	ch := make(chan reply, 1)
	d.waiting[id] = ch
	d.mu.Unlock()
	msg := map[string]any{}
	for k, v := range args {
		msg[k] = v
	}
	msg["id"], msg["op"] = id, op
	line, err := json.Marshal(msg)
	if err != nil {
		t.Fatalf("driver %s: encode %s: %v", d.name, op, err)
	}
	if _, err := d.stdin.Write(append(line, '\n')); err != nil {
		t.Fatalf("driver %s: send %s: %v\n%s", d.name, op, err, tail(d.stderr.String(), 2000))
	}
	return &call{d: d, op: op, ch: ch}
}

// wait takes the answer, decoding it into out unless out is nil.
func (c *call) wait(t *testing.T, within time.Duration, out any) {
	t.Helper()
	select {
	case r := <-c.ch:
		if r.Error != "" {
			t.Fatalf("driver %s: %s: %s\nstderr:\n%s", c.d.name, c.op, r.Error, tail(c.d.stderr.String(), 2000))
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				t.Fatalf("driver %s: %s: decode %s: %v", c.d.name, c.op, tail(string(r.Result), 300), err)
			}
		}
	case <-time.After(within):
		t.Fatalf("driver %s: no answer to %s within %v\nstderr:\n%s", c.d.name, c.op, within, tail(c.d.stderr.String(), 2000))
	}
}

func (d *driver) do(t *testing.T, op string, args map[string]any, out any) {
	t.Helper()
	d.send(t, op, args).wait(t, defaultCallTimeout, out)
}

// kill ends the process with SIGKILL, by its PID, unless it has exited.
func (d *driver) kill() {
	select {
	case <-d.exited:
		return
	default:
	}
	_ = d.cmd.Process.Kill()
	<-d.exited
}

// client is one named client of a driver.
type client struct {
	d    *driver
	name string
}

// clientState is what driver.mjs reports for a client (Client.state).
type clientState struct {
	ClientID    uint64            `json:"clientID"`
	Status      string            `json:"status"`
	Synced      bool              `json:"synced"`
	Text        *string           `json:"text"` // absent over 64 Ki units unless asked for
	TextUnits   int               `json:"textUnits"`
	TextSHA256  string            `json:"textSha256"`
	SV          map[string]uint64 `json:"sv"`
	Pending     bool              `json:"pending"`
	Awareness   []awarenessEntry  `json:"awareness"`
	Received    int               `json:"received"`
	Closes      []closeEvent      `json:"closes"`      // closes the server initiated
	Disconnects int               `json:"disconnects"` // connections lost for any reason
	Content     string            `json:"content"`     // every root as canonical JSON, when asked for
}

type awarenessEntry struct {
	ClientID uint64 `json:"clientID"`
	User     *user  `json:"user"`
}

type user struct {
	Name  string `json:"name"`
	Color string `json:"color"`
}

type closeEvent struct {
	Code   int    `json:"code"`
	Reason string `json:"reason"`
}

type editResult struct {
	Inserted []string `json:"inserted"`
	Deleted  []string `json:"deleted"`
}

type openOpts struct {
	user  *user
	wait  bool
	empty bool // without the shared paragraph: all the client holds comes from the server
}

// open creates a client of room on srv and, with wait, returns once it has
// synced.
func (d *driver) open(t *testing.T, name string, srv *serverProc, room string, o openOpts) client {
	t.Helper()
	d.openAsync(t, name, srv, room, o).wait(t, defaultCallTimeout, nil)
	return client{d: d, name: name}
}

func (d *driver) openAsync(t *testing.T, name string, srv *serverProc, room string, o openOpts) *call {
	t.Helper()
	args := map[string]any{"client": name, "url": srv.wsURL(), "room": room, "wait": o.wait, "empty": o.empty}
	if o.user != nil {
		args["user"] = o.user
	}
	return d.send(t, "open", args)
}

func (c client) String() string { return c.d.name + "/" + c.name }

func (c client) args(kv ...any) map[string]any {
	m := map[string]any{"client": c.name}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func (c client) state(t *testing.T) clientState {
	t.Helper()
	var st clientState
	c.d.do(t, "state", c.args(), &st)
	return st
}

func (c client) do(t *testing.T, op string, kv ...any) {
	t.Helper()
	c.d.do(t, op, c.args(kv...), nil)
}

// edit starts typing tokens "(label-NNN)"; wait on the call for the
// editResult.
func (c client) edit(t *testing.T, label string, count, intervalMs, deleteEvery int) *call {
	t.Helper()
	return c.d.send(t, "edit", c.args("label", label, "count", count, "intervalMs", intervalMs, "deleteEvery", deleteEvery))
}

func (c client) received(t *testing.T) []string {
	t.Helper()
	var r struct {
		Updates []string `json:"updates"`
	}
	c.d.do(t, "received", c.args(), &r)
	return r.Updates
}
