package protocol

import (
	"go/build"
	"strings"
	"testing"
)

// The package must stay usable on raw bytes: it may import the standard
// library and lib0, never the CRDT package or anything third-party.
func TestImports(t *testing.T) {
	t.Parallel()
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if imp != "github.com/commonpad/commonpad/crdt/internal/lib0" && strings.Contains(strings.Split(imp, "/")[0], ".") {
			t.Errorf("forbidden import %q: protocol works on raw bytes (stdlib and lib0 only)", imp)
		}
	}
}
