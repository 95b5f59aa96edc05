package main

import (
	"fmt"
	"testing"

	"iomodels/testkit"
)

// flood is what peer 1 sends in checkQueueBound while peer 2 reads
// nothing: 32 MiB, in chunks of 1 MiB of lines of maxLine bytes.
const (
	floodChunks   = 32
	linesPerChunk = (1 << 20) / maxLine
)

// maxHeld bounds what peer 2 may read back of the flood: what the kernel's
// buffers between the room and peer 2 hold (a few MiB), what the room had
// not yet read of peer 1 when peer 1's last send returned (a few MiB
// more), and what the room's queue for peer 2 holds.
const maxHeld = 16 << 20

// checkQueueBound: peer 2 reads nothing while peer 1 sends 32 MiB. The
// room may drop peer 2, or drop lines for it, but not keep them all:
// when peer 2 reads at last, it gets at most maxHeld bytes, then the end
// of its connection or peer 1's next line. Where the test can measure the
// room's memory, it must not grow by more than memoryGrowth.
func checkQueueBound(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-max", "2")
	peers := enterAll(t, server.Port, 2)
	talker, slow := peers[0], peers[1]
	memory := watchMemory(t, server, program)

	for chunk := range floodChunks {
		if err := talker.say(bulk(chunk*linesPerChunk, linesPerChunk)...); err != nil {
			t.Fatalf("%v after %d MiB: %s", err, chunk, talkerHint(err, 2))
		}
	}
	talker.mustSay(t, "over")

	// What peer 2 reads now was held for it, by the kernel or the room.
	held, err := slow.readUntil("peer 1: over")
	seen := memory.check(t, fmt.Sprintf("peer 1 sent %d MiB while peer 2 read nothing", floodChunks),
		"bound the queue of a peer that reads nothing, and drop the peer (or lines for it) once it is full")
	if held > maxHeld {
		t.Fatalf("peer 2 read nothing while peer 1 sent %d MiB, then read back %.1f MiB of it, want at most %d MiB: the room kept every line for a peer that reads nothing; bound its queue, and drop the peer (or lines for it) once it is full",
			floodChunks, mib(held), maxHeld>>20)
	}
	if err == errSilent {
		t.Fatalf("peer 2 read nothing while peer 1 sent %d MiB, then read back %.1f MiB, then nothing for %v: neither peer 1's next line nor the end of its connection. %s",
			floodChunks, mib(held), wait, droppedHint(talker))
	}
	if err != nil && err != errClosed {
		t.Fatalf("peer 2 read back %.1f MiB, then %v", mib(held), err)
	}
	if err == errClosed {
		expectSockets(t, server, program, 1+1, "after the room dropped peer 2")
	}
	t.Logf("peer 2 read back %.1f MiB of the %d MiB, then %v; %s", mib(held), floodChunks, err, seen)
}

// readUntil reads lines until one is want, or until an error, and returns
// how many bytes it read before.
func (p *peer) readUntil(want string) (int64, error) {
	var read int64
	for {
		line, err := p.next()
		if err != nil || line == want {
			return read, err
		}
		read += int64(len(line)) + 1
	}
}

// droppedHint says what to look at when a peer that read nothing for a
// while, and then reads, hears nothing more: if the others heard that it
// left, the room dropped it and forgot to end its connection.
func droppedHint(other *peer) string {
	if line, err := other.next(); err == nil && line == "peer 2 left" {
		return "Peer 1 heard \"peer 2 left\": when your room drops a peer, it must also end its connection (sock.shutdown makes a send blocked on it return), then close it."
	}
	return "Does a room that drops lines for a slow peer go on sending it the lines that come next?"
}
