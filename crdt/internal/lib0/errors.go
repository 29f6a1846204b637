package lib0

import "errors"

// Decoding errors. Decoders return them unwrapped so callers can compare with
// errors.Is and add their own offset context.
var (
	ErrUnexpectedEOF = errors.New("lib0: unexpected end of data")
	ErrIntOverflow   = errors.New("lib0: integer out of range")
	ErrInvalidUTF8   = errors.New("lib0: invalid utf-8 in string")
	ErrUnknownAnyTag = errors.New("lib0: unknown any tag")
	ErrTooDeep       = errors.New("lib0: value nested too deeply")
	ErrInvalidJSON   = errors.New("lib0: invalid json")
)

// MaxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER. A JavaScript peer
// cannot represent a larger integer exactly, so decoders reject varuints and
// varint magnitudes above it.
const MaxSafeInteger = 1<<53 - 1

// MaxDepth bounds the nesting of arrays and objects accepted by ReadAny and
// ParseJSON, so that hostile input cannot exhaust the stack.
const MaxDepth = 64
