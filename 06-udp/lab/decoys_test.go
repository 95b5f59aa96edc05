package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// UDP lets anyone send to the client's port, and a datagram can carry any
// number. So, in place of forwarding some of the client's datagrams, the
// relay sends it a decoy: a datagram that could pass for the echo it waits
// for, but is not. A client that skips the decoy waits out -timeout and
// sends the same message again; one that takes it goes on to the next
// message. Each kind of decoy catches one mistake.

// farAhead is how far ahead of the number the client waits for a
// far-ahead decoy is numbered: 2^24 changes the first of its 4 bytes only,
// so a client that reads fewer bytes sees the number it waits for.
const farAhead = 1 << 24

// sendDecoys sends the client the decoys of fate f, in place of datagram,
// which the server never gets, and notes them.
func (r *relay) sendDecoys(f fate, datagram []byte) {
	if len(datagram) < seqLen {
		return // no number to imitate: the check says so
	}
	seq := binary.BigEndian.Uint32(datagram)
	numbered := func(n uint32) []byte {
		d := bytes.Clone(datagram)
		binary.BigEndian.PutUint32(d, n)
		return d
	}
	from, decoys := r.front, [][]byte{}
	switch f {
	case strangerDecoy:
		from, decoys = r.stranger, [][]byte{datagram}
	case futureDecoy:
		decoys = [][]byte{numbered(seq + farAhead)}
	case lateDecoy:
		decoys = [][]byte{numbered(seq - 1)}
	case shortDecoy:
		// The 1-byte datagram overwrites the first byte only of a receive
		// buffer: the next 3 are left from the far-ahead one, so a client
		// that reads 4 bytes without checking the length reads seq.
		decoys = [][]byte{numbered(seq + farAhead), {0}}
	}
	for _, d := range decoys {
		r.note(false, 0, d, decoy, time.Now())
		r.toClient(from, d)
	}
}

// describeDecoys says what the relay sent the client for a datagram of
// message seq whose fate was f.
func describeDecoys(f fate, seq int64) string {
	switch f {
	case strangerDecoy:
		return fmt.Sprintf("a copy of the echo of message %d from another port", seq)
	case futureDecoy:
		return fmt.Sprintf("a datagram numbered %d (2^24 + %d) from the server's address", seq+farAhead, seq)
	case lateDecoy:
		return fmt.Sprintf("a second echo of message %d from the server's address", seq-1)
	}
	return fmt.Sprintf("a datagram numbered %d (2^24 + %d), then a 1-byte datagram, both from the "+
		"server's address", seq+farAhead, seq)
}

// decoyFixes says, for each kind of decoy, what a client that took it for
// the echo should do instead.
var decoyFixes = map[fate]string{
	strangerDecoy: "Take only datagrams from c.server, its address and its port (TODO 3).",
	futureDecoy: "Take only the number you wait for, read from all 4 bytes: a number ahead of it " +
		"is no echo of yours (TODO 3).",
	lateDecoy: "Check the number of each datagram: a late or repeated echo of an earlier message is " +
		"not the echo of this one (TODO 3).",
	shortDecoy: "A datagram shorter than 4 bytes holds no number: skip it before you read one, or you " +
		"read what the buffer held before (TODO 3).",
}

// checkDecoys says what the client did wrong with a decoy, or returns "":
// after each, it must send the same message again.
func checkDecoys(events []event) string {
	for i, e := range events {
		if !e.toServer || decoyFixes[e.fate] == "" {
			continue
		}
		what := fmt.Sprintf("the relay lost message %d on its way to the server and sent the client %s "+
			"instead", e.seq, describeDecoys(e.fate, e.seq))
		next := nextToServer(events, i)
		switch {
		case next < 0:
			return fmt.Sprintf("%s; the client sent nothing more, neither message %d again nor another. "+
				"It should skip what is not the echo, and send message %d again once -timeout runs out. %s",
				what, e.seq, e.seq, decoyFixes[e.fate])
		case events[next].seq != e.seq:
			return fmt.Sprintf("%s; the client then sent message %d, not message %d again: it took what "+
				"is not the echo of message %d for it. %s", what, events[next].seq, e.seq, e.seq,
				decoyFixes[e.fate])
		}
	}
	return ""
}

// checkRetryTimes says which message the client sent again before a
// receive can have timed out, or returns "". It allows half of timeout:
// the datagrams' times are the kernel's (readStamped), and a client that
// sends again at once does so within a millisecond.
func checkRetryTimes(events []event, timeout time.Duration) string {
	for i, e := range events {
		next := nextToServer(events, i)
		if !e.toServer || next < 0 || events[next].seq != e.seq {
			continue
		}
		if gap := events[next].at.Sub(e.at); gap < timeout/2 {
			return fmt.Sprintf("the client sent message %d again %s after its previous try, though -timeout "+
				"is %v; in between, the relay sent it: %s. Send again only when a receive times out; skip a datagram "+
				"that is not the echo and receive again, up to a bound (TODO 2, 3)", e.seq,
				roughly(gap), timeout, arrivals(e, events[i+1:next]))
		}
	}
	return ""
}

// roughly says how long d is, to the millisecond.
func roughly(d time.Duration) string {
	if d < time.Millisecond {
		return "less than 1ms"
	}
	return d.Round(time.Millisecond).String()
}

// nextToServer returns the index of the first datagram to the server
// after events[i], or -1.
func nextToServer(events []event, i int) int {
	for j := i + 1; j < len(events); j++ {
		if events[j].toServer {
			return j
		}
	}
	return -1
}

// arrivals says what the relay sent the client after the datagram sent
// and before the next: the decoys sent for it, and the echoes between.
func arrivals(sent event, between []event) string {
	var said []string
	if decoyFixes[sent.fate] != "" {
		said = append(said, describeDecoys(sent.fate, sent.seq))
	}
	for _, e := range between {
		switch e.fate {
		case forward, released:
			said = append(said, fmt.Sprintf("the echo of message %d", e.seq))
		case repeat:
			said = append(said, fmt.Sprintf("the echo of message %d, twice", e.seq))
		}
	}
	if len(said) == 0 {
		return "nothing"
	}
	return strings.Join(said, ", ")
}
