// Command crdtbench compares our crdt package with yjs on real editing
// traces, in one run. For each trace it measures, on both sides:
//
//	(a) replaying the trace as local edits, one transaction per txn;
//	(b) applying one yjs-emitted update per patch, one by one, to a fresh
//	    doc (the server's hot path; both sides apply the same bytes);
//	(c) encoding the full state;
//	(d) loading that encoding into a fresh doc;
//
// plus the size of the encoding and the live heap of the loaded doc. It
// checks every final text against the trace's endContent and prints one
// table per trace with the ratios and the aims. It exits with status 1 when
// a check fails (a missed aim is not a failure).
//
// The yjs side runs in yjs.mjs under node (with the yjs installed by npm ci
// at the repository root). Without node or yjs, or with -yjs=false, only our
// side runs, on updates recorded by our own crdt.
//
// Usage (from the repository root):
//
//	go run ./tools/crdtbench [-trace name] [-runs N] [-traces dir] [-cpuprofile file]
//
// The traces are read from -traces, else $COMMONPAD_TRACES, else
// ../shared/traces beside the repository; when they are absent it says so
// and exits 0. A CPU profile of our side carries the pprof labels phase
// (replay, apply, encode, load) and trace, so one step can be read with
// go tool pprof -tagfocus=phase=apply -top.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
)

const module = "github.com/commonpad/commonpad"

// traceNames are the traces measured by default, in order.
var traceNames = []string{"automerge-paper", "seph-blog1"}

type config struct {
	tracesDir  string
	traceName  string
	runs       int
	cpuProfile string
	node       string
	withYjs    bool
}

func main() { os.Exit(run()) }

func run() int {
	var cfg config
	flag.StringVar(&cfg.tracesDir, "traces", "", "directory holding the traces (default $COMMONPAD_TRACES, else ../shared/traces beside the repository)")
	flag.StringVar(&cfg.traceName, "trace", "", "measure only this trace, e.g. seph-blog1 (default: "+strings.Join(traceNames, ", ")+")")
	flag.IntVar(&cfg.runs, "runs", 3, "timed runs per step after one warm-up; the median is reported ((c) and (d) run 10 times as often)")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of our side to this file")
	flag.StringVar(&cfg.node, "node", "node", "node executable")
	flag.BoolVar(&cfg.withYjs, "yjs", true, "also measure yjs under node")
	flag.Parse()
	if cfg.runs < 1 || flag.NArg() > 0 {
		flag.Usage()
		return 2
	}

	root, err := repoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if cfg.tracesDir == "" {
		cfg.tracesDir = os.Getenv("COMMONPAD_TRACES")
	}
	if cfg.tracesDir == "" {
		cfg.tracesDir = filepath.Join(root, "..", "shared", "traces")
	}
	if _, err := os.Stat(cfg.tracesDir); err != nil {
		fmt.Printf("crdtbench: no traces at %s (set -traces or COMMONPAD_TRACES); nothing to measure\n", cfg.tracesDir)
		return 0
	}
	script := filepath.Join(root, "tools", "crdtbench", "yjs.mjs")
	if cfg.withYjs {
		if reason := yjsMissing(cfg.node, root); reason != "" {
			fmt.Printf("crdtbench: measuring commonpad alone: %s\n", reason)
			cfg.withYjs = false
		}
	}

	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}

	names := traceNames
	if cfg.traceName != "" {
		names = []string{cfg.traceName}
	}
	status, measured := 0, 0
	for _, name := range names {
		path := filepath.Join(cfg.tracesDir, name+".json.gz")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			fmt.Printf("crdtbench: no trace %s; skipped\n", path)
			continue
		}
		measured++
		ok, err := benchTrace(cfg, script, path, name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		if !ok {
			status = 1
		}
	}
	if measured == 0 {
		fmt.Println("crdtbench: no trace measured")
	}
	return status
}

// benchTrace measures one trace on both sides, prints its table and reports
// whether every correctness check passed.
func benchTrace(cfg config, script, path, name string) (bool, error) {
	tr, err := loadTrace(path, name)
	if err != nil {
		return false, err
	}
	rep := report{trace: tr, runs: cfg.runs}
	var updates [][]byte
	if cfg.withYjs {
		y, err := runYjs(cfg.node, script, path, cfg.runs)
		if err != nil {
			return false, err
		}
		rep.yjs = y
		rep.failures = append(rep.failures, y.Failures...)
		if len(y.Failures) > 0 {
			rep.print(os.Stdout)
			return false, nil
		}
		updates = y.updates
	} else {
		if updates, err = recordUpdates(tr); err != nil {
			rep.failures = append(rep.failures, "commonpad recording updates: "+err.Error())
			rep.print(os.Stdout)
			return false, nil
		}
	}
	if n := len(tr.patches()); len(updates) != n {
		rep.failures = append(rep.failures, fmt.Sprintf("%d updates recorded for %d patches: (b) needs one per patch", len(updates), n))
	}

	ours := runOurs(tr, updates, cfg.runs)
	rep.ours = ours
	rep.failures = append(rep.failures, ours.failures...)
	if y := rep.yjs; y != nil {
		rep.crossCheck(y)
	}
	if ours.failed['a'] {
		rep.notes = append(rep.notes, "(a) "+firstDivergence(replayStepper(tr)))
	}
	if ours.failed['b'] && len(updates) > 0 {
		rep.notes = append(rep.notes, "(b) "+firstDivergence(applyStepper(tr, updates)))
	}
	rep.load = busyWarning()
	rep.print(os.Stdout)
	return len(rep.failures) == 0, nil
}

// crossCheck loads yjs's state into our crdt, and compares the encodings.
func (r *report) crossCheck(y *yjsRun) {
	var text string
	err := safely(func() error {
		d, err := load(y.state)
		text = d.Text(textName).String()
		return err
	})
	switch {
	case err != nil:
		r.failures = append(r.failures, "commonpad loading yjs's state: "+err.Error())
	case text != r.trace.EndContent:
		r.failures = append(r.failures, "commonpad loading yjs's state: "+describeMismatch(text, r.trace.EndContent))
	}
	switch s := r.ours.state; {
	case s == nil:
	case bytes.Equal(s, y.state):
		r.notes = append(r.notes, "our encoded state is byte-identical to yjs's")
	default:
		i := 0
		for i < len(s) && i < len(y.state) && s[i] == y.state[i] {
			i++
		}
		r.notes = append(r.notes, fmt.Sprintf("our encoded state differs from yjs's from byte %d on (lengths %d and %d)", i, len(s), len(y.state)))
	}
}

// yjsMissing says why yjs cannot be run, or returns "".
func yjsMissing(node, root string) string {
	if _, err := exec.LookPath(node); err != nil {
		return fmt.Sprintf("no %s executable", node)
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "yjs", "package.json")); err != nil {
		return "yjs is not installed (run npm ci at the repository root)"
	}
	return ""
}

// repoRoot finds the checkout containing the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module "+module+"\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("crdtbench: run inside the commonpad checkout: no go.mod of " + module + " above the working directory")
		}
		dir = parent
	}
}
