// Package redisstore keeps commonpad's pads in Redis, so that several
// server instances can serve the same pads: every instance appends to and
// follows the same logs. A *Store implements store.Log, store.Pads,
// store.Authors and store.Notes and passes the storetest suites against a real redis-server (7.0 or later).
//
// # Layout
//
// With Options.Prefix P, the keys of pad ID are:
//
//	P pad:{ID}:log       stream: one entry per record, fields "origin" and "update"
//	P pad:{ID}:snapshot  hash: "through" (the last stream ID in the state) and "state"
//	P pad:{ID}:compact   string: the compaction lock (SET NX PX)
//	P pad:{ID}:authors   hash: Yjs client id -> "first recorded (Unix ns):name"
//
// and the metadata of all pads is kept under one hash tag:
//
//	P {padmeta}:pad:ID   string: the metadata of pad ID, as JSON
//	P {padmeta}:ro:RO    string: the pad ID that read-only ID RO resolves to
//	P {padmeta}:list     sorted set: every pad ID, score 0, for listing in byte order
//
// The braces are Redis Cluster hash tags: all log keys of a pad live in
// one slot, and all metadata in another, so every script and MULTI block
// touches a single slot and the store works on a Cluster as on a single
// server. In the log keys, '%', '{' and '}' of an ID are written %25, %7B
// and %7D, so no ID can cut its tag short; other characters are kept as
// they are. The metadata keys need no escaping, since only the first
// {...} of a key is hashed.
//
// # Seqs
//
// A record's Seq is its stream ID: Seq{Hi: milliseconds, Lo: counter}.
// Redis assigns it (XADD *), never below the stream's last ID, so Seqs
// grow even when the server's clock steps back. Log.Delete empties the
// stream rather than deleting it, because an empty stream keeps its last
// ID: a pad appended to after a Delete continues after every Seq it had.
//
// # Append and Load
//
// Append is one XADD, or one MULTI block of XADDs for several updates, so
// a call costs one round trip and its updates are stored together or not
// at all. Calls are not coalesced across goroutines: each uses its own
// pooled connection, and Redis has no per-call fsync to amortise. When
// Append returns, the server has the records; how durable they are is the
// server's configuration (appendonly with appendfsync always makes Redis
// fsync before it answers; replicas are not waited for).
//
// Load reads the snapshot and the whole stream in one MULTI block, so a
// concurrent compaction is seen entirely or not at all.
//
// # Follow and the connection budget
//
// Follow blocks in XREAD on a connection it takes from the client's pool
// for as long as it runs. To stop it promptly on cancel or Close, the
// store sends CLIENT UNBLOCK over a control connection that it keeps
// aside on each node from the first Follow until Close. The pool must
// therefore hold, besides what other commands need:
//
//	one connection per running Follow (the server follows every open pad)
//	+ one control connection per node
//
// The go-redis default PoolSize is 10 per CPU. When followers fill the
// pool, other commands, new Follows included, fail with the pool's
// timeout (after its retries), while running Follows can still be
// stopped. Size PoolSize for the number of pads an instance keeps open, or
// give the store a client of its own. Redis's own limit is maxclients
// (10000 by default) over all instances. Multiplexing many pads over one
// XREAD is the way past this and is not done yet.
//
// Follow detects compaction by reading the snapshot's covered ID before
// its first XREAD and after each one; see Store.Follow.
//
// # Compaction
//
// Compact runs one Lua script that checks that the new state covers more
// than the stored one, stores it and trims the covered records with XTRIM
// MINID, atomically. Before it, the instance takes the pad's lock with SET
// NX PX, so that instances deciding to compact at the same moment do it
// one at a time and the later ones, finding the work done, return without
// sending their state. The lock only saves work: if it expires under a
// slow holder, the script still keeps compaction correct.
//
// # Pad metadata
//
// CreatePad, UpdatePad and DeletePad are Lua scripts: creation checks the
// whole ID namespace (IDs and read-only IDs) in the same step that takes
// it, and updates and deletes are optimistic, applied only if the record
// is still the one the caller read, else retried. Each touches the
// metadata of several pads, which a Cluster allows only because all of it
// shares the {padmeta} slot: splitting it per pad would trade these atomic
// steps for ordered writes and lazy repair after crashes, to spread a
// load (a few hundred bytes read when a pad is opened) that one node
// carries easily.
//
// # Client
//
// New takes a *redis.Client (a single server, or a failover client that
// finds the primary through Sentinel) or a *redis.ClusterClient; the
// caller owns it and closes it after the Store. Both pass the storetest
// suites in this package's tests, against a three-master Cluster and a
// Sentinel-managed primary.
// go-redis's default "auto" maintenance notifications mode, against a
// server without them (Redis before 8, Valkey), disables itself by
// writing to options that the client shares with every redis.Conn, which
// is a data race when Follows open connections concurrently. Set
// MaintNotificationsConfig to maintnotifications.ModeDisabled for such
// servers.
package redisstore
