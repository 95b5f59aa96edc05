package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"iomodels/testkit"
)

// Part 2: slow peers. A peer that reads nothing must not hold up the
// others (checkSlowPeer), nor make the room keep without end what it
// cannot send it (checkQueueBound).

// checkSlowPeer: peer 3 reads nothing while peer 1 sends 8 MiB, more than
// the kernel buffers between the room and peer 3 hold. Peer 2, which
// reads, must get every line, each within wait: a send to peer 3 that
// blocks must not hold up the room, and the room must not drop peer 2.
func checkSlowPeer(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-max", "3")
	peers := enterAll(t, server.Port, 3)
	talker, listener := peers[0], peers[1]

	// Peer 1 sends in rounds of 32 lines of maxLine bytes and waits for
	// peer 2 to hear each round, so that peer 2 is never more than one
	// round (128 KiB) behind.
	const rounds, perRound = 64, 32
	slowLeft := false
	for round := range rounds {
		lines := bulk(round*perRound, perRound)
		if err := talker.say(lines...); err != nil {
			t.Fatalf("%v: %s", err, talkerHint(err, 3))
		}
		for i := 0; i < len(lines); {
			line, err := listener.next()
			heard := round*perRound + i
			switch {
			case line == "peer 3 left" && !slowLeft:
				slowLeft = true // the room may drop a peer that reads nothing
				continue
			case err == errClosed:
				t.Fatalf("the room closed peer 2's connection after %d of peer 1's lines, though peer 2 reads every line as it comes, never more than %d KiB behind: it is not slow. If your room drops a peer whose queue is full, the bound is too small: it must hold a healthy peer's burst of long lines, with their \"peer K: \" prefix",
					heard, perRound*maxLine>>10)
			case err != nil:
				t.Fatalf("peer 2 heard %d of peer 1's lines, then %v, while peer 3 read nothing: does a send to peer 3 hold up the room (sent from peer 1's flow, or with the room's mutex held)?",
					heard, err)
			case line == "peer 1 left":
				t.Fatalf("peer 2 heard %d of peer 1's lines, then \"peer 1 left\": the room dropped peer 1, which talks and reads nothing meanwhile, though the room has nothing to send it but announcements: does it send a peer its own lines?", heard)
			case line != "peer 1: "+lines[i]:
				t.Fatalf("peer 2 got %.40q..., want line %d of peer 1: every line, once, in order%s", line, heard, skipped(line, heard))
			}
			i++
		}
	}

	listener.mustSay(t, "done")
	for {
		line, err := talker.next()
		if line == "peer 3 left" {
			continue
		}
		if err != nil || line != "peer 2: done" {
			t.Fatalf("peer 1 got %q (%v), want \"peer 2: done\": the room must go on relaying", line, err)
		}
		break
	}
	t.Logf("after 8 MiB, peer 3, which read nothing, was dropped: %v", slowLeft)
}

// bulk returns count lines of maxLine bytes, numbered from first.
func bulk(first, count int) []string {
	lines := make([]string, count)
	for i := range lines {
		number := fmt.Sprintf("%06d ", first+i)
		lines[i] = number + strings.Repeat("-", maxLine-len(number))
	}
	return lines
}

// skipped explains a line of bulk that came early: the room dropped lines
// for a peer that reads.
func skipped(line string, want int) string {
	number, _, _ := strings.Cut(strings.TrimPrefix(line, "peer 1: "), " ")
	if n, err := strconv.Atoi(number); err == nil && n > want {
		return fmt.Sprintf(": the room skipped %d lines for peer 2, which reads every line as it comes; if your room drops lines when a queue is full, the bound is too small for a healthy peer's burst", n-want)
	}
	return ""
}
