package main

import "net/netip"

// listenOn makes a server's listening socket, in the seed's steps 2 to 4,
// and returns it with the address it is bound to. Every server of the
// course listens this way; beforeBind, if not nil, runs between socket and
// bind, the place for an option that bind must see (chapter 02's FIONBIO,
// chapter 04's SO_REUSEADDR).
func listenOn(socks *sockets, at endpoint,
	beforeBind func(*sock) error) (*sock, netip.AddrPort, error) {
	// We resolve the address to listen on, IPv4 as in the seed; with no
	// host that is every interface (AI_PASSIVE), which the user must ask
	// for.
	addrs, err := socks.resolve(at.host, at.port, afINET, true)
	if err != nil {
		return nil, netip.AddrPort{}, err
	}

	// 2. Create a socket. If a later step fails, we close it before we
	// return: that is the seed's closesocket in each error branch.
	listener, err := socks.open(addrs[0])
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	fail := func(err error) (*sock, netip.AddrPort, error) {
		listener.close()
		return nil, netip.AddrPort{}, err
	}
	if beforeBind != nil {
		if err := beforeBind(listener); err != nil {
			return fail(err)
		}
	}

	// 3. Bind the socket to the address.
	if err := listener.bind(addrs[0]); err != nil {
		return fail(err)
	}

	// 4. Listen. From here the kernel completes clients' connections on
	// its own and queues them, up to the backlog, until we accept them.
	if err := listener.listen(); err != nil {
		return fail(err)
	}
	addr, err := listener.localAddr()
	if err != nil {
		return fail(err)
	}
	return listener, addr, nil
}
