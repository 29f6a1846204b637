package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// yjsResult is the JSON object yjs.mjs prints.
type yjsResult struct {
	Yjs        string   `json:"yjs"`
	Node       string   `json:"node"`
	ReplayMs   float64  `json:"replayMs"`
	ApplyMs    float64  `json:"applyMs"`
	EncodeMs   float64  `json:"encodeMs"`
	LoadMs     float64  `json:"loadMs"`
	Updates    int      `json:"updates"`
	StateBytes int      `json:"stateBytes"`
	HeapBytes  int64    `json:"heapBytes"`
	Failures   []string `json:"failures"`
}

// yjsRun is what the yjs side hands to ours: its figures, the per-patch
// updates it emitted and the state it encoded.
type yjsRun struct {
	yjsResult
	updates [][]byte
	state   []byte
}

func (r *yjsResult) figures() figures {
	ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	return figures{
		Replay: ms(r.ReplayMs), Apply: ms(r.ApplyMs), Encode: ms(r.EncodeMs), Load: ms(r.LoadMs),
		StateBytes: r.StateBytes, HeapBytes: r.HeapBytes,
	}
}

// runYjs runs yjs.mjs on a trace file. A non-nil run with Failures is a
// finished run whose texts were wrong; an error means no figures at all.
func runYjs(node, script, tracePath string, runs int) (*yjsRun, error) {
	dir, err := os.MkdirTemp("", "crdtbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	updatesPath, statePath := filepath.Join(dir, "updates.bin"), filepath.Join(dir, "state.bin")
	cmd := exec.Command(node, "--expose-gc", script,
		"--trace", tracePath, "--updates", updatesPath, "--state", statePath, "--runs", strconv.Itoa(runs))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr
	runErr := cmd.Run()
	var res yjsResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		if runErr != nil {
			return nil, fmt.Errorf("crdtbench: %s: %w", script, runErr)
		}
		return nil, fmt.Errorf("crdtbench: %s printed no result: %w", script, err)
	}
	run := &yjsRun{yjsResult: res}
	if len(res.Failures) > 0 {
		return run, nil
	}
	if runErr != nil {
		return nil, fmt.Errorf("crdtbench: %s: %w", script, runErr)
	}
	raw, err := os.ReadFile(updatesPath)
	if err != nil {
		return nil, err
	}
	if run.updates, err = splitUpdates(raw); err != nil {
		return nil, err
	}
	if len(run.updates) != res.Updates {
		return nil, fmt.Errorf("crdtbench: %s reported %d updates but wrote %d", script, res.Updates, len(run.updates))
	}
	if run.state, err = os.ReadFile(statePath); err != nil {
		return nil, err
	}
	return run, nil
}

var errTruncated = errors.New("crdtbench: truncated updates file")

// splitUpdates reads a sequence of (4-byte little-endian length, bytes).
// The updates alias raw.
func splitUpdates(raw []byte) ([][]byte, error) {
	var out [][]byte
	for len(raw) > 0 {
		if len(raw) < 4 {
			return nil, errTruncated
		}
		n := binary.LittleEndian.Uint32(raw)
		raw = raw[4:]
		if uint64(n) > uint64(len(raw)) {
			return nil, errTruncated
		}
		out = append(out, raw[:n:n])
		raw = raw[n:]
	}
	return out, nil
}
