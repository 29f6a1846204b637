package redisstore

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/commonpad/commonpad/server/store"
)

// errCorrupt marks data under our keys that this package did not write.
var errCorrupt = errors.New("redisstore: corrupt data")

// keys names the log keys of one pad. They share the hash tag {ID}, so a
// Cluster keeps them in one slot, where the scripts and MULTI blocks that
// touch several of them are legal, while different pads spread over the
// nodes.
type keys struct {
	log      string // stream of records
	snapshot string // hash: "through" (stream ID) and "state"
	lock     string // compaction lock (SET NX PX)
	authors  string // hash: client id -> first recorded (Unix ns) ":" name
}

func (s *Store) padKeys(pad string) keys {
	base := s.prefix + "pad:{" + escapeTag(pad) + "}:"
	return keys{log: base + "log", snapshot: base + "snapshot", lock: base + "compact", authors: base + "authors"}
}

// metaTag is the one hash tag of all pad metadata. Creating a pad must
// check its ID against every read-only ID and the reverse, and renaming a
// read-only ID must move an index entry: with every metadata key in one
// slot, each of these stays a single atomic script on a Cluster too. The
// cost is that one node serves all metadata, a few hundred bytes per pad
// read when a pad is opened, which is small beside the log traffic that
// the per-pad tags spread.
const metaTag = "{padmeta}"

// The IDs follow the tag: Redis hashes only the first {...} of a key, so
// they need no escaping there.

// metaKey holds the metadata of pad id, as JSON.
func (s *Store) metaKey(id string) string { return s.prefix + metaTag + ":pad:" + id }

// readOnlyKey holds the pad ID that a read-only ID resolves to.
func (s *Store) readOnlyKey(roID string) string { return s.prefix + metaTag + ":ro:" + roID }

// listKey is a sorted set of every pad ID with score 0, so that
// ZRANGEBYLEX pages through IDs in byte order.
func (s *Store) listKey() string { return s.prefix + metaTag + ":list" }

// escapeTag makes an ID safe inside a hash tag. Redis hashes the text
// between the first '{' and the next '}', so an ID holding '}' would cut
// the tag short (and "}..." would empty it, scattering a pad's keys over
// slots). Escaping '%' too keeps the mapping one-to-one: "a}" and "a%7D"
// stay different keys. Everything else, ':' and '/' included, stays
// readable in redis-cli.
func escapeTag(id string) string {
	if !strings.ContainsAny(id, "%{}") {
		return id
	}
	var b strings.Builder
	b.Grow(len(id) + 8)
	for i := range len(id) {
		switch c := id[i]; c {
		case '%':
			b.WriteString("%25")
		case '{':
			b.WriteString("%7B")
		case '}':
			b.WriteString("%7D")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// streamID formats s as the stream ID it stands for: "ms-seq".
func streamID(s store.Seq) string { return s.String() }

// parseStreamID maps a stream ID "ms-seq" to Seq{Hi: ms, Lo: seq}.
func parseStreamID(id string) (store.Seq, error) {
	ms, seq, ok := strings.Cut(id, "-")
	if !ok {
		return store.Seq{}, fmt.Errorf("%w: stream id %q", errCorrupt, id)
	}
	hi, err1 := strconv.ParseUint(ms, 10, 64)
	lo, err2 := strconv.ParseUint(seq, 10, 64)
	if err1 != nil || err2 != nil {
		return store.Seq{}, fmt.Errorf("%w: stream id %q", errCorrupt, id)
	}
	return store.Seq{Hi: hi, Lo: lo}, nil
}

// nextStreamID is the smallest stream ID after s: XTRIM's MINID keeps IDs
// at or above it, which is how "delete through s" is said.
func nextStreamID(s store.Seq) string {
	if s.Lo == ^uint64(0) {
		return streamID(store.Seq{Hi: s.Hi + 1})
	}
	return streamID(store.Seq{Hi: s.Hi, Lo: s.Lo + 1})
}
