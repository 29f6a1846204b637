package static

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// tools returns the repository root and node, or skips (fails with
// WEB_REQUIRED=1) when node or the pinned npm packages are missing.
func tools(t *testing.T, pkgs ...string) (root, node string) {
	t.Helper()
	required := os.Getenv("WEB_REQUIRED") == "1"
	fail := func(msg string) {
		if required {
			t.Fatal(msg + " (WEB_REQUIRED=1)")
		}
		t.Skip(msg)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root = filepath.Dir(wd)
	node, err = exec.LookPath("node")
	if err != nil {
		fail("static: node not on PATH")
	}
	for _, p := range pkgs {
		if _, err := os.Stat(filepath.Join(root, "node_modules", p, "package.json")); err != nil {
			fail("static: node_modules/" + p + " missing (run npm ci at the repository root)")
		}
	}
	return root, node
}

func runNode(t *testing.T, root, node string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = root
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node %v: %v\n%s", args, err, out)
	}
	return out
}

// TestBundleReproducible rebuilds the bundle from src/ and the pinned
// packages and fails on any difference with the committed dist/.
func TestBundleReproducible(t *testing.T) {
	root, node := tools(t, "esbuild")
	out := t.TempDir()
	runNode(t, root, node, filepath.Join("static", "build.mjs"), "--outdir", out)

	committed := readDir(t, filepath.Join(root, "static", "dist"))
	built := readDir(t, out)
	for name, want := range committed {
		got, ok := built[name]
		switch {
		case !ok:
			t.Errorf("dist/%s is committed but the build does not produce it", name)
		case !bytes.Equal(got, want):
			t.Errorf("dist/%s differs from a fresh build (%d vs %d bytes): run node static/build.mjs and commit", name, len(want), len(got))
		}
	}
	for name := range built {
		if _, ok := committed[name]; !ok {
			t.Errorf("the build produces %s, which dist/ lacks: run node static/build.mjs and commit", name)
		}
	}
}

// TestBuildIsDeterministic builds twice and compares, so a nondeterministic
// build is caught even when dist/ was just rebuilt.
func TestBuildIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	root, node := tools(t, "esbuild")
	a, b := t.TempDir(), t.TempDir()
	runNode(t, root, node, filepath.Join("static", "build.mjs"), "--outdir", a)
	runNode(t, root, node, filepath.Join("static", "build.mjs"), "--outdir", b)
	ba, bb := readDir(t, a), readDir(t, b)
	if len(ba) != len(bb) {
		t.Fatalf("builds produced %d and %d files", len(ba), len(bb))
	}
	for name, x := range ba {
		if !bytes.Equal(x, bb[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestNodeUnits runs the unit tests of the client's pure modules
// (static/src/test) under Node's test runner.
func TestNodeUnits(t *testing.T) {
	root, node := tools(t, "yjs", "lean-qr")
	files, err := filepath.Glob(filepath.Join(root, "static", "src", "test", "*.test.mjs"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no unit tests found (%v)", err)
	}
	runNode(t, root, node, append([]string{"--test"}, files...)...)
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			t.Errorf("unexpected directory %s in %s", e.Name(), dir)
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}
