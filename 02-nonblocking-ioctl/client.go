package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// clientOptions is the client's command line.
type clientOptions struct {
	// how long to sleep when a send or recv would block
	poll    time.Duration
	timeout time.Duration // how long a connect, a send or a reply may take
	prompt  bool          // stdin is a terminal: ask for each line
}

// connectStep is how long the client sleeps between two tries of connect.
// The seed does not sleep there at all; on loopback the handshake takes
// microseconds, so a millisecond costs nothing and spares a core.
const connectStep = time.Millisecond

// talk is the seed's client: it connects without blocking, then sends each
// line of stdin and prints the server's reply, until "quit" or the end of
// stdin. Every call on its socket returns at once, so it waits by sleeping.
func talk(socks *sockets, stdin io.Reader, stdout io.Writer,
	to endpoint, opt clientOptions) error {
	// Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	server, err := connectToAny(socks, to, opt)
	if err != nil {
		return err
	}
	defer server.close()

	input := bufio.NewReader(stdin)
	replies := &replyReader{s: server, opt: opt,
		chunk: make([]byte, bufferSize)}
	for {
		if opt.prompt {
			fmt.Fprint(stdout, "Please input a string to send:")
		}
		line, err := readLine(input)
		if err == io.EOF {
			if opt.prompt {
				// End the prompt's line, as the shell's next
				// prompt expects.
				fmt.Fprintln(stdout)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if err := sendAll(server, append(line, '\n'), opt); err != nil {
			return err
		}
		reply, err := replies.next()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "recv From Server: %s\n", reply)
		switch {
		case reply == quitLine:
			return nil
		case reply == busyLine:
			return errors.New("the server is busy: it polls as " +
				"many clients as it may, and closed this one")
		case reply == tooLongReply:
			return errors.New("the server closed the connection " +
				"after that error")
		}
	}
}

// sendAll sends every byte of buf. A send that would block sends nothing;
// we sleep and try again, as the seed does, but not for ever.
func sendAll(s *sock, buf []byte, opt clientOptions) error {
	deadline := time.Now().Add(opt.timeout)
	for len(buf) > 0 {
		n, blocked, err := s.send(buf)
		switch {
		case err != nil:
			return err
		case blocked && time.Now().After(deadline):
			return fmt.Errorf(
				"%s %s: the server has not read for %v",
				nameSend, s.label, opt.timeout)
		case blocked:
			time.Sleep(opt.poll)
		}
		buf = buf[n:]
	}
	return nil
}

// errLineTooLong is a line of stdin the server would not take.
var errLineTooLong = fmt.Errorf(
	"a line of stdin is over %d bytes, the server's limit", maxLine)

// readLine reads one line of stdin, without its end of line (a console
// ends lines with CR LF). The last line may lack its newline.
func readLine(input *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := input.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine+2 {
			return nil, errLineTooLong
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(line) > 0 {
			break
		}
		if err != nil {
			return nil, err
		}
		break
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > maxLine {
		return nil, errLineTooLong
	}
	return line, nil
}

// replyReader hands out the server's replies one line at a time: one
// recv may bring part of a reply, or more than one.
type replyReader struct {
	s     *sock
	opt   clientOptions
	chunk []byte
	buf   []byte // received, not handed out yet
}

// next returns the next reply. recv returning 0 means the server closed
// the connection: the seed does not check for it, and spins for ever.
func (r *replyReader) next() (string, error) {
	deadline := time.Now().Add(r.opt.timeout)
	for {
		if end := bytes.IndexByte(r.buf, '\n'); end >= 0 {
			reply := string(r.buf[:end])
			r.buf = r.buf[end+1:]
			return reply, nil
		}
		n, blocked, err := r.s.recv(r.chunk)
		switch {
		case err != nil:
			return "", err
		case blocked && time.Now().After(deadline):
			return "", fmt.Errorf("%s %s: no reply within %v",
				nameRecv, r.s.label, r.opt.timeout)
		case blocked:
			time.Sleep(r.opt.poll)
		case n == 0:
			return "", fmt.Errorf("%s %s: the server closed "+
				"the connection without a reply",
				nameRecv, r.s.label)
		case len(r.buf)+n > len(replyPrefix)+maxLine+1:
			return "", fmt.Errorf(
				"%s %s: a reply is over %d bytes",
				nameRecv, r.s.label, len(replyPrefix)+maxLine)
		default:
			r.buf = append(r.buf, r.chunk[:n]...)
		}
	}
}
