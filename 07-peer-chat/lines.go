package main

import (
	"bytes"
	"fmt"
	"io"
)

// peerLines cuts what the peer sends into lines. One recv is not one line:
// a line may come in pieces, and one recv may hold several lines.
type peerLines struct {
	line    []byte // the line so far, at most maxLine bytes
	dropped int    // the bytes of this line past maxLine, not kept
}

// add takes what one recv returned and prints every line it completes.
func (p *peerLines) add(stdout io.Writer, data []byte) {
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		part := data
		if end >= 0 {
			part = data[:end]
		}
		keep := min(len(part), maxLine-len(p.line))
		p.line = append(p.line, part[:keep]...)
		p.dropped += len(part) - keep
		if end < 0 {
			return
		}
		p.print(stdout)
		data = data[end+1:]
	}
}

// finish prints a last line that had no newline, if there is one.
func (p *peerLines) finish(stdout io.Writer) {
	if len(p.line) > 0 || p.dropped > 0 {
		p.print(stdout)
	}
}

// droppedLine follows a line of the peer's cut at maxLine, with how many
// bytes were not shown.
const droppedLine = "(the line went on for %d more bytes, not shown)\n"

func (p *peerLines) print(stdout io.Writer) {
	fmt.Fprintf(stdout, "peer: %s\n", p.line)
	if p.dropped > 0 {
		fmt.Fprintf(stdout, droppedLine, p.dropped)
	}
	p.line = p.line[:0]
	p.dropped = 0
}
