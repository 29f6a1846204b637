// Package server is commonpad's sync hub: it speaks the y-websocket protocol
// (see crdt/protocol) to Yjs clients over GET /ws/{pad}, keeps one room per
// open pad, makes every update durable in a store.Log before any client sees
// it, and serves the pad API (POST /api/pads, GET /api/pads/{id},
// GET /api/pads/{id}/text, POST /api/pads/{id}/postits, GET and POST
// /api/pads/{id}/publish, GET /api/pads/{id}/export.{md,html,txt}), the
// published notes (/n/{slug}, /n/{slug}/v/{n}, /notes, /notes.atom,
// /api/notes), /healthz, /readyz and /metrics.
//
// # Ownership
//
//	State                                  Owner                     Reached through
//	rooms map, reference counts            hub (one mutex, no I/O)   hub.acquire / hub.release
//	crdt.Doc, Awareness, members, pending  the room goroutine        room.inbox (join, leave, data, shutdown)
//	store appends                          the room's committer      committer.jobs; acks come back on committer.acks
//	socket reads                           readPump (ServeHTTP)      nothing
//	socket writes, pings, close frame      writePump                 the conn's sendQueue
//
// A Doc needs a single writer, so each room is one goroutine that loads the
// pad (snapshot plus log records) before it reads its inbox: a joiner's sync
// step 1 is therefore sent, and its step 1 answered, only after the stored
// state is in the Doc. If loading fails the room refuses every connection
// with 1011 and leaves the hub without writing anything, so a pad that could
// not be read is never overwritten.
//
// # Update path
//
// readPump decodes the outer message and posts it to the room, blocking when
// the room is busy, which slows only that sender's TCP stream. The room
// hands over at most once per coalescing window (Config.CoalesceWindow): an
// update that follows a pause goes out as soon as the inbox is drained,
// and those that come faster wait for the window to end (or for MaxBatch
// updates or 4 MiB). A window's updates are applied with Doc.ApplyUpdates
// as one transaction, which yields one merged update: the window becomes
// one store record and one broadcast message per receiver, so fan-out
// costs the same whatever the typing rate, and a lone keystroke does not
// wait for company. A malformed
// update leaves the Doc untouched, closes only its connection (1007), and
// does not stop the rest of its batch.
//
// The room never waits for the disk. It hands the merged update to its
// committer goroutine over a channel of commitDepth (4) batches and goes
// on serving joins, awareness and new updates. The committer appends every
// batch it finds queued in one store call, so one fsync covers several
// windows (each still its own record), and acknowledges each batch in
// order. Only on the ack does the room broadcast the batch: durable before
// visible, in the order of application. With commitDepth batches
// unacknowledged the room keeps gathering; once that batch is full too it
// stops reading its inbox, and the writers' TCP streams slow down. Nothing
// is dropped.
//
// The Doc is thus ahead of the store by the batches in flight. A sync step
// 1 received meanwhile is answered when the last ack comes back, and no new
// batch is applied until then, so typing cannot starve a joiner and no
// answer reveals an update that is not durable. (The step 1 a joiner
// receives is sent at once: a state vector names clocks, not content.)
// A failed append is retried with backoff within Config.StoreTimeout (Yjs
// updates are idempotent, so a partial first attempt is harmless). If it
// still fails the committer stores nothing more, and the room closes every
// member with 1011 and drops its state: clients resend their updates in
// sync step 2 when they reconnect.
//
// The committer also writes snapshots of loaded pads: once the records
// after the last snapshot outweigh Config.CompactBytes and the snapshot
// itself, the room encodes its state and queues a compaction behind the
// batches in flight, so the state it holds is durable before the records
// it replaces go. A pad that stays open for days thus keeps a short log,
// and its stored size (what Config.MaxPadBytes limits) follows its
// content rather than its history.
//
// # Several instances
//
// With Config.Bus set, other instances append to the same logs (see
// cmd/commonpad --redis). Each room then runs a follower goroutine that
// blocks in Store.Follow from the position the room loaded, and hands it
// every record over a channel. The room applies the records other
// instances wrote and broadcasts what they change, at once, since they are
// durable already; its own records (same origin) only advance followSeq,
// the last record the Doc reflects with all before it, which is what a
// snapshot of this room covers (its own later appends may not be followed
// yet, and another instance's earlier ones must not be trimmed unseen).
// When the records the follower waited for were compacted away it reloads
// the pad and hands the room the whole snapshot, which merges as a no-op
// where the Doc already has it. Follow failures (Redis restarting) are
// retried with backoff from the last record handed over, so nothing is
// skipped or seen twice. In the rare case that a remote record releases
// updates the Doc had parked for missing dependencies, the result was
// never stored, and it goes through the committer like a local batch.
//
// Awareness changes made by local members, their removal on leave
// included, are published on the Bus tagged with the instance's origin;
// each room applies the others' and broadcasts them to its members. States
// from other instances are owned by no local member. A room whose members
// announced states says on the Bus that its instance is alive every 3 s;
// the states of an instance silent for 10 s are removed (it died), well
// before the 30 s awareness timeout. A room that opens asks the others
// for their members' states.
//
// # Queues and backpressure
//
// Each broadcast is framed once (websocket.PreparedMessage) and the same
// frame is queued to every member. A connection's sendQueue is bounded in
// bytes (Config.MaxQueueBytes); pushing never blocks, and a push that would
// overflow closes the connection with 4008 instead, so one slow client never
// delays its room or any other. The client resyncs when it reconnects.
//
// # Lifecycle
//
// A room without connections for Config.UnloadGrace waits for its jobs
// to be acknowledged, leaves the hub, writes a snapshot (Compact with the
// full state) and stops. A connection arriving meanwhile starts a new room,
// which loads the pad from the store; compaction is atomic and a stale one
// is a no-op, so the two never disagree. Shutdown makes every room settle
// the same way, close its connections with 1001 and write its snapshot. A
// connection whose join reached a room as it stopped is closed by its
// writePump when the room's done channel closes. Keepalive: writePump pings
// every PingPeriod; a connection silent for two periods is closed.
// Awareness states not renewed for 30 s are removed and the removal
// broadcast; when a connection closes, the awareness clients it announced
// are removed the same way. A client id belongs to the connection that
// announced a state for it last, so a client that reconnects before its
// old connection dies keeps its state when the old one goes, and a client
// that clears its own state and announces a new one (y-protocols reports
// that as an update, not an addition) is still removed when it leaves.
//
// # Close codes
//
//	1000  normal close
//	1001  server shutting down, or the room stopped before it served the join
//	1003  text frame (the protocol is binary)
//	1007  malformed sync, state vector or awareness message
//	1009  message over Config.MaxMessageBytes
//	1011  pad could not be loaded or stored
//	1013  Config.MaxConnsPerPad reached
//	4008  slow consumer: send queue over Config.MaxQueueBytes
//	4029  over Config.UpdatesPerSecond
//	4404  unknown pad with Config.NoAutoCreate (after an auth message)
//	4413  the update would take the pad past Config.MaxPadBytes
//
// Writes from a connection opened with a pad's read-only id are dropped and
// answered with the protocol's permission-denied message; the connection
// stays open and keeps receiving updates and awareness.
//
// # Metrics
//
// GET /metrics serves the Prometheus text format, written by hand from
// atomic counters (the client library would be the largest dependency of
// the binary): commonpad_connections and commonpad_open_pads (gauges);
// messages and bytes received and sent, by type (sync_step1, sync_step2,
// sync_update, awareness, auth, query_awareness, other), counted when read
// and when written to the socket; commonpad_rejected_messages_total by
// reason (malformed, too_big, text_frame, rate_limited, pad_too_large,
// read_only); commonpad_refused_connections_total by reason;
// commonpad_slow_consumer_disconnects_total (queue overflow or a write past
// WriteWait); commonpad_store_errors_total by operation; and histograms of
// the time to apply a window (commonpad_update_apply_seconds), the updates
// merged per window (commonpad_update_batch_size), the time of a store
// append (commonpad_store_append_seconds) and the records per append
// (commonpad_store_append_batch_size).
//
// # Pad ids
//
// Pad ids are UUIDs. The id is taken from the raw request path after
// "/ws/", percent-decoded once (the reference server would not decode), and
// must parse as a UUID. An unknown id creates the pad unless
// Config.NoAutoCreate is set.
package server
