package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: a client of Go's net package does to the
// server what a careless or hostile client would. The child serving it must
// echo every byte, or fail with one clear line; the server must go on
// serving the others; and no process may leave a socket open.

func TestFaults(t *testing.T) {
	testFaults(t, testkit.NativeProgram("04-process-per-conn", nativeBinary), false)
}

// Wine, unlike Windows, may report a connection reset to a recv already
// waiting as an orderly end-of-stream (as in chapter 01); resetMayBeEOF
// says so.
func TestFaultsWine(t *testing.T) {
	testFaults(t, testkit.WineProgram(t, "04-process-per-conn", windowsBinary), true)
}

func testFaults(t *testing.T, program *testkit.Program, resetMayBeEOF bool) {
	t.Run("every byte value", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		sent := make([]byte, 256)
		for i := range sent {
			sent[i] = byte(i)
		}
		if got := echo(t, server.Port, sent); !bytes.Equal(got, sent) {
			t.Errorf("echo of 0..255 = %q, want %q", got, sent)
		}
		expectExit(t, server, 0, "child 1 exited (status 0)")
	})

	// The seed's client sends everything before it reads; this one reads
	// while it writes, so 1 MiB cannot fill both sides' buffers.
	t.Run("1 MiB", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-quiet", "-clients", "1", "-addr", "127.0.0.1:0")
		sent := testkit.Bytes(1 << 20)
		if got := echo(t, server.Port, sent); !bytes.Equal(got, sent) {
			t.Errorf("echo of 1 MiB: got %d bytes, equal=%v", len(got), bytes.Equal(got, sent))
		}
		expectExit(t, server, 0, "child 1: Bytes sent: 1048576 in all")
	})

	// A client that resets (SO_LINGER 0) in the middle of the exchange: its
	// child's recv fails, the child says so in one line and exits 1, and
	// the server serves the next client.
	t.Run("reset", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "2", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		conn.Write([]byte("hello"))
		if _, err := io.ReadFull(conn, make([]byte, 5)); err != nil {
			t.Fatal(err)
		}
		conn.SetLinger(0)
		conn.Close()
		if got := echo(t, server.Port, []byte("next")); string(got) != "next" {
			t.Errorf("the next client got %q, want %q", got, "next")
		}
		out, status := server.Wait(t)
		reported := strings.Contains(out, "connection reset by peer (") &&
			strings.Contains(out, "child 1 exited (status 1)")
		tookAsEOF := resetMayBeEOF && strings.Contains(out, "child 1 exited (status 0)")
		if status != 0 || !reported && !tookAsEOF {
			t.Errorf("server exited %d; want 0, and child 1 to name the reset and exit 1:\n%s", status, out)
		}
		expectAllClosed(t, out)
	})

	// A client that resets before the server accepts it. Linux accepts it
	// and the child's recv reports the reset; Winsock's accept fails, and
	// the server must go on accepting.
	t.Run("reset before accept", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		conn.SetLinger(0)
		conn.Close()
		if got := echo(t, server.Port, []byte("next")); string(got) != "next" {
			t.Errorf("the next client got %q, want %q", got, "next")
		}
		out, status := server.InterruptAndWait(t)
		if status != 0 && !wineEnded(resetMayBeEOF, status, out) {
			t.Errorf("server exited %d, want 0:\n%s", status, out)
		}
		if strings.Contains(out, "accept 127.0.0.1") {
			t.Errorf("accept gave up:\n%s", out)
		}
		expectAllClosed(t, out)
	})

	// Many clients at once, within -max-procs: every one is served, each
	// by a child of its own, and every child is reaped.
	t.Run("many at once", func(t *testing.T) {
		const clients = 20
		server := program.StartServer(t, "server", "-trace", "-clients", fmt.Sprint(clients), "-addr", "127.0.0.1:0")
		var wg sync.WaitGroup
		failed := make(chan string, clients)
		for i := range clients {
			wg.Go(func() {
				msg := fmt.Appendf(nil, "client %d", i)
				if got := echo(t, server.Port, msg); !bytes.Equal(got, msg) {
					failed <- fmt.Sprintf("%s got %q", msg, got)
				}
			})
		}
		wg.Wait()
		close(failed)
		for f := range failed {
			t.Error(f)
		}
		out, _ := server.Wait(t)
		for n := 1; n <= clients; n++ {
			if !strings.Contains(out, fmt.Sprintf("child %d exited (status 0)\n", n)) {
				t.Errorf("no line %q:\n%s", fmt.Sprintf("child %d exited (status 0)", n), out)
			}
		}
		expectAllClosed(t, out)
	})
}

// echo sends msg on a new connection while it reads the reply, then
// half-closes and reads until the server closes.
func echo(t *testing.T, port string, msg []byte) []byte {
	t.Helper()
	conn := dial(t, port)
	defer conn.Close()
	go func() {
		conn.Write(msg)
		conn.CloseWrite()
	}()
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Errorf("reading the echo: %v", err)
	}
	return got
}

func dial(t *testing.T, port string) *net.TCPConn {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	return conn.(*net.TCPConn)
}

// expectExit waits for the server, checks its exit status and a line of its
// output, and checks in the trace that every socket was closed.
func expectExit(t *testing.T, server *testkit.Server, status int, line string) {
	t.Helper()
	out, got := server.Wait(t)
	if got != status || !strings.Contains(out, line) {
		t.Fatalf("server exited %d, want %d with a line containing %q; it printed:\n%s", got, status, line, out)
	}
	expectAllClosed(t, out)
}

// expectAllClosed checks a trace of the server and its children: each
// process numbers its own sockets, so each is checked on its own.
func expectAllClosed(t *testing.T, trace string) {
	t.Helper()
	if leaked := unclosed(trace); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, trace)
	}
}

var (
	childLine = regexp.MustCompile(`^(child \d+): `)
	opened    = regexp.MustCompile(`= (sock \d+)`)
	closed    = regexp.MustCompile(`close(?:socket)?\((sock \d+)\) = 0`)
	killed    = regexp.MustCompile(`^(child \d+) exited \(signal: `)
)

// unclosed reads a trace and returns the sockets each process opened but
// never closed, as "server sock 2" or "child 3 sock 1". A child that the
// stop killed with a signal did not get to close its sockets; its exit
// closed them.
func unclosed(trace string) []string {
	open := map[string]bool{}
	for line := range strings.Lines(trace) {
		if m := killed.FindStringSubmatch(line); m != nil {
			for name := range open {
				if strings.HasPrefix(name, m[1]+" ") {
					delete(open, name)
				}
			}
			continue
		}
		who := "server"
		if m := childLine.FindStringSubmatch(line); m != nil {
			who = m[1]
		}
		for _, m := range opened.FindAllStringSubmatch(line, -1) {
			open[who+" "+m[1]] = true
		}
		for _, m := range closed.FindAllStringSubmatch(line, -1) {
			delete(open, who+" "+m[1])
		}
	}
	var names []string
	for name := range open {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

var (
	callArgs  = regexp.MustCompile(`^[\w+]+\((.*?)\) = `)
	sockArg   = regexp.MustCompile(`sock \d+`)
	badHandle = regexp.MustCompile(`\b(WSA)?E(BADF|NOTSOCK)\b`)
)

// closeProblems reads a trace of the server and its children and returns
// what is wrong in how each process closes its sockets: one never closed
// (unclosed), one closed twice, a call on a closed socket (a socket named
// among a call's arguments after its close), or a call failing because its
// socket was closed (EBADF, ENOTSOCK). It is chapter 03's check, with each
// process's sockets apart.
func closeProblems(trace string) []string {
	var problems []string
	closedYet := map[string]bool{}
	for line := range strings.Lines(trace) {
		line = strings.TrimSuffix(line, "\n")
		if badHandle.MatchString(line) {
			problems = append(problems, fmt.Sprintf("a call on a closed handle: %q", line))
		}
		who, call := "server", line
		if m := childLine.FindStringSubmatch(line); m != nil {
			who, call = m[1], line[len(m[0]):]
		}
		args := callArgs.FindStringSubmatch(call)
		if args == nil {
			continue
		}
		for _, s := range sockArg.FindAllString(args[1], -1) {
			if closedYet[who+" "+s] {
				problems = append(problems, fmt.Sprintf("%s's %s used after it was closed: %q", who, s, line))
			}
		}
		if m := closed.FindStringSubmatch(call); m != nil && strings.HasPrefix(call, m[0]) {
			closedYet[who+" "+m[1]] = true
		}
	}
	for _, leaked := range unclosed(trace) {
		problems = append(problems, leaked+" was never closed")
	}
	return problems
}

// TestCloseProblems checks closeProblems itself, on the trace today's stop
// gave: the server's accept after its listener's close, and a child's read
// after its own close.
func TestCloseProblems(t *testing.T) {
	trace := `socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 1
accept(sock 1) = sock 2 from 127.0.0.1
clone(CLONE_VM|CLONE_VFORK)+execve(child 1, sock 2 as fd 3) = 0
close(sock 2) = 0
child 1: getsockopt(fd 3, SOL_SOCKET, SO_TYPE) = SOCK_STREAM (fd 3 is sock 1)
close(sock 1) = 0
accept(sock 1) = -1 EINVAL
child 1: close(sock 1) = 0
child 1: read(sock 1, 512 bytes) = 0
child 1 exited (status 0)
`
	want := []string{
		`server's sock 1 used after it was closed: "accept(sock 1) = -1 EINVAL"`,
		`child 1's sock 1 used after it was closed: "child 1: read(sock 1, 512 bytes) = 0"`,
	}
	if got := closeProblems(trace); !slices.Equal(got, want) {
		t.Errorf("closeProblems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestUnclosed checks the leak check itself, on a trace like the one a
// reset before accept gave once: child 1 was killed by the stop before it
// read its client's reset, so its exit closed its socket; child 2 exited
// on its own without closing its own, which is a leak.
func TestUnclosed(t *testing.T) {
	trace := `socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 1
accept(sock 1) = sock 2 from 127.0.0.1
close(sock 2) = 0
accept(sock 1) = sock 3 from 127.0.0.1
close(sock 3) = 0
child 1: getsockopt(fd 3, SOL_SOCKET, SO_TYPE) = sock 1
child 2: getsockopt(fd 3, SOL_SOCKET, SO_TYPE) = sock 1
child 2: read(sock 1, 512 bytes) = 0
close(sock 1) = 0
child 1 exited (signal: terminated)
child 2 exited (status 0)
`
	if got, want := unclosed(trace), []string{"child 2 sock 1"}; !slices.Equal(got, want) {
		t.Errorf("unclosed = %q, want %q", got, want)
	}
}
