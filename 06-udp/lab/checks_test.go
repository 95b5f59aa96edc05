package main

import (
	"fmt"
	"regexp"
	"strings"
)

// What the tests check, and the words they say it in.

// echoedLine is the line the client prints for each echo it accepts.
var echoedLine = regexp.MustCompile(`(?m)^message (\d+) echoed\r?$`)

// checkEchoes says what is wrong with the client's "message N echoed"
// lines, or returns "" when they are 1 to count, once each, in order.
func checkEchoes(stdout string, count int) string {
	line := func(n int) string { return fmt.Sprintf("message %d echoed", n) }
	var got []int
	for _, m := range echoedLine.FindAllStringSubmatch(stdout, -1) {
		var n int
		fmt.Sscan(m[1], &n)
		got = append(got, n)
	}
	for i := range count {
		switch want := i + 1; {
		case i >= len(got):
			return fmt.Sprintf("the client never printed %q: was its datagram or its echo lost, "+
				"and not sent again (TODO 2)?", line(want))
		case got[i] < want:
			return fmt.Sprintf("the client printed %q where %q should be: it took a late or repeated "+
				"echo for the one it waited for. Check the number of each datagram it receives (TODO 3).",
				line(got[i]), line(want))
		case got[i] > want:
			return fmt.Sprintf("the client printed %q but never %q: a message whose datagram or echo "+
				"was lost must be sent again (TODO 2)", line(got[i]), line(want))
		}
	}
	if len(got) > count {
		return fmt.Sprintf("the client printed %d \"echoed\" lines for %d messages", len(got), count)
	}
	return ""
}

// startsWith says what number a datagram starts with.
func startsWith(seq int64) string {
	if seq < 0 {
		return "is shorter than 4 bytes, so has no number"
	}
	return fmt.Sprintf("starts with the number %d", seq)
}

// numberHint says how to number a datagram whose number is seq, which is
// not a message's.
func numberHint(seq int64) string {
	if seq == 0 {
		return "messages are numbered from 1, as the client prints them (TODO 1)"
	}
	return "put the message's number in its first 4 bytes, big-endian, then the body (TODO 1)"
}

// check says what the relay saw the client do wrong, or returns "". Call
// it once the relay has stopped. Each check names a mistake more precisely
// than the next: we say what the first that fails says.
func (r *relay) check(count int) string {
	for _, problem := range []string{
		checkNumbers(r.events, count),
		checkDecoys(r.events),
		checkRetryTimes(r.events, lossyTimeout),
		checkOrder(r.events),
		checkRetransmission(r.events, count),
	} {
		if problem != "" {
			return problem
		}
	}
	return ""
}

// checkNumbers checks that every datagram carries the number of a message.
func checkNumbers(events []event, count int) string {
	for _, e := range events {
		if e.toServer && (e.seq < 1 || e.seq > int64(count)) {
			return fmt.Sprintf("datagram %d of the client %s, not a message's number from 1 to %d: %s",
				e.n, startsWith(e.seq), count, numberHint(e.seq))
		}
	}
	return ""
}

// checkOrder checks that a message goes out only once the echo of the one
// before it has reached the client: if not, the client took something
// else for it.
func checkOrder(events []event) string {
	delivered := map[int64]bool{}
	last := int64(0)
	for _, e := range events {
		switch {
		case !e.toServer:
			if e.fate != drop && e.fate != hold && e.fate != decoy {
				delivered[e.seq] = true
			}
		case e.seq < last:
			return fmt.Sprintf("the client sent message %d after message %d: it should finish with one "+
				"message before it starts the next", e.seq, last)
		case e.seq > last && e.seq > 1 && !delivered[e.seq-1]:
			return fmt.Sprintf("the client went on to message %d before the echo of message %d had reached it: "+
				"it gave up on message %d (TODO 2), or took another datagram for its echo, a late or "+
				"repeated echo of an earlier message (TODO 3: check the number of each datagram it receives)",
				e.seq, e.seq-1, e.seq-1)
		default:
			last = e.seq
		}
	}
	return ""
}

// checkRetransmission checks that the relay spoiled every datagram its
// plan names, and that the client sent one more datagram for each it
// lost: that is what proves the retransmission.
func checkRetransmission(events []event, count int) string {
	sent, spoiled, lost := 0, 0, 0
	for _, e := range events {
		if e.toServer {
			sent++
		}
		if e.fate != forward && e.fate != released && e.fate != decoy {
			spoiled++
		}
		if e.fate.loses() {
			lost++
		}
	}
	if plan := len(toServerPlan) + len(toClientPlan); spoiled < plan {
		return fmt.Sprintf("the relay spoiled only %d of the %d datagrams it should have: the client sent %d "+
			"datagrams, too few to get %d messages through", spoiled, plan, sent, count)
	}
	if sent < count+lost {
		return fmt.Sprintf("the client sent %d datagrams for %d messages, though %d datagrams were lost: "+
			"it should send again each message whose echo does not come in time (TODO 2)",
			sent, count, lost)
	}
	return ""
}

// summary counts what the relay did, for the test's log.
func (r *relay) summary() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var fromClient, fromServer [decoy + 1]int // by fate
	for _, e := range r.events {
		if e.toServer {
			fromClient[e.fate]++
		} else {
			fromServer[e.fate]++
		}
	}
	sent, decoyed := 0, 0
	for f, n := range fromClient {
		sent += n
		if decoyFixes[fate(f)] != "" {
			decoyed += n
		}
	}
	return fmt.Sprintf("from the client %d datagrams, %d lost, %d more lost and decoys sent instead (%d); "+
		"from the server %d, %d lost, %d forwarded twice, %d held back",
		sent, fromClient[drop], decoyed, fromServer[decoy],
		fromServer[forward]+fromServer[drop]+fromServer[repeat]+fromServer[hold],
		fromServer[drop], fromServer[repeat], fromServer[hold])
}

// story is the relay's log, one line per datagram.
func (r *relay) story() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		what := fmt.Sprintf("message %d", e.seq)
		if e.seq < 1 || e.seq > messages {
			what = "no number"
		}
		switch {
		case e.toServer && decoyFixes[e.fate] != "":
			fmt.Fprintf(&b, "  to the server #%d (%s): lost; sent to the client instead: %s\n", e.n, what,
				describeDecoys(e.fate, e.seq))
		case e.toServer:
			fmt.Fprintf(&b, "  to the server #%d (%s): %s\n", e.n, what, fateNames[e.fate])
		case e.fate == decoy:
		case e.fate == released:
			fmt.Fprintf(&b, "  to the client, the held one (echo of %s): %s\n", what, fateNames[e.fate])
		default:
			fmt.Fprintf(&b, "  to the client #%d (echo of %s): %s\n", e.n, what, fateNames[e.fate])
		}
	}
	return b.String()
}
