package main

import (
	"fmt"
	"io"
	"net/netip"
)

// bufferSize is the seed's DEFAULT_BUFLEN: how much one recv may take. It
// stays 512 here: this server has one client, the lesson's and the
// benchmark's messages fit in one recv, and a large message shows in the
// trace and the lab as chunks of 512, which is what this chapter teaches of
// recv. Each chunk costs a system call each way: chapter 04 measures that
// with 16 KiB messages, and reads 64 KiB at a time.
const bufferSize = 512

// endpoint is where a program serves or connects: a host and a port.
type endpoint struct {
	host string
	port uint16
}

// serveOneClient is the seed's server, in its seven steps: it serves one
// client, echoing every byte back, and returns when that client is done.
// ready, if not nil, learns the address as soon as a client may connect.
func serveOneClient(socks *sockets, stdout io.Writer, at endpoint, quiet bool,
	ready func(netip.AddrPort)) error {
	// 1. Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// 2-4. Create a socket, bind it and listen (setup.go). The deferred
	// close closes it on every return below.
	listener, addr, err := listenOn(socks, at, nil)
	if err != nil {
		return err
	}
	defer listener.close()
	fmt.Fprintf(stdout, "listening on %v\n", addr)
	if ready != nil {
		ready(addr)
	}

	// 5. Accept a connection. accept blocks until a client has connected.
	// Then we close the listener, as the seed does: from now on nobody else
	// can connect. That is the limit chapter 02 lifts.
	client, err := listener.accept()
	if err != nil {
		return err
	}
	defer client.close()
	listener.close()

	// Each send goes out at once (TCP_NODELAY): with Nagle's algorithm on,
	// a reply sent in pieces could wait for the client's delayed ACK, up
	// to 40 ms or more, on every round trip. Chapter 04's lesson shows it:
	// ../04-process-per-conn/README.md#nagles-algorithm-and-delayed-ack.
	if err := client.setNoDelay(); err != nil {
		return err
	}

	// 6. Receive and send until the client shuts down its sending half.
	if err := echoUntilClosed(client, stdout, quiet); err != nil {
		return err
	}

	// 7. Disconnect: we shut down our sending half, so the client's recv
	// returns 0, and the deferred calls close the socket and call
	// WSACleanup.
	return client.shutdownSend()
}

// echoUntilClosed sends back every byte it receives. recv blocks until bytes
// arrive; it returns 0 once the peer has shut down sending and all is read.
// One recv is not one message: it is whatever has arrived, up to the buffer.
func echoUntilClosed(client *sock, stdout io.Writer, quiet bool) error {
	buf := make([]byte, bufferSize)
	total := 0
	for {
		n, err := client.recv(buf)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		if !quiet {
			fmt.Fprintf(stdout, "Bytes received: %d\n", n)
		}
		if err := client.sendAll(buf[:n]); err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(stdout, "Bytes sent: %d\n", n)
		}
		total += n
	}
	if quiet {
		fmt.Fprintf(stdout, "Bytes received: %d in all\n", total)
		fmt.Fprintf(stdout, "Bytes sent: %d in all\n", total)
	}
	fmt.Fprintln(stdout, "Connection closing...")
	return nil
}
