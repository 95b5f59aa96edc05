package main

import (
	"fmt"
	"io"
	"net/netip"
)

// bufferSize is the seed's DEFAULT_BUFLEN: how much one recv may take.
const bufferSize = 512

// listenAndServe makes the listening socket, as the chapter's server does
// in its steps 1 to 4, and hands it to serveClients.
func listenAndServe(socks *sockets, at netip.AddrPort, clients int, stdout, stderr io.Writer) error {
	if err := startup(); err != nil {
		return fmt.Errorf("WSAStartup: %s", describe(err))
	}
	defer cleanup()

	listener, err := socks.open(at)
	if err != nil {
		return err
	}
	defer listener.close()
	if err := listener.bind(at); err != nil {
		return err
	}
	// From here the kernel completes clients' connections on its own and
	// queues them, up to the backlog, until we accept them.
	if err := listener.listen(); err != nil {
		return err
	}
	addr, err := listener.localAddr()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on %v\n", addr)

	return serveClients(listener, clients, stdout, stderr)
}

// serveClient is client number n's whole visit: it sends back every byte
// the client sends until the client shuts down sending, then shuts down
// our sending half and closes the socket. recv blocks all the while, so no
// other client is served until this one leaves.
func serveClient(n int, client *sock, stdout io.Writer) error {
	defer client.close()
	fmt.Fprintf(stdout, "client %d connected\n", n)
	buf := make([]byte, bufferSize)
	total := 0
	for {
		got, err := client.recv(buf)
		if err != nil {
			return err
		}
		if got == 0 {
			break
		}
		if err := client.sendAll(buf[:got]); err != nil {
			return err
		}
		total += got
	}
	fmt.Fprintf(stdout, "client %d left: %d bytes echoed\n", n, total)
	return client.shutdownSend()
}
