package redistest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
)

// Main starts a server for a test package's TestMain, stores it in *srv,
// runs the tests and stops the server; it returns the exit code for
// os.Exit. Without redis-server the tests still run, with *srv nil, so
// that Need can skip them; under REDIS_REQUIRED=1 that is a failure
// instead.
func Main(m *testing.M, srv **Server) int {
	s, err := Start(context.Background())
	switch {
	case errors.Is(err, ErrNotInstalled) && !Required():
		return m.Run()
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	*srv = s
	code := m.Run()
	if s.Exited() {
		// The server died under the tests; say so, since their failures
		// would otherwise read like bugs in the code under test.
		fmt.Fprintf(os.Stderr, "redistest: redis-server exited during the tests: %s\n", s.Log())
		code = max(code, 1)
	}
	if err := s.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	return code
}

// Need skips t when Main found no redis-server, and fails it when
// REDIS_REQUIRED=1 (Main has already failed the run in that case, so this
// only guards tests run without Main).
func Need(t testing.TB, srv *Server) {
	t.Helper()
	if srv != nil {
		return
	}
	if Required() {
		t.Fatalf("%v, and %s=1", ErrNotInstalled, RequiredEnv)
	}
	t.Skipf("%v; set %s=1 to fail instead of skipping", ErrNotInstalled, RequiredEnv)
}
