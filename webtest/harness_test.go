package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server"
	"github.com/commonpad/commonpad/server/store/boltstore"
	"github.com/commonpad/commonpad/static"
)

var screenshotDir = flag.String("webtest.screenshots", "", "directory to save the browser screenshots in (default: the test's temporary directory)")

// scenarioTimeout bounds one scenario script; the script's own deadline
// is a little shorter, so it reports before it is killed.
const scenarioTimeout = 75 * time.Second

var env struct {
	root, node, chromium string
	skip                 string
}

func TestMain(m *testing.M) {
	flag.Parse()
	required := os.Getenv("WEB_REQUIRED") == "1"
	if testing.Short() && !required {
		env.skip = "webtest: -short"
	} else if err := locate(); err != nil {
		if required {
			fmt.Fprintf(os.Stderr, "%v (WEB_REQUIRED=1)\n", err)
			os.Exit(1)
		}
		env.skip = err.Error()
	}
	os.Exit(m.Run())
}

func locate() error {
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("webtest: %w", err)
	}
	env.root = filepath.Dir(wd)
	if env.node, err = exec.LookPath("node"); err != nil {
		return errors.New("webtest: node not on PATH; skipping the browser tests")
	}
	if _, err := os.Stat(filepath.Join(env.root, "node_modules", "playwright-core", "package.json")); err != nil {
		return errors.New("webtest: node_modules/playwright-core missing (run npm ci at the repository root); skipping the browser tests")
	}
	env.chromium = os.Getenv("WEBTEST_CHROMIUM")
	if env.chromium == "" {
		env.chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(env.chromium); err != nil {
		return fmt.Errorf("webtest: no Chromium at %s (apt-get install chromium); skipping the browser tests", env.chromium)
	}
	return nil
}

func needBrowser(t *testing.T) {
	t.Helper()
	if env.skip != "" {
		t.Skip(env.skip)
	}
}

// site is the combined server a browser talks to.
type site struct {
	URL  string
	http *httptest.Server
}

func newSite(t *testing.T) *site {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "pads.db"), boltstore.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	// As cmd/commonpad does: the server's own routes (API, sockets, note
	// pages) first, the web client for everything else.
	srv, err := server.New(server.Config{
		Store: st, CoalesceWindow: time.Millisecond, UnloadGrace: time.Minute,
		Pages: static.Handler(static.Config{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv) // 127.0.0.1, a free port
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		_ = st.Close()
	})
	return &site{URL: ts.URL, http: ts}
}

// padText is what the server itself holds for a pad, rendered as text.
func (s *site) padText(t *testing.T, id string) string {
	t.Helper()
	res, err := http.Get(s.URL + "/api/pads/" + id + "/text")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET text: %d %s", res.StatusCode, b.String())
	}
	return b.String()
}

// runScenario runs webtest/js/{name}.mjs with args and decodes the JSON
// object it prints last into out. A scenario that reports ok=false fails
// the test with its error.
func runScenario(t *testing.T, name string, args map[string]any, out any) {
	t.Helper()
	args["deadlineMs"] = (scenarioTimeout - 10*time.Second).Milliseconds()
	argJSON, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	consultScripts(t)
	ctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, env.node, filepath.Join(env.root, "webtest", "js", name+".mjs"), string(argJSON))
	cmd.Dir = env.root
	cmd.Env = append(os.Environ(), "WEBTEST_CHROMIUM="+env.chromium)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	runErr := cmd.Run()
	t.Logf("%s: %.1fs", name, time.Since(start).Seconds())

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	last := lines[len(lines)-1]
	var status struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(last), &status); err != nil {
		t.Fatalf("%s: no JSON result (%v, run error %v)\nstdout:\n%s\nstderr:\n%s", name, err, runErr, stdout.String(), stderr.String())
	}
	if !status.OK {
		t.Fatalf("%s failed: %s\nstderr:\n%s", name, status.Error, stderr.String())
	}
	if runErr != nil {
		t.Fatalf("%s: %v\nstderr:\n%s", name, runErr, stderr.String())
	}
	if err := json.Unmarshal([]byte(last), out); err != nil {
		t.Fatalf("%s: decode result: %v\n%s", name, err, last)
	}
}

// shotPath is where a test saves the screenshot called name.
func shotPath(t *testing.T, name string) string {
	dir := *screenshotDir
	if dir == "" {
		return filepath.Join(t.TempDir(), name)
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(env.root, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// needAxe skips a test without node_modules/axe-core, as needBrowser does
// without a browser, and fails it under WEB_REQUIRED=1.
func needAxe(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(env.root, "node_modules", "axe-core", "axe.min.js")); err != nil {
		if os.Getenv("WEB_REQUIRED") == "1" {
			t.Fatalf("webtest: node_modules/axe-core missing (run npm ci at the repository root): %v", err)
		}
		t.Skip("webtest: node_modules/axe-core missing (run npm ci at the repository root)")
	}
}

// consultScripts looks at the scenario scripts and the pinned packages:
// Node runs them out of sight of go test's cache, and files a test stats
// are part of its cache key, so changing one runs the tests again.
func consultScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(env.root, "webtest", "js", "*.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, filepath.Join(env.root, "package-lock.json")) {
		if _, err := os.Stat(f); err != nil {
			t.Fatal(err)
		}
	}
}
