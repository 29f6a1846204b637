package crdt_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

func TestTextPositionsAreUTF16Units(t *testing.T) {
	d := crdt.NewDoc(crdt.Options{ClientID: 1})
	txt := d.Text("t")
	// Emoji (2 units, a skin tone modifier making 4), a combining mark,
	// CJK, right-to-left Hebrew and Arabic.
	s := "a😀b👍🏽e\u0301中文 עברית العربية"
	d.Transact(func(tx *crdt.Txn) {
		if err := txt.Insert(tx, 0, s, nil); err != nil {
			t.Fatal(err)
		}
	})
	if got, want := txt.Len(), 1+2+1+4+2+2+1+5+1+7; got != want {
		t.Fatalf("Len = %d, want %d UTF-16 units", got, want)
	}
	if txt.String() != s {
		t.Fatalf("String = %q", txt.String())
	}
	// Index 3 is after "a😀": inserting there must not touch the emoji.
	d.Transact(func(tx *crdt.Txn) { _ = txt.Insert(tx, 3, "|", nil) })
	if got, want := txt.String(), "a😀|b👍🏽e\u0301中文 עברית العربية"; got != want {
		t.Fatalf("after insert at 3: %q, want %q", got, want)
	}
	// Round trip through the wire.
	e := crdt.NewDoc(crdt.Options{ClientID: 2})
	if err := e.ApplyUpdate(d.EncodeStateAsUpdate(nil)); err != nil {
		t.Fatal(err)
	}
	if e.Text("t").String() != txt.String() {
		t.Fatalf("round trip: %q", e.Text("t").String())
	}
	// Deleting one unit inside the emoji destroys it as Yjs does.
	d.Transact(func(tx *crdt.Txn) { _ = txt.Delete(tx, 1, 1) })
	if got, want := txt.String(), "a\uFFFD|b👍🏽e\u0301中文 עברית العربية"; got != want {
		t.Fatalf("after deleting half an emoji: %q, want %q", got, want)
	}
	if err := e.ApplyUpdate(d.EncodeStateAsUpdate(e.StateVector())); err != nil {
		t.Fatal(err)
	}
	if e.Text("t").String() != txt.String() {
		t.Fatalf("replica: %q, want %q", e.Text("t").String(), txt.String())
	}
}

func TestOutOfRangeEditsFailWithoutChange(t *testing.T) {
	d := crdt.NewDoc(crdt.Options{ClientID: 1})
	txt := d.Text("t")
	d.Transact(func(tx *crdt.Txn) { _ = txt.Insert(tx, 0, "abc", nil) })
	before := d.EncodeStateAsUpdate(nil)
	d.Transact(func(tx *crdt.Txn) {
		for _, err := range []error{
			txt.Insert(tx, 4, "x", nil),
			txt.Delete(tx, 2, 2),
			txt.Format(tx, -1, 1, crdt.Attributes{"bold": true}),
			d.Array("a").Delete(tx, 0, 1),
		} {
			if !errors.Is(err, crdt.ErrIndexOutOfRange) {
				t.Errorf("got %v, want ErrIndexOutOfRange", err)
			}
		}
	})
	if !bytes.Equal(before, d.EncodeStateAsUpdate(nil)) {
		t.Fatal("failed edits changed the document")
	}
}

func TestObserverSeesLocalAndRemoteTransactions(t *testing.T) {
	a := crdt.NewDoc(crdt.Options{ClientID: 1})
	b := crdt.NewDoc(crdt.Options{ClientID: 2})
	var fromA, fromB []crdt.UpdateEvent
	a.OnUpdate(func(ev crdt.UpdateEvent) { fromA = append(fromA, ev) })
	stop := b.OnUpdate(func(ev crdt.UpdateEvent) { fromB = append(fromB, ev) })
	a.TransactWithOrigin("me", func(tx *crdt.Txn) {
		_ = a.Text("t").Insert(tx, 0, "hi", nil)
		a.Map("m").Set(tx, "k", 1)
	})
	if len(fromA) != 1 || !fromA[0].Local || fromA[0].Origin != "me" {
		t.Fatalf("local events: %+v", fromA)
	}
	if err := b.ApplyUpdateWithOrigin(fromA[0].Update, "net"); err != nil {
		t.Fatal(err)
	}
	if len(fromB) != 1 || fromB[0].Local || fromB[0].Origin != "net" || !bytes.Equal(fromB[0].Update, fromA[0].Update) {
		t.Fatalf("remote event: %+v", fromB)
	}
	// The same update again integrates nothing and emits nothing.
	if err := b.ApplyUpdate(fromA[0].Update); err != nil || len(fromB) != 1 {
		t.Fatalf("duplicate apply: err %v, %d events", err, len(fromB))
	}
	stop()
	a.Transact(func(tx *crdt.Txn) { _ = a.Text("t").Insert(tx, 2, "!", nil) })
	_ = b.ApplyUpdate(fromA[1].Update)
	if len(fromB) != 1 {
		t.Fatal("unsubscribed observer still called")
	}
	if b.Text("t").String() != "hi!" {
		t.Fatalf("b has %q", b.Text("t").String())
	}
}

func TestMapArrayAndXMLReadBack(t *testing.T) {
	d := crdt.NewDoc(crdt.Options{ClientID: 3})
	d.Transact(func(tx *crdt.Txn) {
		m := d.Map("m")
		m.Set(tx, "n", 1.5)
		m.Set(tx, "s", "x")
		m.Set(tx, "bin", []byte{1, 2})
		m.SetText(tx, "txt")
		_ = d.Array("a").Insert(tx, 0, 1, "two", map[string]any{"three": 3}, []byte{4})
		frag := d.XmlFragment("default")
		h, _ := frag.InsertElement(tx, 0, "heading")
		h.SetAttribute(tx, "level", 1)
		_, _ = h.InsertText(tx, 0, "Titre")
		p, _ := frag.InsertElement(tx, 1, "paragraph")
		xt, _ := p.InsertText(tx, 0, "du texte")
		_ = xt.Format(tx, 3, 5, crdt.Attributes{"bold": map[string]any{}})
	})
	e := crdt.NewDoc(crdt.Options{ClientID: 4})
	if err := e.ApplyUpdate(d.EncodeStateAsUpdate(nil)); err != nil {
		t.Fatal(err)
	}
	for _, doc := range []*crdt.Doc{d, e} {
		m := doc.Map("m")
		if v, _ := m.Get("n"); v != 1.5 {
			t.Errorf("n = %v", v)
		}
		if v, _ := m.Get("bin"); !reflect.DeepEqual(v, []byte{1, 2}) {
			t.Errorf("bin = %v", v)
		}
		if _, ok := m.Get("txt"); !ok {
			t.Error("nested text missing")
		}
		if got := m.Keys(); !reflect.DeepEqual(got, []string{"n", "s", "bin", "txt"}) {
			t.Errorf("keys %v", got)
		}
		a := doc.Array("a").ToJSON()
		if len(a) != 4 || a[0] != int64(1) || a[1] != "two" {
			t.Errorf("array %v", a)
		}
		if obj, ok := a[2].(lib0.Object); !ok || obj[0].Key != "three" {
			t.Errorf("array object %#v", a[2])
		}
		want := `<heading level="1">Titre</heading><paragraph>du <bold>texte</bold></paragraph>`
		if got := doc.XmlFragment("default").String(); got != want {
			t.Errorf("xml %s", got)
		}
		kids := doc.XmlFragment("default").Children()
		if h, ok := kids[0].(*crdt.XmlElement); !ok || h.NodeName() != "heading" {
			t.Errorf("first child %#v", kids[0])
		}
	}
}

func TestGarbageCollectionSwitch(t *testing.T) {
	for _, gc := range []bool{true, false} {
		d := crdt.NewDoc(crdt.Options{ClientID: 2, DisableGC: !gc})
		var ev []byte
		d.OnUpdate(func(e crdt.UpdateEvent) { ev = e.Update })
		d.Transact(func(tx *crdt.Txn) {
			_ = d.Text("t").Insert(tx, 0, "hello", nil)
			_ = d.Text("t").Delete(tx, 1, 3)
		})
		// "ell" travels as a Deleted item with gc on, as text with gc off.
		collected := bytes.Contains(ev, []byte{0x81, 0x02, 0x00, 0x03})
		kept := bytes.Contains(ev, []byte{0x84, 0x02, 0x00, 0x03, 'e', 'l', 'l'})
		if collected != gc || kept == gc {
			t.Errorf("gc=%v: event %x", gc, ev)
		}
	}
}

func TestSubdocumentsAreKeptAndReencoded(t *testing.T) {
	// yjs 13.6.33: m.set('sub', new Y.Doc({guid:'g1', meta:{title:'x'}}));
	// a.insert(0, [new Y.Doc({guid:'g2', autoLoad:true})]) with client 5.
	state, _ := hex.DecodeString("010205002901016d037375620267317601046d6574617601057469746c65770178090101610267327601086175746f4c6f61647800")
	d := crdt.NewDoc(crdt.Options{ClientID: 9})
	if err := d.ApplyUpdate(state); err != nil {
		t.Fatal(err)
	}
	if got := d.EncodeStateAsUpdate(nil); !bytes.Equal(got, state) {
		t.Fatalf("re-encoded %x", got)
	}
	v, _ := d.Map("m").Get("sub")
	if sd, ok := v.(crdt.SubDoc); !ok || sd.GUID != "g1" {
		t.Fatalf("sub = %#v", v)
	}
	v, _ = d.Array("a").Get(0)
	if sd, ok := v.(crdt.SubDoc); !ok || sd.GUID != "g2" {
		t.Fatalf("a[0] = %#v", v)
	}
}

func TestClientIDChangesAfterCollision(t *testing.T) {
	a := crdt.NewDoc(crdt.Options{ClientID: 5})
	b := crdt.NewDoc(crdt.Options{ClientID: 5})
	b.Transact(func(tx *crdt.Txn) { _ = b.Text("t").Insert(tx, 0, "x", nil) })
	if err := a.ApplyUpdate(b.EncodeStateAsUpdate(nil)); err != nil {
		t.Fatal(err)
	}
	if a.ClientID() == 5 {
		t.Fatal("client id kept after someone else wrote under it")
	}
	a.Transact(func(tx *crdt.Txn) { _ = a.Text("t").Insert(tx, 1, "y", nil) })
	if err := b.ApplyUpdate(a.EncodeStateAsUpdate(b.StateVector())); err != nil {
		t.Fatal(err)
	}
	if b.Text("t").String() != "xy" {
		t.Fatalf("b has %q", b.Text("t").String())
	}
}

func TestApplyUpdatesEmitsOneEvent(t *testing.T) {
	a := crdt.NewDoc(crdt.Options{ClientID: 1})
	var updates [][]byte
	a.OnUpdate(func(ev crdt.UpdateEvent) { updates = append(updates, ev.Update) })
	for i := range 5 {
		a.Transact(func(tx *crdt.Txn) { _ = a.Text("t").Insert(tx, i, "x", nil) })
	}
	batch := append([][]byte{{0xff, 0x01}}, updates...) // one malformed update first
	b := crdt.NewDoc(crdt.Options{ClientID: 2})
	var events [][]byte
	b.OnUpdate(func(ev crdt.UpdateEvent) { events = append(events, ev.Update) })
	errs := b.ApplyUpdates(batch, nil)
	if errs[0] == nil {
		t.Fatal("malformed update accepted")
	}
	for i, err := range errs[1:] {
		if err != nil {
			t.Fatalf("update %d: %v", i+1, err)
		}
	}
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	c := crdt.NewDoc(crdt.Options{ClientID: 3})
	if err := c.ApplyUpdate(events[0]); err != nil || c.Text("t").String() != "xxxxx" {
		t.Fatalf("merged event gives %q (%v)", c.Text("t").String(), err)
	}
}

func TestSkipStructsAreNeverIntegrated(t *testing.T) {
	// Y.mergeUpdates of the 1st and 3rd of three single-character inserts by
	// client 6 ("a", "b", "c"): "a", a Skip over clock 1, then "c".
	merged, _ := hex.DecodeString("010306000401017401610a01840601016300")
	second, _ := hex.DecodeString("01010601840600016200")
	d := crdt.NewDoc(crdt.Options{ClientID: 1})
	if err := d.ApplyUpdate(merged); err != nil {
		t.Fatal(err)
	}
	if got := d.Text("t").String(); got != "a" || !d.HasPending() {
		t.Fatalf("after the merged update: %q, pending %v", got, d.HasPending())
	}
	if sv := d.StateVector(); sv[6] != 1 {
		t.Fatalf("state vector %v: the skipped clock must not count", sv)
	}
	if err := d.ApplyUpdate(second); err != nil {
		t.Fatal(err)
	}
	if got := d.Text("t").String(); got != "abc" || d.HasPending() {
		t.Fatalf("after the gap filled: %q, pending %v", got, d.HasPending())
	}
}

// Attribution rests on these two: an update event names the clients whose
// content was newly integrated, not those whose content was only deleted
// or already known; UpdateClients reads the same from raw bytes.
func TestUpdateEventAndUpdateClientsNameWriters(t *testing.T) {
	a := crdt.NewDoc(crdt.Options{ClientID: 7})
	a.Transact(func(tx *crdt.Txn) { _ = a.Text("t").Insert(tx, 0, "hello", nil) })
	b := crdt.NewDoc(crdt.Options{ClientID: 9})
	if err := b.ApplyUpdate(a.EncodeStateAsUpdate(nil)); err != nil {
		t.Fatal(err)
	}
	b.Transact(func(tx *crdt.Txn) {
		_ = b.Text("t").Delete(tx, 0, 2)
		_ = b.Text("t").Insert(tx, 3, "!", nil)
	})
	bOnly := b.EncodeStateAsUpdate(a.StateVector())
	deleteOnly := func() []byte {
		c := crdt.NewDoc(crdt.Options{ClientID: 11})
		_ = c.ApplyUpdate(a.EncodeStateAsUpdate(nil))
		var u []byte
		c.OnUpdate(func(ev crdt.UpdateEvent) { u = slices.Clone(ev.Update) })
		c.Transact(func(tx *crdt.Txn) { _ = c.Text("t").Delete(tx, 4, 1) })
		return u
	}()

	var got [][]uint64
	r := crdt.NewDoc(crdt.Options{ClientID: 1})
	r.OnUpdate(func(ev crdt.UpdateEvent) { got = append(got, slices.Sorted(slices.Values(ev.Clients))) })
	for _, u := range [][]byte{a.EncodeStateAsUpdate(nil), bOnly, a.EncodeStateAsUpdate(nil), deleteOnly} {
		if err := r.ApplyUpdate(u); err != nil {
			t.Fatal(err)
		}
	}
	// The duplicate changes nothing and emits nothing.
	want := [][]uint64{{7}, {9}, {}}
	if len(got) != len(want) {
		t.Fatalf("events name %v, want %v", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("event %d names %v, want %v", i, got[i], want[i])
		}
	}

	for _, c := range []struct {
		update []byte
		want   []uint64
	}{{a.EncodeStateAsUpdate(nil), []uint64{7}}, {bOnly, []uint64{9}}, {b.EncodeStateAsUpdate(nil), []uint64{7, 9}}, {deleteOnly, nil}} {
		clients, err := crdt.UpdateClients(c.update)
		if err != nil || !slices.Equal(clients, c.want) {
			t.Errorf("UpdateClients = %v, %v; want %v", clients, err, c.want)
		}
	}
	if _, err := crdt.UpdateClients([]byte{0x05}); err == nil {
		t.Error("UpdateClients accepted a truncated update")
	}
}

func TestRenewClientIDWritesUnderAFreshID(t *testing.T) {
	d := crdt.NewDoc(crdt.Options{ClientID: 5})
	var writers [][]uint64
	d.OnUpdate(func(ev crdt.UpdateEvent) { writers = append(writers, slices.Clone(ev.Clients)) })
	d.Transact(func(tx *crdt.Txn) { _ = d.Text("t").Insert(tx, 0, "a", nil) })
	seen := map[uint64]bool{5: true}
	for range 50 {
		d.RenewClientID()
		id := d.ClientID()
		if seen[id] || id == 0 {
			t.Fatalf("renewed to a used id %d", id)
		}
		seen[id] = true
		d.Transact(func(tx *crdt.Txn) { _ = d.Text("t").Insert(tx, 0, "b", nil) })
	}
	if len(writers) != 51 || len(d.StateVector()) != 51 {
		t.Fatalf("%d transactions, %d clients in the state vector; want 51 of each", len(writers), len(d.StateVector()))
	}
	for i, w := range writers[1:] {
		if len(w) != 1 || w[0] == 5 {
			t.Fatalf("transaction %d wrote under %v", i+1, w)
		}
	}
	if d.Text("t").Len() != 51 {
		t.Fatalf("text length %d", d.Text("t").Len())
	}
}
