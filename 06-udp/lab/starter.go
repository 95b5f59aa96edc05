//go:build !solution && !mutant_anysender && !mutant_fewertries && !mutant_fromzero && !mutant_nolength && !mutant_nolimit && !mutant_nonumber && !mutant_onereceive && !mutant_sameip && !mutant_skipahead && !mutant_unbounded

package main

import (
	"fmt"
	"io"
)

// sendMessages sends messages 1 to opts.count to the server, one datagram
// each, and prints "message N echoed" for each echo it accepts.
//
// As given, it sends each message once and takes whatever datagram comes
// next for its echo. On loopback that works. Over a path that loses
// datagrams it gives up on a message at the first timeout; over one that
// repeats or delays them it takes an old echo for the new message's.
//
// Grading tests that fail on this code: TestClientGivesUp, TestLossyPath,
// TestStrayStream.
func sendMessages(c *client, stdout io.Writer, opts clientOptions) error {
	buf := make([]byte, maxDatagram)
	for i := 1; i <= opts.count; i++ {
		// TODO 1: number the datagram. Put i in its first seqLen (4) bytes,
		// big-endian (binary.BigEndian.PutUint32), then the body, so that
		// the echo says which message it is the echo of.
		if err := c.send([]byte(body)); err != nil {
			return err
		}

		// TODO 2: when no echo comes in time, send the same datagram again,
		// at most opts.retries more times. After the last try, give up:
		// return fmt.Errorf("no echo of message %d from %v after %d tries", ...)
		// with i, c.server and the number of tries, and the program exits 1.
		_, _, err := c.receive(buf)
		if err == errTimeout {
			fmt.Fprintf(stdout, "no echo of message %d\n", i)
			continue
		}
		if err != nil {
			return err
		}

		// TODO 3: check what came. A datagram from anyone but c.server (its
		// address and its port), shorter than seqLen, or whose number is
		// not i (a late or repeated echo of an earlier message, or a number
		// never sent), is not the echo: skip it and receive again. Bound how
		// many you skip, or a stream of them would keep you waiting.
		fmt.Fprintf(stdout, "message %d echoed\n", i)
	}
	return nil
}
