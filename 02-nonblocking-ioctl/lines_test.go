package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestReceived feeds a conversation the same bytes cut in every way: the
// lines that come out must not depend on how recv split them.
func TestReceived(t *testing.T) {
	input := "hello\n\nsplit across calls\nquit\n"
	want := []string{"hello", "", "split across calls", "quit"}
	for cut := 1; cut <= len(input); cut++ {
		var c conversation
		var got []string
		for at := 0; at < len(input); at += cut {
			lines, tooLong := c.received([]byte(input[at:min(at+cut, len(input))]))
			if tooLong {
				t.Fatalf("pieces of %d bytes: a line was too long", cut)
			}
			for _, line := range lines {
				got = append(got, string(line))
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(c.partial) != 0 {
			t.Errorf("pieces of %d bytes: lines %q, left %q; want %q", cut, got, c.partial, want)
		}
	}
}

// TestLineLimit checks the 64 KiB bound: a line of exactly maxLine bytes
// is a line; one byte more is too long, newline or not.
func TestLineLimit(t *testing.T) {
	longest := strings.Repeat("x", maxLine)
	for _, tc := range []struct {
		input   string
		lines   int
		tooLong bool
	}{
		{longest + "\n", 1, false},
		{longest, 0, false},
		{longest + "x", 0, true},
		{"ok\n" + longest + "x\n", 1, true},
	} {
		var c conversation
		lines, tooLong := c.received([]byte(tc.input))
		if len(lines) != tc.lines || tooLong != tc.tooLong {
			t.Errorf("%d bytes: %d lines, too long %v; want %d, %v",
				len(tc.input), len(lines), tooLong, tc.lines, tc.tooLong)
		}
	}
}

// TestReply checks the seed's two answers; a NUL byte is part of the
// line, not its end (the seed's strlen would stop there).
func TestReply(t *testing.T) {
	for _, tc := range []struct {
		line, answer string
		closing      bool
	}{
		{"hello", "Message received - hello\n", false},
		{"a\x00b", "Message received - a\x00b\n", false},
		{"quit", "quit\n", true},
		{"quit ", "Message received - quit \n", false},
	} {
		answer, closing := reply([]byte(tc.line))
		if !bytes.Equal(answer, []byte(tc.answer)) || closing != tc.closing {
			t.Errorf("reply(%q) = %q, %v; want %q, %v", tc.line, answer, closing, tc.answer, tc.closing)
		}
	}
}
