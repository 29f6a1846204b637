package yjsoracle

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Op names, as defined at the top of tools/yjsoracle/oracle.mjs.
const (
	TextInsert       = "text.insert"
	TextDelete       = "text.delete"
	TextFormat       = "text.format"
	TextEmbed        = "text.embed"
	MapSet           = "map.set"
	MapDelete        = "map.delete"
	ArrayInsert      = "array.insert"
	ArrayDelete      = "array.delete"
	XMLInsertElement = "xml.insertElement"
	XMLInsertText    = "xml.insertText"
	XMLDelete        = "xml.delete"
	XMLSetAttr       = "xml.setAttr"
	XMLRemoveAttr    = "xml.removeAttr"
	XMLTextInsert    = "xmltext.insert"
	XMLTextDelete    = "xmltext.delete"
	XMLTextFormat    = "xmltext.format"
	Txn              = "txn"
)

// Op is one edit in the oracle's vocabulary. Which fields matter depends on Op:
//
//	text.insert, xmltext.insert   Root, [Path], Index, Text, Attrs (nil: inherit formatting at
//	                              the insertion point; empty map: explicitly unformatted)
//	text.delete, xmltext.delete   Root, [Path], Index, Len
//	text.format, xmltext.format   Root, [Path], Index, Len, Attrs (a nil value removes a key)
//	text.embed                    Root, Index, Value (a JSON object), Attrs (nil == empty)
//	map.set, map.delete           Root, Key, Value (ext JSON, set only)
//	array.insert                  Root, Index, Values (ext JSON)
//	array.delete                  Root, Index, Len
//	xml.insertElement             Root, Path, Index, Name
//	xml.insertText                Root, Path, Index, Text (inserted into the new XmlText)
//	xml.delete                    Root, Path, Index, Len
//	xml.setAttr, xml.removeAttr   Root, Path (non-empty), Key, Value (ext JSON, set only)
//	txn                           Ops, run in one transaction (no nested txn)
//
// Index and Len are resolved modulo the target's current length (see the package comment);
// Len must be at least 1 where it is used. Values, Value of map.set and xml.setAttr use ext
// JSON: plain JSON plus the single-key objects built by BigInt, Bytes, Undefined and Number.
//
// Attrs and object values are sent with encoding/json, which sorts map keys; JavaScript then
// iterates integer-like keys first. JSKeyOrder gives the order yjs applies them in.
type Op struct {
	Op     string         `json:"op"`
	Root   string         `json:"root,omitempty"`
	Path   []int          `json:"path,omitempty"`
	Index  int            `json:"index,omitempty"`
	Len    int            `json:"len,omitempty"`
	Text   string         `json:"text,omitempty"`
	Attrs  map[string]any `json:"attrs,omitempty"`
	Key    string         `json:"key,omitempty"`
	Name   string         `json:"name,omitempty"`
	Value  any            `json:"value,omitempty"`
	Values []any          `json:"values,omitempty"`
	Ops    []Op           `json:"ops,omitempty"`
}

var _ json.Marshaler = Op{}

// wireOp sends each op with exactly the fields its kind uses, so that "absent" and "empty"
// keep their distinct meanings (attrs) and zero values are not dropped (index 0, value null).
type wireOp struct {
	Op     string           `json:"op"`
	Root   *string          `json:"root,omitempty"`
	Path   *[]int           `json:"path,omitempty"`
	Index  *int             `json:"index,omitempty"`
	Len    *int             `json:"len,omitempty"`
	Text   *string          `json:"text,omitempty"`
	Attrs  *map[string]any  `json:"attrs,omitempty"`
	Key    *string          `json:"key,omitempty"`
	Name   *string          `json:"name,omitempty"`
	Value  *json.RawMessage `json:"value,omitempty"`
	Values *[]any           `json:"values,omitempty"`
	Ops    *[]Op            `json:"ops,omitempty"`
}

// MarshalJSON writes the fields the op's kind uses. Unknown kinds get every non-zero field,
// so the oracle can report them.
func (op Op) MarshalJSON() ([]byte, error) {
	w := wireOp{Op: op.Op}
	family, verb, _ := strings.Cut(op.Op, ".")
	known := true
	switch op.Op {
	case TextInsert, TextDelete, TextFormat, TextEmbed, MapSet, MapDelete, ArrayInsert,
		ArrayDelete, XMLInsertElement, XMLInsertText, XMLDelete, XMLSetAttr, XMLRemoveAttr,
		XMLTextInsert, XMLTextDelete, XMLTextFormat:
		w.Root = &op.Root
	case Txn:
		ops := op.Ops
		if ops == nil {
			ops = []Op{}
		}
		w.Ops = &ops
	default:
		known = false
	}
	if !known {
		return json.Marshal(struct {
			Op     string         `json:"op"`
			Root   string         `json:"root,omitempty"`
			Path   []int          `json:"path,omitempty"`
			Index  int            `json:"index,omitempty"`
			Len    int            `json:"len,omitempty"`
			Text   string         `json:"text,omitempty"`
			Attrs  map[string]any `json:"attrs,omitempty"`
			Key    string         `json:"key,omitempty"`
			Name   string         `json:"name,omitempty"`
			Value  any            `json:"value,omitempty"`
			Values []any          `json:"values,omitempty"`
			Ops    []Op           `json:"ops,omitempty"`
		}(op))
	}
	if family == "xml" || family == "xmltext" {
		path := op.Path
		if path == nil {
			path = []int{}
		}
		w.Path = &path
	}
	if family != "map" {
		switch verb {
		case "insert", "embed", "delete", "format", "insertElement", "insertText":
			w.Index = &op.Index
		}
		switch verb {
		case "delete", "format":
			w.Len = &op.Len
		}
	}
	switch op.Op {
	case TextInsert, XMLTextInsert, XMLInsertText:
		w.Text = &op.Text
	}
	switch op.Op {
	case TextInsert, XMLTextInsert, TextEmbed:
		if op.Attrs != nil {
			w.Attrs = &op.Attrs
		}
	case TextFormat, XMLTextFormat:
		attrs := op.Attrs
		if attrs == nil {
			attrs = map[string]any{}
		}
		w.Attrs = &attrs
	}
	switch op.Op {
	case MapSet, MapDelete, XMLSetAttr, XMLRemoveAttr:
		w.Key = &op.Key
	}
	switch op.Op {
	case MapSet, XMLSetAttr, TextEmbed:
		raw, err := json.Marshal(op.Value)
		if err != nil {
			return nil, err
		}
		v := json.RawMessage(raw)
		w.Value = &v
	case ArrayInsert:
		values := op.Values
		if values == nil {
			values = []any{}
		}
		w.Values = &values
	case XMLInsertElement:
		w.Name = &op.Name
	}
	return json.Marshal(w)
}

// BigInt is the ext JSON form of a JavaScript bigint (Any tag 122 when stored by map.set).
func BigInt(v int64) map[string]any { return map[string]any{"$bigint": strconv.FormatInt(v, 10)} }

// Bytes is the ext JSON form of a Uint8Array: Binary content at the top level of map.set,
// array.insert and xml.setAttr, Any tag 116 inside an object or array.
func Bytes(b []byte) map[string]any { return map[string]any{"$bytes": b} }

// Undefined is the ext JSON form of JavaScript undefined.
func Undefined() map[string]any { return map[string]any{"$undefined": true} }

// Number is the ext JSON form of a number JSON cannot carry: "NaN", "Infinity", "-Infinity"
// or "-0".
func Number(s string) map[string]any { return map[string]any{"$number": s} }

// JSKeyOrder returns keys in the order JavaScript iterates an object holding them: canonical
// array-index keys ("0" to "4294967294") in numeric order first, then the others in the order
// given. For a map sent by encoding/json, pass the keys sorted.
func JSKeyOrder(keys []string) []string {
	var ints, others []string
	for _, k := range keys {
		if isArrayIndex(k) {
			ints = append(ints, k)
		} else {
			others = append(others, k)
		}
	}
	slices.SortFunc(ints, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	return append(ints, others...)
}

func isArrayIndex(k string) bool {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	return err == nil && n < 1<<32-1
}

// SortedKeys returns the keys of m in the order encoding/json writes them.
func SortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
