package server

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestSendQueueBoundInBytes(t *testing.T) {
	var slow atomic.Uint64
	q := newSendQueue(100, &slow)
	big := outMsg{data: make([]byte, 150), size: 150}
	if !q.push(big) {
		t.Fatal("an empty queue refused one message larger than the bound")
	}
	msgs, closed, _, _ := q.take()
	if len(msgs) != 1 || closed {
		t.Fatalf("take = %d msgs, closed %v", len(msgs), closed)
	}
	if q.push(outMsg{size: 1}) {
		t.Fatal("a message being written did not count against the bound")
	}
	if slow.Load() != 1 {
		t.Fatalf("%d overflows counted, want 1", slow.Load())
	}
	q = newSendQueue(100, nil)
	for i := range 2 {
		if !q.push(outMsg{size: 40}) {
			t.Fatalf("push %d refused under the bound", i)
		}
	}
	if q.push(outMsg{size: 40}) {
		t.Fatal("push past the bound accepted")
	}
	msgs, closed, code, _ := q.take()
	if len(msgs) != 0 || !closed || code != closeSlowConsumer {
		t.Fatalf("after overflow: %d msgs, closed %v, code %d", len(msgs), closed, code)
	}
	if q.push(outMsg{size: 1}) {
		t.Fatal("closed queue accepted a message")
	}
	q.close(closeNormal, "")
	if _, _, code, _ := q.take(); code != closeSlowConsumer {
		t.Fatalf("a later close replaced the first code: %d", code)
	}
}

func TestTokenBucket(t *testing.T) {
	now := time.Unix(0, 0)
	b := newTokenBucket(2, now)
	if !b.allow(now) || !b.allow(now) {
		t.Fatal("burst refused")
	}
	if b.allow(now) {
		t.Fatal("third event in the same instant allowed")
	}
	if !b.allow(now.Add(500 * time.Millisecond)) {
		t.Fatal("refill after half a second refused")
	}
	var none *tokenBucket
	if !none.allow(now) {
		t.Fatal("disabled limit refused")
	}
}
