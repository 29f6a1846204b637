package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

var _ store.Authors = (*Store)(nil)

// authorsPutScript records names and keeps the first-recorded time of the
// client ids already there, which a plain HSET would overwrite.
//
// KEYS[1] the pad's authors hash
// ARGV[1] the current time, Unix nanoseconds
// ARGV[2k], ARGV[2k+1] a client id and its name
var authorsPutScript = redis.NewScript(`
for i = 2, #ARGV, 2 do
  local since = ARGV[1]
  local old = redis.call('HGET', KEYS[1], ARGV[i])
  if old then
    since = string.match(old, '^(%d+):') or since
  end
  redis.call('HSET', KEYS[1], ARGV[i], since .. ':' .. ARGV[i + 1])
end
return 1
`)

// PutAuthors implements store.Authors.
func (s *Store) PutAuthors(ctx context.Context, padID string, names map[uint64]string) error {
	if err := store.CheckAuthors(padID, names); err != nil {
		return s.wrapErr("put authors", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	if len(names) == 0 {
		return nil
	}
	args := make([]any, 0, 1+2*len(names))
	args = append(args, time.Now().UnixNano())
	for client, name := range names {
		args = append(args, strconv.FormatUint(client, 10), name)
	}
	err := authorsPutScript.Run(ctx, s.rdb, []string{s.padKeys(padID).authors}, args...).Err()
	return s.wrapErr(fmt.Sprintf("put authors of %q", padID), err)
}

// PadAuthors implements store.Authors.
func (s *Store) PadAuthors(ctx context.Context, padID string) ([]store.Author, error) {
	if err := store.CheckID(padID); err != nil {
		return nil, s.wrapErr("pad authors", err)
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	op := fmt.Sprintf("pad authors of %q", padID)
	all, err := s.rdb.HGetAll(ctx, s.padKeys(padID).authors).Result()
	if err != nil {
		return nil, s.wrapErr(op, err)
	}
	out := make([]store.Author, 0, len(all))
	for field, v := range all {
		client, err1 := strconv.ParseUint(field, 10, 64)
		ns, name, ok := strings.Cut(v, ":")
		since, err2 := strconv.ParseInt(ns, 10, 64)
		if err1 != nil || err2 != nil || !ok || !utf8.ValidString(name) {
			return nil, s.wrapErr(op, fmt.Errorf("%w: author %q", errCorrupt, field))
		}
		out = append(out, store.Author{Client: client, Name: name, Since: time.Unix(0, since).UTC()})
	}
	store.SortAuthors(out)
	return out, nil
}
