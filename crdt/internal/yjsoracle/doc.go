// Package yjsoracle drives the real yjs library, run under Node by tools/yjsoracle/oracle.mjs,
// so that tests can compare the crdt package with it.
//
// The oracle hosts named Y.Doc replicas. Requests travel as JSON lines over the child's
// stdin and stdout, one response per request, in order; an [Oracle] serialises its callers, so
// it may be shared by parallel tests as long as they use distinct doc names. Batch sends many
// requests in one line when round trips matter.
//
// # Ops
//
// [Op] mirrors the op vocabulary defined at the top of tools/yjsoracle/oracle.mjs. Indices
// and lengths are resolved modulo the current state at execution time, so random generators
// never produce invalid ops:
//
//	insert at index i       -> i % (len+1)
//	delete/format (i, n)    -> no-op on an empty target; else start = i % len,
//	                           count = 1 + (n-1) % (len-start)
//
// XML ops locate their target with a path of child indices; each step picks among the
// children of the needed kind only (elements, or XmlText for the last step of an xmltext.*
// path), modulo their count, and a step with no candidate makes the op a no-op.
//
// # Availability
//
// The oracle needs `node` on PATH and `npm ci` run at the repository root. [Start] returns an
// error wrapping [ErrUnavailable] otherwise, and [ForTest] turns that into t.Skip, or into a
// failure when YJSORACLE_REQUIRED is set (for CI jobs that must not skip silently).
package yjsoracle
