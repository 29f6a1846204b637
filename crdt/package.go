// Package crdt is a Yjs-compatible CRDT: it reads and writes Yjs update
// format v1 and integrates concurrent edits exactly as the yjs library does,
// so a Go program can hold a document that any unmodified Yjs client
// (y-websocket, y-prosemirror, TipTap, y-codemirror) edits with it.
//
// # The model
//
// Every peer has a client id and a clock that counts the units it has
// written. A unit is identified by an [ID] {Client, Clock}. Edits are items:
// a run of units with content (text, JSON values, binary data, an embed, a
// formatting mark, a nested type, a sub-document), inserted into a parent
// type between two neighbours. An item remembers the neighbours it was
// created between, its origin (the unit on its left) and its right origin;
// when several peers insert at the same place, those origins and the client
// ids order the items the same way everywhere (the YATA rule). Map entries
// are items too: each key's values form a chain, and the rightmost one is the
// current value.
//
// Items are never removed, because later inserts may name them as origins.
// Deleting marks them deleted; deletions travel as a delete set, a list of
// clock ranges per client. With garbage collection on (the default) the
// content of deleted items is dropped and only their clock range is kept;
// [Options].DisableGC keeps it, as y-prosemirror's version snapshots need.
//
// A document's state vector ([Doc.StateVector]) says how many units of each
// client it has integrated. [Doc.EncodeStateAsUpdate] returns what a peer
// with a given state vector lacks, which is how two peers sync: each sends
// its state vector and applies the other's answer. An update that arrives
// before one it depends on is kept pending and integrated when the gap fills;
// applying an update twice changes nothing.
//
// # The API
//
// A [Doc] holds root types by name: [Doc.Text], [Doc.Map], [Doc.Array] and
// [Doc.XmlFragment] (roots are untyped on the wire; the accessor decides how
// to read one). Local edits happen inside a transaction:
//
//	d := crdt.NewDoc(crdt.Options{})
//	t := d.Text("t")
//	d.Transact(func(tx *crdt.Txn) {
//		t.Insert(tx, 0, "Bonjour 👋", nil)
//		t.Format(tx, 0, 7, crdt.Attributes{"bold": true})
//	})
//
// [Doc.OnUpdate] observers receive the v1 update of every transaction, local
// or remote, as yjs's 'update' event does: for an applied update it holds
// only what was newly integrated. [Doc.ApplyUpdate] decodes and checks the
// whole update before changing anything: on error the document is exactly
// as it was. A Doc is not safe for concurrent use; give it one owner.
//
// Sub-documents are kept and re-encoded but never opened.
//
// # UTF-16
//
// Positions and lengths in texts are UTF-16 code units, as in JavaScript
// (string.length) and every Yjs editor binding: "é" is 1 unit, "😀" is 2.
// Item lengths and clocks count the same units. Go strings stay UTF-8; the
// conversion happens only when an item is split. A cut through a surrogate
// pair replaces both halves with U+FFFD, as Yjs does. Strings in updates
// must be valid UTF-8: yjs rejects anything else, and so does ApplyUpdate,
// so that a relay never passes on an update every browser would refuse.
//
// # Testing against yjs
//
// The real yjs (pinned in package-lock.json) is the oracle. After `npm ci`
// at the repository root:
//
//	go test ./crdt                       # golden vectors, 2,000 differential sessions, fuzz seeds
//	go test ./crdt -run TestDifferentialSessions -args -crdt.sessions=100000 -crdt.seed=5000
//	go test ./crdt -run TestDifferentialSessions -args -crdt.sessions=1 -crdt.seed=N -crdt.debug
//
// testdata/golden holds cases recorded from yjs by testdata/gen-golden.mjs,
// replayed byte for byte without Node. The differential sessions run 2 to 8
// peers (yjs replicas, an active crdt peer, a passive crdt replica) with
// random text, format, map, array and XML edits delivered in random order,
// with duplicates and offline peers, and require the same content and state
// vector everywhere; a failure prints its seed. Without node or node_modules
// they skip, unless YJSORACLE_REQUIRED is set.
//
// The fuzzers start from every update in the golden files:
//
//	go test ./crdt -run '^$' -fuzz FuzzApplyUpdate -fuzztime 10m
//
// The benchmark against yjs on real editing traces is `make bench-crdt`.
package crdt
