//go:build !solution && !mutant_directsend && !mutant_echosender && !mutant_longlineheld && !mutant_longlinewhole && !mutant_mutexsend && !mutant_noclose && !mutant_noshutdown && !mutant_refusednumber && !mutant_resetsilent && !mutant_smallbound && !mutant_unboundedqueue

package main

import "log"

// The lab has two parts, each graded on its own (the chapter's README says
// more):
//
//   - Part 1, the room (go test -run Part1 .): peers join, talk and leave.
//     Send each line to the others from the flow that read it.
//   - Part 2, slow peers (go test -run Part2 .): a peer that reads nothing
//     must not hold up the others, nor cost the room unbounded memory.

// room is the chat room. For now it is no room at all: each peer talks
// to the server alone, which echoes what it sends, so each peer hears
// itself and nobody else.
//
// TODO (part 1): keep the peers that are in the room, each with its
// number K: 1, 2, 3... in the order they join (a refused peer takes no
// number). Guard them with a sync.Mutex: every peer's flow uses them.
//
// Grading tests that fail on this code: TestPart1Full, TestPart1Interrupt,
// TestPart1LongLine, TestPart1Relay, TestPart1Reset, TestPart2QueueBound,
// TestPart2SlowPeer.
type room struct {
	max int         // TODO (part 1): refuse a peer past max: one line, then close
	say *log.Logger // the server's terminal: say who joins and who leaves
}

// join is called by the accept loop for each new peer, in the order they
// arrive. It must return at once: the next peer waits in accept. So it
// starts the peer's own flow of control and returns.
//
// TODO (part 1): past r.max peers, send the newcomer one line saying the
// room is full, and close it (a short send to a new socket does not
// block). Otherwise give it the next number, tell every other peer
// "peer K joined", and enter it in the room.
func (r *room) join(peer *sock) {
	r.say.Printf("a peer joined from %v", peer.from())
	go echo(peer)
}

// echo is the peer's one flow: it sends back what the peer sends.
//
// TODO (part 1): read the peer's lines instead (one recv is not one line;
// keep at most maxLine bytes of a line, and drop the rest up to its
// newline), and send each one to every other peer as "peer K: LINE",
// never back to K. When the peer leaves (recv returns 0 or fails), take
// it out of the room, tell the others "peer K left", and close its socket.
//
// TODO (part 2): a send blocks while its peer reads no more, so a flow
// that sends to every other peer itself is held up by one peer that stops
// reading, and with it the whole room. Give each peer a second flow that
// only sends, as the chapter's keyboardToSocket, fed by a bounded queue;
// decide what to do when a queue is full, and say why. When the peer
// leaves, stop its sending flow before you close its socket.
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
