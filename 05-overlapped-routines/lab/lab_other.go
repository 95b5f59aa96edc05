//go:build !linux && !windows

package main

import (
	"errors"
	"io"
	"runtime"
)

// serve is the server on Linux (server_linux.go: io_uring) and on Windows
// (server_windows.go: an I/O completion port). This system has neither,
// so the lab says so, and the program exits 1.
func serve(cfg config, stdout, stderr io.Writer, stop <-chan struct{}) error {
	return errors.New("this lab runs on Linux 6.0 or later (its io_uring half) and on Windows (its I/O " +
		"completion port half): " + runtime.GOOS + " has neither")
}
