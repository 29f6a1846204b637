package crdt

import (
	"math/rand/v2"
)

// Options configures a new Doc. The zero value is a document with a random
// client id and garbage collection on, as a default Y.Doc.
type Options struct {
	// ClientID is the id under which local edits are written. Zero draws a
	// random 32-bit id, as Yjs does, unless FixedClientID is set. Never reuse
	// an id for a document that does not already hold every struct written
	// under it.
	ClientID uint64
	// FixedClientID makes a zero ClientID mean client 0.
	FixedClientID bool
	// DisableGC keeps the content of deleted items (Yjs gc: false), which
	// version snapshots need. By default deleted content is dropped.
	DisableGC bool
}

// Doc is a Yjs-compatible document. A Doc is not safe for concurrent use: it
// has one owner, which serialises every call.
type Doc struct {
	clientID  uint64
	gc        bool
	store     structStore
	roots     map[string]*branch
	rootNames []string // in order of creation
	pending   *pendingStructs
	pendingDS deleteSet
	txn       *Txn
	txnBuf    Txn
	txnBusy   bool
	observers []*observer
}

type observer struct{ fn func(UpdateEvent) }

// NewDoc returns an empty document.
func NewDoc(opts Options) *Doc {
	d := &Doc{
		clientID: opts.ClientID,
		gc:       !opts.DisableGC,
		store:    newStructStore(),
		roots:    make(map[string]*branch),
	}
	if d.clientID == 0 && !opts.FixedClientID {
		d.clientID = randomClientID()
	}
	return d
}

func randomClientID() uint64 {
	for {
		if id := uint64(rand.Uint32()); id != 0 {
			return id
		}
	}
}

// ClientID returns the id under which local edits are written. It changes
// if a remote update writes under the same id (see Options.ClientID).
func (d *Doc) ClientID() uint64 { return d.clientID }

// RenewClientID gives the document a new random client id, one no struct
// in it uses yet, for its next local edits. A replica that writes on
// behalf of different people, such as a server adding their notes, keeps
// each one's content under an id of its own, so it can be credited. It
// must not be called inside a transaction.
func (d *Doc) RenewClientID() {
	for {
		id := randomClientID()
		if _, used := d.store.clients[id]; !used && id != d.clientID {
			d.clientID = id
			return
		}
	}
}

// GC reports whether deleted content is garbage-collected.
func (d *Doc) GC() bool { return d.gc }

// OnUpdate registers fn to receive the update of every transaction that
// changes the document, local or remote, like Yjs's 'update' event. fn runs
// synchronously at the end of the transaction and must not edit the
// document. The returned function unregisters it.
func (d *Doc) OnUpdate(fn func(UpdateEvent)) (unsubscribe func()) {
	o := &observer{fn: fn}
	d.observers = append(d.observers, o)
	return func() {
		for i, x := range d.observers {
			if x == o {
				d.observers = append(d.observers[:i:i], d.observers[i+1:]...)
				return
			}
		}
	}
}

// ApplyUpdate integrates a v1 update. It either integrates it or returns an
// error and leaves the document exactly as it was: the update is decoded and
// checked in full before anything changes. Structs whose dependencies have
// not arrived yet are kept pending and integrated when they do; applying an
// update twice changes nothing.
func (d *Doc) ApplyUpdate(update []byte) error { return d.ApplyUpdateWithOrigin(update, nil) }

// ApplyUpdateWithOrigin is ApplyUpdate with an origin that observers receive.
func (d *Doc) ApplyUpdateWithOrigin(update []byte, origin any) error {
	u, err := decodeUpdate(update)
	if err != nil {
		return err
	}
	d.transact(origin, false, func(tx *Txn) { tx.applyDecoded(u) })
	return nil
}

// ApplyUpdates integrates several updates as one remote transaction, so
// observers receive a single update covering all of them: a relay that
// collects the updates of a short window sends one message instead of many.
// Each update is decoded and checked first; the malformed ones are skipped
// and reported at their index in errs (nil where the update was applied).
func (d *Doc) ApplyUpdates(updates [][]byte, origin any) (errs []error) {
	decoded := make([]*decodedUpdate, len(updates))
	errs = make([]error, len(updates))
	for i, u := range updates {
		decoded[i], errs[i] = decodeUpdate(u)
	}
	d.transact(origin, false, func(tx *Txn) {
		for _, u := range decoded {
			if u != nil {
				tx.applyDecoded(u)
			}
		}
	})
	return errs
}

// applyDecoded integrates what can be, parks the rest, and retries what was
// parked earlier when this update filled a gap (Yjs applyUpdateV2).
func (tx *Txn) applyDecoded(u *decodedUpdate) {
	d := tx.doc
	rest := tx.integrateStructs(&u.blocks)
	retry := false
	if d.pending != nil {
		for c, clock := range d.pending.missing {
			if clock < d.store.state(c) {
				retry = true
				break
			}
		}
		if rest != nil {
			d.pending.merge(rest)
		}
	} else {
		d.pending = rest
	}
	dsRest := tx.applyDeleteSet(u.ds)
	if d.pendingDS != nil {
		dsRest2 := tx.applyDeleteSet(d.pendingDS.entries())
		dsRest.merge(dsRest2)
		if dsRest != nil {
			dsRest.sortAndMerge()
		}
	}
	d.pendingDS = dsRest
	if retry {
		p := d.pending
		d.pending = nil
		retried := &decodedUpdate{}
		for _, c := range sortedClientsDesc(p.blocks) {
			retried.blocks.set(c, p.blocks[c])
		}
		tx.applyDecoded(retried)
	}
}

// HasPending reports whether the document holds structs or deletions that
// wait for updates it has not received.
func (d *Doc) HasPending() bool { return d.pending != nil || len(d.pendingDS) > 0 }

// root returns the root type called name, creating it untyped if needed.
func (d *Doc) root(name string) *branch {
	b := d.roots[name]
	if b == nil {
		b = &branch{doc: d, name: name, typeRef: typeUnknown}
		d.roots[name] = b
		d.rootNames = append(d.rootNames, name)
	}
	return b
}

// RootNames returns the names of the document's root types, in the order
// they were first seen.
func (d *Doc) RootNames() []string { return append([]string(nil), d.rootNames...) }
