package boltstore

// CommitStats reports the committer's write transactions and the Append
// calls they carried.
func (s *Store) CommitStats() (commits, calls uint64) {
	return s.commits.Load(), s.committed.Load()
}

// Watches reports how many pads have followers waiting.
func (s *Store) Watches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.changed)
}
