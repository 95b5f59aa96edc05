package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The tests of what the server says: who it serves, by number, and which
// client failed and why, in the order it happened and on the right stream.

// errorLine is the line a failed client gets: "client N: " and the error
// serveClient returned, which names the call, the client's address and
// what went wrong, such as
// "client 2: write 127.0.0.1:50123: connection reset by peer (ECONNRESET)".
func errorLine(n int) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`^client %d: \w+ 127\.0\.0\.1:\d+: .+$`, n))
}

// anyErrorLine matches an error line, whatever its client's number.
var anyErrorLine = regexp.MustCompile(`^client \d+: `)

// The hints of a line missing or wrong: the likely mistake.
const (
	numbered = "number the clients 1, 2, 3 in the order accept returns them, " +
		"a client whose visit failed included: that number is the n you pass serveClient"
	reported = `when serveClient returns an error, print "client N: " and the error on stderr, ` +
		"at once, before you accept the next client"
)

// A line the server must print: how it reads, and the mistake its absence
// points to.
type wantLine struct {
	match *regexp.Regexp
	says  string
	hint  string
}

func exactly(line string) wantLine {
	return wantLine{regexp.MustCompile("^" + regexp.QuoteMeta(line) + "$"), fmt.Sprintf("%q", line), numbered}
}

// The server numbers its clients 1, 2, 3 in the order accept returned them,
// and says of a client whose visit failed (client 2 resets) "client 2: "
// and the error, before it accepts client 3. We stop it with Ctrl-C, after
// it has said all that, and do not check how it exits (TestCtrlCBetweenClients
// does, natively; under Wine, Ctrl-C now and then ends in status 1).
func TestOutputNamesEachClient(t *testing.T) { eachBuild(t, testOutputNamesEachClient) }

func testOutputNamesEachClient(t *testing.T, lab *testkit.Program) {
	server := lab.StartServer(t, "-addr", "127.0.0.1:0")
	firstVisit(t, server.Port, []byte("hello"), "client 1")
	resetWhileServerSends(t, server.Port, "client 2")
	if err := visit(server.Port, testkit.Bytes(256)); err != nil {
		t.Fatalf("client 3, after client 2 reset its connection: %v; "+
			"a client that fails should end only its own visit: print its error and go back to accept", err)
	}
	out, _ := server.InterruptAndWait(t)

	checkClientLines(t, out, []wantLine{
		exactly("client 1 connected"),
		exactly("client 1 left: 5 bytes echoed"),
		exactly("client 2 connected"),
		{errorLine(2), `"client 2: " and the error serveClient returned, such as ` +
			`"client 2: write 127.0.0.1:PORT: connection reset by peer (ECONNRESET)"`, reported},
		exactly("client 3 connected"),
		exactly("client 3 left: 256 bytes echoed"),
	})
}

// checkClientLines checks the lines of out that start with "client ", the
// ones serveClient and serveClients print, against want, in order. A
// student's other lines (say, "waiting for a client...") do not count.
func checkClientLines(t *testing.T, out string, want []wantLine) {
	t.Helper()
	got := linesBeginning(out, "client ")
	for i, w := range want {
		next := "nothing more"
		if i < len(got) {
			next = fmt.Sprintf("%q", got[i])
			if w.match.MatchString(got[i]) {
				continue
			}
		}
		if w.hint == reported {
			if line := notFirst(out, "client 2: "); line != "" {
				t.Fatalf("the server said %q; want the line to begin with %q: log.Printf and log.Println put the date first, fmt.Fprintf(stderr, ...) does not",
					line, "client 2: ")
			}
		}
		if w.hint != reported && i < len(got) && anyErrorLine.MatchString(got[i]) {
			t.Fatalf("the server's line %d about its clients is %q; want %s: "+
				"print one error line for each client that failed, once, right after it failed", i+1, got[i], w.says)
		}
		t.Fatalf("the server's line %d about its clients is %s; want %s: %s", i+1, next, w.says, w.hint)
	}
	if len(got) > len(want) {
		t.Errorf("after its last client left, the server printed %q; want no more lines about clients", got[len(want)])
	}
}

// notFirst returns the first line of out that holds text but does not
// begin with it, or "".
func notFirst(out, text string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.Index(line, text) > 0 {
			return line
		}
	}
	return ""
}
