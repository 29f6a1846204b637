package crdt_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/internal/yjsoracle"
)

// Differential sessions: 2 to 8 peers edit concurrently; yjs plays most of
// them, crdt plays one active peer whose edits yjs applies, and a passive
// crdt replica receives every update in random order, with duplicates. Peers
// go offline and resync through state vectors. At the end every replica must
// agree with yjs on content and state vector, and each side must load the
// other's full state to the same content.

var (
	flagSessions = flag.Int("crdt.sessions", 2000, "number of differential sessions against yjs")
	flagSeed     = flag.Uint64("crdt.seed", 0, "first session seed (0: a fixed default)")
)

// debugSessions prints every step of a session (set with -crdt.debug).
var debugSessions = false

func init() {
	flag.BoolVar(&debugSessions, "crdt.debug", false, "print every step of differential sessions")
}

var diffRoots = []yjsoracle.Root{
	{Name: "t", Kind: yjsoracle.KindText},
	{Name: "m", Kind: yjsoracle.KindMap},
	{Name: "arr", Kind: yjsoracle.KindArray},
	{Name: "x", Kind: yjsoracle.KindXML},
}

func TestDifferentialSessions(t *testing.T) {
	o := yjsoracle.ForTest(t)
	n := *flagSessions
	if testing.Short() {
		n = min(n, 200)
	}
	first := *flagSeed
	if first == 0 {
		first = 1
	}
	start := time.Now()
	for i := range uint64(n) {
		seed := first + i
		if err := runSession(o, seed); err != nil {
			t.Fatalf("session seed %d failed (rerun: go test ./crdt -run TestDifferentialSessions -crdt.seed=%d -crdt.sessions=1): %v", seed, seed, err)
		}
	}
	t.Logf("%d sessions in %v", n, time.Since(start).Round(time.Millisecond))
}

// peer is one replica: a yjs doc in the oracle, or a crdt doc.
type peer struct {
	name    string
	goDoc   *crdt.Doc // nil for a yjs peer
	inbox   [][]byte
	offline bool
}

type session struct {
	o   *yjsoracle.Oracle
	rng *rand.Rand
	// astral sessions type characters outside the BMP but never format:
	// yjs splits a surrogate pair at the end of a format range without
	// telling anyone when the format changes nothing, so its own replicas
	// would disagree (golden case 07 covers every index of an emoji instead).
	astral bool
	peers  []*peer // peers[0] is the active crdt peer, the last the passive crdt replica
}

var (
	sampleBMP    = []string{"a", "b", "hello", " ", "\n", "é", "中文", "עברית", "e\u0301", "Ω", "ß", "ا"}
	sampleAstral = []string{"😀", "👍🏽", "x😀y", "𝄞", "🇫🇷"}
)

func (s *session) text() string {
	var sb strings.Builder
	for range 1 + s.rng.IntN(3) {
		if s.astral && s.rng.IntN(3) == 0 {
			sb.WriteString(sampleAstral[s.rng.IntN(len(sampleAstral))])
		} else {
			sb.WriteString(sampleBMP[s.rng.IntN(len(sampleBMP))])
		}
	}
	return sb.String()
}

func (s *session) attrs() map[string]any {
	switch s.rng.IntN(5) {
	case 0:
		return map[string]any{"bold": true}
	case 1:
		return map[string]any{"bold": nil}
	case 2:
		return map[string]any{"italic": true, "link": map[string]any{"href": "https://example.org/" + fmt.Sprint(s.rng.IntN(3))}}
	case 3:
		return map[string]any{}
	}
	return nil
}

func (s *session) value() any {
	switch s.rng.IntN(8) {
	case 0:
		return nil
	case 1:
		return s.rng.IntN(2) == 0
	case 2:
		return s.rng.IntN(2000) - 1000
	case 3:
		return float64(s.rng.IntN(100)) + 0.5
	case 4:
		return s.text()
	case 5:
		return []any{1, "two", map[string]any{"three": 3}}
	case 6:
		return map[string]any{"k": s.text(), "n": s.rng.IntN(10)}
	}
	return yjsoracle.Bytes([]byte{byte(s.rng.IntN(256)), 1, 2})
}

func (s *session) path(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = s.rng.IntN(8)
	}
	return p
}

var nodeNames = []string{"paragraph", "heading", "bullet_list", "list_item", "blockquote"}

func (s *session) op() yjsoracle.Op {
	r := s.rng
	idx, ln := r.IntN(64), 1+r.IntN(6)
	switch r.IntN(20) {
	case 0, 1, 2, 3:
		return yjsoracle.Op{Op: yjsoracle.TextInsert, Root: "t", Index: idx, Text: s.text(), Attrs: s.maybeAttrs()}
	case 4, 5:
		return yjsoracle.Op{Op: yjsoracle.TextDelete, Root: "t", Index: idx, Len: ln}
	case 6:
		if s.astral {
			return yjsoracle.Op{Op: yjsoracle.TextDelete, Root: "t", Index: idx, Len: ln}
		}
		return yjsoracle.Op{Op: yjsoracle.TextFormat, Root: "t", Index: idx, Len: ln, Attrs: s.attrsNonNil()}
	case 7:
		return yjsoracle.Op{Op: yjsoracle.TextEmbed, Root: "t", Index: idx, Value: map[string]any{"image": "i.png"}}
	case 8, 9:
		return yjsoracle.Op{Op: yjsoracle.MapSet, Root: "m", Key: fmt.Sprint("k", r.IntN(4)), Value: s.value()}
	case 10:
		return yjsoracle.Op{Op: yjsoracle.MapDelete, Root: "m", Key: fmt.Sprint("k", r.IntN(4))}
	case 11:
		return yjsoracle.Op{Op: yjsoracle.ArrayInsert, Root: "arr", Index: idx, Values: []any{s.value(), s.value()}}
	case 12:
		return yjsoracle.Op{Op: yjsoracle.ArrayDelete, Root: "arr", Index: idx, Len: ln}
	case 13:
		return yjsoracle.Op{Op: yjsoracle.XMLInsertElement, Root: "x", Path: s.path(r.IntN(3)), Index: idx, Name: nodeNames[r.IntN(len(nodeNames))]}
	case 14:
		return yjsoracle.Op{Op: yjsoracle.XMLInsertText, Root: "x", Path: s.path(r.IntN(3)), Index: idx, Text: s.text()}
	case 15:
		return yjsoracle.Op{Op: yjsoracle.XMLDelete, Root: "x", Path: s.path(r.IntN(3)), Index: idx, Len: 1 + r.IntN(2)}
	case 16:
		return yjsoracle.Op{Op: yjsoracle.XMLSetAttr, Root: "x", Path: s.path(1 + r.IntN(2)), Key: fmt.Sprint("a", r.IntN(3)), Value: s.value()}
	case 17:
		return yjsoracle.Op{Op: yjsoracle.XMLRemoveAttr, Root: "x", Path: s.path(1 + r.IntN(2)), Key: fmt.Sprint("a", r.IntN(3))}
	case 18:
		return yjsoracle.Op{Op: yjsoracle.XMLTextInsert, Root: "x", Path: s.path(1 + r.IntN(3)), Index: idx, Text: s.text(), Attrs: s.maybeAttrs()}
	}
	if r.IntN(2) == 0 || s.astral {
		return yjsoracle.Op{Op: yjsoracle.XMLTextDelete, Root: "x", Path: s.path(1 + r.IntN(3)), Index: idx, Len: ln}
	}
	return yjsoracle.Op{Op: yjsoracle.XMLTextFormat, Root: "x", Path: s.path(1 + r.IntN(3)), Index: idx, Len: ln, Attrs: s.attrsNonNil()}
}

func (s *session) maybeAttrs() map[string]any {
	if s.rng.IntN(3) == 0 {
		return s.attrs()
	}
	return nil
}

func (s *session) attrsNonNil() map[string]any {
	if a := s.attrs(); len(a) > 0 {
		return a
	}
	return map[string]any{"bold": true}
}

func (s *session) ops() []yjsoracle.Op {
	ops := []yjsoracle.Op{s.op()}
	if s.rng.IntN(4) == 0 {
		// Several edits in one transaction.
		ops = []yjsoracle.Op{{Op: yjsoracle.Txn, Ops: []yjsoracle.Op{s.op(), s.op(), s.op()}}}
	}
	return ops
}

func (p *peer) apply(s *session, u []byte) error {
	if p.goDoc != nil {
		return p.goDoc.ApplyUpdate(u)
	}
	_, err := s.o.Apply(p.name, u)
	return err
}

func (p *peer) sv(s *session) ([]byte, error) {
	if p.goDoc != nil {
		return p.goDoc.EncodeStateVector(), nil
	}
	return s.o.StateVector(p.name)
}

func (p *peer) encode(s *session, sv []byte) ([]byte, error) {
	if p.goDoc != nil {
		var v crdt.StateVector
		if sv != nil {
			var err error
			if v, err = crdt.DecodeStateVector(sv); err != nil {
				return nil, err
			}
		}
		return p.goDoc.EncodeStateAsUpdate(v), nil
	}
	return s.o.Encode(p.name, sv)
}

func (p *peer) content(s *session) (any, error) {
	if p.goDoc != nil {
		return readContent(p.goDoc, diffRoots), nil
	}
	c, err := s.o.Content(p.name, diffRoots...)
	return map[string]json.RawMessage(c), err
}

// syncPair brings a and b to the same state the way y-websocket does: each
// sends its state vector and applies the other's answer.
func (s *session) syncPair(a, b *peer) error {
	for _, pair := range [][2]*peer{{a, b}, {b, a}} {
		sv, err := pair[0].sv(s)
		if err != nil {
			return err
		}
		diff, err := pair[1].encode(s, sv)
		if err != nil {
			return err
		}
		if err := pair[0].apply(s, diff); err != nil {
			return fmt.Errorf("%s applying diff from %s: %w", pair[0].name, pair[1].name, err)
		}
	}
	return nil
}

func runSession(o *yjsoracle.Oracle, seed uint64) error {
	s := &session{o: o, rng: rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15))}
	r := s.rng
	s.astral = r.IntN(2) == 0
	nPeers := 2 + r.IntN(7)
	gc := r.IntN(4) != 0
	prefix := fmt.Sprintf("s%d-", seed)
	for i := range nPeers {
		// Small client ids collide with the ordering rule often; the big ones
		// exercise the 2^32 and 2^53 ranges.
		ids := []uint64{uint64(i + 1), uint64(10 + i), 1<<32 - 1 - uint64(i), 1<<53 - 1 - uint64(i)}
		id := ids[r.IntN(len(ids))]
		p := &peer{name: fmt.Sprintf("%sp%d", prefix, i)}
		if i == 0 {
			p.goDoc = crdt.NewDoc(crdt.Options{ClientID: id, DisableGC: !gc})
		} else if err := o.New(p.name, id, gc); err != nil {
			return err
		}
		s.peers = append(s.peers, p)
	}
	passive := &peer{name: prefix + "passive", goDoc: crdt.NewDoc(crdt.Options{ClientID: 999999, DisableGC: !gc})}
	s.peers = append(s.peers, passive)
	defer func() {
		for _, p := range s.peers {
			if p.goDoc == nil {
				_ = o.Free(p.name)
			}
		}
	}()
	editors := s.peers[:nPeers]
	steps := 10 + r.IntN(30)
	for range steps {
		switch k := r.IntN(10); {
		case k < 5: // someone edits
			p := editors[r.IntN(len(editors))]
			ops := s.ops()
			var events [][]byte
			var err error
			if p.goDoc != nil {
				events, err = runOps(p.goDoc, ops)
			} else {
				events, err = o.Ops(p.name, ops)
			}
			if err != nil {
				return fmt.Errorf("%s ops %+v: %w", p.name, ops, err)
			}
			if debugSessions {
				c, _ := p.content(s)
				b, _ := json.Marshal(c)
				fmt.Printf("%s ops %+v\n  events %x\n  -> %s\n", p.name, ops, events, b)
			}
			if p.offline {
				continue // resynced when it comes back
			}
			for _, q := range s.peers {
				if q != p && !q.offline {
					q.inbox = append(q.inbox, events...)
				}
			}
		case k < 9: // a message is delivered, in any order, sometimes twice
			q := s.peers[r.IntN(len(s.peers))]
			if len(q.inbox) == 0 {
				continue
			}
			i := r.IntN(len(q.inbox))
			u := q.inbox[i]
			if r.IntN(6) != 0 {
				q.inbox = append(q.inbox[:i], q.inbox[i+1:]...)
			}
			if err := q.apply(s, u); err != nil {
				return fmt.Errorf("%s apply: %w", q.name, err)
			}
			if debugSessions {
				c, _ := q.content(s)
				b, _ := json.Marshal(c)
				fmt.Printf("%s apply %x\n  -> %s\n", q.name, u, b)
			}
		default: // a peer goes offline, or comes back and resyncs
			p := editors[r.IntN(len(editors))]
			if !p.offline {
				p.offline, p.inbox = true, nil
				continue
			}
			p.offline = false
			if err := s.syncPair(p, passive); err != nil {
				return err
			}
		}
	}
	// Everyone comes back, every message arrives, then rounds of syncing
	// with the passive replica until state vectors agree.
	for _, p := range s.peers {
		p.offline = false
		r.Shuffle(len(p.inbox), func(i, j int) { p.inbox[i], p.inbox[j] = p.inbox[j], p.inbox[i] })
		for _, u := range p.inbox {
			if err := p.apply(s, u); err != nil {
				return fmt.Errorf("%s apply: %w", p.name, err)
			}
		}
		p.inbox = nil
	}
	// Deletions do not show in state vectors, and yjs peers delete redundant
	// Format items after remote transactions, so sync rounds go on until
	// every replica shows the same content, not only the same state vector.
	var want any
	var wantSV []byte
	for round := 0; ; round++ {
		for _, p := range editors {
			if err := s.syncPair(p, passive); err != nil {
				return err
			}
		}
		want, _ = passive.content(s)
		wantSV, _ = passive.sv(s)
		var mismatch error
		for _, p := range s.peers {
			got, err := p.content(s)
			if err != nil {
				return err
			}
			sv, err := p.sv(s)
			if err != nil {
				return err
			}
			if !bytes.Equal(sv, wantSV) {
				mismatch = fmt.Errorf("state vector of %s is %x, crdt has %x", p.name, sv, wantSV)
				break
			}
			if !sameContent(got, want) {
				gb, _ := json.Marshal(got)
				wb, _ := json.Marshal(want)
				if debugSessions && p.goDoc != nil {
					fmt.Printf("=== %s\n%s=== passive\n%s", p.name, crdt.DumpDoc(p.goDoc), crdt.DumpDoc(passive.goDoc))
				}
				mismatch = fmt.Errorf("content of %s differs from the crdt replica\n %s: %s\n crdt: %s", p.name, p.name, gb, wb)
				break
			}
		}
		if mismatch == nil {
			break
		}
		if round == 5 {
			return mismatch
		}
	}
	if passive.goDoc.HasPending() || s.peers[0].goDoc.HasPending() {
		return fmt.Errorf("crdt still holds pending structs after a full sync")
	}
	for _, p := range []*peer{s.peers[0], passive} {
		if err := crdt.CheckDoc(p.goDoc); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	// Each side loads the other's full state.
	goState := passive.goDoc.EncodeStateAsUpdate(nil)
	fresh := prefix + "fresh"
	if err := o.New(fresh, 424242, gc); err != nil {
		return err
	}
	defer o.Free(fresh)
	if _, err := o.Apply(fresh, goState); err != nil {
		return fmt.Errorf("yjs rejects the crdt state: %w", err)
	}
	c, err := o.Content(fresh, diffRoots...)
	if err != nil {
		return err
	}
	if !sameContent(map[string]json.RawMessage(c), want) {
		return fmt.Errorf("yjs loading the crdt state sees different content")
	}
	jsState, err := o.Encode(s.peers[1].name, nil)
	if err != nil {
		return err
	}
	loaded := crdt.NewDoc(crdt.Options{ClientID: 434343, DisableGC: !gc})
	if err := loaded.ApplyUpdate(jsState); err != nil {
		return fmt.Errorf("crdt rejects the yjs state: %w", err)
	}
	if got := readContent(loaded, diffRoots); !sameContent(got, want) {
		return fmt.Errorf("crdt loading the yjs state sees different content")
	}
	if !bytes.Equal(loaded.EncodeStateVector(), wantSV) {
		return fmt.Errorf("crdt loading the yjs state has another state vector")
	}
	return nil
}
