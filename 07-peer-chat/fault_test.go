package main

import (
	"net"
	"testing"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS that apply to a chat of two: a client of
// Go's net package does to the server what a careless or hostile peer
// would, and the server must print what it can, or fail with one clear
// line, and close every socket it opened. Each is a function of its own
// (here and in fault_lines_test.go), run against both builds.
var faults = []testkit.Case{
	{Name: "peer resets", Test: faultPeerResets},
	{Name: "a second peer", Test: faultSecondPeer},
	{Name: "1 MiB line from the peer", Test: faultLongLineFromPeer},
	{Name: "1 MiB line typed", Test: faultLongLineTyped},
	{Name: "both typing at once", Test: faultBothTyping},
}

func TestFaults(t *testing.T) { testkit.RunCases(t, chapter.Native(), faults) }

func TestFaultsWine(t *testing.T) { testkit.RunCases(t, chapter.Wine(t), faults) }

// faultPeerResets: a peer that resets (SO_LINGER 0) after one line. The
// server's recv fails, and it says so in one line and exits 1. Wine,
// unlike Windows, may report the reset to a recv already waiting as an
// orderly end-of-stream: "peer left" and exit 0 are accepted there only.
func faultPeerResets(t *testing.T, program *testkit.Program) {
	server, port := startServer(t, program, "-trace")
	conn := testkit.Dial(t, port)
	conn.Write([]byte("hello\n"))
	server.waitFor(t, `^peer: hello$`)
	conn.SetLinger(0)
	conn.Close()
	end := server.waitFor(t, `connection reset by peer \(|^peer left$`)[0]
	status := server.exit(t)
	reported := status == 1 && end != "peer left"
	if !reported && !program.Allows(t, testkit.WineResetAsEOF, status == 0 && end == "peer left") {
		t.Errorf("server exited %d after %q, want 1 with the reset named", status, end)
	}
	t.Logf("the reset ended the server with %q, exit %d", end, status)
	server.keys.Close()
	expectAllClosed(t, server)
}

// faultSecondPeer: one peer at a time, as in the seed. The server closes
// its listening socket once its peer is there, so a second one is refused.
func faultSecondPeer(t *testing.T, program *testkit.Program) {
	server, port := startServer(t, program, "-trace")
	first := testkit.Dial(t, port)
	server.waitFor(t, `^peer connected from 127\.0\.0\.1$`)
	if second, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
		second.Close()
		t.Error("a second peer could connect")
	}
	first.CloseWrite()
	server.waitFor(t, `^peer left$`)
	if status := server.exit(t); status != 0 {
		t.Errorf("server exited %d, want 0", status)
	}
	expectAllClosed(t, server)
}
