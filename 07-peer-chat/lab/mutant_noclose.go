//go:build mutant_noclose

// Mutant noclose: once a peer has left, the room ends both of its flows
// but never closes its socket: each peer that leaves costs the room a
// descriptor, until it can accept no more.
//
// Grading tests that fail on this code: TestPart1Relay, TestPart1Reset,
// TestPart2QueueBound.

package main

import (
	"bytes"
	"fmt"
	"log"
	"sync"
)

// maxPending bounds the bytes waiting to be sent to one peer: a burst of
// dozens of long lines fits, and however slowly a peer reads, it costs
// the room at most twice this (what waits, and what is being sent).
const maxPending = 256 << 10

// room is the chat room: the peers in it, by number.
type room struct {
	max int         // at most this many peers at once
	say *log.Logger // the server's terminal

	// mu guards what follows. It is held while a line is queued for each
	// peer, so that every peer gets the room's lines in the same order;
	// it is never held across a call that may block.
	mu     sync.Mutex
	joined int // how many peers have joined: the last one's number
	peers  map[int]*member
}

// member is one peer in the room and the lines waiting for it.
type member struct {
	n       int
	sock    *sock
	pending []byte        // the lines not yet sent to it; guarded by room.mu
	ready   chan struct{} // holds a token while pending has lines; closed when it leaves
}

// join enters the peer in the room and starts its two flows, or, past
// r.max peers, tells it the room is full and closes it.
func (r *room) join(peer *sock) {
	m := r.enter(peer)
	if m == nil {
		r.say.Printf("a peer from %v is refused: the room is full", peer.from())
		// A new socket's send buffer is empty: a short send does not block.
		peer.sendAll(fmt.Appendf(nil, "the room is full (%d peers): try again later\n", r.max))
		peer.close()
		return
	}
	r.say.Printf("peer %d joined from %v", m.n, peer.from())
	go r.serve(m)
}

// enter gives the peer the next number and tells the others it joined;
// it returns nil if the room is full.
func (r *room) enter(peer *sock) *member {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.peers) >= r.max {
		return nil
	}
	if r.peers == nil {
		r.peers = make(map[int]*member)
	}
	r.joined++
	m := &member{n: r.joined, sock: peer, ready: make(chan struct{}, 1)}
	r.tellOthers(m, fmt.Sprintf("peer %d joined\n", m.n))
	r.peers[m.n] = m
	return m
}

// serve is the peer's first flow: it relays the peer's lines until the
// peer leaves. The second, sendPending, sends the peer what others say.
// Once the first is done, we stop the second before we close the socket.
func (r *room) serve(m *member) {
	sent := make(chan struct{})
	go func() {
		r.sendPending(m)
		close(sent)
	}()
	err := r.relayLines(m)
	r.leave(m, err)
	m.sock.shutdown() // a send blocked on a peer that reads no more returns
	<-sent
}

// relayLines reads the peer's lines and relays each one, until the peer
// shuts down sending. One recv is not one line: a line may come in
// pieces, and one recv may hold several. Of a line longer than maxLine we
// keep the first maxLine bytes and drop the rest, so that a peer cannot
// make us hold a line without end.
func (r *room) relayLines(m *member) error {
	buf := make([]byte, bufferSize)
	line := make([]byte, 0, maxLine)
	for {
		n, err := m.sock.recv(buf)
		if err != nil {
			return err
		}
		if n == 0 {
			if len(line) > 0 {
				r.relay(m, line) // a last line with no newline
			}
			return nil
		}
		for data := buf[:n]; len(data) > 0; {
			part, rest, complete := bytes.Cut(data, []byte("\n"))
			line = append(line, part[:min(len(part), maxLine-len(line))]...)
			if !complete {
				break
			}
			r.relay(m, line)
			line, data = line[:0], rest
		}
	}
}

// relay queues "peer K: LINE" for every peer but K, unless K was dropped.
func (r *room) relay(m *member, line []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.peers[m.n] == m {
		r.tellOthers(m, fmt.Sprintf("peer %d: %s\n", m.n, line))
	}
}

// tellOthers queues line for every peer in the room but from, and wakes
// their sending flows; the caller holds r.mu. It never waits. A peer that
// has maxPending bytes waiting reads too slowly for the room: rather than
// hold up everyone for it, or skip lines and leave it a conversation with
// holes, we drop it.
func (r *room) tellOthers(from *member, line string) {
	for _, m := range r.peers {
		if m == from {
			continue
		}
		if len(m.pending)+len(line) > maxPending {
			m.sock.shutdown() // its two flows' blocked calls return
			r.remove(m, fmt.Sprintf(" (dropped: %d KiB waited for it)", maxPending>>10))
			continue
		}
		m.pending = append(m.pending, line...)
		select {
		case m.ready <- struct{}{}:
		default: // a token is there already
		}
	}
}

// leave takes the peer out of the room, if it is still in, once its side
// has closed (err is nil) or failed.
func (r *room) leave(m *member, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	why := ""
	if err != nil {
		why = ": " + err.Error()
	}
	r.remove(m, why)
}

// remove takes m out of the room and tells the others; the caller holds
// r.mu. Closing ready ends m's sending flow.
func (r *room) remove(m *member, why string) {
	if r.peers[m.n] != m {
		return // dropped already
	}
	delete(r.peers, m.n)
	close(m.ready)
	r.say.Printf("peer %d left%s", m.n, why)
	r.tellOthers(m, fmt.Sprintf("peer %d left\n", m.n))
}

// sendPending is the peer's second flow, as the chapter's keyboardToSocket:
// each time it is woken it takes every line waiting and sends them, in
// order. A send that blocks, on a peer that reads no more, blocks this
// flow only. After a failed send it shuts the socket down, so that the
// first flow ends too.
func (r *room) sendPending(m *member) {
	for range m.ready {
		r.mu.Lock()
		out := m.pending
		m.pending = nil
		r.mu.Unlock()
		if m.sock.sendAll(out) != nil {
			m.sock.shutdown()
			return
		}
	}
}
