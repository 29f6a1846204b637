package protocol

import (
	"fmt"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// AwarenessEntry is one client's entry in an awareness update.
type AwarenessEntry struct {
	ClientID uint64
	Clock    uint64
	// State is JSON text; the JSON value null (usually the text "null")
	// announces that the client is gone.
	State string
}

// minEntryBytes is the smallest encoded entry: client, clock, a string
// length and one byte of JSON.
const minEntryBytes = 4

// DecodeAwarenessUpdate decodes the payload of an awareness message. Every
// State must be valid JSON, as JSON.parse would require (the word
// "undefined" is not). Bytes after the last entry are ignored, as in
// y-protocols.
func DecodeAwarenessUpdate(b []byte) ([]AwarenessEntry, error) {
	entries, _, err := decodeAwarenessUpdate(b)
	return entries, err
}

// decodeAwarenessUpdate also returns the parsed states, which the Awareness
// state machine needs.
func decodeAwarenessUpdate(b []byte) ([]AwarenessEntry, []any, error) {
	d := lib0.NewDecoder(b)
	n, err := d.ReadVarUint()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrInvalidAwareness, err)
	}
	if n > uint64(d.Remaining()/minEntryBytes) {
		return nil, nil, fmt.Errorf("%w: %w", ErrInvalidAwareness, lib0.ErrUnexpectedEOF)
	}
	entries := make([]AwarenessEntry, n)
	values := make([]any, n)
	for i := range entries {
		e := &entries[i]
		if e.ClientID, err = d.ReadVarUint(); err != nil {
			return nil, nil, fmt.Errorf("%w: entry %d: %w", ErrInvalidAwareness, i, err)
		}
		if e.Clock, err = d.ReadVarUint(); err != nil {
			return nil, nil, fmt.Errorf("%w: entry %d: %w", ErrInvalidAwareness, i, err)
		}
		if e.State, err = d.ReadVarString(); err != nil {
			return nil, nil, fmt.Errorf("%w: entry %d: %w", ErrInvalidAwareness, i, err)
		}
		if values[i], err = parseState(e.State); err != nil {
			return nil, nil, fmt.Errorf("%w: entry %d: %w", ErrInvalidAwareness, i, err)
		}
	}
	return entries, values, nil
}

func parseState(s string) (any, error) {
	if s == "undefined" { // lib0.ParseJSON accepts it for Yjs' ContentJSON; JSON.parse does not
		return nil, lib0.ErrInvalidJSON
	}
	return lib0.ParseJSON(s)
}

// EncodeAwarenessUpdate encodes entries as the payload of an awareness
// message. States are written verbatim; the caller makes sure they are
// valid JSON.
func EncodeAwarenessUpdate(entries []AwarenessEntry) []byte {
	size := 1
	for _, e := range entries {
		size += 12 + len(e.State)
	}
	enc := lib0.NewEncoder(size)
	enc.WriteVarUint(uint64(len(entries)))
	for _, e := range entries {
		enc.WriteVarUint(e.ClientID)
		enc.WriteVarUint(e.Clock)
		enc.WriteVarString(e.State)
	}
	return enc.Bytes()
}
