package crdt

import "github.com/commonpad/commonpad/crdt/internal/lib0"

// Values read from a document are JSON-like Go values: nil, bool, int64
// (integers), float64, string, []byte, []any, Object, BigInt and Undefined.

// Object is a JSON object that keeps its keys in order, as JavaScript does.
type Object = lib0.Object

// Field is one key of an Object.
type Field = lib0.Field

// BigInt is a JavaScript bigint.
type BigInt = lib0.BigInt

// Undefined is JavaScript's undefined, which Yjs can store.
var Undefined = lib0.Undefined
