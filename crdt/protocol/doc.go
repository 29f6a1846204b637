// Package protocol implements the y-protocols (1.0.7) messages that Yjs
// clients exchange with a y-websocket server: the sync step 1 / step 2 /
// update messages, awareness, auth and query-awareness, and the awareness
// state machine with y-protocols' exact acceptance rule.
//
// The package works on raw bytes: updates and state vectors are opaque
// payloads here, so it does not depend on the CRDT package. Every message
// is one WebSocket binary frame; a decoder reads the first message of a
// frame and, like the JavaScript reader, ignores whatever follows it.
//
// Nothing here is safe for concurrent use, and nothing starts timers: the
// owner of an Awareness passes the current time in.
package protocol
