package server

import (
	"math"
	"sync/atomic"

	"github.com/commonpad/commonpad/crdt/protocol"
)

// msgKind labels protocol messages in metrics.
type msgKind uint8

const (
	kindSyncStep1 msgKind = iota
	kindSyncStep2
	kindSyncUpdate
	kindAwareness
	kindAuth
	kindQueryAwareness
	kindOther
	numKinds
)

var kindNames = [numKinds]string{"sync_step1", "sync_step2", "sync_update", "awareness", "auth", "query_awareness", "other"}

func kindOfMessage(m protocol.Message) msgKind {
	switch m.Type {
	case protocol.MessageSync:
		switch m.SyncType {
		case protocol.SyncStep1:
			return kindSyncStep1
		case protocol.SyncStep2:
			return kindSyncStep2
		}
		return kindSyncUpdate
	case protocol.MessageAwareness:
		return kindAwareness
	case protocol.MessageAuth:
		return kindAuth
	case protocol.MessageQueryAwareness:
		return kindQueryAwareness
	}
	return kindOther
}

// kindOfEncoded labels a message the server encoded itself. Every type and
// sync subtype we send is below 128, so each is one varuint byte.
func kindOfEncoded(b []byte) msgKind {
	if len(b) == 0 {
		return kindOther
	}
	if b[0] == protocol.MessageSync && len(b) > 1 {
		return kindOfMessage(protocol.Message{Type: protocol.MessageSync, SyncType: uint64(b[1])})
	}
	return kindOfMessage(protocol.Message{Type: uint64(b[0])})
}

// rejectReason labels why a message was refused.
type rejectReason uint8

const (
	rejectMalformed   rejectReason = iota // 1007
	rejectTooBig                          // 1009
	rejectTextFrame                       // 1003
	rejectRateLimited                     // 4029
	rejectPadTooLarge                     // 4413
	rejectReadOnly                        // a write on a read-only connection, answered with permission denied
	numRejectReasons
)

var rejectNames = [numRejectReasons]string{"malformed", "too_big", "text_frame", "rate_limited", "pad_too_large", "read_only"}

// refuseReason labels why a WebSocket was closed right after the upgrade.
type refuseReason uint8

const (
	refuseNotFound     refuseReason = iota // 4404
	refuseRoomFull                         // 1013
	refuseShuttingDown                     // 1001
	refuseUnavailable                      // 1011
	numRefuseReasons
)

var refuseNames = [numRefuseReasons]string{"not_found", "room_full", "shutting_down", "unavailable"}

// storeOp labels failed store calls.
type storeOp uint8

const (
	opLoad storeOp = iota
	opAppend
	opCompact
	opFollow
	opAuthors
	numStoreOps
)

var storeOpNames = [numStoreOps]string{"load", "append", "compact", "follow", "authors"}

// metrics are the server's counters, written from any goroutine with
// atomics and read by the /metrics handler.
type metrics struct {
	connections   atomic.Int64
	msgsIn        [numKinds]atomic.Uint64
	bytesIn       [numKinds]atomic.Uint64
	msgsOut       [numKinds]atomic.Uint64
	bytesOut      [numKinds]atomic.Uint64
	rejected      [numRejectReasons]atomic.Uint64
	refused       [numRefuseReasons]atomic.Uint64
	slowConsumers atomic.Uint64
	storeErrors   [numStoreOps]atomic.Uint64

	applySeconds  *histogram // one coalescing window applied to a Doc
	appendSeconds *histogram // one store append
	windowUpdates *histogram // updates merged into one record
	appendRecords *histogram // records written by one store append
}

var (
	latencyBuckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10}
	countBuckets   = []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}
)

func newMetrics() *metrics {
	return &metrics{
		applySeconds:  newHistogram(latencyBuckets),
		appendSeconds: newHistogram(latencyBuckets),
		windowUpdates: newHistogram(countBuckets),
		appendRecords: newHistogram(countBuckets),
	}
}

func (m *metrics) received(k msgKind, n int) {
	m.msgsIn[k].Add(1)
	m.bytesIn[k].Add(uint64(n))
}

func (m *metrics) sent(k msgKind, n int) {
	m.msgsOut[k].Add(1)
	m.bytesOut[k].Add(uint64(n))
}

// histogram is a fixed-bucket histogram safe for concurrent use. counts are
// per bucket, not cumulative, so observe touches one of them; the last one
// is +Inf.
type histogram struct {
	bounds  []float64
	counts  []atomic.Uint64
	sumBits atomic.Uint64 // float64 bits
}

func newHistogram(bounds []float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i := 0
	for i < len(h.bounds) && v > h.bounds[i] {
		i++
	}
	h.counts[i].Add(1)
	for {
		old := h.sumBits.Load()
		if h.sumBits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}
