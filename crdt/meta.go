package crdt

import "slices"

// UpdateClients lists, in ascending order, the clients that have structs in
// a v1 update: the authors of the content it carries, where its delete set
// names only the authors of what it deletes. It checks the whole update, as
// ApplyUpdate does.
func UpdateClients(update []byte) ([]uint64, error) {
	u, err := decodeUpdate(update)
	if err != nil {
		return nil, err
	}
	return slices.Sorted(slices.Values(u.blocks.keys)), nil
}
