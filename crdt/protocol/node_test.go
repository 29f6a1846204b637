package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// awarenessScript replays operations on y-protocols' Awareness configured as
// @y/websocket-server configures it (local state null) and reports, per
// operation, the events and the bytes the server would broadcast.
const awarenessScript = `
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import * as aw from 'y-protocols/awareness';
const ops = JSON.parse(readFileSync(0, 'utf8'));
const doc = new Y.Doc();
doc.clientID = 0x7ffffff0; // outside the ids the test uses
const a = new aw.Awareness(doc);
clearInterval(a._checkInterval); // no timers: the test drives everything
a.setLocalState(null);
const hex = b => Buffer.from(b).toString('hex');
let upd = null, chg = null;
a.on('update', c => { upd = c; });
a.on('change', c => { chg = c; });
const out = [];
for (const op of ops) {
  upd = null; chg = null;
  if (op.apply !== undefined) aw.applyAwarenessUpdate(a, Buffer.from(op.apply, 'hex'), 'conn');
  else aw.removeAwarenessStates(a, op.remove, null);
  out.push({
    update: upd, changed: chg ? chg.updated : [],
    broadcast: upd ? hex(aw.encodeAwarenessUpdate(a, [...upd.added, ...upd.updated, ...upd.removed])) : '',
    all: hex(aw.encodeAwarenessUpdate(a, [...a.getStates().keys()])),
  });
}
a.destroy();
process.stdout.write(JSON.stringify(out));
`

type jsAwarenessOp struct {
	Apply  *string  `json:"apply,omitempty"`
	Remove []uint64 `json:"remove,omitempty"`
}

type jsAwarenessResult struct {
	Update *struct {
		Added   []uint64 `json:"added"`
		Updated []uint64 `json:"updated"`
		Removed []uint64 `json:"removed"`
	} `json:"update"`
	Changed   []uint64 `json:"changed"`
	Broadcast string   `json:"broadcast"`
	All       string   `json:"all"`
}

// awarenessStates mixes deep-equal variants (spacing, key order, 1 vs 1.0),
// falsy values and removals.
var awarenessStates = []string{
	"null", " null", `{}`, `{"user":{"name":"A"}}`, `{ "user" : { "name" : "A" } }`, `{"a":1,"b":[1,2]}`,
	`{"b":[1,2],"a":1.0}`, `{"a":2}`, `{"cursor":{"anchor":3,"head":null}}`, "false", "0", `""`, "1", `"x"`, `[]`,
	`{"10":1,"2":2,"x":"\u00e9"}`, "null",
}

func randomAwarenessOps(r *rand.Rand, n int) []jsAwarenessOp {
	clocks := map[uint64]uint64{}
	ops := make([]jsAwarenessOp, 0, n)
	for range n {
		if r.IntN(7) == 0 {
			var ids []uint64
			for range r.IntN(3) + 1 {
				ids = append(ids, uint64(r.IntN(6)+1))
			}
			ops = append(ops, jsAwarenessOp{Remove: ids})
			continue
		}
		var entries []AwarenessEntry
		for range r.IntN(3) + 1 {
			id := uint64(r.IntN(6) + 1)
			clock := clocks[id] + uint64(r.IntN(4))
			if clock > 0 && r.IntN(4) == 0 {
				clock-- // an older or equal clock now and then
			}
			clocks[id] = max(clocks[id], clock)
			entries = append(entries, AwarenessEntry{ClientID: id, Clock: clock, State: awarenessStates[r.IntN(len(awarenessStates))]})
		}
		h := hex.EncodeToString(EncodeAwarenessUpdate(entries))
		ops = append(ops, jsAwarenessOp{Apply: &h})
	}
	return ops
}

func TestAwarenessMatchesYProtocols(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH; skipping the y-protocols differential test")
	}
	root := moduleRoot(t)
	if _, err := os.Stat(filepath.Join(root, "node_modules", "y-protocols", "awareness.js")); err != nil {
		t.Skip("node_modules/y-protocols absent (run npm ci at the repository root); skipping the y-protocols differential test")
	}
	const seed, nOps = 20250101, 600
	ops := randomAwarenessOps(rand.New(rand.NewPCG(seed, 1)), nOps)
	in, err := json.Marshal(ops)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, "--input-type=module", "-e", awarenessScript)
	cmd.Dir = root
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var want []jsAwarenessResult
	if err := json.Unmarshal(raw, &want); err != nil || len(want) != len(ops) {
		t.Fatalf("node output (%d results): %v", len(want), err)
	}

	var a Awareness
	for i, op := range ops {
		var ch Change
		var broadcast []byte
		if op.Apply != nil {
			b, _ := hex.DecodeString(*op.Apply)
			if ch, err = a.ApplyAt(b, t0); err != nil {
				t.Fatalf("op %d: %v", i, err)
			}
			if !ch.Empty() {
				broadcast = a.Encode(ch.Clients())
			}
		} else {
			ch, broadcast = a.Remove(op.Remove)
		}
		w := want[i]
		desc := fmt.Sprintf("seed %d op %d (remove %v)", seed, i, op.Remove)
		if op.Apply != nil {
			desc = fmt.Sprintf("seed %d op %d (apply %s)", seed, i, *op.Apply)
		}
		if w.Update == nil {
			if !ch.Empty() {
				t.Fatalf("%s: go accepted %+v, y-protocols ignored it", desc, ch)
			}
		} else if !slices.Equal(ch.Added, w.Update.Added) || !slices.Equal(ch.Updated, w.Update.Updated) || !slices.Equal(ch.Removed, w.Update.Removed) {
			t.Fatalf("%s: go %+v, y-protocols %+v", desc, ch, *w.Update)
		}
		if !slices.Equal(ch.Changed, w.Changed) && len(ch.Changed)+len(w.Changed) > 0 {
			t.Fatalf("%s: changed go %v, y-protocols %v", desc, ch.Changed, w.Changed)
		}
		if got := hex.EncodeToString(broadcast); got != w.Broadcast {
			t.Fatalf("%s: broadcast\n  go %s\n  js %s", desc, got, w.Broadcast)
		}
		if got := hex.EncodeToString(a.Encode(a.Clients())); got != w.All {
			t.Fatalf("%s: all states\n  go %s\n  js %s", desc, got, w.All)
		}
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
}
