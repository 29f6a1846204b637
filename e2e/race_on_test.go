//go:build race

package e2e

// raceBuild makes `go test -race ./e2e` build the server with the race
// detector too, so that CI's race run covers the server under real clients.
const raceBuild = true
