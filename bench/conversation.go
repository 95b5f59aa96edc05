package main

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
)

// seedOf makes the seed of connection n's random bytes.
func seedOf(n int) (seed [32]byte) {
	seed[0], seed[1], seed[2] = byte(n), byte(n>>8), byte(n>>16)
	return seed
}

// conversation is one connection's side of the load.
type conversation struct {
	conn     net.Conn
	proto    protocol
	rng      *rand.ChaCha8
	message  []byte
	expected []byte
	reply    []byte
}

func newConversation(conn net.Conn, proto protocol, size, seed int) *conversation {
	c := &conversation{
		conn:    conn,
		proto:   proto,
		rng:     rand.NewChaCha8(seedOf(seed)),
		message: make([]byte, size),
	}
	c.expected = make([]byte, 0, len(linePrefix)+size)
	c.reply = make([]byte, cap(c.expected))
	return c
}

// next fills the next message with new random bytes, zero bytes included,
// and works out the reply the protocol calls for.
func (c *conversation) next() {
	c.rng.Read(c.message) // a few GB/s: the load must cost less than what it measures
	c.expected = c.expected[:0]
	if c.proto == line {
		// A line ends at its only newline; every other byte value may occur.
		for i := range c.message[:len(c.message)-1] {
			if c.message[i] == '\n' {
				c.message[i] = 0
			}
		}
		c.message[len(c.message)-1] = '\n'
		c.expected = append(c.expected, linePrefix...)
	}
	c.expected = append(c.expected, c.message...)
}

// roundTrip sends one message and reads the whole reply, byte for byte.
func (c *conversation) roundTrip() error {
	c.next()
	if _, err := c.conn.Write(c.message); err != nil {
		return err
	}
	return c.readReply(c.expected)
}

func (c *conversation) readReply(want []byte) error {
	got := c.reply[:len(want)]
	if _, err := io.ReadFull(c.conn, got); err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return errors.New("reply differs from what the protocol calls for")
	}
	return nil
}
