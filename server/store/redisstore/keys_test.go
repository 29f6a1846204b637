package redisstore

import (
	"strings"
	"testing"

	"github.com/commonpad/commonpad/server/store"
)

// hashTag returns what Redis Cluster hashes for key: the text between the
// first '{' and the next '}', if non-empty, else the whole key.
func hashTag(key string) string {
	open := strings.IndexByte(key, '{')
	if open < 0 {
		return key
	}
	n := strings.IndexByte(key[open+1:], '}')
	if n <= 0 {
		return key
	}
	return key[open+1 : open+1+n]
}

func TestPadKeysShareOneSlot(t *testing.T) {
	s := &Store{prefix: "cp:"}
	ids := []string{"a", "}", "{", "{}", "}{", "a}b", "%7D", "%", "pad:{a}:log", "a:b/c d", "ünï", "a\x00b"}
	seen := map[string]string{}
	for _, id := range ids {
		k := s.padKeys(id)
		tag := hashTag(k.log)
		if tag == k.log {
			t.Errorf("pad %q: log key %q has no hash tag", id, k.log)
		}
		for _, key := range []string{k.snapshot, k.lock} {
			if hashTag(key) != tag {
				t.Errorf("pad %q: key %q hashes %q, log key hashes %q", id, key, hashTag(key), tag)
			}
		}
		if other, ok := seen[tag]; ok {
			t.Errorf("pads %q and %q share hash tag %q", id, other, tag)
		}
		seen[tag] = id
	}
}

// The metadata scripts touch the keys of several pads at once, which a
// Cluster allows only within one slot.
func TestMetadataKeysShareOneSlot(t *testing.T) {
	s := &Store{prefix: "cp:"}
	ids := []string{"a", "}", "{", "{}", "}{", "a}b", "%7D", "%", "{padmeta}", "a:b/c d", "ünï", "a\x00b"}
	keys := map[string]string{s.listKey(): "list"}
	for _, id := range ids {
		for _, key := range []string{s.metaKey(id), s.readOnlyKey(id)} {
			if tag := hashTag(key); tag != "padmeta" {
				t.Errorf("id %q: key %q hashes %q, want padmeta", id, key, tag)
			}
			if other, ok := keys[key]; ok {
				t.Errorf("ids %q and %q share key %q", id, other, key)
			}
			keys[key] = id
		}
	}
	if tag := hashTag(s.listKey()); tag != "padmeta" {
		t.Errorf("list key %q hashes %q", s.listKey(), tag)
	}
}

func TestEscapeTagOneToOne(t *testing.T) {
	pairs := [][2]string{{"a}", "a%7D"}, {"%", "%25"}, {"{", "%7B"}, {"%7B", "{"}}
	for _, p := range pairs {
		if escapeTag(p[0]) == escapeTag(p[1]) {
			t.Errorf("escapeTag(%q) == escapeTag(%q) == %q", p[0], p[1], escapeTag(p[0]))
		}
	}
	for _, id := range []string{"{a}", "}}", "%%{", "x"} {
		if e := escapeTag(id); strings.ContainsAny(e, "{}") {
			t.Errorf("escapeTag(%q) = %q keeps a brace", id, e)
		}
	}
	if e := escapeTag("plain:id/1"); e != "plain:id/1" {
		t.Errorf("escapeTag changed an id without braces or percent: %q", e)
	}
}

func TestStreamIDs(t *testing.T) {
	for _, s := range []store.Seq{{}, {Hi: 1700000000000, Lo: 3}, {Hi: ^uint64(0), Lo: ^uint64(0)}} {
		got, err := parseStreamID(streamID(s))
		if err != nil || got != s {
			t.Errorf("parseStreamID(streamID(%v)) = %v, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "1", "1-", "-1", "a-1", "1-b", "1-2-3", "18446744073709551616-0", "+1-2"} {
		if _, err := parseStreamID(bad); err == nil {
			t.Errorf("parseStreamID(%q) succeeded", bad)
		}
	}
	next := map[store.Seq]string{
		{Hi: 5, Lo: 7}:          "5-8",
		{Hi: 5, Lo: ^uint64(0)}: "6-0",
		{}:                      "0-1",
	}
	for s, want := range next {
		if got := nextStreamID(s); got != want {
			t.Errorf("nextStreamID(%v) = %q, want %q", s, got, want)
		}
	}
}
