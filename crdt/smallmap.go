package crdt

// clientMap maps client ids to values. Most transactions and updates touch
// one or two clients, where a slice beats a hash map and allocates nothing
// once grown; past a few entries it adds an index, so that an update naming
// thousands of clients stays linear.
type clientMap[V any] struct {
	keys  []uint64
	vals  []V
	index map[uint64]int
	last  int // the last index found: lookups come in runs for one client
}

const clientMapIndexAt = 16

func (m *clientMap[V]) find(k uint64) int {
	if m.last < len(m.keys) && m.keys[m.last] == k {
		return m.last
	}
	if m.index != nil {
		if i, ok := m.index[k]; ok {
			m.last = i
			return i
		}
		return -1
	}
	for i, x := range m.keys {
		if x == k {
			m.last = i
			return i
		}
	}
	return -1
}

func (m *clientMap[V]) get(k uint64) (V, bool) {
	if i := m.find(k); i >= 0 {
		return m.vals[i], true
	}
	var zero V
	return zero, false
}

func (m *clientMap[V]) set(k uint64, v V) {
	if i := m.find(k); i >= 0 {
		m.vals[i] = v
		return
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	switch n := len(m.keys); {
	case m.index != nil:
		m.index[k] = n - 1
	case n > clientMapIndexAt:
		m.index = make(map[uint64]int, 2*n)
		for i, x := range m.keys {
			m.index[x] = i
		}
	}
}

func (m *clientMap[V]) len() int { return len(m.keys) }

// reset empties the map, keeping its storage.
func (m *clientMap[V]) reset() {
	clear(m.vals)
	m.keys, m.vals, m.index, m.last = m.keys[:0], m.vals[:0], nil, 0
}
