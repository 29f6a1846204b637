package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

// Each note keeps its keys under the hash tag {note:<slug>}, so the
// transactions that touch its metadata and versions stay in one Cluster
// slot. The pad index and the public list are single keys of their own;
// they are written after the note, one slot at a time, so a crash between
// the steps can leave a note that no pad or list points to, never an
// index entry without its note.

type noteKeys struct {
	meta     string // the Note, JSON
	versions string // list of NoteVersion JSON; version n at index n-1
}

func (s *Store) noteKeys(slug string) noteKeys {
	base := s.prefix + "{note:" + escapeTag(slug) + "}:"
	return noteKeys{meta: base + "meta", versions: base + "versions"}
}

// notePadsKey is a hash from pad ID to the slug of its note.
func (s *Store) notePadsKey() string { return s.prefix + "notepads" }

// notePublicKey is a sorted set of public notes, all scored 0, whose
// members sort newest first by ZRANGEBYLEX: see publicMember.
func (s *Store) notePublicKey() string { return s.prefix + "notepublic" }

func publicMember(n store.Note) string {
	return fmt.Sprintf("%016x:%s", uint64(math.MaxUint64-uint64(n.PublishedAt.UnixNano())), n.Slug)
}

// maxSlugTries bounds the suffixes CreateNote tries.
const maxSlugTries = 1000

// noteCreateScript stores a note's first version unless its slug is taken.
var noteCreateScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1`)

var _ store.Notes = (*Store)(nil)

// CreateNote implements store.Notes.
func (s *Store) CreateNote(ctx context.Context, slug, padID string, vis store.Visibility, v store.NoteVersion) (store.Note, error) {
	if err := store.CheckNewNote(slug, padID, vis, v); err != nil {
		return store.Note{}, s.wrapErr("create note", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Note{}, err
	}
	note, err := s.createNote(ctx, slug, padID, vis, v)
	return note, s.wrapErr("create note", err)
}

func (s *Store) createNote(ctx context.Context, slug, padID string, vis store.Visibility, v store.NoteVersion) (store.Note, error) {
	exists := func() error { return fmt.Errorf("%w: pad %q already has a note", store.ErrExists, padID) }
	switch err := s.rdb.HGet(ctx, s.notePadsKey(), padID).Err(); {
	case err == nil:
		return store.Note{}, exists()
	case !errors.Is(err, redis.Nil):
		return store.Note{}, err
	}
	for i := 1; i <= maxSlugTries; i++ {
		note, first := store.NewNote(store.SlugCandidate(slug, i), padID, vis, v, s.now())
		meta, err := json.Marshal(note)
		if err != nil {
			return store.Note{}, err
		}
		ver, err := json.Marshal(first)
		if err != nil {
			return store.Note{}, err
		}
		k := s.noteKeys(note.Slug)
		created, err := noteCreateScript.Run(ctx, s.rdb, []string{k.meta, k.versions}, meta, ver).Int()
		if err != nil {
			return store.Note{}, err
		}
		if created == 0 {
			continue
		}
		claimed, err := s.rdb.HSetNX(ctx, s.notePadsKey(), padID, note.Slug).Result()
		if err == nil && !claimed {
			// Another publication of the same pad won the race.
			err = exists()
		}
		if err != nil {
			s.rdb.Del(context.WithoutCancel(ctx), k.meta, k.versions)
			return store.Note{}, err
		}
		if vis == store.VisibilityPublic {
			if err := s.rdb.ZAdd(ctx, s.notePublicKey(), redis.Z{Member: publicMember(note)}).Err(); err != nil {
				return store.Note{}, err
			}
		}
		return note, nil
	}
	return store.Note{}, fmt.Errorf("%w: every slug like %q", store.ErrExists, slug)
}

func (s *Store) readNote(ctx context.Context, c redis.Cmdable, slug string) (store.Note, error) {
	data, err := c.Get(ctx, s.noteKeys(slug).meta).Bytes()
	if errors.Is(err, redis.Nil) {
		return store.Note{}, store.ErrNotFound
	}
	if err != nil {
		return store.Note{}, err
	}
	var n store.Note
	if err := json.Unmarshal(data, &n); err != nil {
		return store.Note{}, fmt.Errorf("%w: note %q: %v", errCorrupt, slug, err)
	}
	return n, nil
}

// AddVersion implements store.Notes. The note and its versions change in
// one optimistic transaction, retried when another version lands first.
func (s *Store) AddVersion(ctx context.Context, slug string, vis store.Visibility, v store.NoteVersion) (store.Note, error) {
	if err := store.CheckSlug(slug); err != nil {
		return store.Note{}, s.wrapErr("add version", err)
	}
	if vis != "" && !vis.Valid() {
		return store.Note{}, s.wrapErr("add version", fmt.Errorf("%w: visibility %q", store.ErrInvalid, vis))
	}
	if err := v.Check(); err != nil {
		return store.Note{}, s.wrapErr("add version", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Note{}, err
	}
	op := fmt.Sprintf("add version to %q", slug)
	k := s.noteKeys(slug)
	var note store.Note
	for {
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			cur, err := s.readNote(ctx, tx, slug)
			if err != nil {
				return err
			}
			var next store.NoteVersion
			note, next = cur.Next(vis, v, s.now())
			meta, err := json.Marshal(note)
			if err != nil {
				return err
			}
			ver, err := json.Marshal(next)
			if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, k.meta, meta, 0)
				p.RPush(ctx, k.versions, ver)
				return nil
			})
			return err
		}, k.meta)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return store.Note{}, s.wrapErr(op, err)
		}
		break
	}
	var err error
	if note.Visibility == store.VisibilityPublic {
		err = s.rdb.ZAdd(ctx, s.notePublicKey(), redis.Z{Member: publicMember(note)}).Err()
	} else {
		err = s.rdb.ZRem(ctx, s.notePublicKey(), publicMember(note)).Err()
	}
	if err != nil {
		return store.Note{}, s.wrapErr(op, err)
	}
	return note, nil
}

// GetNote implements store.Notes.
func (s *Store) GetNote(ctx context.Context, slug string) (store.Note, error) {
	if err := store.CheckSlug(slug); err != nil {
		return store.Note{}, s.wrapErr("get note", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Note{}, err
	}
	n, err := s.readNote(ctx, s.rdb, slug)
	return n, s.wrapErr(fmt.Sprintf("get note %q", slug), err)
}

// GetNoteByPad implements store.Notes.
func (s *Store) GetNoteByPad(ctx context.Context, padID string) (store.Note, error) {
	if err := store.CheckID(padID); err != nil {
		return store.Note{}, s.wrapErr("get note by pad", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Note{}, err
	}
	op := fmt.Sprintf("get note of pad %q", padID)
	slug, err := s.rdb.HGet(ctx, s.notePadsKey(), padID).Result()
	if errors.Is(err, redis.Nil) {
		return store.Note{}, s.wrapErr(op, store.ErrNotFound)
	}
	if err != nil {
		return store.Note{}, s.wrapErr(op, err)
	}
	n, err := s.readNote(ctx, s.rdb, slug)
	return n, s.wrapErr(op, err)
}

// GetVersion implements store.Notes.
func (s *Store) GetVersion(ctx context.Context, slug string, n int) (store.NoteVersion, error) {
	if err := store.CheckSlug(slug); err != nil {
		return store.NoteVersion{}, s.wrapErr("get version", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.NoteVersion{}, err
	}
	op := fmt.Sprintf("get version %d of %q", n, slug)
	if n < 1 {
		return store.NoteVersion{}, s.wrapErr(op, store.ErrNotFound)
	}
	data, err := s.rdb.LIndex(ctx, s.noteKeys(slug).versions, int64(n-1)).Bytes()
	if errors.Is(err, redis.Nil) {
		return store.NoteVersion{}, s.wrapErr(op, store.ErrNotFound)
	}
	if err != nil {
		return store.NoteVersion{}, s.wrapErr(op, err)
	}
	var v store.NoteVersion
	if err := json.Unmarshal(data, &v); err != nil {
		return store.NoteVersion{}, s.wrapErr(op, fmt.Errorf("%w: %v", errCorrupt, err))
	}
	return v, nil
}

// ListPublic implements store.Notes.
func (s *Store) ListPublic(ctx context.Context, limit int, after string) ([]store.Note, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	min := "-"
	if after != "" {
		if err := store.CheckSlug(after); err != nil {
			return nil, s.wrapErr("list public notes", err)
		}
		prev, err := s.readNote(ctx, s.rdb, after)
		if err != nil {
			return nil, s.wrapErr("list public notes", err)
		}
		min = "(" + publicMember(prev)
	}
	by := &redis.ZRangeBy{Min: min, Max: "+"}
	if limit > 0 {
		by.Count = int64(limit)
	}
	members, err := s.rdb.ZRangeByLex(ctx, s.notePublicKey(), by).Result()
	if err != nil {
		return nil, s.wrapErr("list public notes", err)
	}
	out := make([]store.Note, 0, len(members))
	for _, m := range members {
		if len(m) < 17 {
			return nil, s.wrapErr("list public notes", fmt.Errorf("%w: public list member %q", errCorrupt, m))
		}
		n, err := s.readNote(ctx, s.rdb, m[17:])
		if err != nil {
			return nil, s.wrapErr("list public notes", err)
		}
		out = append(out, n)
	}
	return out, nil
}
