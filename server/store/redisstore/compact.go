package redisstore

import (
	"context"
	"crypto/rand"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

var (
	//go:embed compact.lua
	compactSrc    string
	compactScript = redis.NewScript(compactSrc)

	//go:embed unlock.lua
	unlockSrc    string
	unlockScript = redis.NewScript(unlockSrc)
)

// unlockTimeout bounds releasing a lock after a failed compaction, which
// runs even when the caller's context has ended.
const unlockTimeout = time.Second

// Results of compact.lua.
const (
	compactDone   = 0
	compactStale  = 1
	compactBeyond = 2
)

// Waiting for another instance's compaction lock backs off from
// lockWaitMin to lockWaitMax; a compaction holds it for one script call
// plus the transfer of the state, typically well under a millisecond.
const (
	lockWaitMin = time.Millisecond
	lockWaitMax = 50 * time.Millisecond
)

// Compact implements store.Log.
//
// The script alone makes compaction atomic and a stale one a no-op; the
// lock is about cost. Every instance with a pad open may decide to compact
// at about the same time, and each would ship a state of up to megabytes
// only for all but one to be stale. Instead each takes the pad's lock
// (SET NX PX) first, and checks, before every attempt, whether the
// snapshot already covers through: the losers of a race wait for the
// winner and then return without sending their state. If the lock
// expires under a slow holder, two compactions may overlap; the script
// keeps that correct, and releases the lock only for its own token.
func (s *Store) Compact(ctx context.Context, pad string, state []byte, through store.Seq) error {
	if err := store.CheckID(pad); err != nil {
		return s.wrapErr("compact", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	k := s.padKeys(pad)
	op := fmt.Sprintf("compact %q through %v", pad, through)
	if through.IsZero() {
		return nil // nothing precedes the zero Seq; always stale
	}
	token := rand.Text()
	wait := lockWaitMin
	for {
		current, err := compactedThrough(ctx, s.rdb, k.snapshot)
		if err != nil {
			return s.wrapErr(op, err)
		}
		if !current.Less(through) {
			return nil
		}
		ok, err := s.rdb.SetNX(ctx, k.lock, token, s.compactLockTTL).Result()
		if err != nil {
			return s.wrapErr(op, err)
		}
		if ok {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closing:
			return store.ErrClosed
		case <-time.After(wait):
		}
		wait = min(2*wait, lockWaitMax)
	}

	res, err := compactScript.Run(ctx, s.rdb, []string{k.log, k.snapshot, k.lock},
		streamID(through), nextStreamID(through), state, token).Int()
	if err != nil {
		// The script may or may not have run (and released the lock).
		// Release it now rather than make other instances wait out its
		// TTL; the token keeps this from freeing someone else's lock.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unlockTimeout)
		_ = unlockScript.Run(uctx, s.rdb, []string{k.lock}, token).Err()
		cancel()
		return s.wrapErr(op, err)
	}
	switch res {
	case compactDone, compactStale:
		return nil
	case compactBeyond:
		return s.wrapErr(op, fmt.Errorf("%w: through %v is after the pad's last record", store.ErrInvalid, through))
	default:
		return s.wrapErr(op, errors.New("unexpected script result"))
	}
}
