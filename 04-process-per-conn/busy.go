// A client that comes while -max-procs children serve is turned away: told
// "server busy", and its socket closed without a reset.
package main

import (
	"fmt"
	"sync"
	"time"
)

// busyReply is what a client is told when -max-procs children serve already.
const busyReply = "server busy\n"

// busyLinger bounds how long we read what a turned-away client still sends.
const busyLinger = 5 * time.Second

// busy turns client away if -max-procs children serve already, and says
// whether it did. The seed forks for every client: a client that connects
// a thousand times makes a thousand processes.
func (srv *server) busy(client *sock) bool {
	srv.mu.Lock()
	running := len(srv.running)
	refusing := srv.refusing < srv.config.maxProcs
	if running >= srv.config.maxProcs && refusing {
		srv.refusing++
		srv.pending.Add(1)
	}
	srv.mu.Unlock()
	if running < srv.config.maxProcs {
		return false
	}
	serve := "children serve"
	if running == 1 {
		serve = "child serves"
	}
	fmt.Fprintf(srv.out,
		"server busy: %d %s already (-max-procs %d); %v turned away\n",
		running, serve, srv.config.maxProcs, client.label)
	if !refusing {
		// As many are being turned away: no more goroutines for them.
		client.close()
		return true
	}
	// turnAway's recv may block: accept made the socket connected, so
	// stop wakes it.
	go srv.turnAway(client)
	return true
}

// turnAway tells a client we are busy, shuts down our sending half and
// reads what the client still sends, until it closes or busyLinger is over.
// Closing a socket with unread bytes in it would send a reset (RFC 1122,
// 4.2.2.13), and the client might lose our reply with it.
func (srv *server) turnAway(client *sock) {
	defer func() {
		client.close()
		srv.mu.Lock()
		srv.refusing--
		srv.mu.Unlock()
		srv.pending.Done()
	}()
	if client.sendAll([]byte(busyReply)) != nil {
		return
	}
	if client.shutdownSend() != nil {
		return
	}
	var watch sync.WaitGroup
	read := make(chan struct{})
	watch.Go(func() {
		select {
		case <-read:
		case <-time.After(busyLinger):
			client.wake() // ends the recv below
		}
	})
	buf := make([]byte, bufferSize)
	for total := 0; total < 1<<20; {
		// stop or the linger's end wakes this recv: we close then.
		n, err := client.recv(buf)
		if n == 0 || err != nil {
			break
		}
		total += n
	}
	close(read)
	watch.Wait()
}

// wake makes a call blocked on the socket return, as stop does, without
// closing it; a socket closed already is left alone.
func (s *sock) wake() {
	t := s.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live[s.n] == s {
		t.wake(s)
	}
}
