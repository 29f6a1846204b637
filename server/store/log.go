package store

import "context"

// Record is one durable update of a pad.
type Record struct {
	Seq Seq
	// Origin names the instance that appended the record, so a room can
	// skip its own records when it follows a log that several instances
	// write to.
	Origin string
	// Update is the opaque update as it was appended.
	Update []byte
}

// Snapshot is everything needed to rebuild a pad: the compacted state, then
// the records appended after it.
type Snapshot struct {
	// State is the compacted state as a single update, or nil if the pad
	// was never compacted.
	State []byte
	// Records are the records after State, in Seq order.
	Records []Record
	// Through is the last Seq reflected in State and Records; following
	// from it delivers exactly the records this snapshot lacks. It is the
	// zero Seq for an unknown pad.
	Through Seq
}

// Log is the durable update log of every pad. Each pad's log is a compacted
// state followed by records; a pad exists once something was appended to
// it, and an unknown pad reads as an empty log.
//
// A Log is safe for concurrent use. See the package documentation for the
// ordering, durability and byte-ownership rules that every method follows.
type Log interface {
	// Load returns the pad's current snapshot. For an unknown pad it
	// returns the zero Snapshot and a nil error.
	Load(ctx context.Context, pad string) (Snapshot, error)

	// Append makes updates durable, in order, and returns one Seq for each.
	// Implementations coalesce concurrent calls into shared commits, so
	// callers need not batch; one call with several updates is still
	// cheaper than several calls. origin is stored with every record. An
	// empty updates list stores nothing and returns nil, nil.
	Append(ctx context.Context, pad, origin string, updates ...[]byte) ([]Seq, error)

	// Follow calls fn for each record of the pad with a Seq after the
	// cursor, in Seq order, waiting for new records as they are appended.
	// fn runs in the calling goroutine with no lock held, one record at a
	// time. Follow returns fn's first error unchanged, an error matching
	// ctx.Err() when ctx ends, ErrClosed when the store closes, and
	// ErrCompacted when records after the cursor were compacted away (at
	// the start or while following): the caller then reloads.
	//
	// Load followed by Follow from Snapshot.Through sees every record
	// exactly once, including records appended between the two calls.
	Follow(ctx context.Context, pad string, after Seq, fn func(Record) error) error

	// Compact replaces the pad's state with state, which must reflect
	// every record up to and including through, and deletes those records,
	// atomically: a concurrent Load sees either the old or the new
	// snapshot. A through at or below the current compaction point is a
	// no-op (stale compactions from a slower instance are harmless). A
	// through after the pad's last record fails with ErrInvalid.
	Compact(ctx context.Context, pad string, state []byte, through Seq) error

	// Delete removes the pad's log: state and records. Loading it then
	// returns the zero Snapshot. Deleting an unknown pad is not an error.
	// Followers of the pad are not stopped; close its rooms first.
	Delete(ctx context.Context, pad string) error

	// Close releases the store. It is idempotent; later calls to any
	// method return ErrClosed.
	Close() error
}
