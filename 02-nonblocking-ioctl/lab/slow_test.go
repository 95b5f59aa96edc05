package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// A client that writes a lot before it reads anything fills its socket's
// buffers with replies, and the server must keep the rest for later
// (c.pending) and send it once the client reads: poll says when with
// pollOut. A server that never waits for pollOut sends what it keeps
// only when the client sends again, and these clients, once their last
// line is answered, send nothing more: their last replies would wait for
// ever.

// slowLines are the lines a slow client writes before it reads: short
// ones, whose replies are five times longer. Their replies fill half of
// maxPending, so that a server that keeps every reply the buffers cannot
// take never has to close the client; and they are three times what the
// buffers hold (29 to 43 KB on Linux, where slowReaderDialer makes them
// small), so that most must wait in pending. The server prints each line
// it gets, which takes most of the test's time: under -race on a busy
// machine, up to 3.4 s of clientDeadline with 192 KB of replies each.
func slowLines() []string {
	var lines []string
	for size := 0; size < maxPending/2; {
		lines = append(lines, fmt.Sprintf("%d\n", len(lines)))
		size += len("Message received - " + lines[len(lines)-1])
	}
	return lines
}

// maxReplyGap bounds how long a slow client, once it reads, waits for its
// next reply. A server that waits for pollOut sends more as soon as the
// client has read some: the longest wait was 32 ms (40 runs under -race,
// natively and under Wine), 104 ms with 8 busy loops on the 2 cores. One
// that sends what waits only when a timeout wakes it makes the client wait
// for that timeout: 1 s with a timeout of 1 s.
const maxReplyGap = 500 * time.Millisecond

// TestSlowReader has two clients write slowLines before they read
// anything, one of them "quit" too, while a third client talks. Then each
// must get every reply, and the one that sent "quit" then "quit" and the
// end of the stream.
func TestSlowReader(t *testing.T) { eachBuild(t, testSlowReader) }

func testSlowReader(t *testing.T, lab *testkit.Program) {
	server := lab.StartServer(t, "-addr", "127.0.0.1:0")
	lines := slowLines()
	talker := sendBeforeReading(t, server.Port, strings.Join(lines, ""))
	defer talker.Close()
	quitter := sendBeforeReading(t, server.Port, strings.Join(lines, "")+"quit\n")
	defer quitter.Close()

	// Another client talks meanwhile, and its replies also tell us when
	// the server has read every line of the slow ones: each pass of the
	// loop reads at most bufferSize bytes from each, and each reply to the
	// other client comes one pass at least after the one before.
	other := dial(t, server.Port)
	defer other.Close()
	for i := range len(strings.Join(lines, ""))/bufferSize + 3 {
		if got, err := talk(other, fmt.Sprintf("other line %d\n", i)); err != nil {
			t.Fatalf("while two clients had replies waiting, another client's line %d got no reply (%v, got %q); %s",
				i, err, got, hint)
		}
	}

	// Only now do the slow ones read.
	readReplies(t, talker, lines, "and nothing more")
	replies := readReplies(t, quitter, lines, `then "quit"`)
	quitter.SetReadDeadline(time.Now().Add(maxReplyGap))
	if got, err := replies.ReadString('\n'); got != "quit\n" {
		t.Fatalf("after its %d replies, the client got %q (%v), want %q", len(lines), got, err, "quit\n")
	}
	if rest, err := replies.ReadString('\n'); rest != "" || err != io.EOF {
		t.Errorf(`after "quit" the connection stays open (read %q, %v): the server closes it once "quit" is sent`, rest, err)
	}
}

// sendBeforeReading connects a slow client and sends what it has to send.
func sendBeforeReading(t *testing.T, port, sent string) net.Conn {
	t.Helper()
	conn, err := slowReaderDialer().Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(clientDeadline))
	if _, err := conn.Write([]byte(sent)); err != nil {
		t.Fatalf("a client could not send its %d bytes of lines (%v): does the server still read?", len(sent), err)
	}
	return conn
}

// readReplies reads a slow client's replies to lines, which it sent, and
// what, before it read any. Each must come within maxReplyGap.
func readReplies(t *testing.T, conn net.Conn, lines []string, what string) *bufio.Reader {
	t.Helper()
	replies := bufio.NewReader(conn)
	for i, line := range lines {
		conn.SetReadDeadline(time.Now().Add(maxReplyGap))
		if got, err := replies.ReadString('\n'); got != "Message received - "+line {
			t.Fatalf("a client sent %d lines, %s, before it read any reply; then it read %d replies, "+
				"and instead of the reply %q it got %q within %v (%v).\n"+
				"The replies its socket had no room for wait in c.pending: while a client has some, does poll wait for "+
				"pollOut on its socket (whether it talks or has sent \"quit\"), and is serveClient called as soon as that comes, "+
				"not when a timeout wakes the loop?",
				len(lines), what, i, "Message received - "+line, got, maxReplyGap, err)
		}
	}
	return replies
}
