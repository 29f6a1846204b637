// Package store defines how commonpad persists pads: the update log of each
// pad ([Log]), its metadata ([Pads]), the people who wrote in it
// ([Authors]) and the notes published from it ([Notes]). No interface here
// grows to cover another's job, so a back end may implement any subset.
//
// The package holds contracts only: interfaces, value types and sentinel
// errors. It imports nothing outside the standard library, and updates are
// opaque bytes (Yjs v1 updates to the server, never decoded here), so back
// ends can be tested without a CRDT. Back ends live in sibling packages
// (boltstore, later redisstore) and all pass the conformance suites in
// storetest.
//
// # Ordering
//
// Every record of a pad has a [Seq]. Seqs of one pad are strictly increasing
// in the order records were made durable, and are never reused, not even
// after [Log.Delete]: a cursor kept from before a Delete never skips records
// appended after it. Seqs of different pads are not comparable. The updates
// of one [Log.Append] call keep their order. Two calls from the same
// goroutine are ordered as the calls were made; concurrent calls are ordered
// arbitrarily but consistently for every reader.
//
// # Durability
//
// When Append returns nil, its updates are durable (fsynced, or replicated
// as the back end defines it) and visible to [Log.Load] and [Log.Follow].
// When it returns an error, the caller must assume the updates may or may
// not have been stored, and may append them again: Yjs updates are
// idempotent, so a duplicate costs space, never correctness. An Append whose
// context is already done stores nothing.
//
// Pad metadata writes ([Pads.CreatePad], [Pads.UpdatePad], [Pads.DeletePad]) are
// durable when they return nil.
//
// # Byte ownership
//
// Implementations copy what they are given and what they return. A caller
// may modify a slice or map after passing it in, and may modify any slice
// or map it receives, without changing what is stored. No two returned
// slices share a backing array.
//
// # Concurrency
//
// Every implementation is safe for concurrent use by multiple goroutines.
// Close is idempotent; after it, every method returns [ErrClosed], and a
// blocked Follow returns ErrClosed promptly.
//
// # Errors
//
// Errors match the sentinels below with [errors.Is]. A call whose context
// ends returns an error matching ctx.Err(). Invalid arguments (an empty or
// too long pad id, a malformed pad record) match [ErrInvalid] and never
// panic.
package store
