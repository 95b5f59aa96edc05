package main

import (
	"fmt"
	"strings"
)

// A goal is one of the course's targets: a server's round trips per second
// against a yardstick's, in the same run, under one shape, and why the
// number is what it is.
type goal struct {
	server, yardstick, shape string
	atLeast                  float64
	why                      string
	lesson                   string // where the chapter says what its round trip costs
}

// lesson05 is where chapter 05 says what its round trip costs.
const lesson05 = "../05-overlapped-routines/README.md"

var goals = []goal{
	{"05-overlapped-routines", "c-uring echo", "50 x 64 B", 0.95,
		"the same model in C on the same kernel is the limit here; Go's runtime may cost 5%", lesson05},
	{"05-overlapped-routines", "c-uring echo", "500 x 64 B", 0.95,
		"as at 50: with more connections each io_uring_enter carries more completions", lesson05},
	{"05-overlapped-routines", "go-net echo", "1 x 64 B", 1.2,
		"one io_uring_enter per round trip (submit the send, wait for the next completion) " +
			"against Go net's read, write and epoll_wait: fewer system calls must show", lesson05},
	{"01-blocking", "go-net echo", "1 x 64 B", 1.3,
		"a recv and a send per round trip and nothing else, where Go net adds epoll_wait and two " +
			"goroutine switches; what 01 pays beyond C is the runtime's wrapper of a blocking call",
		"../01-blocking/README.md#what-a-blocking-call-costs-in-go"},
	{"03-thread-per-conn", "go-net line", "50 x 64 B", 0.7,
		"the kernel wakes a thread per message where Go net wakes a goroutine: dearer, not twice as dear",
		"../03-thread-per-conn/README.md#where-a-round-trips-time-goes"},
	{"04-process-per-conn", "go-net echo", "50 x 16 KiB", 0.9,
		"with Nagle's algorithm off and a 64 KiB read, a 16 KiB echo is one read and one write in any model: " +
			"the target assumes the kernel's copying, not the model, decides",
		"../04-process-per-conn/README.md#the-buffer-512-bytes-or-64-kib"},
	{"05-overlapped-routines", "go-net echo", "50 x 16 KiB", 0.9,
		"as 04", lesson05},
}

// errorFree are the loads that must run without a single error.
var errorFree = []struct{ server, shape, why string }{
	{"05-overlapped-routines", "10000 x 64 B", "one thread and a few kilobytes per connection hold ten thousand"},
	{"03-thread-per-conn", "500 x 64 B", "500 threads, each blocked in its own recv, all served"},
}

func find(results []measured, server, shape string) (measured, bool) {
	for _, m := range results {
		if m.target == server && m.shape.String() == shape {
			return m, true
		}
	}
	return measured{}, false
}

// writeTargets says, for each target, why it is that number, what this run
// measured and whether it is met. A target not met is reported as such,
// never hidden.
func writeTargets(b *strings.Builder, results []measured) {
	b.WriteString("\n## The targets, in this run\n\n")
	b.WriteString("| target | why this number | this run | |\n|---|---|---|---|\n")
	for _, g := range goals {
		name := fmt.Sprintf("%s at %s: at least %.2fx %s", g.server, g.shape, g.atLeast, g.yardstick)
		s, okS := find(results, g.server, g.shape)
		y, okY := find(results, g.yardstick, g.shape)
		if !okS || !okY || y.median.rtps == 0 {
			fmt.Fprintf(b, "| %s | %s | not measured | |\n", name, g.why)
			continue
		}
		ratio := s.median.rtps / y.median.rtps
		fmt.Fprintf(b, "| %s | %s | %.2fx (%.0f against %.0f round trips/s) | %s |\n",
			name, g.why, ratio, s.median.rtps, y.median.rtps, verdict(ratio >= g.atLeast && s.errors == 0, g.lesson))
	}
	for _, e := range errorFree {
		name := fmt.Sprintf("%s at %s: no error", e.server, e.shape)
		m, ok := find(results, e.server, e.shape)
		switch {
		case !ok:
			fmt.Fprintf(b, "| %s | %s | not measured | |\n", name, e.why)
		case m.errors == 0 && m.median.rtps > 0:
			fmt.Fprintf(b, "| %s | %s | no error in %d runs | %s |\n", name, e.why, m.runs, verdict(true, ""))
		default:
			fmt.Fprintf(b, "| %s | %s | %d errors (%s) | %s |\n", name, e.why, m.errors,
				strings.ReplaceAll(m.note, "|", "/"), verdict(false, ""))
		}
	}
}

// verdict says met, or not met with a link to where the chapter's lesson
// says what its round trip costs.
func verdict(met bool, lesson string) string {
	switch {
	case met:
		return "met"
	case lesson != "":
		return "**not met**: [why](" + lesson + ")"
	}
	return "**not met**"
}

// writeNagle sets the 16 KiB rows with and without Nagle's algorithm side
// by side: the cost TCP_NODELAY removes, and what the read size adds.
func writeNagle(b *strings.Builder, results []measured) {
	const shape = "50 x 16 KiB"
	var rows []measured
	for _, name := range []string{"04-process-per-conn -nagle -buffer 512", "04-process-per-conn -buffer 512",
		"04-process-per-conn", "go-net echo"} {
		if m, ok := find(results, name, shape); ok {
			rows = append(rows, m)
		}
	}
	if len(rows) < 2 {
		return
	}
	b.WriteString("\n## 16 KiB with and without Nagle's algorithm\n\n")
	b.WriteString("Every TCP socket of the course sets TCP_NODELAY. `-nagle -buffer 512` runs chapter 04 the seed's\n")
	b.WriteString("way (Nagle's algorithm on, 512-byte reads), `-buffer 512` with TCP_NODELAY and the seed's reads;\n")
	b.WriteString("[chapter 04's lesson](../04-process-per-conn/README.md#nagles-algorithm-and-delayed-ack) explains\n")
	b.WriteString("the 44 ms.\n\n")
	b.WriteString("| server | load | round trips/s | p50 | p99 |\n|---|---|--:|--:|--:|\n")
	for _, m := range rows {
		fmt.Fprintf(b, "| %s | %s | %.0f | %s | %s |\n", m.target, m.shape, m.median.rtps,
			micro(m.median.p50), micro(m.median.p99))
	}
}

// writeDominated lists the rows whose figures something besides the model
// decides, so that nobody ranks the models by them.
func writeDominated(b *strings.Builder, targets []built, results []measured) {
	var lines []string
	for _, t := range targets {
		if t.dominatedBy == "" || t.skipped != "" {
			continue
		}
		for _, m := range results {
			if m.target == t.name {
				lines = append(lines, fmt.Sprintf("- **%s**: %s.", t.name, t.dominatedBy))
				break
			}
		}
	}
	if len(lines) == 0 {
		return
	}
	b.WriteString("\n## Rows that measure something besides the model\n\n")
	b.WriteString("These servers are in the table to show a cost, not to rank their model; the chart\n")
	b.WriteString("draws them pale.\n\n")
	b.WriteString(strings.Join(lines, "\n") + "\n")
}
