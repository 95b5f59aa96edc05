package main

import (
	"bufio"
	"bytes"
	"io"
	"sync"
)

// bufferSize is the seed's buf[512]: how much one recv may take.
const bufferSize = 512

// maxLine bounds a line, both ways. The keyboard flow sends a longer line
// whole, in pieces of this size, so that it never holds more; the socket
// flow prints the first maxLine bytes of a longer line from the peer and
// says how many more it dropped, so that a peer cannot make us hold a line
// without end.
const maxLine = 4096

// conversation is a chat on one connected socket, shared by two flows of
// control: keyboardToSocket, in a goroutine of its own, and
// socketToTerminal, in the goroutine that called chat.
type conversation struct {
	peer   *sock
	stdout io.Writer

	// mu guards the two flags, never a blocking call: the socket flow sets
	// closed when the conversation is over, and the keyboard flow, which
	// checks it before each call, sets sending while it is in a send, and
	// signals sent when it is out of it.
	mu      sync.Mutex
	sent    sync.Cond
	closed  bool
	sending bool
}

// chat relays stdin's lines to the peer and the peer's lines to stdout
// until the peer's side closes. It returns nil when the peer left in
// order, or the error that ended the conversation. It does not wait for
// the keyboard flow, and does not wake it: that one may be blocked in a
// read of the terminal, for which Go has no call that interrupts one
// goroutine; the program exits without it, and the end of the process
// ends the read.
func chat(peer *sock, stdin io.Reader, stdout io.Writer) error {
	c := &conversation{peer: peer, stdout: stdout}
	c.sent.L = &c.mu
	go c.keyboardToSocket(stdin)
	err := c.socketToTerminal()
	c.hangUp()
	return err
}

// keyboardToSocket is the seed's child process: it reads the keyboard and
// writes each line to the socket. At the end of its input, or at the line
// /quit, it shuts down the sending half of the connection: the peer reads
// end-of-stream, and we can still receive.
func (c *conversation) keyboardToSocket(stdin io.Reader) {
	keyboard := bufio.NewReaderSize(stdin, maxLine)
	atLineStart := true
	for {
		// ReadSlice returns a whole line, or maxLine bytes of a longer
		// one.
		piece, err := keyboard.ReadSlice('\n')
		if atLineStart && isQuit(piece) {
			break
		}
		if len(piece) > 0 && err == io.EOF {
			// The last line had no newline.
			piece = append(piece, '\n')
		}
		if len(piece) > 0 && !c.send(piece) {
			return
		}
		atLineStart = err == nil
		if err != nil && err != bufio.ErrBufferFull {
			// End of input, or a read that failed: we are done
			// typing.
			break
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.peer.shutdownSend()
	}
}

// send sends one piece of a line, unless the conversation is over.
func (c *conversation) send(piece []byte) bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	c.sending = true
	c.mu.Unlock()

	err := c.peer.sendAll(piece)

	c.mu.Lock()
	defer c.mu.Unlock()
	c.sending = false
	c.sent.Broadcast()
	return err == nil
}

// isQuit tells whether a whole line is the quit word.
func isQuit(line []byte) bool {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return string(bytes.TrimSuffix(line, []byte("\r"))) == "/quit"
}

// socketToTerminal is the seed's parent process: it reads the socket and
// prints each of the peer's lines. recv returns 0 when the peer has shut
// down its sending half, or has gone: either way it will say nothing more.
// After Ctrl-C, recv reports errInterrupted instead: the peer did not
// leave, we did.
func (c *conversation) socketToTerminal() error {
	buf := make([]byte, bufferSize)
	var lines peerLines
	for {
		n, err := c.peer.recv(buf)
		if err != nil {
			return err
		}
		if n == 0 {
			lines.finish(c.stdout)
			io.WriteString(c.stdout, "peer left\n")
			return nil
		}
		lines.add(c.stdout, buf[:n])
	}
}

// hangUp ends the conversation for the keyboard flow: it will make no
// more calls on the socket. If it is in the middle of a send (to a peer
// that reads no more), we wake the send (a shutdown of both halves) and
// wait for it to return, so that the socket is closed after its last use.
// A send that a system does not wake is left to the peer's end of the
// connection, or, after Ctrl-C, to the grace timeout that ends the program.
func (c *conversation) hangUp() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.sending {
		c.peer.wake()
		for c.sending {
			c.sent.Wait()
		}
	}
}
