package main

import (
	"io"
	"os"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestStopOnEndsWithTheServer: a server that reaps its last child without
// a signal (-clients N, or a failed accept) leaves no goroutine waiting for
// one: stopOn's ends once every child is reaped.
func TestStopOnEndsWithTheServer(t *testing.T) {
	srv := newServer(&sockets{}, io.Discard, serverConfig{})
	srv.stopOn(make(chan os.Signal))
	srv.reapAll()
	testkit.GoroutineEnds(t, "(*server).stopOn", 5*time.Second)
}
