// How the server stops: Ctrl-C wakes every blocked thread (sockets.stop,
// in stop.go), and thread 1 waits for them all, as a C program joins its
// threads.
package main

import "time"

// isStopping says whether stop has been called.
func (s *server) isStopping() bool {
	return s.socks.stopped()
}

// joinEnded waits, at most wait, for the threads whose goroutines have
// returned to be gone, and closes their handles: what the seed should have
// done with CreateThread's handle. The OS thread ends a moment after its
// goroutine; a process that exits in that moment is killed outright under
// Wine now and then (2 exits in 180 here), and a handle not closed keeps
// a dead thread's kernel object. On POSIX there is nothing to join.
func (s *server) joinEnded(wait time.Duration) {
	s.mu.Lock()
	ended := s.ended
	s.ended = nil
	s.mu.Unlock()
	var running []threadHandle
	for _, h := range ended {
		if !joinThread(h, wait) {
			running = append(running, h)
		}
	}
	s.mu.Lock()
	s.ended = append(s.ended, running...)
	s.mu.Unlock()
}

// stop is what Ctrl-C does: it wakes every blocked thread and closes no
// socket (sockets.stop). Thread 1's accept returns, and no client is let
// in; each serving thread's recv or send returns; each call then reports
// errInterrupted, and each thread closes its own socket as it ends.
func (s *server) stop() {
	closeWakers := s.socks.stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeWakers = append(s.closeWakers, closeWakers)
}

// wait waits until every serving thread has ended, at most grace, and says
// whether they all did; then it closes the sockets stop opened. A thread
// that did not end keeps its socket, which the process's exit closes: we
// never close a socket under a thread that may still use it.
func (s *server) wait(grace time.Duration) bool {
	done := make(chan struct{})
	go func() {
		s.threads.Wait()
		close(done)
	}()
	ended := true
	select {
	case <-done:
		s.joinEnded(grace)
	case <-time.After(grace):
		ended = false
	}
	s.mu.Lock()
	closers := s.closeWakers
	s.closeWakers = nil
	s.mu.Unlock()
	for _, closeWakers := range closers {
		closeWakers()
	}
	return ended
}
