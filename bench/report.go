package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// report prints what the run measured, and with -write writes it as
// benchmarks.md and benchmarks.svg into o.out. Without -write nothing is
// written: a short or unpinned run never replaces the committed page.
func report(o options, targets []built, results []measured) error {
	var measuredNow strings.Builder
	writeTable(&measuredNow, results)
	writeTargets(&measuredNow, results)
	writeNagle(&measuredNow, results)
	writeDominated(&measuredNow, targets, results)
	writeSkipped(&measuredNow, targets)
	if !o.write {
		fmt.Print("\n" + measuredNow.String())
		fmt.Printf("\n(printed only: -write writes %s)\n", filepath.Join(o.out, "benchmarks.md"))
		return nil
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# Benchmarks: every model under one load\n\n")
	fmt.Fprintf(&b, "This page is written by `go run ./bench %s`; run it again to see your own machine's figures.\n\n",
		strings.Join(o.flagsGiven, " "))
	writeMachine(&b, o)
	b.WriteString(measuredNow.String())
	b.WriteString("\n![round trips per second of each server, one group per load, fastest first](benchmarks.svg)\n")
	b.WriteString(explanations)
	if err := os.WriteFile(filepath.Join(o.out, "benchmarks.md"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.out, "benchmarks.svg"), chart(targets, results), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nwrote %s and benchmarks.svg\n", filepath.Join(o.out, "benchmarks.md"))
	return nil
}

func writeMachine(b *strings.Builder, o options) {
	pinning := "none: the servers and the load share every CPU"
	if o.pin {
		pinning = "the server and the load generator together on CPU 0 (taskset, sched_setaffinity)"
	}
	fmt.Fprintf(b, "## How it was run\n\n")
	fmt.Fprintf(b, "- machine: %s, %d CPUs, %s\n", cpuModel(), runtime.NumCPU(), kernel())
	fmt.Fprintf(b, "- Go: %s\n", runtime.Version())
	fmt.Fprintf(b, "- pinning: %s\n", pinning)
	fmt.Fprintf(b, "- each figure: the median of %d runs of %v each, a fresh server for every run, "+
		"every connection established and warmed up (5 round trips) before the clock starts\n", o.runs, o.duration)
	fmt.Fprintf(b, "- load: closed loop; each connection sends a message of random bytes (zero bytes included, "+
		"new every time), reads the whole reply and checks it byte for byte before the next; "+
		"a window above 1 keeps that many messages in flight\n\n")
}

func writeTable(b *strings.Builder, results []measured) {
	b.WriteString("## The figures\n\n")
	b.WriteString("Yardsticks first (Go net, and C: the limit of a model on this machine), then the chapters.\n\n")
	b.WriteString("| server | load | round trips/s | MB/s | p50 | p99 | p99.9 | server CPU per round trip | load CPU per round trip | server memory per connection | errors |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, m := range results {
		f := m.median
		fmt.Fprintf(b, "| %s | %s | %.0f | %.1f | %v | %v | %v | %v | %v | %s | %s |\n",
			m.target, m.shape, f.rtps, f.mbps, micro(f.p50), micro(f.p99), micro(f.p999),
			micro(f.cpuPerRT), micro(f.loadPerRT), bytesText(f.memPerConn), errorsText(m))
	}
}

// micro writes a duration in the unit that suits it.
func micro(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}

func errorsText(m measured) string {
	if m.errors == 0 {
		return "0"
	}
	return fmt.Sprintf("%d: %s", m.errors, strings.ReplaceAll(m.note, "|", "/"))
}

func writeSkipped(b *strings.Builder, targets []built) {
	var lines []string
	for _, t := range targets {
		if t.skipped != "" {
			lines = append(lines, fmt.Sprintf("- %s: %s", t.name, t.skipped))
		}
	}
	if len(lines) > 0 {
		b.WriteString("\n## Not measured\n\n" + strings.Join(lines, "\n") + "\n")
	}
}

func cpuModel() string {
	info, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(info), "\n") {
		if name, ok := strings.CutPrefix(l, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return runtime.GOARCH
}

func kernel() string {
	release, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return runtime.GOOS
	}
	return runtime.GOOS + " " + strings.TrimSpace(string(release))
}
