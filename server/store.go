package server

import "github.com/commonpad/commonpad/server/store"

// Store is what the server needs from a back end: the update log and the
// pad metadata. boltstore.Store implements it.
type Store interface {
	store.Log
	store.Pads
}
