//go:build linux

// What the server sets up before it listens, and gives back as it ends:
// the ring, the ring of provided buffers, and the connections' own
// buffers, all memory that the kernel reads or writes.
package main

import (
	"io"

	"golang.org/x/sys/unix"
)

// newServer makes the ring, registers the ring of provided buffers, and
// maps the connections' own buffers. A kernel that refuses io_uring or
// provided buffers gets a line saying which Linux this lab needs, if it is
// older than that (refused_linux.go).
func newServer(cfg config, stderr io.Writer) (*server, error) {
	r, err := newRing(uint32(cfg.ring)) // submission slots; the kernel makes twice as many for completions
	if err != nil {
		return nil, needsNewerKernel(failed("io_uring_setup", "", err),
			"this kernel has io_uring, so something here turns it off: see sysctl kernel.io_uring_disabled, "+
				"or the container's seccomp profile")
	}
	srv := &server{ring: r, conns: make([]conn, maxClients), stderr: stderr, limit: cfg.clients}
	if srv.bufs, err = newBufferRing(r, cfg.buffers); err != nil {
		srv.release()
		return nil, needsNewerKernel(failed("io_uring_register", "IORING_REGISTER_PBUF_RING", err), "")
	}
	srv.own, err = unix.Mmap(-1, 0, maxClients*bufferSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		srv.release()
		return nil, failed("mmap", "", err)
	}
	for slot := maxClients - 1; slot >= 0; slot-- {
		srv.conns[slot] = conn{slot: slot, fd: -1}
		srv.free = append(srv.free, slot)
	}
	return srv, nil
}

// release closes the ring, which ends whatever is in flight, then unmaps
// the memory the kernel wrote into.
func (srv *server) release() {
	srv.ring.close()
	if srv.bufs != nil {
		srv.bufs.close()
	}
	if srv.own != nil {
		unix.Munmap(srv.own)
	}
}
