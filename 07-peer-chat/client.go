package main

import (
	"errors"
	"fmt"
	"io"
)

// connectAndChat is the seed's client: it connects to the server, then
// chats with it until the server's side closes.
func connectAndChat(socks *sockets, stdin io.Reader, stdout io.Writer,
	to endpoint) error {
	// Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	peer, err := connectToAny(socks, to)
	if err != nil {
		return err
	}
	defer peer.close()
	fmt.Fprintf(stdout, "connected to %s\n", peer.label)

	return chat(peer, stdin, stdout)
}

// connectToAny resolves the server's name and connects to the first of its
// addresses that accepts. Each failed try is an error line on its own.
func connectToAny(socks *sockets, to endpoint) (*sock, error) {
	addrs, err := socks.resolve(to.host, to.port, 0, false)
	if err != nil {
		return nil, err
	}
	var failures []error
	for _, addr := range addrs {
		s, err := socks.open(addr)
		if err != nil {
			return nil, err
		}
		if err := s.connect(addr); err != nil {
			s.close()
			failures = append(failures, err)
			continue
		}
		// Our sends go out at once, as the server's do (server.go).
		if err := s.setNoDelay(); err != nil {
			s.close()
			return nil, err
		}
		return s, nil
	}
	return nil, errors.Join(failures...)
}
