package crdt

import (
	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// Txn groups changes to a document. Every change happens inside one: local
// edits through Doc.Transact, and each applied update is one remote
// transaction. When it ends, deleted content is collected, adjacent items are
// merged, and the update observers receive the v1 update that describes it.
type Txn struct {
	doc    *Doc
	origin any
	local  bool
	// before holds, for each client that gained structs in this transaction,
	// its state when the transaction started.
	before       clientMap[uint64]
	ds           deleteSet
	mergeStructs []*item
}

// Doc returns the document the transaction changes.
func (tx *Txn) Doc() *Doc { return tx.doc }

// Origin returns the origin given to Transact or ApplyUpdate.
func (tx *Txn) Origin() any { return tx.origin }

func (tx *Txn) addStruct(it *item) {
	c := it.id.Client
	if tx.before.find(c) < 0 {
		tx.before.set(c, tx.doc.store.state(c))
	}
	tx.doc.store.add(it)
}

func (tx *Txn) beforeState(client uint64) uint64 {
	if s, ok := tx.before.get(client); ok {
		return s
	}
	return tx.doc.store.state(client)
}

// UpdateEvent is what update observers receive after each transaction that
// changed the document.
type UpdateEvent struct {
	// Update is the v1 update describing the transaction: the structs it
	// integrated and the ranges it deleted. Observers must not modify it.
	Update []byte
	Origin any
	// Local is true for Transact, false for ApplyUpdate.
	Local bool
	// Clients lists the clients that gained structs in the transaction,
	// which is who wrote the new content: a server attributes content to
	// people with it without decoding Update again. It is valid only
	// during the call; observers that keep it must copy it.
	Clients []uint64
}

// Transact runs fn as one local transaction. Transact calls made inside fn
// join the running transaction.
func (d *Doc) Transact(fn func(tx *Txn)) { d.transact(nil, true, fn) }

// TransactWithOrigin is Transact with an origin that observers receive.
func (d *Doc) TransactWithOrigin(origin any, fn func(tx *Txn)) { d.transact(origin, true, fn) }

func (d *Doc) transact(origin any, local bool, fn func(tx *Txn)) {
	if d.txn != nil {
		fn(d.txn)
		return
	}
	// One Txn per document is reused: a transaction is valid only inside fn.
	// An observer that starts another one while the first is still emitting
	// gets a fresh one.
	tx := &d.txnBuf
	if d.txnBusy {
		tx = &Txn{}
	} else {
		d.txnBusy = true
		defer func() { d.txnBusy = false }()
	}
	tx.doc, tx.origin, tx.local = d, origin, local
	d.txn = tx
	defer func() {
		d.txn = nil
		d.cleanup(tx)
		tx.origin = nil
		tx.before.reset()
		clear(tx.ds)
		clear(tx.mergeStructs)
		tx.mergeStructs = tx.mergeStructs[:0]
	}()
	fn(tx)
}

// cleanup ends a transaction as Yjs cleanupTransactions does: collect, merge,
// check for a client id collision, then emit the update.
func (d *Doc) cleanup(tx *Txn) {
	if len(tx.ds) > 0 {
		tx.ds.sortAndMerge()
		if d.gc {
			d.collect(tx.ds)
		}
		d.mergeDeleted(tx.ds)
	}
	for i, c := range tx.before.keys {
		before := tx.before.vals[i]
		cs := d.store.clients[c]
		if before == cs.last().endClock() {
			continue
		}
		first := max(cs.find(before), 1)
		for i := cs.n() - 1; i >= first; {
			i -= 1 + cs.mergeWithLefts(i)
		}
	}
	for i := len(tx.mergeStructs) - 1; i >= 0; i-- {
		id := tx.mergeStructs[i].id
		cs := d.store.clients[id.Client]
		pos := cs.find(id.Clock)
		if pos+1 < cs.n() && cs.mergeWithLefts(pos+1) > 1 {
			continue
		}
		if pos > 0 {
			cs.mergeWithLefts(pos)
		}
	}
	if !tx.local {
		if tx.before.find(d.clientID) >= 0 {
			// Someone else wrote under our client id: continuing with it would
			// make our next edits look like duplicates of theirs.
			d.clientID = randomClientID()
		}
	}
	if len(d.observers) == 0 || len(tx.ds) == 0 && tx.before.len() == 0 {
		return
	}
	from := make([]clientClock, tx.before.len())
	for i, c := range tx.before.keys {
		from[i] = clientClock{c, tx.before.vals[i]}
	}
	e := lib0.NewEncoder(64)
	d.writeStructs(e, from, nil)
	tx.ds.write(e)
	ev := UpdateEvent{Update: e.Bytes(), Origin: tx.origin, Local: tx.local, Clients: tx.before.keys}
	for _, o := range d.observers {
		if o.fn != nil {
			o.fn(ev)
		}
	}
}

// collect drops the content of items deleted in this transaction.
func (d *Doc) collect(ds deleteSet) {
	for c, rs := range ds {
		cs := d.store.clients[c]
		for di := len(rs) - 1; di >= 0; di-- {
			r := rs[di]
			end := r.clock + r.length
			for si := cs.find(r.clock); si >= 0 && si < cs.n() && cs.at(si).id.Clock < end; si++ {
				it := cs.at(si)
				if !it.isGC() && it.deleted() && !it.keep() {
					d.gcItem(it, false)
				}
			}
		}
	}
}

// mergeDeleted merges the structs around each deleted range, right to left.
func (d *Doc) mergeDeleted(ds deleteSet) {
	for c, rs := range ds {
		cs := d.store.clients[c]
		for di := len(rs) - 1; di >= 0; di-- {
			r := rs[di]
			si := min(cs.n()-1, 1+cs.find(r.clock+r.length-1))
			for si > 0 && cs.at(si).id.Clock >= r.clock {
				si -= 1 + cs.mergeWithLefts(si)
			}
		}
	}
}

// mergeWithLefts merges the struct at pos into its left neighbours while
// possible and returns how many merges happened.
func (cs *clientStructs) mergeWithLefts(pos int) int {
	right := cs.at(pos)
	i := pos
	for ; i > 0; i-- {
		left := cs.at(i - 1)
		if left.deleted() != right.deleted() || left.isGC() != right.isGC() || !left.mergeWith(right) {
			break
		}
		if right.hasSub() && right.parent.entries[right.parentSub] == right {
			right.parent.entries[right.parentSub] = left
		}
		right = left
	}
	merged := pos - i
	if merged > 0 {
		cs.remove(pos+1-merged, merged)
	}
	return merged
}
