package store

import (
	"context"
	"fmt"
	"maps"
	"time"
	"unicode/utf8"
)

// Status is the lifecycle state of a pad.
type Status string

const (
	// StatusOpen pads are being edited.
	StatusOpen Status = "open"
	// StatusFinished pads were closed for editing, typically when they were
	// published as a note.
	StatusFinished Status = "finished"
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool { return s == StatusOpen || s == StatusFinished }

// Pad is the metadata of one pad. The content lives in the Log.
type Pad struct {
	// ID names the pad and grants write access.
	ID string
	// ReadOnlyID grants read access only. IDs and read-only IDs share one
	// namespace: no string is both a pad's ID and another pad's read-only
	// ID, so a link resolves to at most one pad and one permission.
	ReadOnlyID string
	Title      string
	Status     Status
	// CreatedAt is set by CreatePad (to the current time if zero) and never
	// changes afterwards. UpdatedAt is maintained by the store.
	CreatedAt time.Time
	UpdatedAt time.Time
	// Settings holds free-form per-pad options; nil and empty are the same.
	Settings map[string]string
}

// Clone returns a copy of p that shares no map with it.
func (p Pad) Clone() Pad {
	p.Settings = maps.Clone(p.Settings)
	return p
}

// Check reports whether p can be stored: valid IDs (see CheckID) that
// differ, a known or empty Status (empty counts as StatusOpen), and valid
// UTF-8 in Title and Settings, since metadata ends up in HTML and JSON.
// The error matches ErrInvalid.
// New returns a copy of p as CreatePad stores it: status open unless set,
// created now unless set (UTC, no monotonic reading), updated when created.
func (p Pad) New(now time.Time) Pad {
	p = p.Clone()
	if p.Status == "" {
		p.Status = StatusOpen
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	p.CreatedAt = p.CreatedAt.Round(0).UTC()
	p.UpdatedAt = p.CreatedAt
	return p
}

func (p Pad) Check() error {
	if err := CheckID(p.ID); err != nil {
		return err
	}
	if err := CheckID(p.ReadOnlyID); err != nil {
		return fmt.Errorf("read-only id: %w", err)
	}
	if p.ReadOnlyID == p.ID {
		return fmt.Errorf("%w: read-only id equals pad id", ErrInvalid)
	}
	if p.Status != "" && !p.Status.Valid() {
		return fmt.Errorf("%w: pad status %q", ErrInvalid, p.Status)
	}
	if !utf8.ValidString(p.Title) {
		return fmt.Errorf("%w: pad title is not valid UTF-8", ErrInvalid)
	}
	for k, v := range p.Settings {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("%w: pad setting %q is not valid UTF-8", ErrInvalid, k)
		}
	}
	return nil
}

// ListOptions selects a page of a listing ordered by ID (byte-wise
// ascending), such as Pads.ListPads.
type ListOptions struct {
	// After skips every item whose ID sorts at or before it; pass the
	// last ID of the previous page. Empty starts at the beginning.
	After string
	// Limit caps the number of items returned. Zero or negative means no
	// limit.
	Limit int
}

// Pads stores pad metadata. It is safe for concurrent use and follows the
// package's byte-ownership rules (Settings maps are copied in and out).
//
// Its methods are named for pads because one back-end value implements
// Log, Pads and the interfaces still to come, the way one file is both an
// io.Reader and an io.Writer: a plain Delete would collide with
// Log.Delete, and a plain Get or List with those of notes.
type Pads interface {
	// CreatePad stores a new pad. It fails with ErrExists if p.ID or
	// p.ReadOnlyID is already taken as an ID or read-only ID, and with
	// ErrInvalid if p fails Check. An empty Status is stored as StatusOpen,
	// a zero CreatedAt as the current time, and UpdatedAt as CreatedAt. It
	// returns the pad as stored.
	CreatePad(ctx context.Context, p Pad) (Pad, error)

	// GetPad returns the pad with the given ID, or ErrNotFound.
	GetPad(ctx context.Context, id string) (Pad, error)

	// GetPadByReadOnlyID returns the pad whose ReadOnlyID is roID, or
	// ErrNotFound.
	GetPadByReadOnlyID(ctx context.Context, roID string) (Pad, error)

	// UpdatePad changes a pad atomically: it reads the pad, calls fn with a
	// copy, and stores the result, so concurrent updates never lose each
	// other's changes. fn may be called more than once (back ends with
	// optimistic transactions retry on conflict) and must not block or
	// have side effects beyond the Pad it is given. If fn returns an
	// error, nothing is stored and UpdatePad returns that error unchanged.
	//
	// fn may change every field except ID (changing it fails with
	// ErrInvalid), CreatedAt and UpdatedAt (the store restores CreatedAt
	// and sets UpdatedAt to the current time). A new ReadOnlyID must be
	// free (ErrExists otherwise); the old one stops resolving. UpdatePad
	// returns the pad as stored, or ErrNotFound.
	UpdatePad(ctx context.Context, id string, fn func(*Pad) error) (Pad, error)

	// DeletePad removes the pad's metadata and frees its IDs. It returns
	// ErrNotFound for an unknown pad. The pad's log is separate; see
	// Log.Delete.
	DeletePad(ctx context.Context, id string) error

	// ListPads returns a page of pads ordered by ID.
	ListPads(ctx context.Context, opts ListOptions) ([]Pad, error)

	// Close releases the store. It is idempotent; later calls to any
	// method return ErrClosed.
	Close() error
}
