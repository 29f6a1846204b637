package crdt

import (
	"errors"
	"fmt"
)

// Sentinel errors wrapped by DecodeError. Callers match them with errors.Is.
var (
	ErrUnknownContent  = errors.New("crdt: unknown content ref")
	ErrUnknownTypeRef  = errors.New("crdt: unknown type ref")
	ErrBadReference    = errors.New("crdt: struct refers to a clock it cannot depend on")
	ErrZeroLength      = errors.New("crdt: struct of length zero")
	ErrClockOverflow   = errors.New("crdt: clock out of range")
	ErrInvalidJSON     = errors.New("crdt: invalid json in update")
	ErrBadStateVector  = errors.New("crdt: malformed state vector")
	ErrIndexOutOfRange = errors.New("crdt: index out of range")
)

// DecodeError reports why an update could not be decoded and where.
// Offset is the byte position in the update at which decoding stopped.
type DecodeError struct {
	Offset int
	Err    error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("crdt: malformed update at byte %d: %v", e.Offset, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }
