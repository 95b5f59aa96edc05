package main

import (
	"bytes"
	"encoding/binary"
	"net"
	"sync"
	"testing"
)

// fate is what the relay does with one datagram.
type fate int

const (
	forward  fate = iota
	drop          // lose it
	repeat        // forward it twice
	hold          // forward it after the next one that comes the same way
	released      // a held datagram, forwarded at last
)

var fateNames = []string{"forwarded", "lost", "forwarded twice", "held back", "released, late"}

// The relay spoils datagrams by their order of arrival in each direction,
// the same way on every run. A client that does the task sends 27
// datagrams for 20 messages, and this is what happens to them:
//
//	to the server: #2 (message 2) lost; #8 and #9 (message 6, twice) lost;
//	               #17 (message 12) lost
//	to the client: #4 (the echo of 4) lost; #9 (of 8) delivered twice;
//	               #11 (of 10) held back until #12, the echo of its second
//	               try, has passed; #17 (of 15) lost
var (
	toServerPlan = map[int]fate{2: drop, 8: drop, 9: drop, 17: drop}
	toClientPlan = map[int]fate{4: drop, 9: repeat, 11: hold, 17: drop}
)

// relay forwards datagrams between one client and the server, and spoils
// some of them as toServerPlan and toClientPlan say. It notes everything
// it does, so that the test can tell what the client did with it.
type relay struct {
	front *net.UDPConn // the client sends here
	back  *net.UDPConn // we send to the server from here
	to    *net.UDPAddr // the server

	mu     sync.Mutex
	client *net.UDPAddr // where the last datagram to the server came from
	events []event
	done   sync.WaitGroup
}

// event is one datagram the relay received (or released), and its fate.
type event struct {
	toServer bool
	n        int   // its number among those that came the same way
	seq      int64 // the number it starts with, -1 if it has no 4 bytes
	fate     fate
}

func startRelay(t *testing.T, server string) *relay {
	to, err := net.ResolveUDPAddr("udp4", server)
	if err != nil {
		t.Fatal(err)
	}
	loopback := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}
	r := &relay{to: to}
	if r.front, err = net.ListenUDP("udp4", loopback); err != nil {
		t.Fatal(err)
	}
	if r.back, err = net.ListenUDP("udp4", loopback); err != nil {
		t.Fatal(err)
	}
	r.done.Add(2)
	go r.towardServer()
	go r.towardClient()
	t.Cleanup(r.stop)
	return r
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
		size, from, err := r.front.ReadFromUDP(buf)
		if err != nil {
			return
		}
		r.mu.Lock()
		r.client = from
		r.mu.Unlock()
		if r.note(true, n, buf[:size], toServerPlan[n]) != drop {
			r.back.WriteToUDP(buf[:size], r.to)
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
		switch r.note(false, n, buf[:size], toClientPlan[n]) {
		case drop:
			continue
		case hold:
			held = bytes.Clone(buf[:size])
			continue
		case repeat:
			r.toClient(buf[:size])
		}
		r.toClient(buf[:size])
		if held != nil {
			r.note(false, 0, held, released)
			r.toClient(held)
			held = nil
		}
	}
}

func (r *relay) toClient(datagram []byte) {
	r.mu.Lock()
	client := r.client
	r.mu.Unlock()
	r.front.WriteToUDP(datagram, client)
}

// note records a datagram and its fate before the relay acts on it, so
// that a datagram to the client is noted before the client can have it.
func (r *relay) note(toServer bool, n int, datagram []byte, f fate) fate {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, event{toServer, n, sequence(datagram), f})
	return f
}

// sequence returns the number a datagram starts with: 4 bytes, big-endian.
func sequence(datagram []byte) int64 {
	if len(datagram) < seqLen {
		return -1
	}
	return int64(binary.BigEndian.Uint32(datagram))
}
