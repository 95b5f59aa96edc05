package main

import (
	"bytes"
	"encoding/binary"
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
// serving the others.

func TestFaults(t *testing.T) {
	testFaults(t, testkit.NativeProgram("06-udp", nativeBinary), false)
}

// Wine 8 sometimes kills the Windows build with SIGKILL as it exits after
// a Ctrl-C, after its last line (see 01-blocking's TestInterrupt); wineKill
// accepts that exit there.
func TestFaultsWine(t *testing.T) {
	testFaults(t, testkit.WineProgram(t, "06-udp", windowsBinary), true)
}

func testFaults(t *testing.T, program *testkit.Program, wineKill bool) {
	t.Run("every byte value, largest datagram", func(t *testing.T) {
		server := program.StartServer(t, "server", "-count", "2", "-addr", "127.0.0.1:0")
		conn := dialUDP(t, server.Port)
		for _, size := range []int{256, maxDatagram} {
			sent := testkit.Bytes(size)
			if got := roundTrip(t, conn, sent); !bytes.Equal(got, sent) {
				t.Errorf("echo of %d bytes: got %d bytes, equal=%v", size, len(got), bytes.Equal(got, sent))
			}
		}
		expectExit(t, server, 0, "datagram of 65507 bytes from 127.0.0.1\n", false)
	})

	// A datagram longer than -buffer is cut; the server says so, echoes
	// nothing, and serves the next one. UDP on loopback keeps the order, so
	// the first echo that comes must be the second datagram's.
	t.Run("truncated", func(t *testing.T) {
		server := program.StartServer(t, "server", "-buffer", "1024", "-count", "2", "-addr", "127.0.0.1:0")
		conn := dialUDP(t, server.Port)
		conn.Write(testkit.Bytes(1025))
		sent := testkit.Bytes(1024)
		if got := roundTrip(t, conn, sent); !bytes.Equal(got, sent) {
			t.Errorf("the echo after a truncated datagram: got %d bytes, want the 1024 sent", len(got))
		}
		expectExit(t, server, 0, "datagram of more than 1024 bytes from 127.0.0.1: truncated", false)
	})

	// A client that sends and leaves before its echo arrives: the echo
	// brings back an ICMP "port unreachable". Without SIO_UDP_CONNRESET
	// off, Winsock would fail the server's next recvfrom with WSAECONNRESET.
	t.Run("client gone before its echo", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-count", "2", "-addr", "127.0.0.1:0")
		gone := dialUDP(t, server.Port)
		gone.Write([]byte("bye"))
		gone.Close()
		if got := roundTrip(t, dialUDP(t, server.Port), []byte("next")); string(got) != "next" {
			t.Errorf("the next client got %q, want %q", got, "next")
		}
		expectExit(t, server, 0, "served 2 datagrams", true)
	})

	t.Run("a burst of 1000", func(t *testing.T) {
		server := program.StartServer(t, "server", "-addr", "127.0.0.1:0")
		echoed := burst(t, dialUDP(t, server.Port), 1000)
		out, status := server.InterruptAndWait(t)
		if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("server exited %d, want 0; it printed:\n%s", status, out)
		}
		// The server logs each datagram it received: the loss splits into
		// the way there (its receive buffer) and the way back (ours).
		got := strings.Count(out, "datagram of ")
		t.Logf("%s: 1000 sent, %d reached the server, %d echoes came back", t.Name(), got, echoed)
	})

	// Many clients at once, each from its own port: each gets its own
	// echoes back, none another's. -ports makes the server log the ports.
	t.Run("many at once", func(t *testing.T) {
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
		out, _ := expectExit(t, server, 0, "served 20 datagrams", false)
		for port := range ports {
			if !strings.Contains(out, "from "+port+"\n") {
				t.Errorf("the server's log lacks %s:\n%s", port, out)
			}
		}
	})
}

// burst sends n datagrams as fast as the socket takes them, while it reads
// the echoes. Loopback may drop datagrams when a receive buffer is full:
// we count and report the loss. A corrupted or repeated echo fails the test.
func burst(t *testing.T, conn *net.UDPConn, n int) int {
	t.Helper()
	payload := func(seq int) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(seq))
		return append(b, testkit.Bytes(256+seq%64)...)
	}
	received := make(chan map[int]bool, 1)
	go func() {
		seen := map[int]bool{}
		buf := make([]byte, 2048)
		for len(seen) < n {
			// We stop once a second passes with nothing: the rest is lost.
			conn.SetReadDeadline(time.Now().Add(time.Second))
			got, err := conn.Read(buf)
			if err != nil {
				break
			}
			seq := int(binary.BigEndian.Uint32(buf))
			switch {
			case got < 4 || seq >= n || !bytes.Equal(buf[:got], payload(seq)):
				t.Errorf("a corrupted echo of %d bytes (sequence %d)", got, seq)
			case seen[seq]:
				t.Errorf("datagram %d echoed twice", seq)
			}
			seen[seq] = true
		}
		received <- seen
	}()
	for seq := range n {
		if _, err := conn.Write(payload(seq)); err != nil {
			t.Fatalf("sending datagram %d: %v", seq, err)
		}
	}
	echoed := len(<-received)
	if echoed == 0 {
		t.Errorf("no datagram of %d came back", n)
	}
	return echoed
}

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
