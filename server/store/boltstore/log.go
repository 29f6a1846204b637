package boltstore

import (
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/commonpad/commonpad/server/store"
)

// Load implements store.Log.
func (s *Store) Load(ctx context.Context, pad string) (store.Snapshot, error) {
	if err := store.CheckID(pad); err != nil {
		return store.Snapshot{}, wrapErr("load", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Snapshot{}, err
	}
	var snap store.Snapshot
	err := s.db.View(func(tx *bolt.Tx) error {
		pb := tx.Bucket(bucketPads).Bucket([]byte(pad))
		if pb == nil {
			return nil
		}
		if v := pb.Get(keySnapshot); v != nil {
			through, state, err := decodeSnapshot(v)
			if err != nil {
				return err
			}
			snap.State, snap.Through = state, through
		}
		log := pb.Bucket(keyLog)
		if log == nil {
			return nil
		}
		return log.ForEach(func(k, v []byte) error {
			r, err := decodeRecord(k, v)
			if err != nil {
				return err
			}
			snap.Records = append(snap.Records, r)
			snap.Through = r.Seq
			return nil
		})
	})
	if err != nil {
		return store.Snapshot{}, wrapErr(fmt.Sprintf("load %q", pad), err)
	}
	return snap, nil
}

// Compact implements store.Log: the new snapshot and the deletion of the
// records it covers are one transaction.
func (s *Store) Compact(ctx context.Context, pad string, state []byte, through store.Seq) error {
	if err := store.CheckID(pad); err != nil {
		return wrapErr("compact", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	compacted := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		pb := tx.Bucket(bucketPads).Bucket([]byte(pad))
		var current store.Seq
		if pb != nil {
			if v := pb.Get(keySnapshot); v != nil {
				seq, _, err := decodeSnapshot(v)
				if err != nil {
					return err
				}
				current = seq
			}
		}
		if !current.Less(through) {
			return nil // stale: someone already compacted this far
		}
		var log *bolt.Bucket
		if pb != nil {
			log = pb.Bucket(keyLog)
		}
		last := current
		if log != nil {
			if k, _ := log.Cursor().Last(); k != nil {
				seq, err := keySeq(k)
				if err != nil {
					return err
				}
				last = seq
			}
		}
		if last.Less(through) {
			return fmt.Errorf("%w: compaction through %v is past the last record %v", store.ErrInvalid, through, last)
		}

		// Collect first: deleting under a moving cursor skips keys.
		var covered [][]byte
		c := log.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			seq, err := keySeq(k)
			if err != nil {
				return err
			}
			if through.Less(seq) {
				break
			}
			covered = append(covered, append([]byte{}, k...))
		}
		for _, k := range covered {
			if err := log.Delete(k); err != nil {
				return err
			}
		}
		compacted = true
		return pb.Put(keySnapshot, snapshotValue(through, state))
	})
	if err != nil {
		return wrapErr(fmt.Sprintf("compact %q", pad), err)
	}
	if compacted {
		// Followers whose cursor is now below the snapshot learn it at once.
		s.notify(pad)
	}
	return nil
}

// Delete implements store.Log.
func (s *Store) Delete(ctx context.Context, pad string) error {
	if err := store.CheckID(pad); err != nil {
		return wrapErr("delete", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketPads).DeleteBucket([]byte(pad))
		if errors.Is(err, berrors.ErrBucketNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return wrapErr(fmt.Sprintf("delete %q", pad), err)
	}
	s.notify(pad)
	return nil
}

// readAfter copies up to max records after cursor out of one read
// transaction. It fails with store.ErrCompacted if the pad's snapshot
// covers records after cursor.
func (s *Store) readAfter(pad []byte, cursor store.Seq, max int) ([]store.Record, error) {
	var recs []store.Record
	err := s.db.View(func(tx *bolt.Tx) error {
		pb := tx.Bucket(bucketPads).Bucket(pad)
		if pb == nil {
			return nil
		}
		if v := pb.Get(keySnapshot); v != nil {
			through, _, err := decodeSnapshot(v)
			if err != nil {
				return err
			}
			if cursor.Less(through) {
				return store.ErrCompacted
			}
		}
		log := pb.Bucket(keyLog)
		if log == nil || cursor.Hi > 0 || cursor.Lo == ^uint64(0) {
			return nil // nothing here can sort after cursor
		}
		c := log.Cursor()
		size := 0
		for k, v := c.Seek(seqKey(cursor.Lo + 1)); k != nil && len(recs) < max; k, v = c.Next() {
			r, err := decodeRecord(k, v)
			if err != nil {
				return err
			}
			recs = append(recs, r)
			if size += len(r.Update); size >= followMaxBytes {
				break
			}
		}
		return nil
	})
	return recs, err
}
