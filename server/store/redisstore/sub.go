package redisstore

import (
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

// sub is one running Follow as its reader sees it: a cursor into the
// pad's stream and the records read but not yet taken by the Follow.
//
// The queue is what keeps a slow callback from stalling the other pads of
// its reader: the reader only appends to it, and once it holds
// followCount records the pad is paused, left out of the XREADs until its
// Follow takes them. A pad thus has fewer than 2*followCount records
// queued, besides those its callback is being handed, and one that falls
// behind is read again from Redis, in order, when it catches up.
type sub struct {
	log, snapshot string
	ready         chan struct{} // capacity 1: the queue or err changed

	// Guarded by the reader's mu.
	cursor store.Seq      // the last record queued, or the Follow's start
	from   string         // cursor as a stream ID, formatted once per move
	check  bool           // read the snapshot before the next XREAD
	paused bool           // the queue is full
	queue  []store.Record // in Seq order, after the Follow's last record
	err    error          // final: nothing is queued after it
	gone   bool           // the Follow returned
}

// compactedError reports a snapshot that covers past the cursor; Follow
// turns it into store.ErrCompacted with the pad's name.
type compactedError struct{ from, through store.Seq }

func (e compactedError) Error() string {
	return fmt.Sprintf("compacted through %v, past %v", e.through, e.from)
}

func newSub(k keys, after store.Seq) *sub {
	return &sub{log: k.log, snapshot: k.snapshot, ready: make(chan struct{}, 1), cursor: after, from: streamID(after), check: true}
}

func (sb *sub) signal() {
	select {
	case sb.ready <- struct{}{}:
	default:
	}
}

// live says whether the reader still reads for sb.
func (sb *sub) live() bool { return sb.err == nil && !sb.gone }

// fail ends sb with err once the records queued before it are taken.
func (sb *sub) fail(err error) {
	if sb.err == nil {
		sb.err = err
		sb.signal()
	}
}

// push queues the records that one XREAD returned after sb.cursor.
func (sb *sub) push(msgs []redis.XMessage) {
	for _, m := range msgs {
		r, err := decodeRecord(m)
		if err != nil {
			sb.fail(err)
			return
		}
		sb.queue = append(sb.queue, r)
		sb.cursor, sb.from = r.Seq, m.ID
	}
	if len(sb.queue) >= followCount {
		sb.paused = true
	}
	if len(msgs) > 0 {
		sb.signal()
	}
}

// checkThrough compares the snapshot's covered ID, as read after the
// XREAD from id (or before the first), with id: the covered ID only
// grows, so if it is still at or below id, it was when the XREAD ran,
// and the records that XREAD returned follow id without a gap.
func (sb *sub) checkThrough(cmd *redis.StringCmd, id store.Seq) bool {
	through, err := throughOf(cmd)
	switch {
	case err != nil:
		sb.fail(err)
	case id.Less(through):
		sb.fail(compactedError{from: id, through: through})
	default:
		return true
	}
	return false
}
