package yjsoracle

import (
	"errors"
	"os"
	"testing"
)

// ForTest starts an oracle for t and closes it when t ends. It skips t when the oracle is
// unavailable, unless YJSORACLE_REQUIRED is non-empty, in which case it fails.
func ForTest(t testing.TB) *Oracle {
	t.Helper()
	o, err := Start()
	if errors.Is(err, ErrUnavailable) && os.Getenv("YJSORACLE_REQUIRED") == "" {
		t.Skipf("%v; skipping", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}
