package main

import "time"

// stop is what Ctrl-C does: it wakes every thread blocked in accept on the
// listener or in recv on a client, so that the threads return, and closes
// the listener: a thread that comes back to accept later finds it closed.
func (s *server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

func (s *server) stopLocked() {
	if s.stopping {
		return
	}
	s.stopping = true
	if !wake(s.listener.h) {
		closeSocket(s.listener.h)
	}
	for client := range s.serving {
		if wake(client.h) {
			delete(s.serving, client)
		}
	}
	close(s.stopped)
}

// wait waits, at most grace, for every serving thread to return, and says
// whether they all did.
func (s *server) wait(grace time.Duration) bool {
	done := make(chan struct{})
	go func() {
		s.threads.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(grace):
		return false
	}
}

func (s *server) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}
