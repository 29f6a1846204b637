package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

// Stream entry and snapshot hash fields.
const (
	fieldOrigin  = "origin"
	fieldUpdate  = "update"
	fieldThrough = "through"
	fieldState   = "state"
)

// Load implements store.Log. The snapshot and the stream are read in one
// MULTI block: a compaction between two separate reads would hand out the
// old state with records already trimmed away.
func (s *Store) Load(ctx context.Context, pad string) (store.Snapshot, error) {
	if err := store.CheckID(pad); err != nil {
		return store.Snapshot{}, s.wrapErr("load", err)
	}
	if err := s.begin(ctx); err != nil {
		return store.Snapshot{}, err
	}
	k := s.padKeys(pad)
	var snapCmd *redis.MapStringStringCmd
	var logCmd *redis.XMessageSliceCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		snapCmd = p.HGetAll(ctx, k.snapshot)
		logCmd = p.XRange(ctx, k.log, "-", "+")
		return nil
	})
	if err != nil {
		return store.Snapshot{}, s.wrapErr(fmt.Sprintf("load %q", pad), err)
	}
	var snap store.Snapshot
	if h := snapCmd.Val(); len(h) > 0 {
		through, state, err := decodeSnapshot(h)
		if err != nil {
			return store.Snapshot{}, s.wrapErr(fmt.Sprintf("load %q", pad), err)
		}
		snap.State, snap.Through = state, through
	}
	msgs := logCmd.Val()
	if len(msgs) > 0 {
		snap.Records = make([]store.Record, len(msgs))
	}
	for i, m := range msgs {
		r, err := decodeRecord(m)
		if err != nil {
			return store.Snapshot{}, s.wrapErr(fmt.Sprintf("load %q", pad), err)
		}
		snap.Records[i] = r
		snap.Through = r.Seq
	}
	return snap, nil
}

// Append implements store.Log. Several updates go in one MULTI block, one
// round trip: they are stored together or not at all, and no other
// appender's record lands between them.
func (s *Store) Append(ctx context.Context, pad, origin string, updates ...[]byte) ([]store.Seq, error) {
	if err := store.CheckID(pad); err != nil {
		return nil, s.wrapErr("append", err)
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	if len(updates) == 0 {
		return nil, nil
	}
	key := s.padKeys(pad).log
	cmds := make([]*redis.StringCmd, len(updates))
	var err error
	if len(updates) == 1 {
		cmds[0] = s.rdb.XAdd(ctx, xaddArgs(key, origin, updates[0]))
		err = cmds[0].Err()
	} else {
		_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			for i, u := range updates {
				cmds[i] = p.XAdd(ctx, xaddArgs(key, origin, u))
			}
			return nil
		})
	}
	if err != nil {
		return nil, s.wrapErr(fmt.Sprintf("append to %q", pad), err)
	}
	seqs := make([]store.Seq, len(cmds))
	for i, c := range cmds {
		seq, err := parseStreamID(c.Val())
		if err != nil {
			return nil, s.wrapErr(fmt.Sprintf("append to %q", pad), err)
		}
		seqs[i] = seq
	}
	return seqs, nil
}

// xaddArgs lets Redis pick the ID ("*"): milliseconds of its own clock
// and a counter, never below the stream's last ID, so Seqs only grow even
// if the clock steps back.
func xaddArgs(key, origin string, update []byte) *redis.XAddArgs {
	return &redis.XAddArgs{
		Stream: key,
		ID:     "*",
		Values: []any{fieldOrigin, origin, fieldUpdate, update},
	}
}

// Delete implements store.Log. It empties the stream instead of deleting
// it: the empty stream remembers its last ID, so records appended later
// get Seqs after every deleted one and an old cursor skips nothing. The
// cost is one empty stream per deleted pad.
func (s *Store) Delete(ctx context.Context, pad string) error {
	if err := store.CheckID(pad); err != nil {
		return s.wrapErr("delete", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	k := s.padKeys(pad)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XTrimMaxLen(ctx, k.log, 0)
		p.Del(ctx, k.snapshot)
		return nil
	})
	return s.wrapErr(fmt.Sprintf("delete %q", pad), err)
}

// decodeRecord copies a record out of a stream entry. go-redis hands
// field values over as strings, so the update is a fresh slice.
func decodeRecord(m redis.XMessage) (store.Record, error) {
	seq, err := parseStreamID(m.ID)
	if err != nil {
		return store.Record{}, err
	}
	origin, ok1 := m.Values[fieldOrigin].(string)
	update, ok2 := m.Values[fieldUpdate].(string)
	if !ok1 || !ok2 {
		return store.Record{}, fmt.Errorf("%w: stream entry %s lacks %s or %s", errCorrupt, m.ID, fieldOrigin, fieldUpdate)
	}
	return store.Record{Seq: seq, Origin: origin, Update: []byte(update)}, nil
}

// decodeSnapshot reads the snapshot hash. The state is non-nil even when
// empty: an empty state is still a state.
func decodeSnapshot(h map[string]string) (store.Seq, []byte, error) {
	id, ok1 := h[fieldThrough]
	state, ok2 := h[fieldState]
	if !ok1 || !ok2 {
		return store.Seq{}, nil, fmt.Errorf("%w: snapshot lacks %s or %s", errCorrupt, fieldThrough, fieldState)
	}
	through, err := parseStreamID(id)
	if err != nil {
		return store.Seq{}, nil, err
	}
	return through, append([]byte{}, state...), nil
}

// compactedThrough returns the Seq the pad's snapshot covers, zero if it
// has none.
func compactedThrough(ctx context.Context, c redis.Cmdable, snapshotKey string) (store.Seq, error) {
	return throughOf(c.HGet(ctx, snapshotKey, fieldThrough))
}

// throughOf reads the answer to HGET of the snapshot's covered ID.
func throughOf(cmd *redis.StringCmd) (store.Seq, error) {
	id, err := cmd.Result()
	if errors.Is(err, redis.Nil) {
		return store.Seq{}, nil
	}
	if err != nil {
		return store.Seq{}, err
	}
	return parseStreamID(id)
}
