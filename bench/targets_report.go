package main

import (
	"fmt"
	"strings"
)

// A goal is one of the course's targets: a server's round trips per second
// against a yardstick's, in the same run, under one shape.
type goal struct {
	server, yardstick, shape string
	atLeast                  float64
}

var goals = []goal{
	{"05-overlapped-routines", "go-net echo", "50 x 64 B", 1.25},
	{"05-overlapped-routines", "go-net echo", "500 x 64 B", 1.0},
	{"01-blocking", "go-net echo", "1 x 64 B", 1.2},
	{"03-thread-per-conn", "go-net line", "50 x 64 B", 0.7},
}

// errorFree are the loads that must run without a single error.
var errorFree = []struct{ server, shape string }{
	{"05-overlapped-routines", "10000 x 64 B"},
	{"03-thread-per-conn", "500 x 64 B"},
}

func find(results []measured, server, shape string) (measured, bool) {
	for _, m := range results {
		if m.target == server && m.shape.String() == shape {
			return m, true
		}
	}
	return measured{}, false
}

// writeTargets says, for each target, what this run measured and whether
// it is met. A target not met is reported as such, never hidden.
func writeTargets(b *strings.Builder, results []measured) {
	b.WriteString("\n## The targets, in this run\n\n")
	for _, g := range goals {
		s, okS := find(results, g.server, g.shape)
		y, okY := find(results, g.yardstick, g.shape)
		if !okS || !okY || y.median.rtps == 0 {
			fmt.Fprintf(b, "- %s at %s, at least %.2fx %s: not measured in this run\n", g.server, g.shape, g.atLeast, g.yardstick)
			continue
		}
		ratio := s.median.rtps / y.median.rtps
		verdict := "met"
		if ratio < g.atLeast || s.errors > 0 {
			verdict = "**not met**"
		}
		fmt.Fprintf(b, "- %s at %s: %.2fx %s (%.0f against %.0f round trips/s; target %.2fx): %s\n",
			g.server, g.shape, ratio, g.yardstick, s.median.rtps, y.median.rtps, g.atLeast, verdict)
	}
	for _, e := range errorFree {
		m, ok := find(results, e.server, e.shape)
		switch {
		case !ok:
			fmt.Fprintf(b, "- %s at %s with no error: not measured in this run\n", e.server, e.shape)
		case m.errors == 0 && m.median.rtps > 0:
			fmt.Fprintf(b, "- %s at %s: no error in %d runs: met\n", e.server, e.shape, m.runs)
		default:
			fmt.Fprintf(b, "- %s at %s: %d errors (%s): **not met**\n", e.server, e.shape, m.errors, m.note)
		}
	}
}
