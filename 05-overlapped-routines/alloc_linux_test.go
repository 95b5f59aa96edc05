//go:build linux

package main

import (
	"io"
	"net/netip"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// TestNoAllocationPerOperation runs a quiet server in this process and
// counts the heap allocations of 200 echo round trips made with raw
// system calls, which allocate nothing themselves: the server's post,
// wait and routines must allocate nothing either.
func TestNoAllocationPerOperation(t *testing.T) {
	for _, backend := range []string{"uring", "poll"} {
		t.Run(backend, func(t *testing.T) {
			ready := make(chan netip.AddrPort, 1)
			stop := make(chan os.Signal, 1)
			done := make(chan error, 1)
			go func() {
				config := serverConfig{at: endpoint{"127.0.0.1", 0}, quiet: true,
					backend: backend, maxClients: 4}
				done <- runServer(&sockets{}, io.Discard, io.Discard, config,
					func(a netip.AddrPort) { ready <- a }, stop)
			}()
			var addr netip.AddrPort
			select {
			case addr = <-ready:
			case err := <-done:
				t.Skip(err)
			}
			defer func() { stop <- os.Interrupt; <-done }()

			fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(fd)
			if err := unix.Connect(fd, &unix.SockaddrInet4{Port: int(addr.Port()), Addr: [4]byte{127, 0, 0, 1}}); err != nil {
				t.Fatal(err)
			}
			msg, got := make([]byte, 100), make([]byte, 100)
			roundTrip := func() {
				unix.Write(fd, msg)
				for n := 0; n < len(msg); {
					m, err := unix.Read(fd, got[n:])
					if err != nil || m == 0 {
						t.Errorf("read: %d, %v", m, err)
						return
					}
					n += m
				}
			}
			roundTrip() // the first accept and post are once per client, not per operation
			if allocs := testing.AllocsPerRun(200, roundTrip); allocs > 0.1 {
				t.Errorf("%.2f allocations per echo, want none", allocs)
			}
		})
	}
}
