// Package lib0 implements the binary primitives of the lib0 JavaScript library
// that Yjs builds its update and protocol formats on: variable-length integers,
// length-prefixed strings and byte arrays, big-endian fixed-width numbers, the
// tagged "Any" value encoding, and JSON text as JavaScript's JSON.stringify and
// JSON.parse see it.
//
// Encoding is byte-exact with lib0 0.2.x (the number-tag choice of WriteAny
// follows JavaScript's single number type). Decoding is strict where a
// JavaScript peer would fail (invalid UTF-8, unknown tags) and bounded
// everywhere else: counts are checked against the remaining input before
// anything is allocated, nesting is limited to MaxDepth, and no input makes a
// Decoder panic.
package lib0
