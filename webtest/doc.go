// Package webtest drives the web client in a real browser: Debian's
// Chromium, headless, through playwright-core, against the real server and
// the embedded client on one loopback httptest server.
//
// The package holds only tests. Each test starts its own server (a
// server.Server on a bbolt store in t.TempDir(), serving its own routes,
// API, sockets and note pages, and static.Handler for the rest), runs one
// scenario script from webtest/js under Node, and asserts on the JSON
// object the script prints as its last line. A script launches its own Chromium with a fresh
// temporary profile and no network but the test server, waits only with
// deadlines, and exits by itself when its hard deadline passes; the test
// also ends it by PID if it outlives its context.
//
// Run with
//
//	npm ci                                      # once, at the repository root
//	apt-get install -y chromium                 # Debian's Chromium, /usr/bin/chromium
//	go test ./webtest
//	go test ./webtest -args -webtest.screenshots=webtest/testdata/screenshots
//
// Without node, node_modules/playwright-core or Chromium the tests skip,
// unless WEB_REQUIRED=1, which turns the skip into a failure (for CI).
// WEBTEST_CHROMIUM overrides the browser's path. -short skips them too.
// The screenshots (two remote carets, a published note) go to t.TempDir()
// unless -webtest.screenshots names a directory;
// webtest/testdata/screenshots holds a committed copy of each.
//
// TestPagesPassAxeInEnglishAndFrench injects axe-core (node_modules/axe-core,
// pinned in package.json) into every kind of page, in English and in
// French, with each dialog open, and runs the WCAG 2.0/2.1 A and AA rules
// and axe's best practices. Serious and critical findings fail; moderate
// ones must be in the test's commented allowlist. The same scenario checks
// that open dialogs are named, that each Tab stop of the pad shows its
// focus, and that pages reflow at 320 CSS pixels. Run it alone with
//
//	go test ./webtest -run Axe -v
//
// -v also lists what axe could not decide by itself, for a person to look at.
package webtest
