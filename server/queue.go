package server

import (
	"sync"
	"sync/atomic"

	"github.com/gorilla/websocket"
)

// outMsg is one WebSocket binary message. Broadcasts share one prepared
// message across all receivers so a frame is built once per room, not once
// per member.
type outMsg struct {
	pm   *websocket.PreparedMessage
	data []byte
	size int
	kind msgKind
}

// sendQueue is a connection's outbound queue, bounded in bytes rather than
// messages because one Yjs update can be a byte or megabytes. push never
// blocks, so the room never waits for a slow socket.
type sendQueue struct {
	max    int
	signal chan struct{}  // capacity 1: "something changed"
	slow   *atomic.Uint64 // counts overflows; may be nil

	mu        sync.Mutex
	msgs      []outMsg
	bytes     int // queued plus taken but not yet written
	closed    bool
	closeCode int
	reason    string
}

func newSendQueue(maxBytes int, slow *atomic.Uint64) *sendQueue {
	return &sendQueue{max: maxBytes, signal: make(chan struct{}, 1), slow: slow}
}

func (q *sendQueue) wake() {
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// push queues m. When m would take a non-empty queue past the byte bound
// the queue is closed with closeSlowConsumer instead, and push reports
// false. An empty queue takes any message, so one large update (bounded by
// MaxMessageBytes on the way in) does not look like a slow consumer.
func (q *sendQueue) push(m outMsg) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	if q.bytes > 0 && q.bytes+m.size > q.max {
		q.closed, q.closeCode, q.reason = true, closeSlowConsumer, "slow consumer"
		q.msgs = nil
		q.mu.Unlock()
		if q.slow != nil {
			q.slow.Add(1)
		}
		q.wake()
		return false
	}
	q.msgs = append(q.msgs, m)
	q.bytes += m.size
	q.mu.Unlock()
	q.wake()
	return true
}

// close asks the writer to send a close frame with code and reason after
// what is already queued. The first close wins.
func (q *sendQueue) close(code int, reason string) {
	q.mu.Lock()
	if !q.closed {
		q.closed, q.closeCode, q.reason = true, code, reason
	}
	q.mu.Unlock()
	q.wake()
}

// take returns everything queued and, once the queue is closed, the close
// code and reason. The taken bytes still count against the bound until the
// writer reports them with written, so a socket stuck in one write cannot
// hide a growing backlog.
func (q *sendQueue) take() (msgs []outMsg, closed bool, code int, reason string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	msgs, q.msgs = q.msgs, nil
	return msgs, q.closed, q.closeCode, q.reason
}

// written releases the bytes of a message the writer has sent.
func (q *sendQueue) written(n int) {
	q.mu.Lock()
	q.bytes -= n
	q.mu.Unlock()
}
