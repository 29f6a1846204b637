package protocol

import (
	"errors"
	"fmt"
	"strings"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// Top-level message types (y-protocols, y-websocket; yrs sync/protocol.rs).
const (
	MessageSync           = 0
	MessageAwareness      = 1
	MessageAuth           = 2
	MessageQueryAwareness = 3
)

// Sync message types (y-protocols sync.js).
const (
	SyncStep1  = 0 // payload: a state vector
	SyncStep2  = 1 // payload: an update, the answer to a step 1
	SyncUpdate = 2 // payload: an update
)

// AuthPermissionDenied is the only auth message type (y-protocols auth.js).
const AuthPermissionDenied = 0

var (
	// ErrMalformed wraps the lib0 error that made a message undecodable.
	ErrMalformed = errors.New("protocol: malformed message")
	// ErrUnknownSyncType is returned for a sync message whose sync type is
	// not step 1, step 2 or update; JavaScript throws "Unknown message type".
	ErrUnknownSyncType = errors.New("protocol: unknown sync message type")
	// ErrInvalidAwareness wraps what is wrong with an awareness update.
	ErrInvalidAwareness = errors.New("protocol: invalid awareness update")
)

func malformed(err error) error { return fmt.Errorf("%w: %w", ErrMalformed, err) }

// Message is one decoded protocol message.
type Message struct {
	// Type is the top-level message type; types other than the four known
	// ones are returned as they are, so that the caller can ignore them as
	// the reference server does.
	Type uint64
	// SyncType is the sync message type when Type is MessageSync.
	SyncType uint64
	// AuthType is the auth message type when Type is MessageAuth.
	AuthType uint64
	// Payload aliases the input: the state vector or update of a sync
	// message, the awareness update of an awareness message, and the bytes
	// after the type of an unknown message.
	Payload []byte
	// Reason is the reason of a permission-denied auth message.
	Reason string
}

// ReadMessage decodes the message at the start of b. Bytes after the message
// are ignored, as the JavaScript reader ignores them; never put two messages
// in one frame. An auth message of an unknown auth type carries no reason
// and is not an error (JavaScript ignores it too).
func ReadMessage(b []byte) (Message, error) {
	d := lib0.NewDecoder(b)
	t, err := d.ReadVarUint()
	if err != nil {
		return Message{}, malformed(err)
	}
	m := Message{Type: t}
	switch t {
	case MessageSync:
		if m.SyncType, err = d.ReadVarUint(); err != nil {
			return m, malformed(err)
		}
		if m.SyncType > SyncUpdate {
			return m, ErrUnknownSyncType
		}
		if m.Payload, err = d.ReadVarBytes(); err != nil {
			return m, malformed(err)
		}
	case MessageAwareness:
		if m.Payload, err = d.ReadVarBytes(); err != nil {
			return m, malformed(err)
		}
	case MessageAuth:
		if m.AuthType, err = d.ReadVarUint(); err != nil {
			return m, malformed(err)
		}
		if m.AuthType == AuthPermissionDenied {
			if m.Reason, err = d.ReadVarString(); err != nil {
				return m, malformed(err)
			}
		}
	case MessageQueryAwareness:
	default:
		m.Payload, _ = d.ReadRaw(d.Remaining())
	}
	return m, nil
}

func encodeWithPayload(typ, sub byte, hasSub bool, payload []byte) []byte {
	e := lib0.NewEncoder(len(payload) + 8)
	e.WriteUint8(typ)
	if hasSub {
		e.WriteUint8(sub)
	}
	e.WriteVarBytes(payload)
	return e.Bytes()
}

// EncodeSyncStep1 returns a sync step 1 message carrying the state vector sv.
func EncodeSyncStep1(sv []byte) []byte { return encodeWithPayload(MessageSync, SyncStep1, true, sv) }

// EncodeSyncStep2 returns a sync step 2 message carrying update.
func EncodeSyncStep2(update []byte) []byte {
	return encodeWithPayload(MessageSync, SyncStep2, true, update)
}

// EncodeSyncUpdate returns a sync update message carrying update.
func EncodeSyncUpdate(update []byte) []byte {
	return encodeWithPayload(MessageSync, SyncUpdate, true, update)
}

// EncodeAwareness returns an awareness message carrying an awareness update
// (see EncodeAwarenessUpdate).
func EncodeAwareness(awarenessUpdate []byte) []byte {
	return encodeWithPayload(MessageAwareness, 0, false, awarenessUpdate)
}

// EncodeQueryAwareness returns a query-awareness message, which asks the
// receiver to send all the awareness states it knows.
func EncodeQueryAwareness() []byte { return []byte{MessageQueryAwareness} }

// EncodePermissionDenied returns an auth message that denies permission for
// reason. Invalid UTF-8 in reason is replaced by U+FFFD, since JavaScript
// clients refuse invalid strings.
func EncodePermissionDenied(reason string) []byte {
	reason = strings.ToValidUTF8(reason, "\uFFFD")
	e := lib0.NewEncoder(len(reason) + 8)
	e.WriteUint8(MessageAuth)
	e.WriteUint8(AuthPermissionDenied)
	e.WriteVarString(reason)
	return e.Bytes()
}
