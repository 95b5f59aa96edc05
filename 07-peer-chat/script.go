package main

import (
	"errors"
	"io"
	"sync"
	"time"
)

// script is the keyboard of one side of the demo. Its Read gives the lines
// the demo types, one at a time, and tells the demo each time it is called:
// the keyboard flow reads again only once it has sent the line before.
type script struct {
	lines   chan string   // what the demo types
	reading chan struct{} // Read was called and waits for a line
	ended   chan struct{} // closed by close: end of input
	once    sync.Once
	pending []byte
}

func newScript() *script {
	return &script{lines: make(chan string), reading: make(chan struct{}, 1), ended: make(chan struct{})}
}

func (s *script) Read(p []byte) (int, error) {
	if len(s.pending) == 0 {
		s.reading <- struct{}{}
		select {
		case line := <-s.lines:
			s.pending = []byte(line + "\n")
		case <-s.ended:
			return 0, io.EOF
		}
	}
	n := copy(p, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

// waitForRead waits until the keyboard flow asks for its next line.
func (s *script) waitForRead() error {
	select {
	case <-s.reading:
		return nil
	case <-time.After(stepTimeout):
		return errors.New("demo: a keyboard flow did not come back for its next line")
	}
}

// close ends the input, as Ctrl-D would.
func (s *script) close() { s.once.Do(func() { close(s.ended) }) }
