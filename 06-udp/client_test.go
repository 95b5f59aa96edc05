package main

import (
	"net"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// fakeServer answers the client's datagrams with answer, which decides
// what to send back to each, and from which socket.
func fakeServer(t *testing.T, answer func(n int, msg []byte, from net.Addr, server, stranger net.PacketConn)) string {
	t.Helper()
	server, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close(); stranger.Close() })
	go func() {
		buf := make([]byte, maxDatagram)
		for n := 1; n <= 10; n++ {
			got, from, err := server.ReadFrom(buf)
			if err != nil {
				return
			}
			answer(n, buf[:got], from, server, stranger)
		}
	}()
	return server.LocalAddr().String()
}

// TestClientRetries loses the first datagram: the client waits for its
// timeout, sends again, and gets the echo.
func TestClientRetries(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program) {
		addr := fakeServer(t, func(n int, msg []byte, from net.Addr, server, _ net.PacketConn) {
			if n > 1 {
				server.WriteTo(msg, from)
			}
		})
		out, status := program.Run(t, "client", "-timeout", "200ms", "-addr", addr, "hello")
		want := "sent 5 bytes\nno echo within 200ms\nsent 5 bytes again (try 2 of 4)\n" +
			"echo of 5 bytes from 127.0.0.1 matches: \"hello\"\n"
		if status != 0 || out != want {
			t.Errorf("client exited %d and printed:\n%s\nwant 0 and:\n%s", status, out, want)
		}
	}
	t.Run("native", func(t *testing.T) { run(t, chapter.Native()) })
	t.Run("wine", func(t *testing.T) { run(t, chapter.Wine(t)) })
}

// TestClientChecksSender answers first from another port, then with
// something that is not the echo, then with the echo: the client skips
// the first two and takes the third.
func TestClientChecksSender(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program) {
		addr := fakeServer(t, func(n int, msg []byte, from net.Addr, server, stranger net.PacketConn) {
			stranger.WriteTo(msg, from)
			server.WriteTo([]byte("not it"), from)
			server.WriteTo(msg, from)
		})
		out, status := program.Run(t, "client", "-addr", addr, "hello")
		for _, line := range []string{
			"skipped a datagram of 5 bytes from 127.0.0.1:",
			", not the server: \"hello\"\n",
			"skipped a datagram of 6 bytes from the server, not the echo of the 5 bytes sent: \"not it\"\n",
			"echo of 5 bytes from 127.0.0.1 matches: \"hello\"\n",
		} {
			if status != 0 || !strings.Contains(out, line) {
				t.Errorf("client exited %d and printed:\n%s\nwant 0 and a line %q", status, out, line)
			}
		}
	}
	t.Run("native", func(t *testing.T) { run(t, chapter.Native()) })
	t.Run("wine", func(t *testing.T) { run(t, chapter.Wine(t)) })
}

// TestClientWrongDatagram answers as the seed's server does: 1024 bytes
// whatever came, the datagram and then what was in its buffer after it
// (zeros here). The client shows what came back, from whom and how long,
// says it is not the echo, and in the end that the server answered but
// never with the echo: nothing was lost.
func TestClientWrongDatagram(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program) {
		addr := fakeServer(t, func(n int, msg []byte, from net.Addr, server, _ net.PacketConn) {
			answer := make([]byte, 1024)
			copy(answer, msg)
			server.WriteTo(answer, from)
		})
		out, status := program.Run(t, "client", "-timeout", "200ms", "-retries", "1", "-addr", addr, "ping")
		out = strings.ReplaceAll(out, addr, "SERVER")
		skipped := "skipped a datagram of 1024 bytes from the server, not the echo of the 4 bytes sent: " +
			`"ping` + strings.Repeat(`\x00`, 28) + `"... (992 bytes more)` + "\n"
		want := "sent 4 bytes\n" + skipped + "no echo within 200ms\n" +
			"sent 4 bytes again (try 2 of 2)\n" + skipped + "no echo within 200ms\n" +
			"no echo from SERVER after 2 tries: the server answered 2 times, never with the echo\n"
		if status != 1 || out != want {
			t.Errorf("client exited %d and printed:\n%s\nwant 1 and:\n%s", status, out, want)
		}
	}
	t.Run("native", func(t *testing.T) { run(t, chapter.Native()) })
	t.Run("wine", func(t *testing.T) { run(t, chapter.Wine(t)) })
}

// TestPortUnreachable runs the demo natively and checks how its connected
// socket hears of the port where nobody listens: ECONNREFUSED on POSIX,
// WSAECONNRESET on Windows. Wine 8 does not pass the ICMP message on (the
// receive times out), so testdata/wine/demo.ct records that, and this test
// is what checks Windows itself.
func TestPortUnreachable(t *testing.T) {
	want := "connection refused (ECONNREFUSED)"
	if runtime.GOOS == "windows" {
		want = "connection reset by peer (WSAECONNRESET)"
	}
	out, status := chapter.Native().Run(t, "demo")
	if status != 0 || !strings.Contains(out, want) {
		t.Errorf("demo exited %d, want 0 with %q; it printed:\n%s", status, want, out)
	}
}
