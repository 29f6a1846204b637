package boltstore

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/commonpad/commonpad/server/store"
)

// taken reports whether id is used as an ID or a read-only ID, which share
// one namespace.
func taken(tx *bolt.Tx, id string) bool {
	k := []byte(id)
	return tx.Bucket(bucketMeta).Get(k) != nil || tx.Bucket(bucketReadOnly).Get(k) != nil
}

// CreatePad implements store.Pads.
func (s *Store) CreatePad(ctx context.Context, p store.Pad) (store.Pad, error) {
	if err := p.Check(); err != nil {
		return store.Pad{}, wrapErr("create pad", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Pad{}, err
	}
	p = p.New(s.now())
	v, err := padValue(p)
	if err != nil {
		return store.Pad{}, err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, id := range []string{p.ID, p.ReadOnlyID} {
			if taken(tx, id) {
				return fmt.Errorf("%w: %q", store.ErrExists, id)
			}
		}
		if err := tx.Bucket(bucketMeta).Put([]byte(p.ID), v); err != nil {
			return err
		}
		return tx.Bucket(bucketReadOnly).Put([]byte(p.ReadOnlyID), []byte(p.ID))
	})
	if err != nil {
		return store.Pad{}, wrapErr("create pad", err)
	}
	return p, nil
}

// GetPad implements store.Pads.
func (s *Store) GetPad(ctx context.Context, id string) (store.Pad, error) {
	return s.get(ctx, id, false)
}

// GetPadByReadOnlyID implements store.Pads.
func (s *Store) GetPadByReadOnlyID(ctx context.Context, roID string) (store.Pad, error) {
	return s.get(ctx, roID, true)
}

func (s *Store) get(ctx context.Context, id string, readOnly bool) (store.Pad, error) {
	if err := store.CheckID(id); err != nil {
		return store.Pad{}, wrapErr("get pad", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Pad{}, err
	}
	var p store.Pad
	err := s.db.View(func(tx *bolt.Tx) error {
		k := []byte(id)
		if readOnly {
			if k = tx.Bucket(bucketReadOnly).Get(k); k == nil {
				return store.ErrNotFound
			}
		}
		v := tx.Bucket(bucketMeta).Get(k)
		if v == nil {
			return store.ErrNotFound
		}
		var err error
		p, err = decodePad(v)
		return err
	})
	if err != nil {
		return store.Pad{}, wrapErr(fmt.Sprintf("get pad %q", id), err)
	}
	return p, nil
}

// UpdatePad implements store.Pads. fn runs inside bbolt's write transaction,
// once per call, holding the writer lock: it must be quick.
func (s *Store) UpdatePad(ctx context.Context, id string, fn func(*store.Pad) error) (store.Pad, error) {
	if err := store.CheckID(id); err != nil {
		return store.Pad{}, wrapErr("update pad", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Pad{}, err
	}
	var next store.Pad
	var fnErr error
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta, ro := tx.Bucket(bucketMeta), tx.Bucket(bucketReadOnly)
		v := meta.Get([]byte(id))
		if v == nil {
			return store.ErrNotFound
		}
		cur, err := decodePad(v)
		if err != nil {
			return err
		}
		next = cur.Clone()
		if fnErr = fn(&next); fnErr != nil {
			return fnErr
		}
		if next.ID != cur.ID {
			return fmt.Errorf("%w: pad id cannot change (to %q)", store.ErrInvalid, next.ID)
		}
		if err := next.Check(); err != nil {
			return err
		}
		if next.Status == "" {
			next.Status = store.StatusOpen
		}
		next.CreatedAt = cur.CreatedAt
		// Never let UpdatedAt run backwards, whatever the clock does.
		next.UpdatedAt = s.now().Round(0).UTC()
		if next.UpdatedAt.Before(cur.UpdatedAt) {
			next.UpdatedAt = cur.UpdatedAt
		}
		if next.ReadOnlyID != cur.ReadOnlyID {
			if taken(tx, next.ReadOnlyID) {
				return fmt.Errorf("%w: %q", store.ErrExists, next.ReadOnlyID)
			}
			if err := ro.Delete([]byte(cur.ReadOnlyID)); err != nil {
				return err
			}
			if err := ro.Put([]byte(next.ReadOnlyID), []byte(id)); err != nil {
				return err
			}
		}
		nv, err := padValue(next)
		if err != nil {
			return err
		}
		return meta.Put([]byte(id), nv)
	})
	if fnErr != nil {
		return store.Pad{}, fnErr
	}
	if err != nil {
		return store.Pad{}, wrapErr(fmt.Sprintf("update pad %q", id), err)
	}
	return next.Clone(), nil
}

// DeletePad implements store.Pads.
func (s *Store) DeletePad(ctx context.Context, id string) error {
	if err := store.CheckID(id); err != nil {
		return wrapErr("delete pad", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		v := meta.Get([]byte(id))
		if v == nil {
			return store.ErrNotFound
		}
		p, err := decodePad(v)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketReadOnly).Delete([]byte(p.ReadOnlyID)); err != nil {
			return err
		}
		return meta.Delete([]byte(id))
	})
	return wrapErr(fmt.Sprintf("delete pad %q", id), err)
}

// ListPads implements store.Pads.
func (s *Store) ListPads(ctx context.Context, opts store.ListOptions) ([]store.Pad, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	var out []store.Pad
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketMeta).Cursor()
		k, v := c.First()
		if opts.After != "" {
			k, v = c.Seek([]byte(opts.After))
			if k != nil && string(k) == opts.After {
				k, v = c.Next()
			}
		}
		for ; k != nil && (opts.Limit <= 0 || len(out) < opts.Limit); k, v = c.Next() {
			p, err := decodePad(v)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, wrapErr("list pads", err)
	}
	return out, nil
}
