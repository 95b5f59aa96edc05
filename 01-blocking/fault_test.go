package main

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: a client of Go's net package does to the
// server what a careless or hostile client would, and the server must echo
// every byte, or fail with one clear line, and close every socket it opened.
// Each fault is a function below (the resets are in fault_reset_test.go),
// run against both builds.
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
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	sent := make([]byte, 256)
	for i := range sent {
		sent[i] = byte(i)
	}
	if got := testkit.Echo(t, server.Port, sent); !bytes.Equal(got, sent) {
		t.Errorf("echo of 0..255 = %q, want %q", got, sent)
	}
	server.ExpectExit(t, 0, "Connection closing...")
}

// The seed's client sends everything before it reads; this one reads
// while it writes, so 1 MiB cannot fill both sides' buffers.
func oneMiB(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-quiet", "-addr", "127.0.0.1:0")
	sent := testkit.Bytes(1 << 20)
	if got := testkit.Echo(t, server.Port, sent); !bytes.Equal(got, sent) {
		t.Errorf("echo of 1 MiB: got %d bytes, equal=%v", len(got), bytes.Equal(got, sent))
	}
	server.ExpectExit(t, 0, "Bytes sent: 1048576 in all")
}

// Many clients at once: the first is served; the listener closes right
// after accept, so the others are reset or refused, and none hangs.
func manyAtOnce(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	echoed := make(chan bool)
	for range 20 {
		go func() { echoed <- echoedHello(server.Port) }()
	}
	served := 0
	for range 20 {
		if <-echoed {
			served++
		}
	}
	if served != 1 {
		t.Errorf("%d clients were served, want exactly 1", served)
	}
	server.ExpectExit(t, 0, "Connection closing...")
}

// echoedHello tells whether a client that sends "hello" and half-closes
// gets "hello" back. It is not testkit.Dial and testkit.Echo: a client
// refused or reset is what this test expects of all clients but one.
func echoedHello(port string) bool {
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		return false // refused: the listener is closed already
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	conn.Write([]byte("hello"))
	conn.(*net.TCPConn).CloseWrite()
	got, err := io.ReadAll(conn)
	return err == nil && string(got) == "hello"
}
