package e2e

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// env is what TestMain found: where node, the driver script and the built
// server are, or why the tests cannot run.
var env struct {
	node, driver, bin string
	skip              string
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	flag.Parse()
	required := os.Getenv("E2E_REQUIRED") == "1"
	var err error
	if testing.Short() && !required {
		env.skip = "-short: skipping the end-to-end tests"
	} else {
		err = locate()
	}
	if err != nil {
		if required {
			fmt.Fprintf(os.Stderr, "%v (E2E_REQUIRED=1)\n", err)
			return 1
		}
		env.skip = err.Error() + "; skipping the end-to-end tests"
	}
	if bin := os.Getenv("E2E_SERVER_BIN"); env.skip == "" && bin != "" {
		// A prebuilt server, e.g. a release binary, is tested as it is.
		env.bin = bin
	} else if env.skip == "" {
		dir, err := os.MkdirTemp("", "commonpad-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		if env.bin, err = buildServer(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return m.Run()
}

// locate finds the module root, node and the npm packages the driver needs.
func locate() error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	env.node, err = exec.LookPath("node")
	if err != nil {
		return errors.New("e2e: node not on PATH")
	}
	for _, pkg := range []string{"yjs", "y-websocket", "y-protocols", "ws"} {
		if _, err := os.Stat(filepath.Join(root, "node_modules", pkg, "package.json")); err != nil {
			return fmt.Errorf("e2e: node_modules/%s missing (run npm ci at the repository root)", pkg)
		}
	}
	env.driver = filepath.Join(root, "e2e", "js", "driver.mjs")
	return nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("e2e: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("e2e: no go.mod above the working directory")
		}
		dir = parent
	}
}

func buildServer(dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("e2e: go tool not on PATH: %w", err)
	}
	bin := filepath.Join(dir, "commonpad")
	args := []string{"build", "-o", bin}
	// A race report in a server's output fails the test that ran it.
	if raceBuild || os.Getenv("E2E_RACE") == "1" {
		args = append(args, "-race")
	}
	cmd := exec.Command(goTool, append(args, "./cmd/commonpad")...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("e2e: go build ./cmd/commonpad: %v\n%s", err, out)
	}
	return bin, nil
}

// consultSources looks at every file the server binary is built from. The
// build runs in another process, out of sight of go test's cache, which
// would otherwise replay a pass recorded before a change to the server;
// files a test stats are part of the cache key. Only what runs after
// TestMain hands over to m.Run is recorded, hence its call from needE2E.
func consultSources(root string) error {
	for _, dir := range []string{"cmd", "crdt", "pad", "server", "static", "e2e/js"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata"):
				return filepath.SkipDir
			case d.Type().IsRegular():
				_, err = os.Stat(path)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("e2e: reading the sources: %w", err)
		}
	}
	_, err := os.Stat(filepath.Join(root, "package-lock.json"))
	return err
}

// needE2E skips t when the environment cannot run the end-to-end tests.
func needE2E(t *testing.T) {
	t.Helper()
	if env.skip != "" {
		t.Skip(env.skip)
	}
	sourcesOnce.Do(func() {
		root, err := moduleRoot()
		if err == nil {
			err = consultSources(root)
		}
		sourcesErr = err
	})
	if sourcesErr != nil {
		t.Fatal(sourcesErr)
	}
}

var (
	sourcesOnce sync.Once
	sourcesErr  error
)
