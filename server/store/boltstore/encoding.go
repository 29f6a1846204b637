package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

var (
	bucketPads     = []byte("pads")
	bucketMeta     = []byte("meta")
	bucketReadOnly = []byte("readonly")
	keyLog         = []byte("log")
	keySnapshot    = []byte("snapshot")
)

// errCorrupt marks bytes in the file that this package did not write.
var errCorrupt = errors.New("boltstore: corrupt data")

func seqKey(lo uint64) []byte { return binary.BigEndian.AppendUint64(nil, lo) }

func keySeq(k []byte) (store.Seq, error) {
	if len(k) != 8 {
		return store.Seq{}, fmt.Errorf("%w: record key of %d bytes", errCorrupt, len(k))
	}
	return store.Seq{Lo: binary.BigEndian.Uint64(k)}, nil
}

// recordValue encodes a record as uvarint(len(origin)) origin update. It
// copies both, which is what lets callers reuse their slices.
func recordValue(origin string, update []byte) []byte {
	v := make([]byte, 0, binary.MaxVarintLen64+len(origin)+len(update))
	v = binary.AppendUvarint(v, uint64(len(origin)))
	v = append(v, origin...)
	return append(v, update...)
}

// decodeRecord copies a record out of v, which belongs to a transaction.
func decodeRecord(k, v []byte) (store.Record, error) {
	seq, err := keySeq(k)
	if err != nil {
		return store.Record{}, err
	}
	n, w := binary.Uvarint(v)
	if w <= 0 || n > uint64(len(v)-w) {
		return store.Record{}, fmt.Errorf("%w: record %v", errCorrupt, seq)
	}
	rest := v[w:]
	return store.Record{
		Seq:    seq,
		Origin: string(rest[:n]),
		Update: append([]byte{}, rest[n:]...),
	}, nil
}

func snapshotValue(through store.Seq, state []byte) []byte {
	v := make([]byte, 0, 8+len(state))
	v = binary.BigEndian.AppendUint64(v, through.Lo)
	return append(v, state...)
}

// decodeSnapshot returns the covered Seq and a copy of the state, non-nil
// even when empty: an empty state is still a state.
func decodeSnapshot(v []byte) (store.Seq, []byte, error) {
	if len(v) < 8 {
		return store.Seq{}, nil, fmt.Errorf("%w: snapshot of %d bytes", errCorrupt, len(v))
	}
	return store.Seq{Lo: binary.BigEndian.Uint64(v)}, append([]byte{}, v[8:]...), nil
}

// padRecord is the stored form of store.Pad. JSON keeps it readable with
// the bbolt CLI and lets fields be added without a migration.
type padRecord struct {
	ID         string            `json:"id"`
	ReadOnlyID string            `json:"ro"`
	Title      string            `json:"title,omitempty"`
	Status     store.Status      `json:"status"`
	CreatedAt  time.Time         `json:"created"`
	UpdatedAt  time.Time         `json:"updated"`
	Settings   map[string]string `json:"settings,omitempty"`
}

func padValue(p store.Pad) ([]byte, error) {
	v, err := json.Marshal(padRecord(p))
	if err != nil {
		return nil, fmt.Errorf("boltstore: encode pad %q: %w", p.ID, err)
	}
	return v, nil
}

// decodePad parses v, which belongs to a transaction; json.Unmarshal
// copies everything it keeps.
func decodePad(v []byte) (store.Pad, error) {
	var r padRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return store.Pad{}, fmt.Errorf("%w: pad record: %v", errCorrupt, err)
	}
	return store.Pad(r), nil
}
