package redisstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

// padRecord is the stored form of store.Pad. JSON keeps it readable in
// redis-cli, lets fields be added without a migration, and is
// deterministic (map keys sorted), which the update and delete scripts
// rely on when they compare a record with the one the caller read.
type padRecord struct {
	ID         string            `json:"id"`
	ReadOnlyID string            `json:"ro"`
	Title      string            `json:"title,omitempty"`
	Status     store.Status      `json:"status"`
	CreatedAt  time.Time         `json:"created"`
	UpdatedAt  time.Time         `json:"updated"`
	Settings   map[string]string `json:"settings,omitempty"`
}

func encodePad(p store.Pad) (string, error) {
	v, err := json.Marshal(padRecord(p))
	if err != nil {
		return "", fmt.Errorf("redisstore: encode pad %q: %w", p.ID, err)
	}
	return string(v), nil
}

func decodePad(v string) (store.Pad, error) {
	var r padRecord
	if err := json.Unmarshal([]byte(v), &r); err != nil {
		return store.Pad{}, fmt.Errorf("%w: pad record: %v", errCorrupt, err)
	}
	return store.Pad(r), nil
}
