package main

import (
	"bytes"
	"encoding/binary"
	"net"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// aBurst sends 1000 datagrams as fast as the socket takes them, then
// Ctrl-C: the server must exit 0 (or end as Wine may end it, after its
// last line), and every echo that came back must be whole and once.
func aBurst(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-addr", "127.0.0.1:0")
	echoed := burst(t, dialUDP(t, server.Port), 1000)
	out, status := server.InterruptAndWait(t)
	if !server.ExitAccepted(t, status, 0, out, "interrupt: server stopped") {
		t.Errorf("server exited %d, want 0; it printed:\n%s", status, out)
	}
	// The server logs each datagram it received: the loss splits into
	// the way there (its receive buffer) and the way back (ours).
	got := strings.Count(out, "datagram of ")
	t.Logf("%s: 1000 sent, %d reached the server, %d echoes came back", t.Name(), got, echoed)
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
