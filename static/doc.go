// Package static is commonpad's web client: the pages a browser opens and
// the bundle they load, embedded in the binary.
//
// Handler serves
//
//	GET /                 home: create a pad, pads recently opened on this device
//	GET /p/{id}           the pad editor
//	GET /p/{id}/embed     the editor without the home chrome, for iframes
//	GET /p/{id}/postit    a page for phones in the room: send a post-it to the pad
//	GET /r/{id}           the read-only view (id is the pad's read-only id)
//	GET /assets/{name}    app.js, app.css, licenses.txt from dist/
//
// and answers 404 to every other path, and to pad ids that are not UUIDs.
// Mount it as the fallback ("/") of the server's mux, so that the more
// specific /ws/, /api/ and /metrics patterns win. Every page is the same
// shell; the script reads the view and the pad id from <body data-view
// data-pad> and builds the page. The document model the editor writes is
// described in MODEL.md.
//
// # Building the bundle
//
// dist/ is built from src/ by esbuild (pinned in the root package.json) and
// committed, so the Go build needs no Node:
//
//	npm ci                   # once, at the repository root
//	node static/build.mjs    # rewrites static/dist
//
// The build is reproducible: TestBundleReproducible rebuilds into a
// temporary directory and fails on any byte that differs from dist/. It
// skips without node or node_modules unless WEB_REQUIRED=1. The pure
// modules of src/ have Node unit tests in src/test, run by TestNodeUnits.
//
// # Caching and headers
//
// Pages are sent with Cache-Control: no-cache and link the assets as
// /assets/{name}?v={content hash}; a request carrying the current hash is
// cached for a year, any other revalidates. Assets are gzipped once at
// start-up when the client accepts it. Pages carry a Content-Security-Policy
// that allows only same-origin scripts and connections, and Referrer-Policy:
// no-referrer, because a pad's URL is its password.
package static
