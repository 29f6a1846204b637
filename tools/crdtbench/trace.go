package main

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
)

// trace is an editing trace in the josephg/editing-traces format (see the
// README beside the traces).
type trace struct {
	Name       string
	EndContent string `json:"endContent"`
	Txns       []txn  `json:"txns"`
}

type txn struct {
	Patches []patch `json:"patches"`
}

// patch is a splice [pos, del, ins]. Positions count code points; the
// loader accepts only traces whose code points are all in the BMP, where
// they equal the UTF-16 units that Yjs and our crdt count.
type patch struct {
	Pos, Del int
	Ins      string
}

func (p *patch) UnmarshalJSON(b []byte) error {
	var raw []any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if len(raw) != 3 {
		return fmt.Errorf("patch has %d elements, want 3", len(raw))
	}
	pos, ok1 := count(raw[0])
	del, ok2 := count(raw[1])
	ins, ok3 := raw[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("patch %s is not [position, deleteCount, insertText]", b)
	}
	*p = patch{pos, del, ins}
	return nil
}

func count(v any) (int, bool) {
	f, ok := v.(float64)
	if !ok || f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

// loadTrace reads a gzip-compressed trace.
func loadTrace(path, name string) (*trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tr := &trace{Name: name}
	if err := json.NewDecoder(zr).Decode(tr); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := tr.checkBMP(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return tr, nil
}

var errNonBMP = errors.New("crdtbench: trace text leaves the BMP: code point positions would need converting to UTF-16")

func (tr *trace) checkBMP() error {
	if !bmp(tr.EndContent) {
		return errNonBMP
	}
	for _, t := range tr.Txns {
		for _, p := range t.Patches {
			if !bmp(p.Ins) {
				return errNonBMP
			}
		}
	}
	return nil
}

func bmp(s string) bool {
	for _, r := range s {
		if r >= 0x10000 {
			return false
		}
	}
	return true
}

// patches returns every patch in order, as one list.
func (tr *trace) patches() []patch {
	var out []patch
	for _, t := range tr.Txns {
		out = append(out, t.Patches...)
	}
	return out
}
