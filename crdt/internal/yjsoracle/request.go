package yjsoracle

import "fmt"

// Request is one oracle request. Build it with the Req* functions; byte fields travel as
// base64, and an empty slice means "none" (a full encode for SV, empty bytes for Update).
type Request struct {
	Cmd      string   `json:"cmd"`
	Doc      string   `json:"doc,omitempty"`
	ClientID *uint64  `json:"clientID,omitempty"`
	GC       *bool    `json:"gc,omitempty"`
	Update   []byte   `json:"update,omitempty"`
	SV       []byte   `json:"sv,omitempty"`
	Ops      []Op     `json:"ops,omitempty"`
	Roots    []Root   `json:"roots,omitempty"`
	Updates  [][]byte `json:"updates,omitempty"`
}

// Response is one oracle answer; which fields are set depends on the request.
type Response struct {
	Error    string     `json:"error,omitempty"`
	OK       bool       `json:"ok,omitempty"`
	Events   [][]byte   `json:"events,omitempty"`
	SV       []byte     `json:"sv,omitempty"`
	Update   []byte     `json:"update,omitempty"`
	Content  Content    `json:"content,omitempty"`
	ClientID uint64     `json:"clientID,omitempty"`
	Results  []Response `json:"results,omitempty"`
}

// Error is a failure reported by the oracle, typically yjs rejecting an update.
type Error struct {
	Cmd string // the request's cmd
	Msg string // the JavaScript error message
}

func (e *Error) Error() string {
	if e.Cmd == "" {
		return "yjsoracle: " + e.Msg
	}
	return fmt.Sprintf("yjsoracle: %s: %s", e.Cmd, e.Msg)
}

// Err returns the oracle's error for this response as an *Error, or nil.
func (r *Response) Err() error {
	if r.Error == "" {
		return nil
	}
	return &Error{Msg: r.Error}
}

// ReqNew creates replica doc with the given client id and garbage collection setting.
func ReqNew(doc string, clientID uint64, gc bool) Request {
	return Request{Cmd: "new", Doc: doc, ClientID: &clientID, GC: &gc}
}

// ReqApply applies a v1 update to doc (Y.applyUpdate).
func ReqApply(doc string, update []byte) Request {
	return Request{Cmd: "apply", Doc: doc, Update: update}
}

// ReqOps runs ops on doc, each top-level op in its own transaction.
func ReqOps(doc string, ops []Op) Request {
	if ops == nil {
		ops = []Op{}
	}
	return Request{Cmd: "ops", Doc: doc, Ops: ops}
}

// ReqSV asks for doc's state vector (Y.encodeStateVector).
func ReqSV(doc string) Request { return Request{Cmd: "sv", Doc: doc} }

// ReqEncode asks for Y.encodeStateAsUpdate(doc, sv); a nil sv means the whole state.
func ReqEncode(doc string, sv []byte) Request { return Request{Cmd: "encode", Doc: doc, SV: sv} }

// ReqContent asks for the content of the given roots of doc.
func ReqContent(doc string, roots ...Root) Request {
	if roots == nil {
		roots = []Root{}
	}
	return Request{Cmd: "content", Doc: doc, Roots: roots}
}

// ReqClientID asks for doc's current client id.
func ReqClientID(doc string) Request { return Request{Cmd: "clientID", Doc: doc} }

// ReqFree drops replica doc.
func ReqFree(doc string) Request { return Request{Cmd: "free", Doc: doc} }

// ReqMerge asks for Y.mergeUpdates(updates).
func ReqMerge(updates ...[]byte) Request {
	if updates == nil {
		updates = [][]byte{}
	}
	return Request{Cmd: "merge", Updates: updates}
}

// ReqDiff asks for Y.diffUpdate(update, sv); a nil sv is the empty state vector.
func ReqDiff(update, sv []byte) Request { return Request{Cmd: "diff", Update: update, SV: sv} }

// do runs one request and turns an oracle-side failure into an *Error, keeping the response
// (events emitted before a failure are in it).
func (o *Oracle) do(req Request) (Response, error) {
	var resp Response
	if err := o.call(req, &resp); err != nil {
		return resp, err
	}
	if resp.Error != "" {
		return resp, &Error{Cmd: req.Cmd, Msg: resp.Error}
	}
	return resp, nil
}

// Batch runs reqs in order in one round trip. The returned error covers transport failures
// only; check each Response's Err for the oracle's verdict.
func (o *Oracle) Batch(reqs ...Request) ([]Response, error) {
	if reqs == nil {
		reqs = []Request{}
	}
	var resp Response
	if err := o.call(struct {
		Cmd  string    `json:"cmd"`
		Reqs []Request `json:"reqs"`
	}{"batch", reqs}, &resp); err != nil {
		return nil, err
	}
	if resp.Error != "" {
		return nil, &Error{Cmd: "batch", Msg: resp.Error}
	}
	if len(resp.Results) != len(reqs) {
		return nil, fmt.Errorf("yjsoracle: batch: %d results for %d requests", len(resp.Results), len(reqs))
	}
	return resp.Results, nil
}

// New creates replica doc. Client ids above 2^53-1 cannot be represented in JavaScript.
func (o *Oracle) New(doc string, clientID uint64, gc bool) error {
	_, err := o.do(ReqNew(doc, clientID, gc))
	return err
}

// Apply applies a v1 update to doc and returns the update events it emitted. When yjs
// throws, the events emitted before the failure are returned with the error.
func (o *Oracle) Apply(doc string, update []byte) ([][]byte, error) {
	resp, err := o.do(ReqApply(doc, update))
	return resp.Events, err
}

// Ops runs ops on doc, each top-level op (a txn counts as one) in its own transaction, and
// returns the update events emitted; no-op transactions emit none.
func (o *Oracle) Ops(doc string, ops []Op) ([][]byte, error) {
	resp, err := o.do(ReqOps(doc, ops))
	return resp.Events, err
}

// StateVector returns Y.encodeStateVector(doc).
func (o *Oracle) StateVector(doc string) ([]byte, error) {
	resp, err := o.do(ReqSV(doc))
	return resp.SV, err
}

// Encode returns Y.encodeStateAsUpdate(doc, sv); a nil sv encodes the whole state.
func (o *Oracle) Encode(doc string, sv []byte) ([]byte, error) {
	resp, err := o.do(ReqEncode(doc, sv))
	return resp.Update, err
}

// Content renders the given roots of doc.
func (o *Oracle) Content(doc string, roots ...Root) (Content, error) {
	resp, err := o.do(ReqContent(doc, roots...))
	return resp.Content, err
}

// ClientID returns doc's client id, which yjs redraws after a client-id collision.
func (o *Oracle) ClientID(doc string) (uint64, error) {
	resp, err := o.do(ReqClientID(doc))
	return resp.ClientID, err
}

// Free drops replica doc.
func (o *Oracle) Free(doc string) error {
	_, err := o.do(ReqFree(doc))
	return err
}

// Merge returns Y.mergeUpdates(updates).
func (o *Oracle) Merge(updates ...[]byte) ([]byte, error) {
	resp, err := o.do(ReqMerge(updates...))
	return resp.Update, err
}

// Diff returns Y.diffUpdate(update, sv); a nil sv is the empty state vector.
func (o *Oracle) Diff(update, sv []byte) ([]byte, error) {
	resp, err := o.do(ReqDiff(update, sv))
	return resp.Update, err
}

// Ping makes one minimal round trip.
func (o *Oracle) Ping() error {
	_, err := o.do(Request{Cmd: "ping"})
	return err
}
