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
// Follows share connections. On each node, a reader holds one pooled
// connection blocked in a single XREAD on the streams of all its pads
// (XREAD COUNT n BLOCK ms STREAMS k1 k2 ... id1 id2 ...), and queues what
// it returns for each pad's Follow, which calls its callback in its own
// goroutine. A node opens a new reader when each of its readers has
// Options.FollowFanIn pads (128 by default), up to Options.FollowConns
// readers (8); past that, new pads join the least loaded. Every XREAD
// names all the pads of its reader, so a wake-up costs in proportion to
// them: FollowFanIn trades connections for latency on a busy node.
//
// A pad joining or leaving a reader, or one whose Follow drained a full
// queue, interrupts the blocked XREAD with CLIENT UNBLOCK, sent over a
// control connection that the store keeps aside on each node while it has
// readers there, so that the next XREAD names the right pads. Cancelling
// a Follow or closing the store returns at once: the reader only drops
// the pad. The pool must therefore hold, besides what other commands
// need:
//
//	up to FollowConns readers per node, whatever the number of open pads
//	+ one control connection per node
//
// A Redis Cluster refuses an XREAD whose streams span hash slots, even on
// one node, and each pad's keys hash to a slot of their own: there, the
// readers are per slot, and FollowConns caps those of one slot. A Cluster
// node thus keeps a reader per slot that holds open pads, nearly one per
// open pad while they are fewer than its slots, and its pool must be sized
// as for one connection per open pad up to that bound.
//
// When readers fill the pool, other commands fail with the pool's timeout
// (after its retries), as does a Follow that needs a new reader, while
// Follows that join a running reader need no connection and all can be
// stopped. Redis's own limit is maxclients (10000 by default) over all
// instances.
//
// A slow callback stalls only its own pad: a reader queues at most
// followCount (128) records for a Follow before it leaves the pad out of
// its XREADs, and reads the pad again, from where its queue ends, once the
// Follow has taken them. If an XREAD fails with an error reply, as when a
// pad's log key holds something else than a stream, the reader reads each
// pad alone to fail only those at fault; a failed connection fails every
// pad of its reader, whose Follows return the error as they did when each
// had its own connection, and the next Follows open a new reader.
//
// Follow detects compaction by reading the snapshot's covered ID on the
// reader's connection before a pad's first XREAD (and its first after a
// pause), and after each XREAD for the pads it returned records of, in
// one pipelined round trip; see Store.Follow and sub.checkThrough.
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
// is a data race when readers open connections concurrently. Set
// MaintNotificationsConfig to maintnotifications.ModeDisabled for such
// servers.
package redisstore
