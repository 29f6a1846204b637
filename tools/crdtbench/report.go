package main

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// speedAim is how many times faster than yjs (a), (b) and (d) aim to be.
const speedAim = 5.0

// report is the outcome of one trace on both sides.
type report struct {
	trace    *trace
	runs     int
	ours     *outcome // nil when our side did not run
	yjs      *yjsRun  // nil when yjs did not run
	failures []string
	notes    []string
	load     string // a warning about competing processes, if any
}

// row is one figure. Times compare as yjs/ours (higher is better), sizes
// as ours/yjs (lower is better).
type row struct {
	name      string
	ours, yjs float64 // 0: not measured
	isTime    bool
	aim       string
	aimMet    func(ratio float64) bool // nil: no aim
}

func (r *report) rows() []row {
	var o, y figures
	if r.ours != nil {
		o = r.ours.figures
	}
	if r.yjs != nil {
		y = r.yjs.figures()
	}
	faster := func(x float64) bool { return x >= speedAim }
	noLarger := func(x float64) bool { return x <= 1 }
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return []row{
		{"(a) replay as local edits", ms(o.Replay), ms(y.Replay), true, fmt.Sprintf(">= %gx faster", speedAim), faster},
		{fmt.Sprintf("(b) apply %s updates one by one", thousands(int64(len(r.trace.patches())))), ms(o.Apply), ms(y.Apply), true, fmt.Sprintf(">= %gx faster", speedAim), faster},
		{"(c) encode state", ms(o.Encode), ms(y.Encode), true, "-", nil},
		{"(d) load state into a fresh doc", ms(o.Load), ms(y.Load), true, fmt.Sprintf(">= %gx faster", speedAim), faster},
		{"encoded state size", float64(o.StateBytes), float64(y.StateBytes), false, "<= yjs", noLarger},
		{"live heap of the loaded doc", float64(o.HeapBytes), float64(y.HeapBytes), false, "<= yjs", noLarger},
	}
}

func (r *report) print(out io.Writer) {
	tr := r.trace
	fmt.Fprintf(out, "\n%s: %s txns, %s patches, final text %s chars\n", tr.Name,
		thousands(int64(len(tr.Txns))), thousands(int64(len(tr.patches()))), thousands(int64(len([]rune(tr.EndContent)))))
	against := "yjs not measured"
	if r.yjs != nil {
		against = fmt.Sprintf("yjs %s on node %s", r.yjs.Yjs, r.yjs.Node)
	}
	fmt.Fprintf(out, "%s; times are medians of %d runs after a warm-up (%d for (c) and (d))\n", against, r.runs, fastStepRuns*r.runs)
	if r.load != "" {
		fmt.Fprintln(out, r.load)
	}
	rows := r.rows()
	width := 0
	for _, x := range rows {
		width = max(width, len(x.name))
	}
	line := func(cells ...string) {
		fmt.Fprintf(out, "%-*s  %12s  %12s  %7s  %-14s %s\n", width, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5])
	}
	line("figure", "commonpad", "yjs", "ratio", "aim", "")
	for _, x := range rows {
		ratio, verdict := "-", ""
		if x.ours > 0 && x.yjs > 0 {
			v := x.ours / x.yjs
			if x.isTime {
				v = x.yjs / x.ours
			}
			ratio = fmt.Sprintf("%.2fx", v)
			if x.aimMet != nil {
				verdict = "missed"
				if x.aimMet(v) {
					verdict = "met"
				}
			}
		}
		line(x.name, x.format(x.ours), x.format(x.yjs), ratio, x.aim, verdict)
	}
	for _, n := range r.notes {
		fmt.Fprintln(out, "note:", n)
	}
	if len(r.failures) == 0 {
		what := "(a), (b), (d) on both sides; commonpad loading yjs's state"
		if r.yjs == nil {
			what = "(a), (b), (d)"
		}
		fmt.Fprintf(out, "checks: every final text equals endContent (%s)\n", what)
	}
	for _, f := range r.failures {
		fmt.Fprintln(out, "FAIL:", f)
	}
}

func (x row) format(v float64) string {
	switch {
	case v == 0:
		return "-"
	case x.isTime:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return thousands(int64(v)) + " B"
	}
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
