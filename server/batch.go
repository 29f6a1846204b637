package server

import (
	"cmp"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
)

// pendingUpdate is an update received in the current coalescing window,
// not yet applied.
type pendingUpdate struct {
	c    *conn
	data []byte
}

// maxBatchBytes ends a coalescing window early, so that a burst of large
// updates is not held in memory twice (raw and merged) for long.
const maxBatchBytes = 4 << 20

func (r *room) batchFull() bool {
	return len(r.pending) >= r.srv.cfg.MaxBatch || r.pendingBytes >= maxBatchBytes
}

// quiet reports whether a window may end now, without waiting: the window
// bounds how often a room hands over (and so how many messages each member
// receives per second), not how long an edit waits. An edit that follows a
// pause goes out at once; edits that come faster share the next window.
// A negative window hands over whenever the inbox is drained.
func (r *room) quiet(window time.Duration) bool {
	return window < 0 || time.Since(r.lastHandOver) >= window
}

func (r *room) canHandOver() bool {
	return r.outstanding() < commitDepth && len(r.syncWaiters) == 0
}

// outstanding counts the jobs the committer has not acknowledged; it never
// exceeds commitDepth, the capacity of both of its channels.
func (r *room) outstanding() int {
	n := r.inflight
	if r.compacting {
		n++
	}
	if r.authors.recording {
		n++
	}
	return n
}

func (r *room) padSize() int64 { return r.snapBytes + r.logBytes + r.inflightBytes }

// handOver ends the coalescing window: it applies the window's updates as
// one transaction and hands the one update that yields to the committer. The
// update is broadcast when its ack comes back (see acked), so a window
// costs one record and one message per receiver however many updates it
// held. A malformed update closes its own connection and leaves the rest
// of the batch applied.
//
// While a sync step 1 waits for the in-flight batches, nothing new is
// applied, so that continuous typing cannot starve its answer.
func (r *room) handOver() {
	if len(r.pending) == 0 || !r.canHandOver() {
		return
	}
	batch := r.pending
	r.pending, r.pendingBytes, r.due = nil, 0, false
	raw := make([][]byte, len(batch))
	for i, p := range batch {
		raw[i] = p.data
	}
	var updates [][]byte
	var writers []uint64
	r.captured, r.writers = &updates, &writers
	start := time.Now()
	errs := r.doc.ApplyUpdates(raw, nil)
	r.srv.metrics.applySeconds.observe(time.Since(start).Seconds())
	r.srv.metrics.windowUpdates.observe(float64(len(raw)))
	r.captured, r.writers = nil, nil
	r.attribute(batch, errs, writers)
	for i, err := range errs {
		if err != nil {
			r.reject(batch[i].c, rejectMalformed, closeInvalidData, "malformed update", err)
		}
	}
	if len(updates) == 0 {
		return // duplicates, or updates parked until their dependencies arrive
	}
	r.commit(updates)
}

// commit hands applied updates to the committer; the caller has checked
// that it has room.
func (r *room) commit(updates [][]byte) {
	job := commitJob{updates: updates, authors: r.takeDirty()}
	for _, u := range updates {
		job.bytes += int64(len(u))
	}
	r.com.jobs <- job // never blocks: see outstanding
	r.lastHandOver = time.Now()
	r.inflight++
	r.inflightBytes += job.bytes
}

// acked broadcasts a batch the store has made durable. Acks arrive in the
// order batches were handed over, so members see updates in that order.
func (r *room) acked(a commitAck) {
	if a.job.isCompaction() {
		r.compacted(a)
		return
	}
	if a.job.isAuthorsOnly() {
		r.authors.recording = false
		r.authorsAcked(a.job.authors, a.err)
		return
	}
	r.authorsAcked(a.job.authors, cmp.Or(a.err, a.authorsErr))
	r.inflight--
	r.inflightBytes -= a.job.bytes
	if a.err != nil {
		r.fail(a.err)
		return
	}
	r.lastSeq = a.seqs[len(a.seqs)-1]
	r.logBytes += a.job.bytes
	r.logRecords += len(a.seqs)
	for _, u := range a.job.updates {
		r.broadcast(protocol.EncodeSyncUpdate(u))
	}
	if r.inflight == 0 {
		r.answerSyncs()
	}
	r.maybeCompact()
}

// maybeCompact folds the records into a new snapshot once they outweigh
// both Config.CompactBytes and the current snapshot, so a pad that stays
// loaded for days neither grows its log without end nor creeps up to
// MaxPadBytes, and the cost of encoding the state is amortised over at
// least as many bytes of records.
//
// The state may include batches still in flight; they are ahead of the
// compaction in the committer's queue, so it is written only after they
// are durable, and their records (after through) stay: loading applies
// them twice, which changes nothing.
func (r *room) maybeCompact() {
	limit := r.srv.cfg.CompactBytes
	if limit < 0 || r.covered().IsZero() || r.compacting || r.settling || r.outstanding() >= commitDepth || r.logBytes < max(limit, r.snapBytes) {
		return
	}
	job := commitJob{
		state:   r.doc.EncodeStateAsUpdate(nil),
		through: r.covered(),
		covered: r.logBytes,
		records: r.logRecords,
	}
	r.com.jobs <- job
	r.compacting = true
}

func (r *room) compacted(a commitAck) {
	r.compacting = false
	if a.err != nil {
		return // logged by the committer; the records stay
	}
	r.snapBytes = int64(len(a.job.state))
	r.logBytes -= a.job.covered
	r.logRecords -= a.job.records
}

// answerSyncs answers the sync step 1 requests held while the Doc was
// ahead of the store.
func (r *room) answerSyncs() {
	for _, w := range r.syncWaiters {
		if _, ok := r.members[w.c]; ok {
			w.c.send(protocol.EncodeSyncStep2(r.doc.EncodeStateAsUpdate(w.sv)))
		}
	}
	r.syncWaiters = nil
}
