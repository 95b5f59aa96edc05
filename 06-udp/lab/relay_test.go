package main

import (
	"bytes"
	"encoding/binary"
	"net"
	"sync"
	"testing"
	"time"
)

// fate is what the relay does with one datagram.
type fate int

const (
	forward  fate = iota
	drop          // lose it
	repeat        // forward it twice
	hold          // forward it after the next one that comes the same way
	released      // a held datagram, forwarded at last

	// On the way to the server: lose the datagram, and send the client a
	// decoy instead, a datagram that is not the echo it waits for but
	// could pass for it (decoys_test.go).
	strangerDecoy // from another port: the echo, word for word
	futureDecoy   // from the server's address: numbered 2^24 ahead
	lateDecoy     // from the server's address: the echo of the message before
	shortDecoy    // from the server's address: one numbered 2^24 ahead, then 1 byte

	decoy // on the way to the client: a datagram the relay made up
)

// fateNames names the fates of datagrams the relay does not make up
// (story says what a decoy was).
var fateNames = []string{"forwarded", "lost", "forwarded twice", "held back", "released, late"}

// loses tells whether the server never gets a datagram of this fate.
func (f fate) loses() bool { return f == drop || f >= strangerDecoy && f <= shortDecoy }

// The relay spoils datagrams by their order of arrival in each direction,
// the same way on every run. A client that does the task sends 31
// datagrams for 20 messages, and this is what happens to them:
//
//	to the server: #2 (message 2) lost; #4 (message 3) lost for a stranger's
//	               decoy; #8 (message 5) for a late echo of 4; #10 and #11
//	               (message 6, twice) lost; #13 (message 7) for a far-ahead
//	               number; #20 (message 12) lost; #22 (message 13) for a
//	               far-ahead number and a 1-byte datagram
//	to the client: #4 (the echo of 4) lost; #9 (of 8) delivered twice;
//	               #11 (of 10) held back until #12, the echo of its second
//	               try, has passed; #17 (of 15) lost
//
// No wait for one echo meets more than 2 datagrams that are not it.
var (
	toServerPlan = map[int]fate{2: drop, 4: strangerDecoy, 8: lateDecoy, 10: drop, 11: drop,
		13: futureDecoy, 20: drop, 22: shortDecoy}
	toClientPlan = map[int]fate{4: drop, 9: repeat, 11: hold, 17: drop}
)

// relay forwards datagrams between one client and the server, and spoils
// some of them as toServerPlan and toClientPlan say. It notes everything
// it does, so that the test can tell what the client did with it.
type relay struct {
	front    *net.UDPConn // the client sends here
	back     *net.UDPConn // we send to the server from here
	stranger *net.UDPConn // a socket the client never sent to
	to       *net.UDPAddr // the server

	mu     sync.Mutex
	client *net.UDPAddr // where the last datagram to the server came from
	events []event
	done   sync.WaitGroup
}

// event is one datagram the relay received (or released, or made up), and
// its fate.
type event struct {
	toServer bool
	n        int   // its number among those that came the same way
	seq      int64 // the number it starts with, -1 if it has no 4 bytes
	size     int
	fate     fate
	at       time.Time // when it came (readStamped)
}

func startRelay(t *testing.T, server string) *relay {
	to, err := net.ResolveUDPAddr("udp4", server)
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{to: to}
	r.front, r.back, r.stranger = listenLoopback(t), listenLoopback(t), listenLoopback(t)
	r.done.Add(2)
	go r.towardServer()
	go r.towardClient()
	t.Cleanup(r.stop)
	return r
}

// listenLoopback opens a UDP socket on 127.0.0.1, on a port the system picks.
func listenLoopback(t *testing.T) *net.UDPConn {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := stampArrivals(conn); err != nil {
		t.Fatal(err)
	}
	return conn
}

// stop closes the relay's sockets and waits for it to return.
func (r *relay) stop() {
	r.front.Close()
	r.back.Close()
	r.done.Wait()
}

func (r *relay) towardServer() {
	defer r.done.Done()
	buf := make([]byte, 65536)
	for n := 1; ; n++ {
		size, from, at, err := readStamped(r.front, buf)
		if err != nil {
			return
		}
		r.mu.Lock()
		r.client = from
		r.mu.Unlock()
		switch f := r.note(true, n, buf[:size], toServerPlan[n], at); {
		case f == forward:
			r.back.WriteToUDP(buf[:size], r.to)
		case f != drop:
			r.sendDecoys(f, buf[:size])
		}
	}
}

func (r *relay) towardClient() {
	defer r.done.Done()
	buf := make([]byte, 65536)
	var held []byte
	for n := 1; ; n++ {
		size, _, err := r.back.ReadFromUDP(buf)
		if err != nil {
			return
		}
		switch r.note(false, n, buf[:size], toClientPlan[n], time.Now()) {
		case drop:
			continue
		case hold:
			held = bytes.Clone(buf[:size])
			continue
		case repeat:
			r.toClient(r.front, buf[:size])
		}
		r.toClient(r.front, buf[:size])
		if held != nil {
			r.note(false, 0, held, released, time.Now())
			r.toClient(r.front, held)
			held = nil
		}
	}
}

// toClient sends datagram to the client from the socket from.
func (r *relay) toClient(from *net.UDPConn, datagram []byte) {
	r.mu.Lock()
	client := r.client
	r.mu.Unlock()
	from.WriteToUDP(datagram, client)
}

// note records a datagram that came at time at, and its fate, before the
// relay acts on it, so that a datagram to the client is noted before the
// client can have it.
func (r *relay) note(toServer bool, n int, datagram []byte, f fate, at time.Time) fate {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, event{toServer, n, sequence(datagram), len(datagram), f, at})
	return f
}

// sequence returns the number a datagram starts with: 4 bytes, big-endian.
func sequence(datagram []byte) int64 {
	if len(datagram) < seqLen {
		return -1
	}
	return int64(binary.BigEndian.Uint32(datagram))
}
