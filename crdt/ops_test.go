package crdt_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/internal/lib0"
	"github.com/commonpad/commonpad/crdt/internal/yjsoracle"
)

// This file replays the oracle's op vocabulary (tools/yjsoracle/ops.mjs) on
// a crdt.Doc and renders content the way the oracle does, so that Go and yjs
// replicas can be compared op for op.

func insertAt(index, length int) int { return index % (length + 1) }

func rangeAt(index, n, length int) (int, int, bool) {
	if length == 0 {
		return 0, 0, false
	}
	start := index % length
	return start, 1 + (max(n, 1)-1)%(length-start), true
}

// fromExt converts the oracle's extended JSON to the Go values crdt takes.
func fromExt(v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = fromExt(x)
		}
		return out
	case map[string]any:
		if len(v) == 1 {
			for k, x := range v {
				switch k {
				case "$bigint":
					n, _ := strconv.ParseInt(fmt.Sprint(x), 10, 64)
					return lib0.BigInt(n)
				case "$bytes":
					switch b := x.(type) {
					case string:
						raw, _ := base64.StdEncoding.DecodeString(b)
						return raw
					case []byte:
						return b
					}
				case "$undefined":
					return lib0.Undefined
				case "$number":
					switch x {
					case "NaN":
						return math.NaN()
					case "Infinity":
						return math.Inf(1)
					case "-Infinity":
						return math.Inf(-1)
					case "-0":
						return math.Copysign(0, -1)
					}
				}
			}
		}
		keys := yjsoracle.JSKeyOrder(yjsoracle.SortedKeys(v))
		obj := make(lib0.Object, 0, len(v))
		for _, k := range keys {
			obj = append(obj, lib0.Field{Key: k, Value: fromExt(v[k])})
		}
		return obj
	case float64:
		if v == math.Trunc(v) && math.Abs(v) <= lib0.MaxSafeInteger {
			return int64(v)
		}
		return v
	}
	return v
}

func attrsOf(m map[string]any) crdt.Attributes {
	if m == nil {
		return nil
	}
	out := crdt.Attributes{}
	for k, v := range m {
		out[k] = fromExt(v)
	}
	return out
}

type xmlParent interface {
	Len() int
	Children() []crdt.XmlNode
	InsertElement(tx *crdt.Txn, index int, name string) (*crdt.XmlElement, error)
	InsertText(tx *crdt.Txn, index int, s string) (*crdt.XmlText, error)
	Delete(tx *crdt.Txn, index, length int) error
}

func elementsOf(p xmlParent) []*crdt.XmlElement {
	var out []*crdt.XmlElement
	for _, c := range p.Children() {
		if e, ok := c.(*crdt.XmlElement); ok {
			out = append(out, e)
		}
	}
	return out
}

func walkElements(p xmlParent, steps []int) xmlParent {
	for _, s := range steps {
		cands := elementsOf(p)
		if len(cands) == 0 {
			return nil
		}
		p = cands[s%len(cands)]
	}
	return p
}

func xmlTextAt(frag *crdt.XmlFragment, path []int) *crdt.XmlText {
	if len(path) == 0 {
		return nil
	}
	p := walkElements(frag, path[:len(path)-1])
	if p == nil {
		return nil
	}
	var cands []*crdt.XmlText
	for _, c := range p.Children() {
		if t, ok := c.(*crdt.XmlText); ok {
			cands = append(cands, t)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return cands[path[len(path)-1]%len(cands)]
}

func textOp(tx *crdt.Txn, t *crdt.Text, op yjsoracle.Op) error {
	switch op.Op {
	case yjsoracle.TextInsert, yjsoracle.XMLTextInsert:
		return t.Insert(tx, insertAt(op.Index, t.Len()), op.Text, attrsOf(op.Attrs))
	case yjsoracle.TextDelete, yjsoracle.XMLTextDelete:
		if i, n, ok := rangeAt(op.Index, op.Len, t.Len()); ok {
			return t.Delete(tx, i, n)
		}
	case yjsoracle.TextFormat, yjsoracle.XMLTextFormat:
		if i, n, ok := rangeAt(op.Index, op.Len, t.Len()); ok {
			return t.Format(tx, i, n, attrsOf(op.Attrs))
		}
	}
	return nil
}

// execOp runs one op inside tx.
func execOp(d *crdt.Doc, tx *crdt.Txn, op yjsoracle.Op) error {
	switch op.Op {
	case yjsoracle.TextInsert, yjsoracle.TextDelete, yjsoracle.TextFormat:
		return textOp(tx, d.Text(op.Root), op)
	case yjsoracle.TextEmbed:
		t := d.Text(op.Root)
		return t.InsertEmbed(tx, insertAt(op.Index, t.Len()), fromExt(op.Value), attrsOf(op.Attrs))
	case yjsoracle.MapSet:
		d.Map(op.Root).Set(tx, op.Key, fromExt(op.Value))
	case yjsoracle.MapDelete:
		d.Map(op.Root).Delete(tx, op.Key)
	case yjsoracle.ArrayInsert:
		a := d.Array(op.Root)
		vals := make([]any, len(op.Values))
		for i, v := range op.Values {
			vals[i] = fromExt(v)
		}
		return a.Insert(tx, insertAt(op.Index, a.Len()), vals...)
	case yjsoracle.ArrayDelete:
		a := d.Array(op.Root)
		if i, n, ok := rangeAt(op.Index, op.Len, a.Len()); ok {
			return a.Delete(tx, i, n)
		}
	case yjsoracle.XMLInsertElement, yjsoracle.XMLInsertText, yjsoracle.XMLDelete:
		p := walkElements(d.XmlFragment(op.Root), op.Path)
		if p == nil {
			return nil
		}
		switch op.Op {
		case yjsoracle.XMLInsertElement:
			_, err := p.InsertElement(tx, insertAt(op.Index, p.Len()), op.Name)
			return err
		case yjsoracle.XMLInsertText:
			_, err := p.InsertText(tx, insertAt(op.Index, p.Len()), op.Text)
			return err
		default:
			if i, n, ok := rangeAt(op.Index, op.Len, p.Len()); ok {
				return p.Delete(tx, i, n)
			}
		}
	case yjsoracle.XMLSetAttr, yjsoracle.XMLRemoveAttr:
		if len(op.Path) == 0 {
			return nil
		}
		e, ok := walkElements(d.XmlFragment(op.Root), op.Path).(*crdt.XmlElement)
		if !ok {
			return nil
		}
		if op.Op == yjsoracle.XMLSetAttr {
			e.SetAttribute(tx, op.Key, fromExt(op.Value))
		} else {
			e.RemoveAttribute(tx, op.Key)
		}
	case yjsoracle.XMLTextInsert, yjsoracle.XMLTextDelete, yjsoracle.XMLTextFormat:
		if t := xmlTextAt(d.XmlFragment(op.Root), op.Path); t != nil {
			return textOp(tx, &t.Text, op)
		}
	case yjsoracle.Txn:
		for _, inner := range op.Ops {
			if err := execOp(d, tx, inner); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("unknown op %q", op.Op)
	}
	return nil
}

// runOps runs each op in its own transaction and returns the update events.
func runOps(d *crdt.Doc, ops []yjsoracle.Op) ([][]byte, error) {
	var events [][]byte
	stop := d.OnUpdate(func(ev crdt.UpdateEvent) { events = append(events, append([]byte(nil), ev.Update...)) })
	defer stop()
	for _, op := range ops {
		var err error
		d.Transact(func(tx *crdt.Txn) { err = execOp(d, tx, op) })
		if err != nil {
			return events, err
		}
	}
	return events, nil
}

// toExt renders a value read from crdt as the oracle's extended JSON.
func toExt(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case lib0.UndefinedType:
		return map[string]any{"$undefined": true}
	case lib0.BigInt:
		return map[string]any{"$bigint": strconv.FormatInt(int64(v), 10)}
	case []byte:
		return map[string]any{"$bytes": base64.StdEncoding.EncodeToString(v)}
	case float64:
		switch {
		case math.IsNaN(v):
			return map[string]any{"$number": "NaN"}
		case math.IsInf(v, 1):
			return map[string]any{"$number": "Infinity"}
		case math.IsInf(v, -1):
			return map[string]any{"$number": "-Infinity"}
		case v == 0 && math.Signbit(v):
			return map[string]any{"$number": "-0"}
		}
		return v
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = toExt(x)
		}
		return out
	case lib0.Object:
		out := map[string]any{}
		for _, f := range v {
			out[f.Key] = toExt(f.Value)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			out[k] = toExt(x)
		}
		return out
	case *crdt.Text:
		return map[string]any{"$type": "text", "json": v.String()}
	case *crdt.XmlText:
		return map[string]any{"$type": "xmlText", "json": v.String()}
	case *crdt.XmlElement:
		return map[string]any{"$type": "xmlElement", "json": v.String()}
	case *crdt.XmlFragment:
		return map[string]any{"$type": "xmlFragment", "json": v.String()}
	case *crdt.Map:
		return map[string]any{"$type": "map", "json": toExt(v.ToJSON())}
	case *crdt.Array:
		return map[string]any{"$type": "array", "json": toExt(v.ToJSON())}
	case crdt.SubDoc:
		return map[string]any{"$doc": v.GUID}
	}
	return v
}

func deltaExt(ds []crdt.Delta) []any {
	out := []any{}
	for _, d := range ds {
		m := map[string]any{}
		if s, ok := d.Insert.(string); ok {
			m["insert"] = s
		} else {
			m["insert"] = toExt(d.Insert)
		}
		if d.Attributes != nil {
			m["attributes"] = toExt(d.Attributes)
		}
		out = append(out, m)
	}
	return out
}

func xmlTree(children []crdt.XmlNode) []any {
	out := []any{}
	for _, c := range children {
		switch c := c.(type) {
		case *crdt.XmlText:
			out = append(out, map[string]any{"text": c.String(), "delta": deltaExt(c.Delta())})
		case *crdt.XmlElement:
			out = append(out, map[string]any{"name": c.NodeName(), "attrs": toExt(c.Attributes()), "children": xmlTree(c.Children())})
		case *crdt.XmlHook:
			out = append(out, map[string]any{"hook": c.Name()})
		}
	}
	return out
}

// readContent renders roots as the oracle's "content" request does.
func readContent(d *crdt.Doc, roots []yjsoracle.Root) map[string]any {
	out := map[string]any{}
	for _, r := range roots {
		switch r.Kind {
		case yjsoracle.KindText:
			t := d.Text(r.Name)
			out[r.Name] = map[string]any{"string": t.String(), "delta": deltaExt(t.Delta())}
		case yjsoracle.KindMap:
			out[r.Name] = toExt(d.Map(r.Name).ToJSON())
		case yjsoracle.KindArray:
			out[r.Name] = toExt(d.Array(r.Name).ToJSON())
		case yjsoracle.KindXML:
			x := d.XmlFragment(r.Name)
			out[r.Name] = map[string]any{"string": x.String(), "tree": xmlTree(x.Children())}
		}
	}
	return out
}

// normalize round-trips a value through JSON so that Go and oracle renderings
// compare with reflect.DeepEqual.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unmarshalable: %v", err)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func sameContent(a, b any) bool { return reflect.DeepEqual(normalize(a), normalize(b)) }
