package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"time"
)

// runDemo runs the server and three clients in this process and prints
// each one's terminal once it is done.
func runDemo(stdout io.Writer, trace bool) error {
	fmt.Fprint(stdout, `Chapter 06: UDP, datagrams instead of a stream.
The server and its clients run in this one process, as they would in
separate terminals. The server echoes datagrams on 127.0.0.1 at a port the
system picks (shown as PORT), and stops after 3 of them.
`)
	server := newTerminal("06-udp server -addr 127.0.0.1:0 -count 3")
	ready := make(chan netip.AddrPort, 1)
	done := make(chan error, 1)
	go func() {
		socks := demoSockets(server, trace)
		config := serverConfig{at: endpoint{"127.0.0.1", 0}, buffer: maxDatagram, count: 3}
		listening := func(addr netip.AddrPort) { ready <- addr }
		done <- serveDatagrams(socks, server, config, listening)
	}()
	var addr netip.AddrPort
	select {
	case addr = <-ready:
	case err := <-done:
		return err
	}
	port := strconv.Itoa(int(addr.Port()))

	// First the seed's exchange, with a message that is really there.
	client := newTerminal("06-udp client -addr 127.0.0.1:" + port + ` "this is a test"`)
	opts := clientOptions{timeout: time.Second, retries: 3}
	client.finish(sendDatagrams(demoSockets(client, trace), client,
		endpoint{"127.0.0.1", addr.Port()}, opts, once([]byte("this is a test"))))

	// Then two datagrams sent before either echo is read.
	pair := newTerminal("(two sendto calls, then two recvfrom calls)")
	pair.finish(sendTwoThenReceive(demoSockets(pair, trace), pair, addr))
	server.finish(<-done)
	show(stdout, "the server's terminal", server, port)
	show(stdout, "the client's terminal", client, port)
	fmt.Fprint(stdout, `
Two datagrams in a row, "hello" and "world!", before reading: each recvfrom
returns one of them, whole. Over TCP one recv could have returned
"helloworld!", or "hel"; UDP keeps the boundaries of what was sent.
`)
	show(stdout, "a program that sends two datagrams", pair, port)

	// Last, the port where nobody listens any more, from a connected socket.
	fmt.Fprint(stdout, `
The server has stopped. A connected UDP socket sends to its port: sendto
succeeds, since nothing is ever acknowledged, but the kernel receives the
ICMP "port unreachable" that comes back and the next receive reports it.
An unconnected socket would hear nothing on POSIX and wait for its timeout.
`)
	probe := newTerminal("(connect, sendto, recvfrom)")
	probe.finish(sendConnected(demoSockets(probe, trace), probe, addr))
	show(stdout, "a connected socket", probe, port)
	fmt.Fprintln(stdout, "\nChapter 07 reads the keyboard and a socket at once.")
	if server.status != 0 || client.status != 0 || pair.status != 0 || probe.status != 1 {
		return errors.New("demo: an exchange went wrong; see the terminals above")
	}
	return nil
}

// sendTwoThenReceive sends two datagrams to the server, then receives two.
func sendTwoThenReceive(socks *sockets, stdout io.Writer, server netip.AddrPort) error {
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()
	s, err := socks.open(server)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.setTimeouts(time.Second); err != nil {
		return err
	}
	for _, message := range []string{"hello", "world!"} {
		if err := s.sendTo([]byte(message), server); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "sent %d bytes: %q\n", len(message), message)
	}
	buf := make([]byte, maxDatagram)
	for range 2 {
		n, _, _, err := s.recvFrom(buf)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "received %d bytes: %q\n", n, buf[:n])
	}
	return nil
}

// sendConnected connects a UDP socket to to, sends one datagram and waits
// for an answer, which here is the error the ICMP message carries.
func sendConnected(socks *sockets, stdout io.Writer, to netip.AddrPort) error {
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()
	s, err := socks.open(to)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.setTimeouts(time.Second); err != nil {
		return err
	}
	if err := s.connect(to); err != nil {
		return err
	}
	if err := s.sendTo([]byte("hello"), to); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "sent 5 bytes")
	n, _, _, err := s.recvFrom(make([]byte, maxDatagram))
	if err != nil {
		return err
	}
	return fmt.Errorf("received %d bytes from a port with nobody there", n)
}
