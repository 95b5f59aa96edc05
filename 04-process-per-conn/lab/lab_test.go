package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// The grading test runs the lab program as you would, with -addr
// 127.0.0.1:0, reads what it prints while it runs, and plays its clients
// with Go's net package. On Linux it also reads /proc (proc_test.go): the
// server's child processes, the descriptors each holds, how busy the
// parent is. With -tags solution, each test but TestDescriptorsClosed runs
// the Windows build of the solution under Wine too (harness_test.go).

// waitLong bounds every wait for something that should happen: children
// starting, an echo, the exit after Ctrl-C. It is wide because the machine
// may be busy; a working server takes a fraction of it.
const waitLong = 5 * time.Second

// waitQuiet is how long the third client of TestTwoAtOnce must go without
// its echo while two clients hold both children.
const waitQuiet = time.Second

// The lab program, built once by TestMain; the Windows build only for
// the solution.
var nativeBinary, windowsBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "04-lab-test")
	if err == nil {
		nativeBinary, err = testkit.Build(dir, "lab", runtime.GOOS)
	}
	if err == nil && testkit.Solution {
		windowsBinary, err = testkit.Build(dir, "lab", "windows")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestPoolStartsFirst: the children are started before any client comes,
// and no process is started for a client.
func TestPoolStartsFirst(t *testing.T) { builds(t, testPoolStartsFirst) }

func testPoolStartsFirst(t *testing.T, p *testkit.Program) {
	s := start(t, p, 3)
	s.pool(t, 3)
	before := s.children(t)
	if before != nil && len(before) != 3 {
		t.Errorf("the server has %d child processes %v, want 3 (-children 3)", len(before), before)
	}
	for i := 1; i <= 5; i++ {
		msg := []byte("hello " + strconv.Itoa(i))
		if got := roundTrip(t, s.port, msg); !bytes.Equal(got, msg) {
			t.Fatalf("client %d, one after another, got %q, want its echo %q: "+
				"does each child go back to accept once its client leaves?", i, got, msg)
		}
	}
	if after := s.children(t); !slices.Equal(before, after) {
		t.Errorf("after 5 clients the server's child processes are %v, before them %v: "+
			"the children started at first should serve every client", after, before)
	}
	out := s.stop(t)
	if n := startedCount(out); n != 3 {
		t.Errorf("for 5 clients with -children 3 the server printed %d \"child K started\" lines, want 3: "+
			"the parent must not start a process per client; its children accept", n)
	}
}

// TestTwoAtOnce: with -children 2, two clients are served at once, and a
// third waits until one of them leaves.
func TestTwoAtOnce(t *testing.T) { builds(t, testTwoAtOnce) }

func testTwoAtOnce(t *testing.T, p *testkit.Program) {
	s := start(t, p, 2)
	s.pool(t, 2)
	first := hold(t, s.port, "A")
	if !first.echoed(t, waitLong) {
		t.Fatalf("the first client got no echo within %v", waitLong)
	}
	second := hold(t, s.port, "B")
	if !second.echoed(t, waitLong) {
		t.Fatalf("the second client got no echo within %v while the first stayed connected: "+
			"with -children 2, two clients are served at once", waitLong)
	}
	third := hold(t, s.port, "C")
	busyBefore, quietFrom := s.busyTime(t), time.Now()
	if third.echoed(t, waitQuiet) {
		t.Fatalf("the third client got its echo while two clients held the two children: " +
			"with -children 2 at most two clients are served at once (is a process still started per client?)")
	}
	s.checkAsleep(t, busyBefore, time.Since(quietFrom))

	// The first leaves: its child goes back to accept and takes the third.
	first.leave()
	if !third.echoed(t, waitLong) {
		t.Fatalf("the third client got no echo within %v of the first leaving: "+
			"does a child go back to accept once its client leaves?", waitLong)
	}
	second.Close()
	third.Close()
	s.stop(t)
}

// TestEveryByte: with -children 1, three clients one after another each
// get back what they sent, every byte value, far more than one recv holds.
func TestEveryByte(t *testing.T) { builds(t, testEveryByte) }

func testEveryByte(t *testing.T, p *testkit.Program) {
	s := start(t, p, 1)
	sent := testkit.Bytes(256 << 10)
	for i := 1; i <= 3; i++ {
		got := roundTrip(t, s.port, sent)
		if len(got) == 0 {
			t.Fatalf("client %d of 3, one after another, got no echo within %v: with -children 1, "+
				"one child accepts them in turn (is it started? does it go back to accept once its "+
				"client leaves?)", i, waitLong)
		}
		if !bytes.Equal(got, sent) {
			t.Fatalf("client %d sent %d bytes (every byte value, many times) and got back %d, "+
				"the first %d of them right: echo every byte, and send all that recv returned",
				i, len(sent), len(got), commonPrefix(got, sent))
		}
	}
	s.stop(t)
}

// TestCtrlC: Ctrl-C stops every child, the server reaps them and exits 0,
// and the client connected at the time sees its connection close.
func TestCtrlC(t *testing.T) { builds(t, testCtrlC) }

func testCtrlC(t *testing.T, p *testkit.Program) {
	s := start(t, p, 3)
	client := hold(t, s.port, "x")
	if !client.echoed(t, waitLong) {
		t.Fatalf("a client got no echo within %v", waitLong)
	}
	pids := s.children(t)
	out := s.stop(t)
	// main.go prints it, as every program of the course does after Ctrl-C.
	if !strings.HasSuffix(out, "\ninterrupt: server stopped\n") {
		t.Errorf("after Ctrl-C the server's last line is not \"interrupt: server stopped\":\n%s", out)
	}
	for _, n := range regexp.MustCompile(`child (\d+) started\n`).FindAllStringSubmatch(out, -1) {
		if !strings.Contains(out, "child "+n[1]+" exited (") {
			t.Errorf("the server exited without reaping child %s (no \"child %s exited\" line): "+
				"after Ctrl-C, stop every child and wait for it (family.stopAll)", n[1], n[1])
		}
	}
	client.SetReadDeadline(time.Now().Add(waitLong))
	if _, err := io.ReadAll(client); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("the client's connection was still open %v after the server exited: "+
			"is the child that served it still running?", waitLong)
	}
	client.Close()
	for _, pid := range pids {
		if _, err := os.Stat("/proc/" + pid); err == nil {
			t.Errorf("child process %s is still there after the server exited", pid)
		}
	}
}
