package lib0

import (
	"go/build"
	"strings"
	"testing"
)

// lib0 is the leaf of the dependency graph: standard library only.
func TestImports(t *testing.T) {
	t.Parallel()
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(strings.Split(imp, "/")[0], ".") {
			t.Errorf("forbidden import %q: lib0 uses the standard library only", imp)
		}
	}
}
