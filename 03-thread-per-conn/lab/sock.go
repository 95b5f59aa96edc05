package main

import (
	"fmt"
	"io"
	"strings"
)

// sock is an open socket and the address its errors name: ours for the
// listener, the peer's for a client.
type sock struct {
	h     handle
	label string
}

// Read is recv as io.Reader wants it: recv's 0, the peer's end of stream,
// is io.EOF.
func (c *sock) Read(buf []byte) (int, error) {
	n, err := recvSome(c.h, buf)
	switch {
	case err != nil:
		return 0, failed(nameRecv, c.label, err)
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// sendAll sends every byte of buf: one send may take only part of it.
func (c *sock) sendAll(buf []byte) error {
	for len(buf) > 0 {
		n, err := sendSome(c.h, buf)
		if err != nil {
			return failed(nameSend, c.label, err)
		}
		buf = buf[n:]
	}
	return nil
}

// failed is the chapter's one line for a failed call: "bind
// 127.0.0.1:9901: address already in use (EADDRINUSE)".
func failed(call, addr string, err error) error {
	name, message := errnoName(err)
	return fmt.Errorf("%s: %s (%s)", strings.TrimSpace(call+" "+addr), message, name)
}
