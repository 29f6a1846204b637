// Package e2e tests the commonpad binary against the real Yjs client stack:
// yjs, y-websocket's WebsocketProvider and y-protocols' awareness, run under
// Node by the scripts in e2e/js.
//
// The package holds only tests. TestMain builds ./cmd/commonpad once; each
// test starts its own server on a free loopback port and data directory,
// drives clients through e2e/js/driver.mjs (one JSON command a line, see
// that file) and asserts on what the clients and GET /api/pads/{id}/text
// report. Servers and Node processes are ended by their PID; every Node
// process also exits by itself after a hard timeout.
//
// Run with
//
//	npm ci            # once, at the repository root
//	go test ./e2e
//
// Without node or node_modules the tests skip, unless E2E_REQUIRED=1, which
// turns the skip into a failure (for CI). -short skips them too.
// E2E_SERVER_BIN=path tests that binary instead of building ./cmd/commonpad,
// and E2E_RACE=1 (or go test -race) builds it with the race detector.
package e2e
