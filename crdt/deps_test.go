package crdt_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps crdt on the standard library and its own internal
// packages: the server depends on it, never the other way round.
func TestDeps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go tool not found on PATH: %v", err)
	}
	out, err := exec.CommandContext(t.Context(), goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "github.com/commonpad/commonpad/crdt" && !strings.HasPrefix(p, "github.com/commonpad/commonpad/crdt/internal/") {
			t.Errorf("crdt depends on %s: it may use only the standard library and crdt/internal", p)
		}
	}
}
