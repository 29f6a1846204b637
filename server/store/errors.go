package store

import "errors"

var (
	// ErrClosed is returned by every method called after Close, and by a
	// Follow that was blocked when the store closed.
	ErrClosed = errors.New("store: closed")

	// ErrCompacted is returned by Follow when records after its cursor were
	// folded into a snapshot. The caller reloads with Load and follows from
	// the new Snapshot.Through.
	ErrCompacted = errors.New("store: records before cursor were compacted")

	// ErrNotFound is returned when a pad record does not exist.
	ErrNotFound = errors.New("store: not found")

	// ErrExists is returned when an ID or read-only ID is already taken.
	ErrExists = errors.New("store: already exists")

	// ErrInvalid is returned for arguments a store refuses to persist. It is
	// wrapped with the reason.
	ErrInvalid = errors.New("store: invalid argument")
)
