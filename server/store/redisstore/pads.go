package redisstore

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

var (
	//go:embed pad_create.lua
	padCreateSrc    string
	padCreateScript = redis.NewScript(padCreateSrc)

	//go:embed pad_update.lua
	padUpdateSrc    string
	padUpdateScript = redis.NewScript(padUpdateSrc)

	//go:embed pad_delete.lua
	padDeleteSrc    string
	padDeleteScript = redis.NewScript(padDeleteSrc)
)

// CreatePad implements store.Pads.
func (s *Store) CreatePad(ctx context.Context, p store.Pad) (store.Pad, error) {
	if err := p.Check(); err != nil {
		return store.Pad{}, s.wrapErr("create pad", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Pad{}, err
	}
	p = p.New(s.now())
	v, err := encodePad(p)
	if err != nil {
		return store.Pad{}, err
	}
	op := fmt.Sprintf("create pad %q", p.ID)
	keys := []string{
		s.metaKey(p.ID), s.readOnlyKey(p.ReadOnlyID),
		s.metaKey(p.ReadOnlyID), s.readOnlyKey(p.ID),
		s.listKey(),
	}
	created, err := padCreateScript.Run(ctx, s.rdb, keys, v, p.ID).Int()
	if err != nil {
		return store.Pad{}, s.wrapErr(op, err)
	}
	if created == 0 {
		return store.Pad{}, s.wrapErr(op, fmt.Errorf("%w: id %q or read-only id %q", store.ErrExists, p.ID, p.ReadOnlyID))
	}
	return p, nil
}

// GetPad implements store.Pads.
func (s *Store) GetPad(ctx context.Context, id string) (store.Pad, error) {
	if err := store.CheckID(id); err != nil {
		return store.Pad{}, s.wrapErr("get pad", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Pad{}, err
	}
	p, _, err := s.readPad(ctx, id)
	if err != nil {
		return store.Pad{}, s.wrapErr(fmt.Sprintf("get pad %q", id), err)
	}
	return p, nil
}

// GetPadByReadOnlyID implements store.Pads. It resolves the index and
// reads the pad in two steps, and then checks that the pad still has
// roID: if it was rotated in between, the old ID no longer resolves.
func (s *Store) GetPadByReadOnlyID(ctx context.Context, roID string) (store.Pad, error) {
	if err := store.CheckID(roID); err != nil {
		return store.Pad{}, s.wrapErr("get pad by read-only id", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Pad{}, err
	}
	op := fmt.Sprintf("get pad by read-only id %q", roID)
	id, err := s.rdb.Get(ctx, s.readOnlyKey(roID)).Result()
	if errors.Is(err, redis.Nil) {
		return store.Pad{}, s.wrapErr(op, store.ErrNotFound)
	}
	if err != nil {
		return store.Pad{}, s.wrapErr(op, err)
	}
	p, _, err := s.readPad(ctx, id)
	if err == nil && p.ReadOnlyID != roID {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Pad{}, s.wrapErr(op, err)
	}
	return p, nil
}

// readPad returns the pad and its record as stored, the version that the
// update and delete scripts compare against.
func (s *Store) readPad(ctx context.Context, id string) (store.Pad, string, error) {
	raw, err := s.rdb.Get(ctx, s.metaKey(id)).Result()
	if errors.Is(err, redis.Nil) {
		return store.Pad{}, "", store.ErrNotFound
	}
	if err != nil {
		return store.Pad{}, "", err
	}
	p, err := decodePad(raw)
	if err != nil {
		return store.Pad{}, "", err
	}
	if p.ID != id {
		return store.Pad{}, "", fmt.Errorf("%w: record of pad %q names pad %q", errCorrupt, id, p.ID)
	}
	return p, raw, nil
}

// UpdatePad implements store.Pads with optimistic concurrency: read, run
// fn, and store only if the record is unchanged, else start over. fn runs
// outside any lock, once per attempt.
func (s *Store) UpdatePad(ctx context.Context, id string, fn func(*store.Pad) error) (store.Pad, error) {
	if err := store.CheckID(id); err != nil {
		return store.Pad{}, s.wrapErr("update pad", err)
	}
	op := fmt.Sprintf("update pad %q", id)
	for {
		if err := s.begin(ctx); err != nil {
			return store.Pad{}, err
		}
		cur, raw, err := s.readPad(ctx, id)
		if err != nil {
			return store.Pad{}, s.wrapErr(op, err)
		}
		next := cur.Clone()
		if err := fn(&next); err != nil {
			return store.Pad{}, err
		}
		if next.ID != cur.ID {
			return store.Pad{}, s.wrapErr(op, fmt.Errorf("%w: pad id cannot change (to %q)", store.ErrInvalid, next.ID))
		}
		if err := next.Check(); err != nil {
			return store.Pad{}, s.wrapErr(op, err)
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
		v, err := encodePad(next)
		if err != nil {
			return store.Pad{}, err
		}
		keys := []string{
			s.metaKey(id), s.readOnlyKey(cur.ReadOnlyID),
			s.readOnlyKey(next.ReadOnlyID), s.metaKey(next.ReadOnlyID),
		}
		res, err := padUpdateScript.Run(ctx, s.rdb, keys, raw, v, id).Int()
		if err != nil {
			return store.Pad{}, s.wrapErr(op, err)
		}
		switch res {
		case 1:
			return next.Clone(), nil
		case -1:
			return store.Pad{}, s.wrapErr(op, fmt.Errorf("%w: read-only id %q", store.ErrExists, next.ReadOnlyID))
		}
		// 0: changed since we read it; read again.
	}
}

// DeletePad implements store.Pads.
func (s *Store) DeletePad(ctx context.Context, id string) error {
	if err := store.CheckID(id); err != nil {
		return s.wrapErr("delete pad", err)
	}
	op := fmt.Sprintf("delete pad %q", id)
	for {
		if err := s.begin(ctx); err != nil {
			return err
		}
		p, raw, err := s.readPad(ctx, id)
		if err != nil {
			return s.wrapErr(op, err)
		}
		keys := []string{s.metaKey(id), s.readOnlyKey(p.ReadOnlyID), s.listKey()}
		res, err := padDeleteScript.Run(ctx, s.rdb, keys, raw, id).Int()
		if err != nil {
			return s.wrapErr(op, err)
		}
		if res == 1 {
			return nil
		}
	}
}

// ListPads implements store.Pads. The ID index and the records are read
// separately, so a pad deleted in between is left out; the page is then
// topped up from further along the index, so a short page still means the
// end of the listing.
func (s *Store) ListPads(ctx context.Context, opts store.ListOptions) ([]store.Pad, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	var out []store.Pad
	after := opts.After
	for {
		want := int64(0) // all
		if opts.Limit > 0 {
			want = int64(opts.Limit - len(out))
		}
		from := "-"
		if after != "" {
			from = "(" + after
		}
		ids, err := s.rdb.ZRangeByLex(ctx, s.listKey(), &redis.ZRangeBy{Min: from, Max: "+", Count: want}).Result()
		if err != nil {
			return nil, s.wrapErr("list pads", err)
		}
		if len(ids) == 0 {
			return out, nil
		}
		cmds := make([]*redis.StringCmd, len(ids))
		_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, id := range ids {
				cmds[i] = p.Get(ctx, s.metaKey(id))
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, s.wrapErr("list pads", err)
		}
		for _, c := range cmds {
			raw, err := c.Result()
			if errors.Is(err, redis.Nil) {
				continue // deleted since the index was read
			}
			if err != nil {
				return nil, s.wrapErr("list pads", err)
			}
			p, err := decodePad(raw)
			if err != nil {
				return nil, s.wrapErr("list pads", err)
			}
			out = append(out, p)
		}
		if opts.Limit <= 0 || len(out) >= opts.Limit {
			return out, nil
		}
		after = ids[len(ids)-1]
	}
}
