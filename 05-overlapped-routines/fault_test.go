package main

import (
	"bytes"
	"sync"
	"testing"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: clients of Go's net package do to the
// server what careless or hostile clients would. The server must echo
// every byte to the others, name what went wrong for the one, and close
// every socket it opened. Each runs on every native backend and on the
// Windows build under Wine.

func TestFaults(t *testing.T) {
	for _, backend := range nativeBackends() {
		t.Run(backend, func(t *testing.T) { testkit.RunCases(t, nativeProgram(backend), faults) })
	}
}

func TestFaultsWine(t *testing.T) { testkit.RunCases(t, chapter.Wine(t), faults) }

// faults are the fault tests, each run against one build of the server.
var faults = []testkit.Case{
	{Name: "every byte value", Test: everyByteValue},
	{Name: "1 MiB", Test: oneMiB},
	{Name: "reset mid-send", Test: resetMidSend},           // fault_reset_test.go
	{Name: "reset before accept", Test: resetBeforeAccept}, // fault_reset_test.go
	{Name: "many at once", Test: manyAtOnce},
}

// everyByteValue: one client sends 0..255, and every byte comes back.
func everyByteValue(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
	sent := make([]byte, 256)
	for i := range sent {
		sent[i] = byte(i)
	}
	if got := testkit.Echo(t, server.Port, sent); !bytes.Equal(got, sent) {
		t.Errorf("echo of 0..255 = %q, want %q", got, sent)
	}
	server.ExpectExit(t, 0, "served 1 client, echoed 256 bytes")
}

// oneMiB: 1 MiB, read while it is written: the server's sends fill the
// client's window, so some of them complete with part of the buffer.
func oneMiB(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
	sent := testkit.Bytes(1 << 20)
	if got := testkit.Echo(t, server.Port, sent); !bytes.Equal(got, sent) {
		t.Errorf("echo of 1 MiB: got %d bytes, equal=%v", len(got), bytes.Equal(got, sent))
	}
	server.ExpectExit(t, 0, "served 1 client, echoed 1048576 bytes")
}

// manyAtOnce: many clients at once, each sending in several writes and
// reading as it goes; the one thread interleaves them all.
func manyAtOnce(t *testing.T, program *testkit.Program) {
	const clients, size = 50, 20000
	server := program.StartServer(t, "server", "-quiet", "-clients", "50", "-addr", "127.0.0.1:0")
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			sent := testkit.Bytes(size + i)[i:]
			if got := testkit.Echo(t, server.Port, sent); !bytes.Equal(got, sent) {
				t.Errorf("client %d: echo of %d bytes differs (%d came back)", i, size, len(got))
			}
		})
	}
	wg.Wait()
	server.ExpectExit(t, 0, "served 50 clients, echoed 1000000 bytes")
}
