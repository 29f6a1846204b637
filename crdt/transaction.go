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
	before       map[uint64]uint64
	ds           deleteSet
	mergeStructs []*item
}

// Doc returns the document the transaction changes.
func (tx *Txn) Doc() *Doc { return tx.doc }

// Origin returns the origin given to Transact or ApplyUpdate.
func (tx *Txn) Origin() any { return tx.origin }

func (tx *Txn) addStruct(it *item) {
	c := it.id.Client
	if _, ok := tx.before[c]; !ok {
		if tx.before == nil {
			tx.before = make(map[uint64]uint64, 2)
		}
		tx.before[c] = tx.doc.store.state(c)
	}
	tx.doc.store.add(it)
}

func (tx *Txn) beforeState(client uint64) uint64 {
	if s, ok := tx.before[client]; ok {
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
	tx := &Txn{doc: d, origin: origin, local: local}
	d.txn = tx
	defer func() {
		d.txn = nil
		d.cleanup(tx)
	}()
	fn(tx)
}

// cleanup ends a transaction as Yjs cleanupTransactions does: collect, merge,
// check for a client id collision, then emit the update.
func (d *Doc) cleanup(tx *Txn) {
	tx.ds.sortAndMerge()
	if d.gc {
		d.collect(tx.ds)
	}
	d.mergeDeleted(tx.ds)
	for c, before := range tx.before {
		cs := d.store.clients[c]
		if before == cs.structs[len(cs.structs)-1].endClock() {
			continue
		}
		first := max(findIndex(cs.structs, before), 1)
		for i := len(cs.structs) - 1; i >= first; {
			i -= 1 + cs.mergeWithLefts(i)
		}
	}
	for i := len(tx.mergeStructs) - 1; i >= 0; i-- {
		id := tx.mergeStructs[i].id
		cs := d.store.clients[id.Client]
		pos := findIndex(cs.structs, id.Clock)
		if pos+1 < len(cs.structs) && cs.mergeWithLefts(pos+1) > 1 {
			continue
		}
		if pos > 0 {
			cs.mergeWithLefts(pos)
		}
	}
	if !tx.local {
		if _, ok := tx.before[d.clientID]; ok {
			// Someone else wrote under our client id: continuing with it would
			// make our next edits look like duplicates of theirs.
			d.clientID = randomClientID()
		}
	}
	if len(d.observers) == 0 || len(tx.ds) == 0 && len(tx.before) == 0 {
		return
	}
	e := lib0.NewEncoder(64)
	d.writeStructs(e, tx.before, nil)
	tx.ds.write(e)
	ev := UpdateEvent{Update: e.Bytes(), Origin: tx.origin, Local: tx.local}
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
			for si := findIndex(cs.structs, r.clock); si >= 0 && si < len(cs.structs) && cs.structs[si].id.Clock < end; si++ {
				it := cs.structs[si]
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
			si := min(len(cs.structs)-1, 1+findIndex(cs.structs, r.clock+r.length-1))
			for si > 0 && cs.structs[si].id.Clock >= r.clock {
				si -= 1 + cs.mergeWithLefts(si)
			}
		}
	}
}

// mergeWithLefts merges the struct at pos into its left neighbours while
// possible and returns how many merges happened.
func (cs *clientStructs) mergeWithLefts(pos int) int {
	structs := cs.structs
	right := structs[pos]
	i := pos
	for ; i > 0; i-- {
		left := structs[i-1]
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
		cs.structs = append(structs[:pos+1-merged], structs[pos+1:]...)
	}
	return merged
}
