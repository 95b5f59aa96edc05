package main

import "net/netip"

// bindOn makes the server's datagram socket, in the seed's steps 2 and 3,
// and returns it with the address it is bound to. It is chapter 01's
// listenOn (its setup.go) without listen: a datagram socket waits for no
// connection, so once it is bound it receives from every client.
func bindOn(socks *sockets, at endpoint) (*sock, netip.AddrPort, error) {
	// We resolve the address to listen on, IPv4 as in the seed; with no
	// host that is every interface (AI_PASSIVE), which the user must ask
	// for.
	addrs, err := socks.resolve(at.host, at.port, afINET, true)
	if err != nil {
		return nil, netip.AddrPort{}, err
	}

	// 2. Create a socket, a datagram socket: SOCK_DGRAM, IPPROTO_UDP. If a
	// later step fails, we close it before we return.
	server, err := socks.open(addrs[0])
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	fail := func(err error) (*sock, netip.AddrPort, error) {
		server.close()
		return nil, netip.AddrPort{}, err
	}

	// On Winsock, a client that left before its echo arrived would make our
	// next recvfrom fail; we ask it not to tell us (see the twin).
	if err := server.ignorePortUnreachable(); err != nil {
		return fail(err)
	}

	// 3. Bind the socket to the address. From here datagrams sent to this
	// address queue in its receive buffer until we read them.
	if err := server.bind(addrs[0]); err != nil {
		return fail(err)
	}
	addr, err := server.localAddr()
	if err != nil {
		return fail(err)
	}
	return server, addr, nil
}
