package boltstore

import (
	"context"
	"fmt"

	"github.com/commonpad/commonpad/server/store"
)

// Follow reads in chunks so a follower far behind neither holds a read
// transaction for long (bbolt cannot grow the file while one is open) nor
// copies a whole log into memory.
const (
	followMaxRecords = 256
	followMaxBytes   = 4 << 20
)

// watch is the wake-up channel of one pad: closed, and forgotten, on the
// next change. n counts the followers holding it, so an idle pad's entry
// goes away with its last follower.
type watch struct {
	ch chan struct{}
	n  int
}

func (s *Store) subscribe(pad string) *watch {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.changed[pad]
	if w == nil {
		w = &watch{ch: make(chan struct{})}
		s.changed[pad] = w
	}
	w.n++
	return w
}

func (s *Store) unsubscribe(pad string, w *watch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.n--; w.n == 0 && s.changed[pad] == w {
		delete(s.changed, pad)
	}
}

func (s *Store) notify(pad string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifyLocked(pad)
}

func (s *Store) notifyLocked(pad string) {
	if w := s.changed[pad]; w != nil {
		close(w.ch)
		delete(s.changed, pad)
	}
}

// Follow implements store.Log.
func (s *Store) Follow(ctx context.Context, pad string, after store.Seq, fn func(store.Record) error) error {
	if err := store.CheckID(pad); err != nil {
		return wrapErr("follow", err)
	}
	key := []byte(pad)
	cursor := after
	for {
		if err := s.begin(ctx); err != nil {
			return err
		}
		// Subscribe before reading: an append that commits after the read
		// began closes this channel, so it cannot slip between the two.
		w := s.subscribe(pad)
		recs, err := s.readAfter(key, cursor, followMaxRecords)
		if err != nil {
			s.unsubscribe(pad, w)
			return wrapErr(fmt.Sprintf("follow %q from %v", pad, cursor), err)
		}
		if len(recs) == 0 {
			select {
			case <-w.ch:
			case <-ctx.Done():
			case <-s.closing:
			}
			s.unsubscribe(pad, w)
			continue // begin reports why we stopped, if we did
		}
		s.unsubscribe(pad, w)
		for _, r := range recs {
			if err := s.begin(ctx); err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
			cursor = r.Seq
		}
	}
}
