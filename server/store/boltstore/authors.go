package boltstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/commonpad/commonpad/server/store"
)

// bucketAuthors holds one nested bucket per pad ID: client id (8 bytes,
// big-endian) -> first recorded (Unix nanoseconds, 8 bytes) then the name.
// Created by the first write, so older files open unchanged.
var bucketAuthors = []byte("authors")

var _ store.Authors = (*Store)(nil)

// PutAuthors implements store.Authors.
func (s *Store) PutAuthors(ctx context.Context, padID string, names map[uint64]string) error {
	if err := store.CheckAuthors(padID, names); err != nil {
		return wrapErr("put authors", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	if len(names) == 0 {
		return nil
	}
	now := uint64(time.Now().UnixNano())
	err := s.db.Update(func(tx *bolt.Tx) error {
		all, err := tx.CreateBucketIfNotExists(bucketAuthors)
		if err != nil {
			return err
		}
		b, err := all.CreateBucketIfNotExists([]byte(padID))
		if err != nil {
			return err
		}
		for client, name := range names {
			k := binary.BigEndian.AppendUint64(nil, client)
			since := now
			if old := b.Get(k); len(old) >= 8 {
				since = binary.BigEndian.Uint64(old)
			}
			if err := b.Put(k, append(binary.BigEndian.AppendUint64(nil, since), name...)); err != nil {
				return err
			}
		}
		return nil
	})
	return wrapErr(fmt.Sprintf("put authors of %q", padID), err)
}

// PadAuthors implements store.Authors.
func (s *Store) PadAuthors(ctx context.Context, padID string) ([]store.Author, error) {
	if err := store.CheckID(padID); err != nil {
		return nil, wrapErr("pad authors", err)
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	var out []store.Author
	err := s.db.View(func(tx *bolt.Tx) error {
		all := tx.Bucket(bucketAuthors)
		if all == nil {
			return nil
		}
		b := all.Bucket([]byte(padID))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 8 || len(v) < 8 || !utf8.Valid(v[8:]) {
				return fmt.Errorf("%w: author record of pad %q", errCorrupt, padID)
			}
			out = append(out, store.Author{
				Client: binary.BigEndian.Uint64(k),
				Name:   string(v[8:]),
				Since:  time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC(),
			})
			return nil
		})
	})
	if err != nil {
		return nil, wrapErr(fmt.Sprintf("pad authors of %q", padID), err)
	}
	store.SortAuthors(out)
	return out, nil
}
