package redisstore

// PadKeys returns the log, snapshot and compaction lock keys of pad, so
// tests can look under the store.
func (s *Store) PadKeys(pad string) (log, snapshot, lock string) {
	k := s.padKeys(pad)
	return k.log, k.snapshot, k.lock
}

// MetaKey, ReadOnlyKey and ListKey name the metadata keys, so tests can
// plant data there.
func (s *Store) MetaKey(id string) string       { return s.metaKey(id) }
func (s *Store) ReadOnlyKey(roID string) string { return s.readOnlyKey(roID) }
func (s *Store) ListKey() string                { return s.listKey() }
