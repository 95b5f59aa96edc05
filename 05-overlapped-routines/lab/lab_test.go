package main

// The grading tests. They build the lab (starter_linux.go, or
// solution_linux.go with -tags solution), run it as you would, and drive it
// with clients of Go's net package. Run them with:
//
//	go test ./05-overlapped-routines/lab

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"iomodels/testkit"
)

// program is the lab, built once.
var program *testkit.Program

func TestMain(m *testing.M) {
	if runtime.GOOS != "linux" {
		os.Exit(m.Run()) // every test skips: see needLinux
	}
	dir, err := os.MkdirTemp("", "05-lab-test")
	binary := ""
	if err == nil {
		binary, err = testkit.Build(dir, "lab", runtime.GOOS)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	program = testkit.NativeProgram("lab", binary)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func needLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the lab runs on Linux only: it is about io_uring")
	}
}

// Fifty clients at once, each sending 100 messages one after the other and
// reading each echo before it sends the next. Every echo must come back
// intact; and since each message is received on its own, the server sees at
// least 5,000 recv completions, yet should submit about one recv request
// per connection: at most 2 each, which leaves room for a kernel that ends
// a few multishot recvs early.
func TestManyClientsOneRecvEach(t *testing.T) {
	needLinux(t)
	const clients, messages = 50, 100
	server := program.StartServer(t, "-addr", "127.0.0.1:0")
	failed := runClients(t, server.Port, clients, func(conn net.Conn, client int) error {
		for m := range messages {
			msg := pattern(client*messages+m, 1+(client*37+m*11)%300)
			if err := echoOnce(conn, msg); err != nil {
				return fmt.Errorf("client %d, message %d of %d: %w", client+1, m+1, messages, err)
			}
		}
		return nil
	})
	got := stop(t, server, failed)
	if got.clients != clients {
		t.Errorf("the server counted %d clients, want %d", got.clients, clients)
	}
	if got.completions < clients*messages {
		t.Errorf("%d recv completions for %d messages received one at a time: want one at least for each",
			got.completions, clients*messages)
	}
	if got.requests > 2*clients {
		t.Errorf("the server submitted %d recv requests for %d connections (and got %d completions); want at most %d.\n"+
			"A multishot recv is submitted once per connection and stays armed while its completions carry "+
			"IORING_CQE_F_MORE: post it again only after a completion without that flag.",
			got.requests, clients, got.completions, 2*clients)
	}
}

// A ring of only 2 buffers, and 5 clients that each send 64 KiB at once
// while they read the echo. The ring runs dry again and again; each time,
// the kernel ends a multishot recv with ENOBUFS, and the server must post it
// again once a buffer is back, or that client's echo stops. Counted
// honestly, the recv requests are then one per connection plus one per
// time the ring ran dry (and, again, one more per connection for the
// kernel's own reasons).
func TestBuffersRunOut(t *testing.T) {
	needLinux(t)
	const clients, size = 5, 64 << 10
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-buffers", "2")
	failed := runClients(t, server.Port, clients, func(conn net.Conn, client int) error {
		msg := pattern(client, size)
		if err := echoOnce(conn, msg); err != nil {
			return fmt.Errorf("client %d (64 KiB): %w", client+1, err)
		}
		return nil
	})
	got := stop(t, server, failed)
	if got.outOfBuffers == 0 {
		t.Fatalf("no recv completed with ENOBUFS, so the 2 provided buffers never ran out while %d clients sent 64 KiB each: "+
			"does the recv take its buffers from the ring (IOSQE_BUFFER_SELECT, bufGroup)?", clients)
	}
	if most := 2*clients + got.outOfBuffers; got.requests > most {
		t.Errorf("the server submitted %d recv requests for %d connections, and the ring ran dry %d times; want at most %d: "+
			"post the recv again only after a completion without IORING_CQE_F_MORE.",
			got.requests, clients, got.outOfBuffers, most)
	}
}

// A ring of 4 submission slots, so 8 for completions, and 50 clients each
// sending 32 KiB at once while it reads the echo. The completions come
// faster than the server reaps them, and when the completion queue is
// full, the kernel ends a multishot recv with the chunk it has, in a
// completion without IORING_CQE_F_MORE: the server must post the recv
// again, or that client's echo stops there. (Measured with -race on a
// busy machine: the kernel ended 1,410 to 1,592 of the 1,650 recvs so, in
// each of 20 runs.)
func TestFullCompletionQueue(t *testing.T) {
	needLinux(t)
	const clients, size = 50, 32 << 10
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-ring", "4")
	msgs := make([][]byte, clients) // made before, so that the clients send together
	for i := range msgs {
		msgs[i] = pattern(i, size)
	}
	failed := runClients(t, server.Port, clients, func(conn net.Conn, client int) error {
		if err := echoOnce(conn, msgs[client]); err != nil {
			return fmt.Errorf("client %d (%d KiB): %w", client+1, size>>10, err)
		}
		return nil
	})
	got := stop(t, server, failed)
	t.Logf("recv requests beyond one per connection and one per ENOBUFS: %d "+
		"(a multishot server makes one each time the kernel ends a recv that brought data)",
		got.requests-clients-got.outOfBuffers)
}

// Ctrl-C while a client is connected: the server ends that client, prints
// its counts and exits 0.
func TestCtrlCWithAClient(t *testing.T) {
	needLinux(t)
	server := program.StartServer(t, "-addr", "127.0.0.1:0")
	conn := dial(t, server.Port)
	stop(t, server, echoOnce(conn, []byte("hello")))
	conn.SetReadDeadline(time.Now().Add(deadline))
	if n, err := conn.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("after Ctrl-C the client read %d bytes, %v; want end-of-stream: the server should close it", n, err)
	}
}
