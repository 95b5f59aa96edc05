//go:build mutant_rearmwhilearmed

// Mutant rearmwhilearmed: it posts the recv again after every chunk, as the
// single-shot starter did, without looking at IORING_CQE_F_MORE: the first
// recv is still armed, so each connection gathers more and more multishot
// recvs.
//
// Grading tests that fail on this code: TestManyClients.

package main

import "golang.org/x/sys/unix"

// postRecv queues one multishot recv on c, with no buffer of ours: the
// kernel takes one from our ring for each chunk it receives.
func postRecv(srv *server, c *conn) {
	q := srv.queue(opRecv, c)
	q.opcode, q.fd = IORING_OP_RECV, int32(c.fd)
	q.ioprio = IORING_RECV_MULTISHOT
	q.flags, q.bufGroup = IOSQE_BUFFER_SELECT, bufferGroup
}

// onRecv echoes the chunk from the buffer the completion names, and posts
// the recv again when the kernel has ended it.
func onRecv(srv *server, c *conn, res int32, flags uint32) {
	if flags&IORING_CQE_F_BUFFER != 0 {
		id := int(flags >> IORING_CQE_BUFFER_SHIFT)
		srv.echo(c, srv.bufs.buffer(id)[:res], id)
	}
	switch {
	case res > 0:
		postRecv(srv, c) // ended for a reason of the kernel's own
	case res == -int32(unix.ENOBUFS):
		srv.waitForBuffer(c)
	default:
		srv.hangUp(c, "recv", res)
	}
}

// onEchoed gives the buffer back to the ring, now that its send is done.
func onEchoed(srv *server, c *conn, buffer int) {
	srv.bufs.giveBack(buffer)
}
