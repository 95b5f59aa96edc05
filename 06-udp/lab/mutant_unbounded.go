//go:build mutant_unbounded

// Mutant unbounded: the client skips datagrams that are not the echo without
// bound, so a stream of them, each within -timeout of the last, keeps it
// waiting for ever: it neither sends again nor gives up.
//
// Grading tests that fail on this code: TestStrayStream.

package main

import (
	"encoding/binary"
	"fmt"
	"io"
)

// sendMessages sends messages 1 to opts.count to the server, one datagram
// each, and prints "message N echoed" for each echo it accepts.
//
// Each datagram starts with its message's number, and so does its echo:
// that is how we tell the echo we wait for from a late or repeated one.
// When no echo comes in time we send the same datagram again.
func sendMessages(c *client, stdout io.Writer, opts clientOptions) error {
	buf := make([]byte, maxDatagram)
	datagram := make([]byte, seqLen+len(body))
	copy(datagram[seqLen:], body)
	tries := 1 + opts.retries
	for i := 1; i <= opts.count; i++ {
		binary.BigEndian.PutUint32(datagram, uint32(i))
		echoed := false
		for try := 1; try <= tries && !echoed; try++ {
			if err := c.send(datagram); err != nil {
				return err
			}
			var err error
			if echoed, err = awaitEcho(c, uint32(i), buf); err != nil {
				return err
			}
		}
		if !echoed {
			return fmt.Errorf("no echo of message %d from %v after %d tries", i, c.server, tries)
		}
		fmt.Fprintf(stdout, "message %d echoed\n", i)
	}
	return nil
}

// maxStray bounds how many datagrams that are not the echo one wait may
// skip, so that a stream of them cannot keep the client waiting.
const maxStray = 16

// awaitEcho receives until the echo of message seq comes (true), or until
// a receive times out (false). Anything else is skipped: a datagram from
// another address, or the echo of an earlier message, repeated or late.
func awaitEcho(c *client, seq uint32, buf []byte) (bool, error) {
	for {
		n, from, err := c.receive(buf)
		if err == errTimeout {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if from == c.server && n >= seqLen && binary.BigEndian.Uint32(buf) == seq {
			return true, nil
		}
	}
}
