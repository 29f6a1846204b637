package crdt

import (
	"encoding/json"
	"slices"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// decodedUpdate is an update read in full and checked, not yet integrated.
// Decoding everything first is what lets ApplyUpdate leave the document
// untouched when an update is malformed.
type decodedUpdate struct {
	// blocks holds each client's structs sorted by clock.
	blocks clientMap[[]*item]
	ds     []dsEntry
	// Most updates come from one client with one struct: inline room for
	// that saves allocations on the hot path.
	key1  [1]uint64
	val1  [1][]*item
	refs1 [1]*item
}

// dsEntry is one deleted range as read from an update.
type dsEntry struct {
	client uint64
	delRange
}

// decodeUpdate reads a v1 update. Trailing bytes after the delete set are
// ignored, as Yjs does.
func decodeUpdate(b []byte) (*decodedUpdate, error) {
	var d lib0.Decoder
	d.Reset(b)
	u := &decodedUpdate{}
	u.blocks.keys, u.blocks.vals = u.key1[:0], u.val1[:0]
	if err := readUpdate(&d, u); err != nil {
		return nil, &DecodeError{Offset: d.Pos(), Err: err}
	}
	return u, nil
}

func readUpdate(d *lib0.Decoder, u *decodedUpdate) error {
	nBlocks, err := d.ReadVarUint()
	if err != nil {
		return err
	}
	if nBlocks > uint64(d.Remaining()) {
		return lib0.ErrUnexpectedEOF
	}
	for range nBlocks {
		nStructs, err := d.ReadVarUint()
		if err != nil {
			return err
		}
		client, err := d.ReadVarUint()
		if err != nil {
			return err
		}
		clock, err := d.ReadVarUint()
		if err != nil {
			return err
		}
		// Every struct takes at least two bytes.
		if nStructs > uint64(d.Remaining()/2) {
			return lib0.ErrUnexpectedEOF
		}
		if nStructs == 0 {
			continue
		}
		refs, merged := u.blocks.get(client)
		if !merged && nStructs == 1 && u.blocks.len() == 0 {
			refs = u.refs1[:0]
		}
		for range nStructs {
			it, err := readStruct(d, client, clock)
			if err != nil {
				return err
			}
			refs = append(refs, it)
			clock += uint64(it.length)
		}
		if merged {
			// A client appearing twice is merged, not overwritten as Yjs would.
			slices.SortStableFunc(refs, func(a, b *item) int {
				switch {
				case a.id.Clock < b.id.Clock:
					return -1
				case a.id.Clock > b.id.Clock:
					return 1
				}
				return 0
			})
		}
		u.blocks.set(client, refs)
	}
	u.ds, err = readDeleteSet(d)
	return err
}

func readLength(d *lib0.Decoder, clock uint64) (int, error) {
	n, err := d.ReadVarUint()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, ErrZeroLength
	}
	if clock+n > maxClock {
		return 0, ErrClockOverflow
	}
	return int(n), nil
}

func readID(d *lib0.Decoder) (ID, error) {
	c, err := d.ReadVarUint()
	if err != nil {
		return ID{}, err
	}
	k, err := d.ReadVarUint()
	return ID{c, k}, err
}

func readStruct(d *lib0.Decoder, client, clock uint64) (*item, error) {
	info, err := d.ReadUint8()
	if err != nil {
		return nil, err
	}
	id := ID{client, clock}
	switch info & 0x1f {
	case refGC:
		n, err := readLength(d, clock)
		if err != nil {
			return nil, err
		}
		return &item{id: id, length: n, flags: flagGC | flagDeleted}, nil
	case refSkip:
		n, err := readLength(d, clock)
		if err != nil {
			return nil, err
		}
		return &item{id: id, length: n, flags: flagSkip}, nil
	}
	var it *item
	var str *contentString
	if info&0x1f == refString {
		si := &stringItem{}
		it, str = &si.item, &si.str
	} else {
		it = &item{}
	}
	it.id = id
	// A struct may only depend on earlier clocks of its own client.
	checkOwn := func(ref ID) error {
		if ref.Client == client && ref.Clock >= clock {
			return ErrBadReference
		}
		return nil
	}
	if info&0x80 != 0 {
		if it.origin, err = readID(d); err != nil {
			return nil, err
		}
		if err := checkOwn(it.origin); err != nil {
			return nil, err
		}
		it.flags |= flagHasOrigin
	}
	if info&0x40 != 0 {
		if it.rightOrigin, err = readID(d); err != nil {
			return nil, err
		}
		if err := checkOwn(it.rightOrigin); err != nil {
			return nil, err
		}
		it.flags |= flagHasRightOrigin
	}
	if info&0xc0 == 0 {
		// Parent and key are on the wire only when neither origin is.
		isRoot, err := d.ReadVarUint()
		if err != nil {
			return nil, err
		}
		ref := &parentRef{}
		if isRoot == 1 {
			if ref.root, err = d.ReadVarString(); err != nil {
				return nil, err
			}
		} else {
			if ref.id, err = readID(d); err != nil {
				return nil, err
			}
			if err := checkOwn(ref.id); err != nil {
				return nil, err
			}
			ref.byID = true
		}
		it.ref = ref
		if info&0x20 != 0 {
			if it.parentSub, err = d.ReadVarString(); err != nil {
				return nil, err
			}
			it.flags |= flagHasParentSub
		}
	}
	c, n, err := readContent(d, info&0x1f, str)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrZeroLength
	}
	if clock+uint64(n) > maxClock {
		return nil, ErrClockOverflow
	}
	it.content = c
	it.length = n
	if c.countable() {
		it.flags |= flagCountable
	}
	return it, nil
}

func readJSONText(d *lib0.Decoder) (string, error) {
	s, err := d.ReadVarString()
	if err != nil {
		return "", err
	}
	if !json.Valid([]byte(s)) {
		return "", ErrInvalidJSON
	}
	return s, nil
}

// readContent reads a content payload and returns it with its length in clocks.
// Text is read into str when it is given.
func readContent(d *lib0.Decoder, ref byte, str *contentString) (content, int, error) {
	switch ref {
	case refDeleted:
		n, err := d.ReadVarUint()
		if err != nil {
			return nil, 0, err
		}
		if n > maxClock {
			return nil, 0, ErrClockOverflow
		}
		return &contentDeleted{int(n)}, int(n), nil
	case refJSON:
		n, err := d.ReadVarUint()
		if err != nil {
			return nil, 0, err
		}
		if n > uint64(d.Remaining()) {
			return nil, 0, lib0.ErrUnexpectedEOF
		}
		vals := make([]string, n)
		for i := range vals {
			s, err := d.ReadVarString()
			if err != nil {
				return nil, 0, err
			}
			if s != "undefined" && !json.Valid([]byte(s)) {
				return nil, 0, ErrInvalidJSON
			}
			vals[i] = s
		}
		return &contentJSON{vals}, int(n), nil
	case refBinary:
		b, err := d.ReadVarBytes()
		if err != nil {
			return nil, 0, err
		}
		return &contentBinary{slices.Clone(b)}, 1, nil
	case refString:
		b, err := d.ReadVarBytes()
		if err != nil {
			return nil, 0, err
		}
		if !validUTF8(b) {
			return nil, 0, lib0.ErrInvalidUTF8
		}
		if str == nil {
			str = &contentString{}
		}
		str.s = slices.Clip(slices.Clone(b))
		str.units = utf16Len(str.s)
		return str, str.units, nil
	case refEmbed:
		s, err := readJSONText(d)
		if err != nil {
			return nil, 0, err
		}
		return &contentEmbed{s}, 1, nil
	case refFormat:
		key, err := d.ReadVarString()
		if err != nil {
			return nil, 0, err
		}
		s, err := readJSONText(d)
		if err != nil {
			return nil, 0, err
		}
		return &contentFormat{key, s}, 1, nil
	case refType:
		tr, err := d.ReadVarUint()
		if err != nil {
			return nil, 0, err
		}
		if tr > typeXMLText {
			return nil, 0, ErrUnknownTypeRef
		}
		b := &branch{typeRef: int(tr)}
		if tr == typeXMLElement || tr == typeXMLHook {
			if b.name, err = d.ReadVarString(); err != nil {
				return nil, 0, err
			}
		}
		return &contentType{b}, 1, nil
	case refAny:
		n, err := d.ReadVarUint()
		if err != nil {
			return nil, 0, err
		}
		if n > uint64(d.Remaining()) {
			return nil, 0, lib0.ErrUnexpectedEOF
		}
		vals := make([]any, n)
		for i := range vals {
			if vals[i], err = d.ReadAny(); err != nil {
				return nil, 0, err
			}
		}
		return &contentAny{vals}, int(n), nil
	case refDoc:
		guid, err := d.ReadVarString()
		if err != nil {
			return nil, 0, err
		}
		opts, err := d.ReadAny()
		if err != nil {
			return nil, 0, err
		}
		return &contentDoc{guid, opts}, 1, nil
	}
	return nil, 0, ErrUnknownContent
}
