package server

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/server/store"
)

// authorsRetry is how long a room waits before recording names again after
// the store refused them; a variable so that tests need not wait as long.
var authorsRetry = 5 * time.Second

// attribution names the people who write in a pad, so that a note can
// credit them. The content of an update carries the Yjs client ids of its
// writers; the awareness state of the connection that sent it carries a
// display name (state.user.name, as y-prosemirror's and TipTap's cursors
// read it). y-websocket announces awareness under the document's own
// client id, so the id that wrote usually has a state of its own; content
// written under an older id of the same browser (offline edits from
// y-indexeddb) takes the name of the connection that delivered it.
//
// Deleting adds no structs and credits nobody: an update's delete set names
// the authors of what it deletes, not who deleted it.
type attribution struct {
	// recorded holds the name last recorded, or being recorded, for each
	// client id seen by this room.
	recorded map[uint64]string
	// credited lists the client ids each connection brought content for;
	// they follow the names it announces, so that an id written under
	// before the connection named itself, or one of an older session it
	// delivered, takes the name and its later changes.
	credited map[*conn][]uint64
	// dirty holds the names the store has not been given yet.
	dirty     map[uint64]string
	recording bool      // an authors-only job is with the committer
	retryAt   time.Time // after a failure, when to try again
}

// attribute credits the clients whose content the batch just brought.
// batch holds the updates applied (errs[i] == nil) and clients the client
// ids the transaction integrated structs for.
func (r *room) attribute(batch []pendingUpdate, errs []error, clients []uint64) {
	if r.srv.authors() == nil {
		return
	}
	for _, id := range clients {
		c := r.writerOf(id, batch, errs)
		if c == nil || slices.Contains(r.authors.credited[c], id) {
			continue // credited already: renames come through awareness
		}
		// A client that reconnects writes under the same id on a new
		// connection, which is credited with it again, so that the names
		// it announces there are followed too.
		if _, member := r.members[c]; member {
			r.authors.credited[c] = append(r.authors.credited[c], id)
		}
		r.record(id, r.nameFor(id, c))
	}
}

// writerOf finds the connection in the batch that sent client id's content.
func (r *room) writerOf(id uint64, batch []pendingUpdate, errs []error) *conn {
	var only *conn
	many := false
	for i, p := range batch {
		if errs[i] != nil {
			continue
		}
		if only != nil && p.c != only {
			many = true
		}
		if only == nil {
			only = p.c
		}
	}
	if !many {
		return only
	}
	if c := r.owners[id]; c != nil {
		for i, p := range batch {
			if errs[i] == nil && p.c == c {
				return c
			}
		}
	}
	for i, p := range batch {
		if errs[i] == nil && slices.Contains(r.authors.credited[p.c], id) {
			return p.c
		}
	}
	// Several writers in one window and an id without awareness: read the
	// updates themselves. Rare, so decoding again is affordable.
	for i, p := range batch {
		if errs[i] != nil {
			continue
		}
		if ids, err := crdt.UpdateClients(p.data); err == nil && slices.Contains(ids, id) {
			return p.c
		}
	}
	return nil
}

// nameFor is the display name of client id: its own awareness state's,
// else that of a state connection c announced.
func (r *room) nameFor(id uint64, c *conn) string {
	if s, ok := r.aw.State(id); ok {
		if n := userName(s); n != "" {
			return n
		}
	}
	m := r.members[c]
	if m == nil {
		return ""
	}
	ids := make([]uint64, 0, len(m.controlled))
	for cid := range m.controlled {
		ids = append(ids, cid)
	}
	slices.Sort(ids)
	for _, cid := range ids {
		if s, ok := r.aw.State(cid); ok {
			if n := userName(s); n != "" {
				return n
			}
		}
	}
	return ""
}

// awarenessNamed follows the names c announces for the ids it was
// credited with. Only writers pay for it: a reader's cursor moves return
// at once.
func (r *room) awarenessNamed(c *conn) {
	for _, id := range r.authors.credited[c] {
		r.record(id, r.nameFor(id, c))
	}
}

func (r *room) record(id uint64, name string) {
	if name == "" || r.authors.recorded[id] == name {
		return
	}
	r.authors.recorded[id] = name
	r.authors.dirty[id] = name
}

// takeDirty hands the names not yet given to the store to a commit job.
func (r *room) takeDirty() map[uint64]string {
	if len(r.authors.dirty) == 0 {
		return nil
	}
	d := r.authors.dirty
	r.authors.dirty = map[uint64]string{}
	return d
}

// flushAuthors records pending names on their own when no batch is about
// to carry them: a name announced after its writer's last edit.
func (r *room) flushAuthors() {
	if len(r.authors.dirty) == 0 || r.authors.recording || r.outstanding() >= commitDepth || time.Now().Before(r.authors.retryAt) {
		return
	}
	r.com.jobs <- commitJob{authors: r.takeDirty()}
	r.authors.recording = true
}

// authorsAcked puts back the names a failed write did not record, unless
// a newer name replaced them meanwhile.
func (r *room) authorsAcked(names map[uint64]string, err error) {
	if err == nil || len(names) == 0 {
		return
	}
	r.authors.retryAt = time.Now().Add(authorsRetry)
	for id, n := range names {
		if _, newer := r.authors.dirty[id]; !newer {
			r.authors.dirty[id] = n
		}
	}
}

// userName reads state.user.name from an awareness state, cleaned up to
// what a note page can list; "" when there is none.
func userName(state string) string {
	if !strings.Contains(state, `"user"`) {
		return ""
	}
	var s struct {
		User struct {
			Name string `json:"name"`
		} `json:"user"`
	}
	if json.Unmarshal([]byte(state), &s) != nil {
		return ""
	}
	name := strings.Join(strings.Fields(s.User.Name), " ")
	return truncateRunes(name, store.MaxAuthorName)
}
