package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps package store free of everything but the standard library:
// server imports it, and every back end implements it, so a dependency here
// would be forced on all of them.
func TestDeps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go tool not found on PATH: %v", err)
	}
	out, err := exec.CommandContext(t.Context(), goTool, "list", "-deps", "-json=ImportPath,Standard,Imports", ".").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}

	type pkg struct {
		ImportPath string
		Standard   bool
		Imports    []string
	}
	const self = "github.com/commonpad/commonpad/server/store"
	importers := map[string][]string{}
	var bad []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		for _, imp := range p.Imports {
			importers[imp] = append(importers[imp], p.ImportPath)
		}
		if !p.Standard && p.ImportPath != self {
			bad = append(bad, p.ImportPath)
		}
	}
	for _, b := range bad {
		t.Errorf("%s depends on %s (imported by %s); package store must use only the standard library "+
			"so that server and every back end can depend on it without pulling in a driver",
			self, b, strings.Join(importers[b], ", "))
	}
}
