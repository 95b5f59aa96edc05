package testkit

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"testing"
)

func TestBytesHoldEveryValueInEachBlock(t *testing.T) {
	b := Bytes(4 * 256)
	for block := 0; block < 4; block++ {
		var seen [256]bool
		for _, v := range b[block*256 : (block+1)*256] {
			seen[v] = true
		}
		for v, ok := range seen {
			if !ok {
				t.Fatalf("block %d lacks the byte %d", block, v)
			}
		}
	}
	if string(b[:256]) == string(b[256:512]) {
		t.Error("two blocks are the same: a repeated or lost block would go unseen")
	}
}

func TestScrubWritesPortsAsVariable(t *testing.T) {
	p := &Program{ports: []string{"40123"}}
	got := string(p.scrub([]byte(`listening on 127.0.0.1:40123
getaddrinfo("127.0.0.1", "40123", AF_UNSPEC, 0)
Bytes received: 40123
connect 127.0.0.1:401234
`)))
	want := `listening on 127.0.0.1:${PORT}
getaddrinfo("127.0.0.1", "${PORT}", AF_UNSPEC, 0)
Bytes received: 40123
connect 127.0.0.1:401234
`
	if got != want {
		t.Errorf("scrub:\ngot  %q\nwant %q", got, want)
	}
}

func TestTakeDropsWineClientErrors(t *testing.T) {
	var c capture
	c.buf.WriteString("usage: 03-thread-per-conn ...\n" +
		"wine client error:534: sendmsg: Socket operation on non-socket\n" +
		"a line that mentions wine client error: stays\n")
	want := "usage: 03-thread-per-conn ...\na line that mentions wine client error: stays\n"
	if got := string(c.take()); got != want {
		t.Errorf("take() = %q, want %q", got, want)
	}
	c.buf.WriteString("measure [-runs N] [-conns N]\nwine client error:4b4:")
	if got, want := string(c.take()), "measure [-runs N] [-conns N]\n"; got != want {
		t.Errorf("take() of a half-written Wine line = %q, want %q", got, want)
	}
	c.buf.WriteString("    on the emulation)\nsendmsg: Socket operation on non-socket\n" +
		"send 127.0.0.1:9901: socket operation on non-socket (ENOTSOCK)\n")
	if got, want := string(c.take()), "    on the emulation)\nsend 127.0.0.1:9901: socket operation on non-socket (ENOTSOCK)\n"; got != want {
		t.Errorf("take() of the second half of a Wine line on its own = %q, want %q", got, want)
	}
	// perror's part with another errno: EBADF.
	c.buf.WriteString("usage: 03-thread-per-conn measure [-quick]\nwine client error:2c: sendmsg: Bad file descriptor\n")
	if got, want := string(c.take()), "usage: 03-thread-per-conn measure [-quick]\n"; got != want {
		t.Errorf("take() of Wine's line with EBADF = %q, want %q", got, want)
	}
	c.buf.WriteString("usage: 03-thread-per-conn measure [-quick]\nsendmsg: Bad file descriptor\n")
	if got, want := string(c.take()), "usage: 03-thread-per-conn measure [-quick]\n"; got != want {
		t.Errorf("take() of Wine's second part with EBADF alone = %q, want %q", got, want)
	}
	// Another writer's line between Wine's two parts: the line is the
	// program's, and stays (04's trace lost "closesocket(sock 12) = 0" so).
	c.buf.WriteString("child 11 exited (status 0)\nwine client error:1a4: closesocket(sock 12) = 0\n" +
		"sendmsg: Socket operation on non-socket\nwine client error:1a4: ")
	if got, want := string(c.take()), "child 11 exited (status 0)\nclosesocket(sock 12) = 0\n"; got != want {
		t.Errorf("take() of a line written between the two parts of a Wine line = %q, want %q", got, want)
	}
}

// TestHelperProcess is not a test: the two below run this test binary as a
// program that ends as Wine's failures do (status 1, no output) on its
// first TESTKIT_FAIL_FIRST runs, counted in the file TESTKIT_RUNS. Then it
// prints a usage line and exits 2, or, with TESTKIT_LISTEN set, says it
// listens and waits for Ctrl-C.
func TestHelperProcess(t *testing.T) {
	runs := os.Getenv("TESTKIT_RUNS")
	if runs == "" {
		t.Skip("a program for the tests below")
	}
	before, _ := os.ReadFile(runs)
	os.WriteFile(runs, append(before, 'x'), 0o644)
	if failFirst, _ := strconv.Atoi(os.Getenv("TESTKIT_FAIL_FIRST")); len(before) < failFirst {
		os.Exit(1)
	}
	if os.Getenv("TESTKIT_LISTEN") == "" {
		fmt.Println("usage: helper")
		os.Exit(2)
	}
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt)
	fmt.Println("listening on 127.0.0.1:40123")
	<-interrupted
	fmt.Println("interrupt: server stopped")
	switch os.Getenv("TESTKIT_EXIT") {
	case "wine client error":
		fmt.Fprintln(os.Stderr, "wine client error:4b4: sendmsg: Socket operation on non-socket")
		os.Exit(1)
	case "1":
		os.Exit(1)
	case "3":
		os.Exit(3)
	case "kill":
		p, _ := os.FindProcess(os.Getpid())
		p.Kill()
		select {}
	}
	os.Exit(0)
}

// helper returns TestHelperProcess as a program, and the file that counts
// its runs.
func helper(t *testing.T, wine bool, failFirst int, env ...string) (*Program, string) {
	runs := filepath.Join(t.TempDir(), "runs")
	env = append(env, "TESTKIT_RUNS="+runs, "TESTKIT_FAIL_FIRST="+strconv.Itoa(failFirst))
	return &Program{Name: "helper", Argv: []string{os.Args[0], "-test.run=^TestHelperProcess$"}, Env: env, wine: wine}, runs
}

func countRuns(t *testing.T, runs string) int {
	b, err := os.ReadFile(runs)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

func TestWineFailureIsRunAgain(t *testing.T) {
	defer wineFailures.Store(wineFailures.Load())
	for _, c := range []struct {
		name                    string
		wine                    bool
		failFirst, runs, status int
	}{
		{"under Wine, once", true, 1, 2, 2},
		{"native", false, 1, 1, 1},
		{"under Wine, past the bound", true, 10, maxWineFailures + 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			wineFailures.Store(0)
			p, runs := helper(t, c.wine, c.failFirst)
			out, status := p.Run(t)
			if n := countRuns(t, runs); n != c.runs || status != c.status {
				t.Errorf("ran %d times, ending with status %d and %q; want %d runs, status %d", n, status, out, c.runs, c.status)
			}
		})
	}
}

func TestWineFailureAtStartIsStartedAgain(t *testing.T) {
	defer wineFailures.Store(wineFailures.Load())
	wineFailures.Store(0)
	p, runs := helper(t, true, 2, "TESTKIT_LISTEN=1")
	server := p.StartServer(t)
	out, status := server.InterruptAndWait(t)
	if n := countRuns(t, runs); n != 3 || server.Port != "40123" || status != 0 {
		t.Errorf("started %d times (want 3), port %q, then status %d and %q", n, server.Port, status, out)
	}
}
