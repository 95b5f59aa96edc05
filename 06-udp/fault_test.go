package main

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS that apply to datagrams: a client of Go's
// net package sends what a careless or hostile client would, and the
// server must echo each datagram exactly, or say why it did not, and keep
// serving the others. Each runs against the native build (TestFaults)
// and the Windows build under Wine (TestFaultsWine).
var faults = []testkit.Case{
	{Name: "every byte value, largest datagram", Test: everyByteValue},
	{Name: "truncated", Test: truncated},
	{Name: "client gone before its echo", Test: clientGoneBeforeEcho},
	{Name: "a burst of 1000", Test: aBurst},
	{Name: "many at once", Test: manyAtOnce},
}

func TestFaults(t *testing.T) { testkit.RunCases(t, chapter.Native(), faults) }

func TestFaultsWine(t *testing.T) { testkit.RunCases(t, chapter.Wine(t), faults) }

// everyByteValue: the 256 byte values, then the largest datagram UDP
// carries, each echoed exactly.
func everyByteValue(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-count", "2", "-addr", "127.0.0.1:0")
	conn := dialUDP(t, server.Port)
	for _, size := range []int{256, maxDatagram} {
		sent := testkit.Bytes(size)
		if got := roundTrip(t, conn, sent); !bytes.Equal(got, sent) {
			t.Errorf("echo of %d bytes: got %d bytes, equal=%v", size, len(got), bytes.Equal(got, sent))
		}
	}
	server.ExpectExit(t, 0, "datagram of 65507 bytes from 127.0.0.1\n")
}

// truncated: a datagram longer than -buffer is cut; the server says so,
// echoes nothing, and serves the next one. UDP on loopback keeps the
// order, so the first echo that comes must be the second datagram's.
func truncated(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-buffer", "1024", "-count", "2", "-addr", "127.0.0.1:0")
	conn := dialUDP(t, server.Port)
	conn.Write(testkit.Bytes(1025))
	sent := testkit.Bytes(1024)
	if got := roundTrip(t, conn, sent); !bytes.Equal(got, sent) {
		t.Errorf("the echo after a truncated datagram: got %d bytes, want the 1024 sent", len(got))
	}
	server.ExpectExit(t, 0, "datagram of more than 1024 bytes from 127.0.0.1: truncated")
}

// clientGoneBeforeEcho: a client that sends and leaves before its echo
// arrives: the echo brings back an ICMP "port unreachable". Without
// SIO_UDP_CONNRESET off, Winsock would fail the server's next recvfrom
// with WSAECONNRESET.
func clientGoneBeforeEcho(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-count", "2", "-addr", "127.0.0.1:0")
	gone := dialUDP(t, server.Port)
	gone.Write([]byte("bye"))
	gone.Close()
	if got := roundTrip(t, dialUDP(t, server.Port), []byte("next")); string(got) != "next" {
		t.Errorf("the next client got %q, want %q", got, "next")
	}
	server.ExpectExit(t, 0, "served 2 datagrams")
}

// manyAtOnce: many clients at once, each from its own port: each gets its
// own echoes back, none another's. -ports makes the server log the ports.
func manyAtOnce(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-ports", "-count", "20", "-addr", "127.0.0.1:0")
	var wg sync.WaitGroup
	ports := make(chan string, 20)
	for i := range 20 {
		wg.Go(func() {
			conn := dialUDP(t, server.Port)
			ports <- conn.LocalAddr().String()
			sent := append([]byte("client "), byte('a'+i))
			if got := roundTrip(t, conn, sent); !bytes.Equal(got, sent) {
				t.Errorf("client %d got %q, want %q", i, got, sent)
			}
		})
	}
	wg.Wait()
	close(ports)
	out := server.ExpectExit(t, 0, "served 20 datagrams")
	for port := range ports {
		if !strings.Contains(out, "from "+port+"\n") {
			t.Errorf("the server's log lacks %s:\n%s", port, out)
		}
	}
}

// dialUDP is testkit.Dial for datagrams: a connected UDP socket to the
// server, closed at the test's end.
func dialUDP(t *testing.T, port string) *net.UDPConn {
	t.Helper()
	conn, err := net.Dial("udp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn.(*net.UDPConn)
}

// roundTrip sends one datagram and returns the first that comes back,
// sending again (at most 5 times) if none comes within a second.
func roundTrip(t *testing.T, conn *net.UDPConn, sent []byte) []byte {
	t.Helper()
	buf := make([]byte, maxDatagram+1)
	for range 5 {
		if _, err := conn.Write(sent); err != nil {
			t.Errorf("sending %d bytes: %v", len(sent), err)
			return nil
		}
		conn.SetReadDeadline(time.Now().Add(time.Second))
		if n, err := conn.Read(buf); err == nil {
			return buf[:n]
		}
	}
	t.Errorf("no echo of %d bytes after 5 tries", len(sent))
	return nil
}
