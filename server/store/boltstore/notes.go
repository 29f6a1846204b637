package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"

	"github.com/commonpad/commonpad/server/store"
)

// Notes live in buckets of their own, created by the first publication so
// that files written before notes existed open unchanged.
var (
	bucketNotes        = []byte("notes")         // slug -> note JSON
	bucketNoteVersions = []byte("note_versions") // slug 0x00 n (8 bytes) -> version JSON
	bucketNotePads     = []byte("note_pads")     // pad ID -> slug
	bucketNotePublic   = []byte("note_public")   // ^publishedAt (8 bytes) slug -> nothing
)

var _ store.Notes = (*Store)(nil)

// maxSlugTries bounds the suffixes CreateNote tries; beyond it a title is
// so common that refusing is better than scanning on.
const maxSlugTries = 1000

func versionKey(slug string, n int) []byte {
	k := append([]byte(slug), 0)
	return binary.BigEndian.AppendUint64(k, uint64(n))
}

// publicKey sorts newest first: the inverted time comes first, and the
// slug breaks ties and makes the key unique.
func publicKey(n store.Note) []byte {
	k := binary.BigEndian.AppendUint64(nil, math.MaxUint64-uint64(n.PublishedAt.UnixNano()))
	return append(k, n.Slug...)
}

func noteBuckets(tx *bolt.Tx) (notes, versions, pads, public *bolt.Bucket, err error) {
	bs := make([]*bolt.Bucket, 4)
	for i, name := range [][]byte{bucketNotes, bucketNoteVersions, bucketNotePads, bucketNotePublic} {
		if tx.Writable() {
			if bs[i], err = tx.CreateBucketIfNotExists(name); err != nil {
				return
			}
		} else {
			bs[i] = tx.Bucket(name)
		}
	}
	return bs[0], bs[1], bs[2], bs[3], nil
}

func putJSON(b *bolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, data)
}

func getNote(notes *bolt.Bucket, slug string) (store.Note, error) {
	if notes == nil {
		return store.Note{}, store.ErrNotFound
	}
	v := notes.Get([]byte(slug))
	if v == nil {
		return store.Note{}, store.ErrNotFound
	}
	var n store.Note
	if err := json.Unmarshal(v, &n); err != nil {
		return store.Note{}, fmt.Errorf("%w: note %q: %v", errCorrupt, slug, err)
	}
	return n, nil
}

// CreateNote implements store.Notes.
func (s *Store) CreateNote(ctx context.Context, slug, padID string, vis store.Visibility, v store.NoteVersion) (store.Note, error) {
	if err := store.CheckNewNote(slug, padID, vis, v); err != nil {
		return store.Note{}, wrapErr("create note", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Note{}, err
	}
	var note store.Note
	err := s.db.Update(func(tx *bolt.Tx) error {
		notes, versions, pads, public, err := noteBuckets(tx)
		if err != nil {
			return err
		}
		if pads.Get([]byte(padID)) != nil {
			return fmt.Errorf("%w: pad %q already has a note", store.ErrExists, padID)
		}
		free := ""
		for i := 1; i <= maxSlugTries && free == ""; i++ {
			if c := store.SlugCandidate(slug, i); notes.Get([]byte(c)) == nil {
				free = c
			}
		}
		if free == "" {
			return fmt.Errorf("%w: every slug like %q", store.ErrExists, slug)
		}
		var first store.NoteVersion
		note, first = store.NewNote(free, padID, vis, v, s.now())
		if err := putJSON(notes, []byte(free), note); err != nil {
			return err
		}
		if err := putJSON(versions, versionKey(free, 1), first); err != nil {
			return err
		}
		if err := pads.Put([]byte(padID), []byte(free)); err != nil {
			return err
		}
		if vis == store.VisibilityPublic {
			return public.Put(publicKey(note), nil)
		}
		return nil
	})
	if err != nil {
		return store.Note{}, wrapErr("create note", err)
	}
	return note.Clone(), nil
}

// AddVersion implements store.Notes.
func (s *Store) AddVersion(ctx context.Context, slug string, vis store.Visibility, v store.NoteVersion) (store.Note, error) {
	if err := store.CheckSlug(slug); err != nil {
		return store.Note{}, wrapErr("add version", err)
	}
	if vis != "" && !vis.Valid() {
		return store.Note{}, wrapErr("add version", fmt.Errorf("%w: visibility %q", store.ErrInvalid, vis))
	}
	if err := v.Check(); err != nil {
		return store.Note{}, wrapErr("add version", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Note{}, err
	}
	var note store.Note
	err := s.db.Update(func(tx *bolt.Tx) error {
		notes, versions, _, public, err := noteBuckets(tx)
		if err != nil {
			return err
		}
		cur, err := getNote(notes, slug)
		if err != nil {
			return err
		}
		var next store.NoteVersion
		note, next = cur.Next(vis, v, s.now())
		if err := putJSON(notes, []byte(slug), note); err != nil {
			return err
		}
		if err := putJSON(versions, versionKey(slug, next.N), next); err != nil {
			return err
		}
		// PublishedAt never changes, so the public key only comes and goes.
		if note.Visibility == store.VisibilityPublic {
			return public.Put(publicKey(note), nil)
		}
		return public.Delete(publicKey(note))
	})
	if err != nil {
		return store.Note{}, wrapErr(fmt.Sprintf("add version to %q", slug), err)
	}
	return note.Clone(), nil
}

// GetNote implements store.Notes.
func (s *Store) GetNote(ctx context.Context, slug string) (store.Note, error) {
	if err := store.CheckSlug(slug); err != nil {
		return store.Note{}, wrapErr("get note", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Note{}, err
	}
	var note store.Note
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		note, err = getNote(tx.Bucket(bucketNotes), slug)
		return err
	})
	return note, wrapErr(fmt.Sprintf("get note %q", slug), err)
}

// GetNoteByPad implements store.Notes.
func (s *Store) GetNoteByPad(ctx context.Context, padID string) (store.Note, error) {
	if err := store.CheckID(padID); err != nil {
		return store.Note{}, wrapErr("get note by pad", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Note{}, err
	}
	var note store.Note
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		pads := tx.Bucket(bucketNotePads)
		if pads == nil {
			return store.ErrNotFound
		}
		slug := pads.Get([]byte(padID))
		if slug == nil {
			return store.ErrNotFound
		}
		note, err = getNote(tx.Bucket(bucketNotes), string(slug))
		return err
	})
	return note, wrapErr(fmt.Sprintf("get note of pad %q", padID), err)
}

// GetVersion implements store.Notes.
func (s *Store) GetVersion(ctx context.Context, slug string, n int) (store.NoteVersion, error) {
	if err := store.CheckSlug(slug); err != nil {
		return store.NoteVersion{}, wrapErr("get version", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.NoteVersion{}, err
	}
	if n < 1 {
		return store.NoteVersion{}, wrapErr("get version", fmt.Errorf("%w: version %d", store.ErrNotFound, n))
	}
	var v store.NoteVersion
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketNoteVersions)
		if b == nil {
			return store.ErrNotFound
		}
		data := b.Get(versionKey(slug, n))
		if data == nil {
			return store.ErrNotFound
		}
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("%w: version %d of %q: %v", errCorrupt, n, slug, err)
		}
		return nil
	})
	return v, wrapErr(fmt.Sprintf("get version %d of %q", n, slug), err)
}

// ListPublic implements store.Notes.
func (s *Store) ListPublic(ctx context.Context, limit int, after string) ([]store.Note, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	var out []store.Note
	err := s.db.View(func(tx *bolt.Tx) error {
		notes, public := tx.Bucket(bucketNotes), tx.Bucket(bucketNotePublic)
		if notes == nil || public == nil {
			return nil
		}
		c := public.Cursor()
		k, _ := c.First()
		if after != "" {
			prev, err := getNote(notes, after)
			if err != nil {
				return err
			}
			pk := publicKey(prev)
			if k, _ = c.Seek(pk); k != nil && string(k) == string(pk) {
				k, _ = c.Next()
			}
		}
		for ; k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
			n, err := getNote(notes, string(k[8:]))
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	if err != nil {
		return nil, wrapErr("list public notes", err)
	}
	return out, nil
}
