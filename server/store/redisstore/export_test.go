package redisstore

// PadKeys returns the log, snapshot and compaction lock keys of pad, so
// tests can look under the store.
func (s *Store) PadKeys(pad string) (log, snapshot, lock string) {
	k := s.padKeys(pad)
	return k.log, k.snapshot, k.lock
}
