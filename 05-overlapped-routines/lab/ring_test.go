package main

// What only the io_uring half has: one multishot recv per connection, a
// ring of provided buffers that runs dry, and a completion queue that
// fills. These tests run the Linux build alone.

import (
	"fmt"
	"net"
	"testing"
)

// oneRecvEach checks, on io_uring, that the server submitted about one
// recv request per connection: at most 2 each, which leaves room for a
// kernel that ends a few multishot recvs early.
func oneRecvEach(t *testing.T, got counts, clients int) {
	t.Helper()
	if got["recv requests"] > 2*clients {
		t.Errorf("the server submitted %d recv requests for %d connections (and got %d completions); want at most %d.\n"+
			"A multishot recv is submitted once per connection and stays armed while its completions carry "+
			"IORING_CQE_F_MORE: post it again only after a completion without that flag.",
			got["recv requests"], clients, got["recv completions"], 2*clients)
	}
}

// A ring of only 2 buffers, and 5 clients that each send 64 KiB at once
// while they read the echo. The ring runs dry again and again; each time,
// the kernel ends a multishot recv with ENOBUFS, and the server must post it
// again once a buffer is back, or that client's echo stops. Counted
// honestly, the recv requests are then one per connection plus one per
// time the ring ran dry (and, again, one more per connection for the
// kernel's own reasons).
func TestBuffersRunOut(t *testing.T) { uringOnly(t, testBuffersRunOut) }

func testBuffersRunOut(t *testing.T, b *build) {
	const clients, size = 5, 64 << 10
	server := b.StartServer(t, "-addr", "127.0.0.1:0", "-buffers", "2")
	failed := runClients(t, server.Port, clients, func(conn net.Conn, client int) error {
		msg := pattern(client, size)
		if err := echoOnce(conn, msg, b.hints); err != nil {
			return fmt.Errorf("client %d (64 KiB): %w", client+1, err)
		}
		return nil
	})
	got := stop(t, b, server, failed)
	dry := got["out of buffers"]
	if dry == 0 {
		t.Fatalf("no recv completed with ENOBUFS, so the 2 provided buffers never ran out while %d clients sent 64 KiB each: "+
			"does the recv take its buffers from the ring (IOSQE_BUFFER_SELECT, bufGroup)?", clients)
	}
	if most := 2*clients + dry; got["recv requests"] > most {
		t.Errorf("the server submitted %d recv requests for %d connections, and the ring ran dry %d times; want at most %d: "+
			"post the recv again only after a completion without IORING_CQE_F_MORE.",
			got["recv requests"], clients, dry, most)
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
func TestFullCompletionQueue(t *testing.T) { uringOnly(t, testFullCompletionQueue) }

func testFullCompletionQueue(t *testing.T, b *build) {
	const clients, size = 50, 32 << 10
	server := b.StartServer(t, "-addr", "127.0.0.1:0", "-ring", "4")
	msgs := make([][]byte, clients) // made before, so that the clients send together
	for i := range msgs {
		msgs[i] = pattern(i, size)
	}
	failed := runClients(t, server.Port, clients, func(conn net.Conn, client int) error {
		if err := echoOnce(conn, msgs[client], b.hints); err != nil {
			return fmt.Errorf("client %d (%d KiB): %w", client+1, size>>10, err)
		}
		return nil
	})
	got := stop(t, b, server, failed)
	t.Logf("recv requests beyond one per connection and one per ENOBUFS: %d "+
		"(a multishot server makes one each time the kernel ends a recv that brought data)",
		got["recv requests"]-clients-got["out of buffers"])
}
