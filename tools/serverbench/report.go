package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// loadResult is the JSON line load.mjs prints for one server and scenario.
type loadResult struct {
	Edits             int     `json:"edits"`
	EditsPerSec       float64 `json:"editsPerSec"`
	Deliveries        int     `json:"deliveries"`
	Expected          int     `json:"expected"`
	DeliveriesPerSec  float64 `json:"deliveriesPerSec"`
	CompleteFraction  float64 `json:"completeFraction"`
	P50Ms             float64 `json:"p50Ms"`
	P99Ms             float64 `json:"p99Ms"`
	MaxMs             float64 `json:"maxMs"`
	ConnectMs         float64 `json:"connectMs"`
	RSSIdleBytes      int64   `json:"rssIdleBytes"`
	RSSPeakBytes      int64   `json:"rssPeakBytes"`
	ServerCPUFraction float64 `json:"serverCpuFraction"`
	DriverCPUFraction float64 `json:"driverCpuFraction"`
}

// row is one measured (scenario, server) pair; Err is set when the run failed
// so the table still shows the others.
type row struct {
	Scenario string
	Server   string
	Result   loadResult
	Err      error
}

const ours = "commonpad"

// writeTable prints every run, then commonpad's figures divided by each
// peer's in the same scenario. Ratios above 1 favour commonpad for
// deliveries/s; below 1 favour it for latency and memory.
func writeTable(w io.Writer, rows []row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tserver\tedits/s\tdeliv/s\tcomplete\tp50 ms\tp99 ms\tmax ms\tconnect ms\tRSS MB\tsrv CPU\tdriver CPU\t")
	for _, r := range rows {
		if r.Err != nil {
			fmt.Fprintf(tw, "%s\t%s\tfailed: %s\t\t\t\t\t\t\t\t\t\t\n", r.Scenario, r.Server, oneLine(r.Err.Error()))
			continue
		}
		x := r.Result
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%.1f%%\t%.1f\t%.1f\t%.0f\t%.0f\t%.1f\t%.0f%%\t%.0f%%\t\n",
			r.Scenario, r.Server, x.EditsPerSec, x.DeliveriesPerSec, 100*x.CompleteFraction,
			x.P50Ms, x.P99Ms, x.MaxMs, x.ConnectMs, mb(x.RSSPeakBytes), 100*x.ServerCPUFraction, 100*x.DriverCPUFraction)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "scenario\tcommonpad vs\tdeliv/s x\tp50 x\tp99 x\tRSS x\tsrv CPU x\t")
	for _, r := range rows {
		if r.Server == ours || r.Err != nil {
			continue
		}
		o, ok := find(rows, r.Scenario, ours)
		if !ok {
			continue
		}
		a, b := o.Result, r.Result
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Scenario, r.Server,
			ratio(a.DeliveriesPerSec, b.DeliveriesPerSec), ratio(a.P50Ms, b.P50Ms), ratio(a.P99Ms, b.P99Ms),
			ratio(float64(a.RSSPeakBytes), float64(b.RSSPeakBytes)), ratio(a.ServerCPUFraction, b.ServerCPUFraction))
	}
	return tw.Flush()
}

func find(rows []row, scenario, server string) (row, bool) {
	for _, r := range rows {
		if r.Scenario == scenario && r.Server == server && r.Err == nil {
			return r, true
		}
	}
	return row{}, false
}

// ratio prints "-" rather than Inf or NaN when a figure is missing.
func ratio(a, b float64) string {
	if b <= 0 || a < 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return s
}
