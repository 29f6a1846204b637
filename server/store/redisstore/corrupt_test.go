package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
	"github.com/commonpad/commonpad/server/store/redisstore"
)

// TestForeignData puts data this package did not write under its keys:
// every read fails with an error, and none panics.
func TestForeignData(t *testing.T) {
	t.Parallel()
	c := newClient(t, nil)
	prefix := uniquePrefix(t)
	s := newStore(t, prefix, redisstore.Options{})
	ctx := t.Context()

	logKey, snapKey, _ := s.PadKeys("bad-entry")
	c.XAdd(ctx, xadd(logKey, "something", "else"))
	_, err := s.Load(ctx, "bad-entry")
	wantErr(t, "Load of an entry without our fields", err)
	fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err = s.Follow(fctx, "bad-entry", store.Seq{}, func(store.Record) error { return nil })
	if err == nil || fctx.Err() != nil {
		t.Errorf("Follow over an entry without our fields = %v (ctx %v)", err, fctx.Err())
	}

	_, snapKey2, _ := s.PadKeys("bad-snapshot")
	c.HSet(ctx, snapKey2, "through", "not-an-id", "state", "x")
	_, err = s.Load(ctx, "bad-snapshot")
	wantErr(t, "Load of a malformed snapshot", err)
	err = s.Follow(fctx, "bad-snapshot", store.Seq{}, func(store.Record) error { return nil })
	wantErr(t, "Follow with a malformed snapshot", err)

	c.HSet(ctx, snapKey, "state", "x") // no "through"
	_, err = s.Load(ctx, "bad-entry")
	wantErr(t, "Load of a snapshot without through", err)

	c.Set(ctx, s.MetaKey("bad-meta"), "{not json", 0)
	_, err = s.GetPad(ctx, "bad-meta")
	wantErr(t, "GetPad of malformed metadata", err)
	c.Set(ctx, s.ReadOnlyKey("bad-ro"), "bad-meta", 0)
	_, err = s.GetPadByReadOnlyID(ctx, "bad-ro")
	wantErr(t, "GetPadByReadOnlyID to malformed metadata", err)
	_, err = s.UpdatePad(ctx, "bad-meta", func(*store.Pad) error { return nil })
	wantErr(t, "UpdatePad of malformed metadata", err)
	c.ZAdd(ctx, s.ListKey(), redisZ("bad-meta"))
	_, err = s.ListPads(ctx, store.ListOptions{})
	wantErr(t, "ListPads over malformed metadata", err)

	c.Set(ctx, s.MetaKey("other"), `{"id":"someone-else","ro":"r","status":"open"}`, 0)
	_, err = s.GetPad(ctx, "other")
	wantErr(t, "GetPad of a record naming another pad", err)
}

func wantErr(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
	} else if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		t.Errorf("%s: %v; foreign data is neither missing nor the caller's fault", what, err)
	}
}

func xadd(stream string, values ...any) *redis.XAddArgs {
	return &redis.XAddArgs{Stream: stream, ID: "*", Values: values}
}

func redisZ(member string) redis.Z { return redis.Z{Member: member} }
