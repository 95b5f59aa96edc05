package main

import "fmt"

// -accept=posted, a step beyond the seed: instead of trying accept after
// every wait, the server posts an accept as it posts a recv, and a routine
// runs when a client has come. On io_uring that is IORING_OP_ACCEPT; on
// Windows, AcceptEx, whose completion signals an event that the alertable
// wait watches too (AcceptEx takes no completion routine); on the poll
// emulation, the listener joins the sockets poll watches.

// acceptUserData is the accept's user_data on io_uring (no record has this
// slot), and what names it to engine.cancel.
const acceptUserData = 1 << 32

// postAccept posts the accept, unless one is in flight already or every
// record is in use: then finish posts it once a client leaves.
func postAccept(srv *server) {
	if srv.acceptInFlight || len(srv.free) == 0 || srv.stopping {
		return
	}
	if err := srv.eng.postAccept(srv.listener); err != nil {
		srv.failed = err
		srv.stopping = true
		return
	}
	srv.acceptInFlight = true
	if srv.narrating() {
		srv.sayf("accept posted")
	}
}

// onAcceptComplete is the accept's routine: it admits the client, whose
// socket the system made, and posts the next accept. A client that reset
// before we took it, or a want of descriptors, only means trying again.
func onAcceptComplete(srv *server, client *sock, err error) {
	srv.acceptInFlight = false
	if err != nil {
		// Stopping, we cancelled it ourselves: the error then depends
		// on the system (ECANCELED on io_uring, EINVAL on the
		// emulation, WSA_OPERATION_ABORTED on Windows) and says
		// nothing new.
		if srv.narrating() && srv.stopping {
			srv.sayf("  in the alertable wait: accept routine: " +
				"cancelled, as the server stops")
		} else if srv.narrating() {
			srv.sayf("  in the alertable wait: accept routine: %s",
				outcome(0, err))
		}
		if !srv.stopping && !abortedBeforeAccept(err) &&
			!outOfDescriptors(err) {
			if _, named := err.(*opError); !named {
				err = srv.listener.fail("accept", err)
			}
			srv.failed = err
			srv.stopping = true
		}
		postAccept(srv)
		return
	}
	if srv.narrating() {
		srv.sayf("  in the alertable wait: accept routine: " +
			"a client came")
	}
	srv.admit(client)
	postAccept(srv)
}

// adopt enters in the table a socket that a posted accept returned
// (io_uring's), as accept does for its own: numbered, labelled with its
// peer's address. call is the trace line's left side.
func (s *sock) adopt(h handle, call string) *sock {
	peer, _ := peerAddr(h)
	c := s.table.add(h, peer.Addr().String())
	if s.table.tracing() {
		result := fmt.Sprintf("%v from %v", c, peer.Addr())
		s.table.tracef(result, nil, "%s", call)
	}
	return c
}

// admit gives a new client a record and posts its first recv. Its socket
// sends each echo at once (TCP_NODELAY), and is made non-blocking as the
// seed's are (FIONBIO), unless the engine wants blocking sockets
// (io_uring: see engine.blockingSockets).
func (srv *server) admit(client *sock) {
	if err := client.setNoDelay(); err != nil {
		client.close()
		return
	}
	if !srv.eng.blockingSockets() {
		if err := client.setNonblocking(); err != nil {
			client.close()
			return
		}
	}
	slot := srv.free[len(srv.free)-1]
	srv.free = srv.free[:len(srv.free)-1]
	srv.accepted++
	c := &srv.records[slot]
	*c = record{slot: slot, number: srv.accepted, s: client, buf: c.buf}
	srv.sayf("client %d connected", c.number)
	postRecv(srv, c)
}
