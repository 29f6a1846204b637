package yjsoracle

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ErrUnavailable reports that node or the pinned npm packages are missing.
var ErrUnavailable = errors.New("yjsoracle: yjs oracle unavailable (needs node on PATH and `npm ci` at the repository root)")

// scriptPath is the oracle's location relative to the repository root.
var scriptPath = filepath.Join("tools", "yjsoracle", "oracle.mjs")

// findRoot walks up from the working directory (a package directory under `go test`) to the
// directory holding go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("yjsoracle: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no go.mod above the working directory", ErrUnavailable)
		}
		dir = parent
	}
}

// locate returns the node binary and the repository root, or an error wrapping
// ErrUnavailable.
func locate() (node, root string, err error) {
	root, err = findRoot()
	if err != nil {
		return "", "", err
	}
	node, err = exec.LookPath("node")
	if err != nil {
		return "", "", fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	for _, p := range []string{filepath.Join("node_modules", "yjs", "package.json"), scriptPath} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			return "", "", fmt.Errorf("%w: %s missing, run npm ci", ErrUnavailable, p)
		}
	}
	return node, root, nil
}
