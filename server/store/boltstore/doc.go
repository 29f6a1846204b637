// Package boltstore keeps commonpad's pads in one bbolt file: the default
// store, needing no setup. A *Store implements store.Log, store.Pads,
// store.Authors and store.Notes and passes the storetest suites.
//
// # Layout
//
// Root bucket "pads" holds one bucket per pad ID. Each pad bucket holds a
// "log" bucket of records, keyed by the big-endian Seq.Lo, and a "snapshot"
// key holding the compacted state and the Seq it covers. Seq.Hi is always
// zero. Seqs come from the root bucket's NextSequence rather than the pad
// bucket's, so they stay unique across Delete: a deleted and recreated pad
// continues after every Seq it ever had, and no follower's cursor can skip
// the new records.
//
// Root bucket "meta" maps pad IDs to their metadata (JSON) and "readonly"
// maps read-only IDs to pad IDs. Published notes have root buckets of
// their own (see notes.go), and "authors" holds one bucket per pad of the
// names behind its writers' client ids.
//
// # Group commit
//
// bbolt fsyncs once per write transaction, so one transaction per update
// would cap a busy server at the disk's fsync rate. Append hands its
// updates to a single committer goroutine, which commits everything that
// is queued, across pads, in one transaction: callers that arrive while a
// commit is in flight share the next one. When more callers have entered
// Append than the committer has collected, it waits for them, up to
// Options.MaxBatchDelay, so a burst of appends is not split in two. A lone
// caller never waits. Append returns after the commit and its fsync.
//
// # Following
//
// bbolt locks its file, so one process owns a store and Follow works
// in-process: each append closes and replaces a per-pad channel, and
// followers wake and read from their cursor in a read-only transaction.
// Records are copied out of every transaction before they are returned or
// passed to a callback, and callbacks run outside transactions.
//
// # Caveats
//
// Open fails with ErrLocked when another process (or another Store in this
// process) has the file open. Pad metadata writes and compactions are
// separate write transactions that queue behind the committer's on bbolt's
// writer lock; they are rare next to appends.
package boltstore
