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

// KeySlot exposes the Cluster hash slot computation.
func KeySlot(key string) int { return keySlot(key) }

// ReadingPads returns, for each running follower connection, how many
// pads its latest XREAD names.
func (s *Store) ReadingPads() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n []int
	for _, rs := range s.groups {
		for _, r := range rs {
			r.mu.Lock()
			n = append(n, r.reading)
			r.mu.Unlock()
		}
	}
	return n
}
