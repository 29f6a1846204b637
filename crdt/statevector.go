package crdt

import (
	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// StateVector maps each client to the next clock expected from it: the
// number of clock units of that client a document has integrated.
type StateVector map[uint64]uint64

// Encode writes the state vector in the v1 encoding (clients descending, as Yjs).
func (sv StateVector) Encode() []byte {
	e := lib0.NewEncoder(1 + len(sv)*8)
	e.WriteVarUint(uint64(len(sv)))
	for _, c := range sortedClientsDesc(sv) {
		e.WriteVarUint(c)
		e.WriteVarUint(sv[c])
	}
	return e.Bytes()
}

// DecodeStateVector reads a v1 state vector. Clients may come in any order.
func DecodeStateVector(b []byte) (StateVector, error) {
	d := lib0.NewDecoder(b)
	n, err := d.ReadVarUint()
	if err != nil {
		return nil, &DecodeError{d.Pos(), err}
	}
	if n > uint64(d.Remaining()/2) {
		return nil, &DecodeError{d.Pos(), ErrBadStateVector}
	}
	sv := make(StateVector, n)
	for range n {
		c, err := d.ReadVarUint()
		if err != nil {
			return nil, &DecodeError{d.Pos(), err}
		}
		clock, err := d.ReadVarUint()
		if err != nil {
			return nil, &DecodeError{d.Pos(), err}
		}
		sv[c] = clock
	}
	return sv, nil
}
