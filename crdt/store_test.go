package crdt

import (
	"math/rand/v2"
	"testing"
)

// TestGapBufferMatchesSlice drives clientStructs and a plain slice with the
// same random inserts, pushes and removals.
func TestGapBufferMatchesSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var cs clientStructs
	var ref []*item
	for step := range 20000 {
		switch k := r.IntN(10); {
		case k < 3 || len(ref) == 0:
			it := &item{length: step}
			cs.push(it)
			ref = append(ref, it)
		case k < 7:
			i := r.IntN(len(ref) + 1)
			it := &item{length: step}
			cs.insertAt(i, it)
			ref = append(ref[:i], append([]*item{it}, ref[i:]...)...)
		default:
			i := r.IntN(len(ref))
			n := 1 + r.IntN(min(3, len(ref)-i))
			cs.remove(i, n)
			ref = append(ref[:i], ref[i+n:]...)
		}
		if cs.n() != len(ref) {
			t.Fatalf("step %d: n = %d, want %d", step, cs.n(), len(ref))
		}
		if len(ref) > 0 && cs.last() != ref[len(ref)-1] {
			t.Fatalf("step %d: last differs", step)
		}
		if step%97 == 0 {
			for i := range ref {
				if cs.at(i) != ref[i] {
					t.Fatalf("step %d: at(%d) differs", step, i)
				}
			}
		}
	}
}
