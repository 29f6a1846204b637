package server

import (
	"bytes"
	"errors"
)

// Bus carries the ephemeral messages of a pad (awareness) between the
// instances that share a Store. Setting Config.Bus also tells the server
// that other instances append to the same logs, so each open room follows
// its pad's log for their records; without a Bus the server assumes it is
// the only writer and does neither.
//
// Delivery is at most once and may reorder nothing that matters: awareness
// states carry their own clocks, and a lost message is repaired by the
// next renewal (clients renew every 15 s).
type Bus interface {
	// Publish sends msg to every subscriber of pad, in this process or
	// another. It must not block: the room calls it from its own
	// goroutine, so an implementation queues or drops.
	Publish(pad string, msg []byte)
	// Subscribe calls fn with every message published to pad until
	// unsubscribe is called. fn must return quickly.
	Subscribe(pad string, fn func(msg []byte)) (unsubscribe func())
}

// Messages on the bus are a kind byte, the sender's origin (its length in
// one byte first) and the payload.
const (
	busAwareness byte = 'a' // payload: an awareness update
	busQuery     byte = 'q' // no payload: send me your members' states
	busFinish    byte = 'f' // no payload: the pad was finished; refuse writes
	busAlive     byte = 'h' // no payload: this instance still serves the states it announced
)

var errBusMessage = errors.New("server: malformed bus message")

func encodeBus(kind byte, origin string, payload []byte) []byte {
	b := make([]byte, 0, 2+len(origin)+len(payload))
	b = append(b, kind, byte(len(origin)))
	b = append(b, origin...)
	return append(b, payload...)
}

func decodeBus(b []byte) (kind byte, origin, payload []byte, err error) {
	if len(b) < 2 || len(b) < 2+int(b[1]) {
		return 0, nil, nil, errBusMessage
	}
	n := 2 + int(b[1])
	return b[0], b[2:n], b[n:], nil
}

// fromSelf reports whether a bus message came from this instance.
func (s *Server) fromSelf(origin []byte) bool { return bytes.Equal(origin, []byte(s.origin)) }
