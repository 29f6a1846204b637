package main

import (
	"errors"
	"strings"
	"testing"
)

func TestWriteTableRatios(t *testing.T) {
	rows := []row{
		{Scenario: "s1", Server: "commonpad", Result: loadResult{DeliveriesPerSec: 800, P50Ms: 1, P99Ms: 4, RSSPeakBytes: 10 << 20, ServerCPUFraction: 0.2, CompleteFraction: 1}},
		{Scenario: "s1", Server: "ywebsocket", Result: loadResult{DeliveriesPerSec: 400, P50Ms: 2, P99Ms: 0, RSSPeakBytes: 40 << 20, ServerCPUFraction: 0.8, CompleteFraction: 0.5}},
		{Scenario: "s1", Server: "hocuspocus", Err: errors.New("serverbench: boom\nmore")},
	}
	var b strings.Builder
	if err := writeTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	var ratioLine string
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) == 7 && f[0] == "s1" && f[1] == "ywebsocket" {
			ratioLine = l
		}
	}
	if ratioLine == "" {
		t.Fatalf("no ratio line for ywebsocket in:\n%s", out)
	}
	// deliveries 2x, p50 half, p99 has no peer figure, RSS a quarter, CPU a quarter.
	if got, want := strings.Fields(ratioLine)[2:], []string{"2.00", "0.50", "-", "0.25", "0.25"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ratios = %v, want %v", got, want)
	}
	if !strings.Contains(out, "failed: serverbench: boom more") {
		t.Errorf("failed run not shown on one line:\n%s", out)
	}
	if strings.Count(out, "hocuspocus") != 1 {
		t.Errorf("a failed peer must not get a ratio line:\n%s", out)
	}
	if !strings.Contains(out, "50.0%") || !strings.Contains(out, "40.0") {
		t.Errorf("complete fraction or RSS MB missing:\n%s", out)
	}
}
