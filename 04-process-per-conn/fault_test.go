package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: a client of Go's net package does to the
// server what a careless or hostile client would. The child serving it must
// echo every byte, or fail with one clear line; the server must go on
// serving the others; and no process may leave a socket open. Each fault is
// a function below (the resets are in fault_reset_test.go), run against
// both builds.
var faults = []testkit.Case{
	{Name: "every byte value", Test: everyByteValue},
	{Name: "1 MiB", Test: oneMiB},
	{Name: "reset", Test: reset},
	{Name: "reset before accept", Test: resetBeforeAccept},
	{Name: "many at once", Test: manyAtOnce},
}

func TestFaults(t *testing.T) { testkit.RunCases(t, chapter.Native(), faults) }

func TestFaultsWine(t *testing.T) { testkit.RunCases(t, chapter.Wine(t), faults) }

// Every byte value comes back as it was sent.
func everyByteValue(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
	sent := make([]byte, 256)
	for i := range sent {
		sent[i] = byte(i)
	}
	if got := testkit.Echo(t, server.Port, sent); !bytes.Equal(got, sent) {
		t.Errorf("echo of 0..255 = %q, want %q", got, sent)
	}
	server.ExpectExit(t, 0, "child 1 exited (status 0)")
}

// The seed's client sends everything before it reads; this one reads
// while it writes, so 1 MiB cannot fill both sides' buffers.
func oneMiB(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-quiet", "-clients", "1", "-addr", "127.0.0.1:0")
	sent := testkit.Bytes(1 << 20)
	if got := testkit.Echo(t, server.Port, sent); !bytes.Equal(got, sent) {
		t.Errorf("echo of 1 MiB: got %d bytes, equal=%v", len(got), bytes.Equal(got, sent))
	}
	server.ExpectExit(t, 0, "child 1: Bytes sent: 1048576 in all")
}

// Many clients at once, within -max-procs: every one is served, each by a
// child of its own, and every child is reaped.
func manyAtOnce(t *testing.T, program *testkit.Program) {
	const clients = 20
	server := program.StartServer(t, "server", "-trace", "-clients", fmt.Sprint(clients), "-addr", "127.0.0.1:0")
	var wg sync.WaitGroup
	failed := make(chan string, clients)
	for i := range clients {
		wg.Go(func() {
			msg := fmt.Appendf(nil, "client %d", i)
			if got := testkit.Echo(t, server.Port, msg); !bytes.Equal(got, msg) {
				failed <- fmt.Sprintf("%s got %q", msg, got)
			}
		})
	}
	wg.Wait()
	close(failed)
	for f := range failed {
		t.Error(f)
	}
	out := server.ExpectExit(t, 0, fmt.Sprintf("child %d exited (status 0)", clients))
	for n := 1; n <= clients; n++ {
		if line := fmt.Sprintf("child %d exited (status 0)", n); !strings.Contains(out, line+"\n") {
			t.Errorf("no line %q:\n%s", line, out)
		}
	}
}
