//go:build !linux

package main

import (
	"errors"
	"io"
	"runtime"
)

// serve is the server on Linux (server_linux.go). The lab is about
// io_uring, which only Linux has, so elsewhere it says so, and the program
// exits 1. (Windows' own answer, the I/O completion port, is not part of
// this lab.)
func serve(cfg config, stdout, stderr io.Writer, stop <-chan struct{}) error {
	return errors.New("this lab runs on Linux only (6.0 or later): it uses io_uring, which " +
		runtime.GOOS + " does not have")
}
