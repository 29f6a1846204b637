package crdt

// Array is a shared list (Y.Array) of JSON-like values, binary data and
// nested types.
type Array struct{ b *branch }

// Array returns the root array called name.
func (d *Doc) Array(name string) *Array { return &Array{d.typedRoot(name, typeArray)} }

// Len returns the number of elements.
func (a *Array) Len() int { return a.b.length }

// Get returns the element at index.
func (a *Array) Get(index int) (any, bool) { return a.b.listGet(index) }

// ToSlice returns every element; nested types as views.
func (a *Array) ToSlice() []any { return a.b.listValues() }

// ToJSON returns every element as JSON-like values.
func (a *Array) ToJSON() []any {
	vals := a.b.listValues()
	for i, v := range vals {
		vals[i] = toJSON(v)
	}
	return vals
}

// Insert inserts values at index. Consecutive JSON-like values share one
// item; each []byte becomes its own item, as in Yjs.
func (a *Array) Insert(tx *Txn, index int, values ...any) error {
	if index < 0 || index > a.b.length {
		return ErrIndexOutOfRange
	}
	if len(values) == 0 {
		return nil
	}
	var contents []content
	var run []any
	for _, v := range values {
		if b, ok := v.([]byte); ok {
			if len(run) > 0 {
				contents = append(contents, &contentAny{run})
				run = nil
			}
			contents = append(contents, &contentBinary{append([]byte(nil), b...)})
			continue
		}
		run = append(run, normalizeAny(v))
	}
	if len(run) > 0 {
		contents = append(contents, &contentAny{run})
	}
	tx.listInsert(a.b, index, contents)
	return nil
}

// Delete removes length elements from index.
func (a *Array) Delete(tx *Txn, index, length int) error {
	if index < 0 || length < 0 || index+length > a.b.length {
		return ErrIndexOutOfRange
	}
	if length > 0 {
		tx.listDelete(a.b, index, length)
	}
	return nil
}

// InsertMap inserts a new nested map at index and returns it.
func (a *Array) InsertMap(tx *Txn, index int) (*Map, error) {
	b, err := tx.insertType(a.b, index, typeMap, "")
	if err != nil {
		return nil, err
	}
	return &Map{b}, nil
}

// InsertArray inserts a new nested array at index and returns it.
func (a *Array) InsertArray(tx *Txn, index int) (*Array, error) {
	b, err := tx.insertType(a.b, index, typeArray, "")
	if err != nil {
		return nil, err
	}
	return &Array{b}, nil
}

// InsertText inserts a new nested text at index and returns it.
func (a *Array) InsertText(tx *Txn, index int) (*Text, error) {
	b, err := tx.insertType(a.b, index, typeText, "")
	if err != nil {
		return nil, err
	}
	return &Text{b}, nil
}

func (tx *Txn) insertType(parent *branch, index, ref int, name string) (*branch, error) {
	if index < 0 || index > parent.length {
		return nil, ErrIndexOutOfRange
	}
	nb := &branch{typeRef: ref, name: name}
	tx.listInsert(parent, index, []content{&contentType{nb}})
	return nb, nil
}
