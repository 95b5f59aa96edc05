//go:build !solution

package main

import "log"

// room is the chat room. For now it is no room at all: each peer talks
// to the server alone, which echoes what it sends, so each peer hears
// itself and nobody else.
//
// TODO: keep the peers that are in the room, each with its number K:
// 1, 2, 3... in the order they join (a refused peer takes no number).
// Guard them with a sync.Mutex: every peer's flows use them.
type room struct {
	max int         // TODO: refuse a peer past max: one line, then close
	say *log.Logger // the server's terminal: say who joins and who leaves
}

// join is called by the accept loop for each new peer, in the order they
// arrive. It must return at once: the next peer waits in accept. So it
// starts the peer's own flow of control and returns.
//
// TODO: past r.max peers, send the newcomer one line saying the room is
// full, and close it (a short send to a new socket does not block).
// Otherwise give it the next number, tell every other peer "peer K
// joined", and enter it in the room.
func (r *room) join(peer *sock) {
	r.say.Printf("a peer joined from %v", peer.from())
	go echo(peer)
}

// echo is the peer's one flow: it sends back what the peer sends.
//
// TODO: read the peer's lines instead (one recv is not one line; keep at
// most maxLine bytes of a line, and drop the rest up to its newline), and
// relay each one to every other peer as "peer K: LINE", never back to K.
//
// TODO: a send blocks while its peer reads no more. If this flow sent to
// every other peer itself, one peer that stops reading would hold up
// the whole room. Give each peer a second flow that only sends, as the
// chapter's keyboardToSocket, fed by a bounded queue (a buffered
// channel); decide what to do when a queue is full, and say why.
//
// TODO: when the peer leaves (recv returns 0 or fails), take it out of
// the room, tell the others "peer K left", stop its sending flow, and
// only then close its socket.
func echo(peer *sock) {
	defer peer.close()
	buf := make([]byte, bufferSize)
	for {
		n, err := peer.recv(buf)
		if err != nil || n == 0 {
			return
		}
		if err := peer.sendAll(buf[:n]); err != nil {
			return
		}
	}
}
